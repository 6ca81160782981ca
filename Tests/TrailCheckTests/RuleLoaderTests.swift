// Rule files: what a valid file means, and that every kind of mistake is an error naming the
// file, the rule and the line (a CI job must fail on a broken rule, not check less).
import Testing
import TrailCheck
import TrailQuery
import TrailTime

struct RuleLoaderTests {
  @Test func fullRule() throws {
    let rules = try RuleDocuments.load(
      yaml: """
        pack: mine
        rules:
          - id: brute-force
            title: Console password guessing
            severity: HIGH
            match:
              eventName: ConsoleLogin
              errorMessage: Failed authentication
              ip: ["!10.0.0.0/8", "!192.168.0.0/16"]
            threshold: 5
            window: 10m
            group-by: ip
            description: Many failed sign-ins from one address.
            remediation: Block the address.
            references: [https://example.com/runbook, "ACME-7"]
          - id: root
            title: Root
            severity: info
            pattern: '{ $.userIdentity.type = "Root" }'
            group-by: [account, region]
        """, file: "rules.yml"
    ).rules
    #expect(rules.count == 2)
    let brute = rules[0]
    #expect(brute.info.severity == .high)
    #expect(brute.threshold == Threshold(count: 5, window: TimeSpan(seconds: 600)))
    #expect(brute.groupBy == [.ip])
    #expect(brute.info.references == ["https://example.com/runbook", "ACME-7"])
    #expect(brute.info.helpURL == "https://example.com/runbook")
    #expect(brute.info.origin == "rules.yml:3")
    #expect(rules[1].groupBy == [.account, .region])
    #expect(rules[1].pattern == #"{ $.userIdentity.type = "Root" }"#)
    #expect(rules[1].threshold == nil)
  }

  @Test func plainListOfRules() throws {
    let rules = try RuleDocuments.load(
      yaml: "- {id: a, title: A, severity: low, match: {eventName: X}}\n", file: "f.yaml"
    ).rules
    #expect(rules.map(\.id) == ["a"])
  }

  /// (document, line, rule, words the message must contain)
  static let broken: [(String, Int?, String?, String)] = [
    ("rules:\n  - id: a\n    title: A\n    severity: low\n    patern: '{ $.x = 1 }'\n", 5, "a", "unknown key 'patern'"),
    (
      "rules:\n  - id: a\n    title: A\n    severity: severe\n    pattern: '{ $.x = 1 }'\n", 4, "a",
      "invalid severity 'severe'"
    ),
    ("rules:\n  - id: a\n    title: A\n    severity: low\n    pattern: '{ $.x = }'\n", 5, "a", "invalid pattern"),
    ("rules:\n  - id: a\n    severity: low\n    pattern: '{ $.x = 1 }'\n", 2, "a", "no 'title'"),
    ("rules:\n  - title: A\n    severity: low\n", 2, nil, "no 'id'"),
    ("rules:\n  - id: a\n    title: A\n    severity: low\n", 2, "a", "needs a 'pattern' or a 'match'"),
    (
      "rules:\n  - id: a\n    title: A\n    severity: low\n    match: {eventName: X}\n    window: 10m\n", 6, "a",
      "'window' needs a 'threshold'"
    ),
    (
      "rules:\n  - id: a\n    title: A\n    severity: low\n    match: {eventName: X}\n    threshold: -1\n", 6, "a",
      "'threshold' must be a whole number"
    ),
    (
      "rules:\n  - id: a\n    title: A\n    severity: low\n    match: {eventName: X}\n    threshold: 2\n    window: soon\n",
      7, "a", "invalid window 'soon'"
    ),
    (
      "rules:\n  - id: a\n    title: A\n    severity: low\n    match: {eventName: X}\n    group-by: 'a..b'\n", 6, "a",
      "'group-by': invalid field"
    ),
    (
      "rules:\n  - id: a\n    title: A\n    severity: low\n    match: {eventName: []}\n", 5, "a",
      "needs at least one value"
    ),
    (
      "rules:\n  - id: a\n    title: A\n    severity: low\n    match: {eventName: X}\n  - id: a\n    title: B\n    severity: low\n    match: {eventName: Y}\n",
      6, "a", "duplicate rule id (first defined on line 2)"
    ),
    (
      "rules:\n  - id: a\n    title: [A, B]\n    severity: low\n    match: {eventName: X}\n", 3, "a",
      "'title' must be a string"
    ),
    ("rules:\n  - id: 'a b'\n    title: A\n    severity: low\n", 2, nil, "'id' must be letters"),
    ("rulez: []\n", 1, nil, "unknown key 'rulez'"),
    ("rules:\n  - id: a\n    title: 'A\n", 4, nil, "not valid YAML"),
    // A repeated key is reported where it repeats, whatever its tag.
    ("rules:\n  - id: a\n    id: b\n", 3, nil, "duplicate key 'id' (first on line 2)"),
    ("rules:\n  - id: a\n    !x id: b\n", 3, nil, "duplicate key 'id' (first on line 2)"),
    ("", nil, nil, "the file is empty"),
    ("just text\n", 1, nil, "expected a list of rules"),
  ]

  @Test(arguments: broken.indices)
  func brokenFilesNameFileRuleAndLine(index: Int) {
    let (yaml, line, rule, words) = Self.broken[index]
    do {
      _ = try RuleDocuments.load(yaml: yaml, file: "bad.yml").rules
      Issue.record("accepted: \(yaml)")
    } catch {
      #expect(error.file == "bad.yml")
      #expect(error.line == line, "\(error)")
      #expect(error.rule == rule, "\(error)")
      #expect(error.description.contains(words), "\(error)")
      #expect(error.description.hasPrefix("bad.yml" + (line.map { ":\($0)" } ?? "")))
    }
  }

  @Test func badPatternShowsTheColumn() {
    do {
      _ = try RuleDocuments.load(
        yaml: "- id: a\n  title: A\n  severity: low\n  pattern: '{ $.eventName = }'\n", file: "r.yml"
      ).rules
      Issue.record("accepted")
    } catch {
      #expect(error.description.contains("^"), "\(error)")
      #expect(error.description.contains("{ $.eventName = }"))
    }
  }

  @Test func matchMeansTheSameAsFilterFlags() throws {
    let rules = try RuleDocuments.load(
      yaml: """
        - id: outside
          title: Console sign-in from outside the office
          severity: medium
          match:
            eventName: ConsoleLogin
            ip: ["!203.0.113.0/24"]
            principal: "*:user/*"
        """, file: "r.yml"
    ).rules
    let inside =
      #"{"eventName":"ConsoleLogin","sourceIPAddress":"203.0.113.9","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}"#
    let outside =
      #"{"eventName":"ConsoleLogin","sourceIPAddress":"198.51.100.9","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}"#
    let role =
      #"{"eventName":"ConsoleLogin","sourceIPAddress":"198.51.100.9","userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"}}"#
    #expect(try firing(rules, on: [inside]).isEmpty)
    #expect(try firing(rules, on: [outside]) == ["outside"])
    #expect(try firing(rules, on: [role]).isEmpty)
  }
}
