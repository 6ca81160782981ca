// Sigma rules as trail-scan loads them: every SigmaHQ CloudTrail rule loads with its id, level,
// tags and references; each modifier and condition form means what the Sigma specification says
// (checked on hand-made events); and every construct trail-scan does not evaluate is a load error
// naming the file, the line and the construct.
import Foundation
import Testing
import TrailCheck
import TrailEvent
import TrailJSON
import TrailQuery
import TrailReport
import TrailTestSupport

/// A Sigma document around `detection` (indented by four spaces below `detection:`).
func sigmaRule(_ detection: String, id: String = "r1", extra: String = "") -> String {
  """
  title: Test rule
  id: \(id)
  logsource:
      product: aws
      service: cloudtrail
  detection:
  \(detection.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
  \(extra)
  """
}

/// The rules of a Sigma text, linked.
func sigmaRules(_ text: String, file: String = "rule.yml") throws -> [Rule] {
  let loaded = try RuleDocuments.load(yaml: text, file: file)
  let linked = SigmaLinker.link(loaded.rules)
  if let error = linked.errors.first { throw error }
  return linked.rules
}

/// Whether the single rule of `detection` matches `event`.
func sigmaMatches(_ detection: String, _ event: String) throws -> Bool {
  let rules = try sigmaRules(sigmaRule(detection))
  let document = try JSONDocument(parsing: Array(event.utf8))
  return rules[0].predicate.evaluate(EventView(json: document.root))
}

struct SigmaHQRulesTests {
  static let folder = Paths.fixtures.appendingPathComponent("sigma/cloudtrail")

  @Test func all57SigmaHQCloudTrailRulesLoad() throws {
    let files = Paths.files(under: Self.folder).filter { $0.pathExtension == "yml" }
    #expect(files.count == 57)
    let loaded = RuleFiles.load([Self.folder.path])
    #expect(loaded.errors.isEmpty, "\(loaded.errors)")
    #expect(loaded.skipped.isEmpty)
    #expect(loaded.rules.count == 57)
    for file in files {
      let text = try String(contentsOf: file, encoding: .utf8)
      let id = try #require(text.split(separator: "\n").first { $0.hasPrefix("id: ") }).dropFirst(4)
      let rule = try #require(loaded.rules.first { $0.id == String(id) }, "\(file.lastPathComponent)")
      #expect(rule.info.origin == file.path + ":1")
      #expect(!rule.info.tags.isEmpty || text.contains("tags:") == false, "\(rule.id)")
    }
  }

  /// `check` tests only the rules an event's eventName leaves (the plan's `LiteralIndex`): the
  /// counts must be those of testing every rule on every event, on every corpus event (lower-cased
  /// Panther records included), for the CIS pack, the SigmaHQ rules and names in odd cases.
  @Test func eventNamePrefilterAnswersAsTestingEveryRule() throws {
    var rules = try #require(try RulePacks.rules("cis")) + RuleFiles.load([Self.folder.path]).rules
    rules += try sigmaRules(
      sigmaRule("sel:\n    eventName: CONSOLELOGIN\ncondition: sel", id: "upper") + "\n---\n"
        + sigmaRule("sel:\n    eventName|cased: consolelogin\ncondition: sel", id: "cased") + "\n---\n"
        + sigmaRule(
          "sel:\n    - eventName: GetCallerIdentity\n    - userAgent|contains: boto\ncondition: sel", id: "or"))
    rules += try RuleDocuments.load(
      yaml: "- {id: glob, title: G, severity: low, match: {eventName: 'Get*'}}\n", file: "g.yml"
    ).rules
    let naive = try CheckPlanTests.expectPlanCountsEachPredicate(
      rules, over: try CorpusEvents.all().map { ($0.file, $0.bytes) })
    #expect(naive.filter { $0 > 0 }.count >= 20)
  }

  @Test func metadataIsKept() throws {
    let rules = try sigmaRules(
      try String(
        contentsOf: Self.folder.appendingPathComponent("aws_cloudtrail_disable_logging.yml"), encoding: .utf8))
    let info = rules[0].info
    #expect(info.id == "4db60cc0-36fb-42b7-9b58-a5b53019fb74")
    #expect(info.title == "AWS CloudTrail Important Change")
    #expect(info.severity == .medium)
    #expect(info.tags == ["attack.defense-impairment", "attack.t1685.002"])
    #expect(info.falsePositives == ["Valid change in a Trail"])
    #expect(
      info.references == ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html"])
    #expect(info.description == "Detects disabling, deleting and updating of a Trail")
  }

