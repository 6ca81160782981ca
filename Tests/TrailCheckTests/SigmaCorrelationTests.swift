// Sigma correlation rules at their edges, on events fed out of time order: a planted burst fires,
// the near misses do not (one event just outside the timespan, one short of the count); value_count
// counts distinct values and temporal distinct rules; one finding per group; partial results
// merge to the same findings; and the events of the findings are what `--rule-file` keeps.
import Testing
import TrailCheck
import TrailEvent
import TrailJSON
import TrailQuery
import TrailReport

struct SigmaCorrelationTests {
  static let base = """
    title: Failed sign-in
    id: failed
    name: failed_login
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            eventName: ConsoleLogin
            errorMessage: Failed authentication
        condition: sel
    ---
    title: Sign-in
    id: success
    logsource: {product: aws, service: cloudtrail}
    detection:
        sel:
            eventName: ConsoleLogin
            responseElements.ConsoleLogin: Success
        condition: sel
    """

  static func correlation(_ body: String) -> String {
    "title: Correlated\nid: corr\nlevel: high\ncorrelation:\n" + body + "\n---\n" + base
  }

  /// A sign-in `seconds` after 10:00 from `ip` as `user`; failed unless `success`.
  static func signIn(_ seconds: Int, ip: String = "198.51.100.1", user: String = "alice", success: Bool = false)
    -> String
  {
    let time = "2024-05-14T\(10 + seconds / 3600):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    let outcome =
      success ? #""responseElements":{"ConsoleLogin":"Success"}"# : #""errorMessage":"Failed authentication""#
    return
      #"{"eventID":"e\#(seconds)-\#(ip)-\#(user)","eventTime":"\#(time)","eventName":"ConsoleLogin",\#(outcome),"sourceIPAddress":"\#(ip)","userIdentity":{"type":"IAMUser","userName":"\#(user)","arn":"arn:aws:iam::1:user/\#(user)"}}"#
  }

  static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  static func accumulate(_ rules: [Rule], _ events: [String], parts: Int = 1) throws -> CheckAccumulator {
    var accumulators = (0..<parts).map { _ in CheckAccumulator(rules: rules) }
    for (i, event) in events.reversed().enumerated() {
      let document = try JSONDocument(parsing: Array(event.utf8))
      accumulators[i % parts].add(EventView(json: document.root), path: "f.json")
    }
    var merged = accumulators[0]
    for part in accumulators.dropFirst() { merged.merge(part) }
    return merged
  }

  static func findings(_ yaml: String, _ events: [String]) throws -> [Finding] {
    let rules = try sigmaRules(yaml)
    #expect(rules.first?.id == "corr")
    return try accumulate(rules, events).results()[0].findings
  }

  static let eventCount = correlation(
    "  type: event_count\n  rules: [failed_login]\n  group-by: [sourceIPAddress]\n  timespan: 10m\n  condition:\n    gte: 5"
  )

  @Test func eventCountBurstFiresPerGroup() throws {
    let burst = (0..<5).map { Self.signIn($0 * 120) }  // 5 within 8 minutes
    let other = (0..<6).map { Self.signIn($0 * 60, ip: "203.0.113.9") }
    let findings = try Self.findings(Self.eventCount, burst + other)
    #expect(findings.count == 2)
    #expect(findings[0].group == [GroupValue(field: "sourceIPAddress", value: "203.0.113.9")])
    #expect(findings[0].count == 6)
    #expect(findings[0].peak == 6)
    #expect(findings[1].count == 5)
    #expect(findings[1].message == "5 events within 10m for sourceIPAddress=198.51.100.1 (event_count gte 5)")
  }

  @Test func justOutsideTheTimespanIsNotABurst() throws {
    // The fifth event is exactly 10 minutes after the first: outside its window.
    let events = [0, 60, 120, 180, 600].map { Self.signIn($0) }
    #expect(try Self.findings(Self.eventCount, events).isEmpty)
    // One second earlier, it is inside.
    let inside = [0, 60, 120, 180, 599].map { Self.signIn($0) }
    #expect(try Self.findings(Self.eventCount, inside).count == 1)
  }

  @Test func oneShortOfTheCountIsNotABurst() throws {
    let events = (0..<4).map { Self.signIn($0 * 10) } + [Self.signIn(50, success: true)]
    #expect(try Self.findings(Self.eventCount, events).isEmpty)
  }

  @Test func findingHoldsOnlyTheEventsOfFiringWindows() throws {
    // A burst of 5, then a lone failure an hour later from the same address.
    let events = (0..<5).map { Self.signIn($0 * 60) } + [Self.signIn(3600)]
    let findings = try Self.findings(Self.eventCount, events)
    #expect(findings.count == 1)
    #expect(findings[0].count == 5)
    #expect(findings[0].lastSeen?.iso8601 == "2024-05-14T10:04:00Z")
  }

