// `check`'s one-pass plan (PredicateProgram, CheckPlan) against the Predicate AST it is compiled
// from: on every corpus event and on generated variants of them (names in other cases, prefixes,
// non-string and non-ASCII names, lower-cased keys, missing members), every predicate of every
// rule — CIS, threats, the 57 SigmaHQ rules, and rules written here to share fields and reach
// every kind of leaf and index — answers as `Predicate.evaluate`, and a check of all the rules
// together reports exactly what each rule reports when it runs alone.
import Foundation
import Testing
import TrailCheck
import TrailEvent
import TrailJSON
import TrailQuery
import TrailReport
import TrailTestSupport

struct CheckPlanTests {
  /// Rules that share fields and reach every leaf and index kind: eventName equalities, globs,
  /// prefixes (Sigma `startswith`, `Describe*` patterns and globs), eventSource alone, suffixes
  /// and regexes (not indexable), a non-ASCII name, walks, NOT EXISTS, derived fields, CIDR,
  /// numbers, keywords, fieldref, thresholds with windows and groups, correlations.
  static let ownRules = """
    - {id: own.get-glob, title: G, severity: low, match: {eventName: 'Get*'}, group-by: principal}
    - {id: own.console-not-x, title: C, severity: low, match: {eventName: [ConsoleLogin, '!x'], ip: '!10.0.0.0/8'}}
    - {id: own.iam-source, title: S, severity: low, match: {eventSource: iam.amazonaws.com}, group-by: [account, type]}
    - {id: own.any-source, title: A, severity: info, match: {eventSource: '*.amazonaws.com'}, threshold: 3000}
    - id: own.describe-prefix
      title: D
      severity: low
      pattern: '{ ($.eventName = "Describe*") && ($.errorCode NOT EXISTS) }'
      threshold: 5
      window: 10m
      group-by: ip
    - {id: own.suffix, title: X, severity: low, pattern: '{ $.eventName = *Instances }'}
    - {id: own.regex, title: R, severity: low, pattern: '{ $.eventName = %^Get[A-Z]|^List[A-Z]% }'}
    - {id: own.cafe, title: U, severity: low, match: {eventName: 'Café'}}
    - {id: own.walk, title: W, severity: low, pattern: '{ $.resources[*].ARN = "arn:aws:*" || $.requestParameters.* = "*" }'}
    - {id: own.null-type, title: N, severity: low, pattern: '{ ($.userIdentity.type IS NULL) || ($.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsApiCall") }'}
    - {id: own.source-and-name, title: B, severity: low, pattern: '{ ($.eventSource = "ec2.amazonaws.com") && ($.eventName = "Run*" || $.eventName = "Terminate*") }', group-by: [region, requestParameters.instanceType]}
    """

  static let ownSigma = """
    title: Starts
    id: own.sigma.starts
    name: own_starts
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            eventName|startswith: [List, Get, 'Describe']
            eventSource|endswith: '.amazonaws.com'
        condition: sel
    ---
    title: Source only
    id: own.sigma.source
    name: own_source
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            eventSource: [s3.amazonaws.com, sts.amazonaws.com]
        filter:
            userIdentity.type: AWSService
        condition: sel and not filter
    ---
    title: Keyword
    id: own.sigma.keyword
    logsource: {product: aws, service: cloudtrail}
    detection:
        keywords: [assumerole, 'Failed authentication']
        condition: keywords
    ---
    title: Fieldref and CIDR
    id: own.sigma.fieldref
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            requestParameters.userName|fieldref: userIdentity.userName
        net:
            sourceIPAddress|cidr: [10.0.0.0/8, 192.0.2.0/24, '2001:db8::/32']
        num:
            requestParameters.maxResults|gte: 5
        cased:
            eventName|cased: consolelogin
        wild:
            eventName: 'Get*'
        condition: 1 of them
    ---
    title: Temporal
    id: own.sigma.temporal
    level: low
    correlation:
        type: temporal
        rules: [own_starts, own_source]
        group-by: [userIdentity.arn]
        timespan: 1h
    ---
    title: Distinct names
    id: own.sigma.values
    level: low
    correlation:
        type: value_count
        rules: [own_starts]
        group-by: [sourceIPAddress]
        timespan: 1d
        condition: {field: eventName, gte: 2}
    """