  @Test func levelsMapToSeverities() throws {
    let levels = ["informational": Severity.info, "low": .low, "medium": .medium, "high": .high, "critical": .critical]
    for (level, severity) in levels {
      let rules = try sigmaRules(sigmaRule("sel:\n    eventName: X\ncondition: sel", extra: "level: \(level)"))
      #expect(rules[0].info.severity == severity)
    }
    // No level: medium.
    #expect(try sigmaRules(sigmaRule("sel:\n    eventName: X\ncondition: sel"))[0].info.severity == .medium)
  }
}

struct SigmaSemanticsTests {
  static let event = """
    {"eventName":"CreateAccessKey","eventSource":"iam.amazonaws.com","sourceIPAddress":"198.51.100.7",
     "userAgent":"aws-cli/2.15 Python/3.11 S3 Browser",
     "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/alice","userName":"alice"},
     "requestParameters":{"userName":"bob","count":12,"commandLine":"cmd /c whoami","data":"L2Jpbi9iYXNoIC1j",
       "wide":"cABpAG4AZwAgAC0AbgA=","tags":[{"key":"team","value":"data"}]},
     "responseElements":{"accessKey":{"userName":"bob","status":"Active"}},
     "errorCode":null}
    """

  func m(_ detection: String) throws -> Bool { try sigmaMatches(detection, Self.event) }

  @Test func caseInsensitiveUnlessCased() throws {
    #expect(try m("sel:\n    eventName: createaccesskey\ncondition: sel"))
    #expect(try m("sel:\n    eventName|cased: CreateAccessKey\ncondition: sel"))
    #expect(try !m("sel:\n    eventName|cased: createaccesskey\ncondition: sel"))
  }

  @Test func valueListsAndMaps() throws {
    #expect(try m("sel:\n    eventName:\n        - DeleteUser\n        - CreateAccessKey\ncondition: sel"))
    #expect(try !m("sel:\n    eventName: CreateAccessKey\n    eventSource: s3.amazonaws.com\ncondition: sel"))
    // A list of maps is OR.
    #expect(try m("sel:\n    - eventName: Nope\n    - eventSource: iam.amazonaws.com\ncondition: sel"))
  }

  @Test func containsStartsWithEndsWithAll() throws {
    #expect(try m("sel:\n    userAgent|contains: 's3 browser'\ncondition: sel"))
    #expect(try m("sel:\n    userAgent|startswith: AWS-CLI\ncondition: sel"))
    #expect(try m("sel:\n    userAgent|endswith: Browser\ncondition: sel"))
    #expect(try !m("sel:\n    userAgent|endswith: aws-cli\ncondition: sel"))
    #expect(try m("sel:\n    userAgent|contains|all:\n        - aws-cli\n        - python\ncondition: sel"))
    #expect(try !m("sel:\n    userAgent|contains|all:\n        - aws-cli\n        - ruby\ncondition: sel"))
    // Wildcards inside contains stay wildcards.
    #expect(try m("sel:\n    userAgent|contains: 'cli/2.?? Python'\ncondition: sel"))
  }