  @Test func valueCountCountsDistinctValues() throws {
    let yaml = Self.correlation(
      "  type: value_count\n  rules: [failed]\n  group-by: sourceIPAddress\n  timespan: 5m\n  condition:\n    field: userIdentity.userName\n    gt: 2"
    )
    // Three users from one address within 5 minutes (many attempts, but only distinct users count).
    let spray = ["a", "b", "c"].enumerated().map { Self.signIn($0.offset * 60, user: $0.element) }
    let repeated = (0..<10).map { Self.signIn($0 * 10, ip: "203.0.113.9") }  // one user, ten times
    let findings = try Self.findings(yaml, spray + repeated)
    #expect(findings.count == 1)
    #expect(findings[0].group.first?.value == "198.51.100.1")
    #expect(findings[0].peak == 3)
    #expect(findings[0].message.hasPrefix("3 distinct values of userIdentity.userName within 5m"))
    // Two users only: one short.
    #expect(try Self.findings(yaml, Array(spray.prefix(2)) + repeated).isEmpty)
  }

  @Test func temporalNeedsEveryRuleWithinTheTimespan() throws {
    let yaml = Self.correlation(
      "  type: temporal\n  rules: [failed_login, success]\n  group-by: userIdentity.userName\n  timespan: 15m")
    let attack = [Self.signIn(0), Self.signIn(60), Self.signIn(600, success: true)]
    let findings = try Self.findings(yaml, attack)
    #expect(findings.count == 1)
    #expect(findings[0].count == 3)
    #expect(findings[0].message.hasPrefix("2 of 2 rules within 15m for userIdentity.userName=alice"))
    // The success 15 minutes after the last failure: outside.
    #expect(try Self.findings(yaml, [Self.signIn(0), Self.signIn(900, success: true)]).isEmpty)
    // Failures alone.
    #expect(try Self.findings(yaml, [Self.signIn(0), Self.signIn(60)]).isEmpty)
    // Another user's success does not complete alice's group.
    #expect(try Self.findings(yaml, [Self.signIn(0), Self.signIn(60, user: "bob", success: true)]).isEmpty)
  }

  @Test func aliasesGroupDifferentFields() throws {
    let yaml = Self.correlation(
      """
        type: temporal
        rules: [failed, success]
        group-by: [who]
        timespan: 15m
        aliases:
          who:
            failed: userIdentity.userName
            success: sourceIPAddress
      """)
    let events = [Self.signIn(0, user: "x"), Self.signIn(60, ip: "x", user: "y", success: true)]
    #expect(try Self.findings(yaml, events).count == 1)
  }

  @Test func conditionsBelowAndRanges() throws {
    func count(_ condition: String, _ events: [String]) throws -> [Finding] {
      try Self.findings(
        Self.correlation(
          "  type: event_count\n  rules: [failed]\n  timespan: 10m\n  condition:\n" + condition), events)
    }
    let three = (0..<3).map { Self.signIn($0 * 60) }
    #expect(try count("    lt: 4", three).count == 1)
    #expect(try count("    lt: 3", three).isEmpty)
    #expect(try count("    eq: 3", three).count == 1)
    #expect(try count("    gt: 1\n    lte: 2", three).isEmpty)  // the peak, 3, is outside the range
    #expect(try count("    gt: 2\n    lte: 3", three).count == 1)
  }

  @Test func referredRulesRunOnTheirOwnOnlyWithGenerate() throws {
    // `failed` is referred to (by name), so it is not a rule of its own; `success` is not referred to.
    #expect(try sigmaRules(Self.eventCount).map(\.id) == ["corr", "success"])
    let generated = Self.eventCount.replacingOccurrences(
      of: "  timespan: 10m", with: "  timespan: 10m\n  generate: true")
    #expect(try sigmaRules(generated).map(\.id) == ["corr", "failed", "success"])
  }

  @Test func mergedPartsGiveTheSameFindings() throws {
    let rules = try sigmaRules(Self.eventCount)
    let events = (0..<40).map { Self.signIn($0 * 45, ip: $0 % 3 == 0 ? "203.0.113.1" : "198.51.100.2") }
    let one = try Self.accumulate(rules, events).results()
    let three = try Self.accumulate(rules, events, parts: 3).results()
    #expect(one == three)
    #expect(!one[0].findings.isEmpty)
  }

  @Test func findingEventsKeepTheFiringGroupsWindows() throws {
    let rules = try sigmaRules(Self.eventCount)
    let burst = (0..<5).map { Self.signIn($0 * 60) }
    let late = Self.signIn(3600)
    let quiet = [Self.signIn(0, ip: "203.0.113.9")]
    let accumulator = try Self.accumulate(rules, burst + [late] + quiet)
    let filter = Predicate.any(accumulator.findingEvents())
    let kept = try (burst + [late] + quiet).filter { event in
      let document = try JSONDocument(parsing: Array(event.utf8))
      return filter.evaluate(EventView(json: document.root))
    }
    #expect(kept == burst)
  }
}