  /// Every rule `check` can run here: the packs, the SigmaHQ rules, and the rules above, linked.
  static func allRules() throws -> [Rule] {
    var rules = try #require(try RulePacks.rules("cis")) + #require(try RulePacks.rules("threats"))
    let sigmaHQ = RuleFiles.load([Paths.fixtures.appendingPathComponent("sigma/cloudtrail").path])
    #expect(sigmaHQ.errors.isEmpty)
    rules += sigmaHQ.rules
    rules += try RuleLoader.load(yaml: ownRules, file: "own.yml")
    rules += try RuleDocuments.load(yaml: ownSigma, file: "own-sigma.yml").rules
    let linked = SigmaLinker.link(rules)
    #expect(linked.errors.isEmpty, "\(linked.errors)")
    return linked.rules
  }

  /// Every predicate of the rules, a correlation's referred rules included.
  static func predicates(_ rules: [Rule]) -> [TrailQuery.Predicate] {
    rules.flatMap { rule in rule.correlation.map { $0.bases.map(\.predicate) } ?? [rule.predicate] }
  }

  /// The corpus events, then variants of each: its eventName in other cases, turned into a prefix
  /// or a look-alike, a number, an array, null, non-ASCII, escaped, or missing; its eventSource
  /// changed or missing; its keys lower-cased. Deterministic.
  static func events() throws -> [(file: String, bytes: [UInt8])] {
    var out: [(String, [UInt8])] = []
    var random = SplitMix64(seed: 16)
    let names: [Any] = [
      "ListBuckets", "listbuckets", "DESCRIBEINSTANCES", "DescribeInstances", "GetBucketAcl", "Get", "Describe",
      "ConsoleLogin", "consolelogin", "CreateTrail", "StopLogging", "RunInstances", "TerminateInstances",
      "DeleteBucket", "Café", "Cafe\u{301}", "\u{212A}eyDeletion", "ListΣ", 42, ["ConsoleLogin"], NSNull(), "",
    ]
    let sources: [Any] = ["iam.amazonaws.com", "IAM.amazonaws.com", "s3.amazonaws.com", "ec2.amazonaws.com", 7, ""]
    for event in try CorpusEvents.all() {
      out.append((event.file, event.bytes))
      for variant in 0..<3 {
        var object = event.object
        switch random.next() % 4 {
        case 0: object.removeValue(forKey: "eventName")
        default: object["eventName"] = names[Int(random.next() % UInt64(names.count))]
        }
        if random.next() % 3 == 0 {
          let source = sources[Int(random.next() % UInt64(sources.count))]
          object["eventSource"] = source
        }
        if variant == 2 {
          object = Dictionary(object.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        if random.next() % 4 == 0 {
          // An escaped name: the index must leave it to the predicates, which read it decoded.
          bytes = Array(
            String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"List", with: "\"\\u004cist").utf8)
        }
        out.append((event.file + "#\(variant)", bytes))
      }
    }
    return out
  }

  @Test func everyPredicateAnswersAsTheAST() throws {
    let rules = try Self.allRules()
    let predicates = Self.predicates(rules)
    let fields: [Field] = [.principal, .account, .type, .ip, .region, .path(["requestParameters", "instanceType"])]
    let program = PredicateProgram(predicates, fields: fields)
    // The plan is in effect: reads are shared and most predicates are indexed.
    #expect(program.readCount < predicates.count)
    #expect(program.unindexedCount * 4 < predicates.count, "\(program.unindexedCount) of \(predicates.count)")
    var reads = EventReads(for: program)
    var held = [Int](repeating: 0, count: predicates.count)
    let events = try Self.events()
    for event in events {
      let document = try JSONDocument(parsing: event.bytes)
      let view = EventView(json: document.root)
      program.evaluate(view, &reads)
      for (index, predicate) in predicates.enumerated() {
        let expected = predicate.evaluate(view)
        if expected { held[index] += 1 }
        #expect(reads.holds(index) == expected, "\(event.file): predicate \(index)")
      }
      for field in fields { #expect(program.values(of: field, view, &reads) == view.values(of: field)) }
      reads.clear()
    }
    // The events reach the rules: many predicates hold somewhere, and some on the variants only.
    #expect(held.filter { $0 > 0 }.count >= predicates.count / 3, "\(held.filter { $0 > 0 }.count)")
  }

  @Test func allRulesTogetherReportWhatEachReportsAlone() throws {
    let rules = try Self.allRules()
    var together = CheckAccumulator(rules: rules)
    var alone = rules.map { CheckAccumulator(rules: [$0]) }
    for event in try Self.events() {
      let document = try JSONDocument(parsing: event.bytes)
      let view = EventView(json: document.root)
      together.add(view, path: event.file)
      for index in alone.indices { alone[index].add(view, path: event.file) }
    }
    let results = together.results()
    #expect(results.count == rules.count)
    for (index, rule) in rules.enumerated() {
      #expect(alone[index].results() == [results[index]], "\(rule.id)")
    }
    #expect(results.filter { !$0.findings.isEmpty }.count >= 30, "rules with findings")
  }

  @Test func eachRuleAloneCountsWhatItsPredicateMatches() throws {
    // The plan's counts against the AST's, for rules that count every matching event once.
    let rules = try Self.allRules().filter { !$0.aggregates && $0.groupBy.isEmpty }
    let naive = try Self.expectPlanCountsEachPredicate(rules, over: try Self.events())
    #expect(naive.filter { $0 > 0 }.count >= 25)
  }

  /// Runs `rules` as one plan over `events` and requires each rule's count to be how many events
  /// its predicate alone matches; returns those counts.
  static func expectPlanCountsEachPredicate(
    _ rules: [Rule], over events: [(file: String, bytes: [UInt8])]
  ) throws -> [Int] {
    var accumulator = CheckAccumulator(rules: rules)
    var naive = [Int](repeating: 0, count: rules.count)
    for event in events {
      let document = try JSONDocument(parsing: event.bytes)
      let view = EventView(json: document.root)
      accumulator.add(view, path: event.file)
      for (index, rule) in rules.enumerated() where rule.predicate.evaluate(view) { naive[index] += 1 }
    }
    let counts = accumulator.results().map { $0.findings.reduce(0) { $0 + $1.count } }
    #expect(counts == naive)
    return naive
  }

  @Test func literalIndexLeavesOutOnlyWhatCannotMatch() throws {
    // The CIS pack: every rule but root usage and unauthorized calls names its eventNames.
    let cis = try #require(try RulePacks.rules("cis"))
    let program = PredicateProgram(cis.map(\.predicate))
    #expect(program.unindexedCount == 2)
    // Prefixes, sources and names in any case reach their rules; the index never decides alone.
    let predicates: [TrailQuery.Predicate] = [
      .sigma(SigmaCondition(field: ["eventName"], test: .string(SigmaString(sigma: "List*")))),
      .matches(.eventSource, Glob("iam.amazonaws.com")),
      .matches(.eventName, Glob("Get*")),
      .matches(.eventName, Glob("*Get")),
    ]
    let indexed = PredicateProgram(predicates)
    #expect(indexed.unindexedCount == 1)
    var reads = EventReads(for: indexed)
    let cases: [(String, [Bool])] = [
      (#"{"eventName":"LISTUSERS","eventSource":"iam.amazonaws.com"}"#, [true, true, false, false]),
      (#"{"eventName":"GetUser","eventSource":"IAM.amazonaws.com"}"#, [false, false, true, false]),
      (#"{"eventName":"\u004cistRoles"}"#, [true, false, false, false]),
      (#"{"eventName":"Lis"}"#, [false, false, false, false]),
      (#"{"eventName":["ListX"],"eventSource":"x"}"#, [true, false, false, false]),
      (#"{"eventname":"listx","eventsource":"iam.amazonaws.com"}"#, [true, true, false, false]),
      (#"{"eventSource":"iam.amazonaws.com","eventName":"ForGet"}"#, [false, true, false, true]),
    ]
    for (text, expected) in cases {
      let document = try JSONDocument(parsing: Array(text.utf8))
      let view = EventView(json: document.root)
      indexed.evaluate(view, &reads)
      #expect(predicates.indices.map { reads.holds($0) } == expected, "\(text)")
      #expect(predicates.map { $0.evaluate(view) } == expected, "\(text)")
      reads.clear()
    }
  }
}