  @Test func notHoldsWhenTheFieldIsMissing() throws {
    #expect(try m("sel:\n    eventName: CreateAccessKey\nfilter:\n    missingField: x\ncondition: sel and not filter"))
    #expect(
      try m(
        "sel:\n    eventName: CreateAccessKey\nfilter:\n    missingField|contains: x\ncondition: sel and not filter"))
    #expect(
      try !m(
        "sel:\n    eventName: CreateAccessKey\nfilter:\n    userIdentity.type: iamuser\ncondition: sel and not filter"))
  }

  @Test func nullAndExists() throws {
    // null: absent or JSON null.
    #expect(try m("sel:\n    errorCode: null\ncondition: sel"))
    #expect(try m("sel:\n    errorMessage: null\ncondition: sel"))
    #expect(try !m("sel:\n    eventName: null\ncondition: sel"))
    #expect(try m("sel:\n    eventName|exists: true\ncondition: sel"))
    #expect(try m("sel:\n    errorCode|exists: false\ncondition: sel"))
    #expect(try !m("sel:\n    errorCode|exists: true\ncondition: sel"))
    // The SigmaHQ pattern "errorCode is Success or absent".
    #expect(
      try m(
        "sel:\n    eventName: CreateAccessKey\ns1:\n    errorCode: Success\ns2:\n    errorCode: null\ncondition: sel and 1 of s*"
      ))
  }

  @Test func numbersCompareAsNumbers() throws {
    #expect(try m("sel:\n    requestParameters.count: 12\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.count: 12.0\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.count|gt: 11\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.count|lte: 12\ncondition: sel"))
    #expect(try !m("sel:\n    requestParameters.count|lt: 12\ncondition: sel"))
    #expect(try !m("sel:\n    requestParameters.count|gte: 13\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.count: '1?'\ncondition: sel"))
  }

  @Test func escapesAndWildcards() throws {
    let event = #"{"eventName":"X","requestParameters":{"key":"a*b","path":"C:\\Windows\\x"}}"#
    #expect(try sigmaMatches(#"sel:\#n    requestParameters.key: 'a\*b'\#ncondition: sel"#, event))
    #expect(try !sigmaMatches(#"sel:\#n    requestParameters.key: 'a\*c'\#ncondition: sel"#, event))
    // `\*` is a plain star; a backslash before a wildcard is written `\\`.
    #expect(try !sigmaMatches(#"sel:\#n    requestParameters.path: 'C:\Windows\*'\#ncondition: sel"#, event))
    #expect(try sigmaMatches(#"sel:\#n    requestParameters.path: 'C:\Windows\\*'\#ncondition: sel"#, event))
    #expect(try sigmaMatches(#"sel:\#n    requestParameters.path|endswith: '\x'\#ncondition: sel"#, event))
  }

  @Test func arraysAreSearchedElementByElement() throws {
    #expect(try m("sel:\n    requestParameters.tags.value: DATA\ncondition: sel"))
    #expect(try !m("sel:\n    requestParameters.tags.value: team\ncondition: sel"))
  }

  @Test func regexWithFlags() throws {
    #expect(try m("sel:\n    userIdentity.arn|re: ':user/ali'\ncondition: sel"))
    #expect(try !m("sel:\n    userIdentity.arn|re: ':USER/ALI'\ncondition: sel"))
    #expect(try m("sel:\n    userIdentity.arn|re|i: ':USER/ALI'\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.commandLine|re|i|m|s: '^CMD'\ncondition: sel"))
  }

  @Test func cidrFieldrefBase64Windash() throws {
    #expect(try m("sel:\n    sourceIPAddress|cidr: 198.51.100.0/24\ncondition: sel"))
    #expect(try !m("sel:\n    sourceIPAddress|cidr: 10.0.0.0/8\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.userName|fieldref: responseElements.accessKey.userName\ncondition: sel"))
    #expect(try !m("sel:\n    userIdentity.userName|fieldref: requestParameters.userName\ncondition: sel"))
    #expect(try m("sel:\n    userIdentity.arn|fieldref|endswith: userIdentity.userName\ncondition: sel"))
    // base64 of '/bin/bash -c' starts the value; base64offset finds '/bin/bash' at any alignment.
    #expect(try m("sel:\n    requestParameters.data|base64|startswith: '/bin/bash'\ncondition: sel"))
    #expect(try !m("sel:\n    requestParameters.data|base64: '/bin/bash'\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.data|base64offset|contains: '/bin/bash'\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.data|base64offset|contains: 'bash -c'\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.wide|wide|base64offset|contains: 'ping -n'\ncondition: sel"))
    #expect(try m("sel:\n    requestParameters.commandLine|windash|contains: ' -c '\ncondition: sel"))
    #expect(try !m("sel:\n    requestParameters.commandLine|contains: ' -c '\ncondition: sel"))
  }

  @Test func keywords() throws {
    #expect(try m("keywords:\n    - 'S3 Browser'\n    - nothing\ncondition: keywords"))
    #expect(try !m("keywords:\n    - nothing\ncondition: keywords"))
    #expect(try m("keywords:\n    '|all':\n        - alice\n        - bob\ncondition: keywords"))
    #expect(try !m("keywords:\n    '|all':\n        - alice\n        - carol\ncondition: keywords"))
  }

  @Test func conditions() throws {
    let base = "sel_a:\n    eventName: CreateAccessKey\nsel_b:\n    eventName: Nope\n_hidden:\n    eventName: Nope\n"
    #expect(try m(base + "condition: 1 of sel_*"))
    #expect(try !m(base + "condition: all of sel_*"))
    #expect(try m(base + "condition: 1 of them"))
    #expect(try !m(base + "condition: all of them and sel_b"))
    // `them` leaves out identifiers starting with `_`.
    #expect(try m("sel_a:\n    eventName: CreateAccessKey\n_x:\n    eventName: Nope\ncondition: all of them"))
    #expect(try m(base + "condition: sel_a or sel_b and sel_b"))  // and binds tighter
    #expect(try !m(base + "condition: (sel_a or sel_b) and sel_b"))
    #expect(try m(base + "condition: not sel_b and sel_a"))
    #expect(try m(base + "condition: not (sel_a and sel_b)"))
    #expect(try m(base + "condition:\n    - sel_b\n    - sel_a"))  // a list is OR
    #expect(try m(base + "condition: any of sel_*"))
  }

  @Test func multiDocumentFiles() throws {
    let text =
      sigmaRule("sel:\n    eventName: A\ncondition: sel", id: "a") + "\n---\n"
      + sigmaRule("sel:\n    eventName: B\ncondition: sel", id: "b")
    let rules = try sigmaRules(text)
    #expect(rules.map(\.id) == ["a", "b"])
    #expect(rules[1].info.origin == "rule.yml:12")
  }

  @Test func otherLogSourcesAreSkipped() throws {
    let windows = sigmaRule("sel:\n    Image: x\ncondition: sel", id: "w").replacingOccurrences(
      of: "product: aws\n    service: cloudtrail", with: "product: windows\n    category: process_creation")
    let loaded = try RuleDocuments.load(yaml: windows, file: "w.yml")
    #expect(loaded.rules.isEmpty)
    #expect(
      loaded.skipped == [
        SkippedRule(file: "w.yml", line: 1, id: "w", logsource: "product: windows, category: process_creation")
      ])
    // A folder that gives no CloudTrail rule at all is an error.
    let dir = try TemporaryDirectory()
    _ = try dir.write("rules/w.yml", windows)
    let result = RuleFiles.load([dir.path("rules")])
    #expect(result.errors.first?.message.contains("no CloudTrail rules") == true)
  }
}

