// Threshold rules at their edges: "more than N" (N is not enough), a sliding window that is
// half-open (events exactly `window` apart are not in one window), groups counted apart, and the
// finding reporting only the events inside windows over the threshold.

import Testing
import TrailCheck
import TrailEvent
import TrailJSON
import TrailQuery
import TrailReport

struct ThresholdTests {
  static func rule(threshold: Int, window: String?, groupBy: String? = "ip") throws -> [Rule] {
    var yaml =
      "- id: brute\n  title: Brute force\n  severity: high\n  match: {eventName: ConsoleLogin, errorMessage: Failed authentication}\n  threshold: \(threshold)\n"
    if let window { yaml += "  window: \(window)\n" }
    if let groupBy { yaml += "  group-by: \(groupBy)\n" }
    return try RuleDocuments.load(yaml: yaml, file: "t.yml").rules
  }

  /// A failed sign-in `seconds` after 10:00 from `ip`.
  static func failure(_ seconds: Int, ip: String = "198.51.100.1", id: String? = nil) -> String {
    let time = "2024-05-14T\(10 + seconds / 3600):\(String(seconds / 60 % 60).pad2):\(String(seconds % 60).pad2)Z"
    return
      #"{"eventID":"\#(id ?? "e\(seconds)-\(ip)")","eventTime":"\#(time)","eventName":"ConsoleLogin","errorMessage":"Failed authentication","sourceIPAddress":"\#(ip)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}"#
  }

  static func findings(_ rules: [Rule], _ events: [String]) throws -> [Finding] {
    var accumulator = CheckAccumulator(rules: rules)
    // Out of time order, as archives are.
    for event in events.reversed() {
      let document = try JSONDocument(parsing: Array(event.utf8))
      accumulator.add(EventView(json: document.root), path: "f.json")
    }
    return accumulator.results()[0].findings
  }

  @Test func exactlyTheThresholdIsNotAFinding() throws {
    let events = (0..<5).map { Self.failure($0 * 60) }
    #expect(try Self.findings(Self.rule(threshold: 5, window: "10m"), events).isEmpty)
    let six = (0..<6).map { Self.failure($0 * 60) }
    let findings = try Self.findings(Self.rule(threshold: 5, window: "10m"), six)
    #expect(findings.count == 1)
    #expect(findings[0].count == 6)
    #expect(findings[0].peak == 6)
    #expect(findings[0].peakStart?.iso8601 == "2024-05-14T10:00:00Z")
    #expect(findings[0].group == [GroupValue(field: "ip", value: "198.51.100.1")])
  }

  @Test func windowIsHalfOpen() throws {
    // Six events, the last exactly 10 minutes after the first: never six in one window.
    let spread = [0, 60, 120, 180, 240, 600].map { Self.failure($0) }
    #expect(try Self.findings(Self.rule(threshold: 5, window: "10m"), spread).isEmpty)
    // One second less and they are.
    let tight = [0, 60, 120, 180, 240, 599].map { Self.failure($0) }
    #expect(try Self.findings(Self.rule(threshold: 5, window: "10m"), tight).count == 1)
  }

  @Test func onlyEventsInsideBreachingWindowsCount() throws {
    // A burst of 6 within 5 minutes, and 2 stray events an hour later.
    let events = (0..<6).map { Self.failure($0 * 50) } + [Self.failure(3600), Self.failure(3700)]
    let finding = try #require(try Self.findings(Self.rule(threshold: 5, window: "10m"), events).first)
    #expect(finding.count == 6)
    #expect(finding.lastSeen?.iso8601 == "2024-05-14T10:04:10Z")
  }

  @Test func groupsAreCountedApart() throws {
    // 4 + 4 from two addresses within the window: 8 in all, but no address has more than 5.
    let events =
      (0..<4).map { Self.failure($0 * 10, ip: "198.51.100.1") }
      + (0..<4).map { Self.failure($0 * 10, ip: "198.51.100.2") }
    #expect(try Self.findings(Self.rule(threshold: 5, window: "10m"), events).isEmpty)
    #expect(try Self.findings(Self.rule(threshold: 5, window: "10m", groupBy: nil), events).count == 1)
  }

  @Test func thresholdWithoutWindowCountsTheWholeRange() throws {
    let events = (0..<6).map { Self.failure($0 * 3600) }
    #expect(try Self.findings(Self.rule(threshold: 5, window: nil), events).count == 1)
    #expect(try Self.findings(Self.rule(threshold: 6, window: nil), events).isEmpty)
    // Without a threshold any match is a finding: threshold 0 means the same.
    #expect(try Self.findings(Self.rule(threshold: 0, window: "1m"), [Self.failure(0)]).count == 1)
  }

  @Test func partialResultsMergeToTheSameFindings() throws {
    let rules = try Self.rule(threshold: 5, window: "10m")
    let events = (0..<12).map { Self.failure($0 * 40, ip: $0 % 3 == 0 ? "198.51.100.7" : "198.51.100.1") }
    var whole = CheckAccumulator(rules: rules)
    var parts = [CheckAccumulator(rules: rules), CheckAccumulator(rules: rules)]
    for (i, event) in events.enumerated() {
      let document = try JSONDocument(parsing: Array(event.utf8))
      whole.add(EventView(json: document.root), path: "f\(i % 2).json")
      parts[i % 2].add(EventView(json: document.root), path: "f\(i % 2).json")
    }
    var merged = parts[0]
    merged.merge(parts[1])
    #expect(merged.results() == whole.results())
    #expect(whole.results()[0].findings.count == 1)
  }
}

extension String {
  var pad2: String { count >= 2 ? self : "0" + self }
}