struct SigmaLoadErrorTests {
  /// (document, line, words the message must contain)
  static let broken: [(String, Int, String)] = [
    (sigmaRule("sel:\n    eventName|contians: X\ncondition: sel"), 8, "unknown modifier 'contians'"),
    (sigmaRule("sel:\n    eventName|expand: '%admins%'\ncondition: sel"), 8, "placeholders ('expand')"),
    (sigmaRule("sel:\n    eventName|neq: X\ncondition: sel"), 8, "'neq' is not supported"),
    (sigmaRule("sel:\n    eventTime|hour: 3\ncondition: sel"), 8, "time modifiers"),
    (sigmaRule("sel:\n    eventName: X\ncondition: sel and filter"), 9, "unknown search identifier 'filter'"),
    (sigmaRule("sel:\n    eventName: X\ncondition: sel | count() > 5"), 9, "Sigma 1's deprecated syntax"),
    (sigmaRule("sel:\n    eventName: X\ncondition: 1 of nope*"), 9, "matches no search identifier"),
    (sigmaRule("sel:\n    eventName: X\ncondition: 2 of sel*"), 9, "'2 of' is not supported"),
    (sigmaRule("sel:\n    eventName: X\ncondition: sel\ntimeframe: 5m"), 10, "timeframe"),
    (sigmaRule("sel:\n    eventName|re: '(?<=a)b'\ncondition: sel"), 8, "lookbehind"),
    (sigmaRule("sel:\n    eventName|re: '(a)\\1'\ncondition: sel"), 8, "backreferences"),
    (sigmaRule("sel:\n    eventName|contains: null\ncondition: sel"), 8, "null cannot take modifiers"),
    (sigmaRule("sel:\n    data|base64offset: x\ncondition: sel"), 8, "needs 'contains'"),
    (sigmaRule("sel:\n    data|base64|contains: 'a*'\ncondition: sel"), 8, "wildcards cannot be encoded"),
    (sigmaRule("sel:\n    data|wide|contains: 'a'\ncondition: sel"), 8, "only meaningful before base64"),
    (sigmaRule("sel:\n    ip|cidr: 10.0.0.1\ncondition: sel"), 8, "'cidr' takes a network"),
    (sigmaRule("sel:\n    x|exists: yes-please\ncondition: sel"), 8, "'exists' takes true or false"),
    (sigmaRule("sel:\n    x|gt: abc\ncondition: sel"), 8, "take a number"),
    (sigmaRule("sel:\n    x|i: abc\ncondition: sel"), 8, "flag of 're'"),
    (
      sigmaRule("sel:\n    x|re|contains: abc\ncondition: sel"), 8, "contains, startswith and endswith apply to strings"
    ),
    (sigmaRule("sel:\n    x:\n        a: b\ncondition: sel"), 9, "not a mapping"),
    (sigmaRule("sel: []\ncondition: sel"), 7, "empty list"),
    (sigmaRule("sel:\n    eventName: X"), 7, "no 'condition'"),
    (sigmaRule("sel:\n    eventName: X\ncondition: sel", extra: "level: severe"), 10, "invalid level 'severe'"),
    (
      "id: x\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {a: b}, condition: sel}\n", 1,
      "no 'title'"
    ),
    (
      "title: T\nlogsource: {product: aws, service: cloudtrail}\ndetection: {sel: {a: b}, condition: sel}\n", 1,
      "neither an 'id' nor a 'name'"
    ),
    ("title: T\nid: x\ndetection: {sel: {a: b}, condition: sel}\n", 1, "no 'logsource'"),
    ("action: global\ntitle: T\nid: x\nlogsource: {product: aws}\n", 1, "rule collections"),
    (
      "title: C\nid: c\ncorrelation:\n  type: temporal_ordered\n  rules: [a, b]\n  timespan: 5m\n", 4,
      "'temporal_ordered' is not supported"
    ),
    ("title: C\nid: c\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 5m\n", 4, "needs a condition"),
    (
      "title: C\nid: c\ncorrelation:\n  type: value_count\n  rules: [a]\n  timespan: 5m\n  condition: {gte: 2}\n", 7,
      "needs 'field'"
    ),
    (
      "title: C\nid: c\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: soon\n  condition: {gte: 2}\n", 6,
      "invalid timespan 'soon'"
    ),
  ]

  @Test(arguments: 0..<broken.count) func brokenRulesNameFileLineAndConstruct(_ index: Int) {
    let (text, line, words) = Self.broken[index]
    do {
      _ = try sigmaRules(text, file: "bad.yml")
      Issue.record("loaded: \(text)")
    } catch let error as RuleError {
      #expect(error.file == "bad.yml")
      #expect(error.line == line, "\(error)")
      #expect(error.message.contains(words), "\(error)")
    } catch {
      Issue.record("\(error)")
    }
  }

  @Test func correlationsReferringToUnknownOrCorrelatedRulesAreErrors() throws {
    let unknown =
      "title: C\nid: c\ncorrelation:\n  type: event_count\n  rules: [nope]\n  timespan: 5m\n  condition: {gte: 2}\n"
    #expect(throws: RuleError.self) { try sigmaRules(unknown) }
    let chained =
      unknown.replacingOccurrences(of: "[nope]", with: "[d]") + "---\n"
      + "title: D\nid: d\ncorrelation:\n  type: event_count\n  rules: [e]\n  timespan: 5m\n  condition: {gte: 2}\n---\n"
      + sigmaRule("sel:\n    eventName: X\ncondition: sel", id: "e")
    do {
      _ = try sigmaRules(chained)
      Issue.record("chained correlations loaded")
    } catch let error as RuleError {
      #expect(error.message.contains("chained correlations are not supported"))
      #expect(error.line == 1)
    }
  }
}
