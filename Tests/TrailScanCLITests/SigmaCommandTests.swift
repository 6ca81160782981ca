// Sigma rules and rules-as-filters through the binary: the SigmaHQ rules run in `check` and agree
// with `search --rule-file`; reports carry tags and false positives; correlations fire on planted
// bursts and not on their near misses (just outside the timespan, one short of the count), the
// same on one thread or several; `--rule-file`/`--rule` keep a rule's events in search, stats,
// who, what and timeline; broken rules are errors naming file and line.
import Foundation
import Testing
import TrailTestSupport

struct SigmaCommandTests {
  static let sample = "Fixtures/archives/sample"
  static let sigma = "Fixtures/sigma/cloudtrail"

  func json(_ result: RunResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr)")
  }

  func rules(_ report: [String: Any]) -> [[String: Any]] { report["rules"] as? [[String: Any]] ?? [] }

  func count(_ rule: [String: Any]) -> Int {
    (rule["findings"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
  }

  @Test func sigmaHQRulesAgreeWithSearchRuleFile() throws {
    let result = try TrailBinary.run(["check", Self.sample, "--rules", Self.sigma, "--format", "json"])
    #expect(result.status == 1, "\(result.stderr)")
    let report = rules(try json(result))
    #expect(report.count == 57)
    let firing = report.filter { count($0) > 0 }
    #expect(firing.count == 7)
    // The rules that fire, and three that do not, give the same events through --rule-file.
    for rule in firing + report.filter({ count($0) == 0 }).prefix(3) {
      let id = try #require(rule["id"] as? String)
      let file = try #require((rule["origin"] as? String)?.split(separator: ":").first.map(String.init))
      let search = try TrailBinary.run([Self.sample, "--rule-file", file, "--format", "jsonl"])
      #expect(search.lines.count == count(rule), "\(id)")
      let byID = try TrailBinary.run([Self.sample, "--rule-file", Self.sigma, "--rule", id, "--format", "jsonl"])
      #expect(byID.lines == search.lines, "\(id)")
    }
  }

  @Test func reportsCarryTagsAndFalsePositives() throws {
    let file = Self.sigma + "/aws_root_account_usage.yml"
    let report = try json(try TrailBinary.run(["check", Self.sample, "--rules", file, "--format", "json"]))
    let rule = try #require(rules(report).first)
    #expect(rule["id"] as? String == "8ad1600d-e9dc-4251-b0ee-a65268f29add")
    #expect((rule["tags"] as? [String])?.contains { $0.hasPrefix("attack.") } == true)
    #expect((rule["falsePositives"] as? [String])?.isEmpty == false)
    let sarif = try TrailBinary.run(["check", Self.sample, "--rules", file, "--format", "sarif"])
    let run = try #require(
      ((try JSONSerialization.jsonObject(with: sarif.stdout) as? [String: Any])?["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let descriptor = try #require((driver["rules"] as? [[String: Any]])?.first)
    #expect(descriptor["id"] as? String == "8ad1600d-e9dc-4251-b0ee-a65268f29add")
    let tags = try #require((descriptor["properties"] as? [String: Any])?["tags"] as? [String])
    #expect(tags.first == "security")
    #expect(tags.contains { $0.hasPrefix("attack.t") })
    #expect((descriptor["help"] as? [String: Any])?["text"].map { "\($0)" }?.contains("False positives:") == true)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.first?["ruleId"] as? String == "8ad1600d-e9dc-4251-b0ee-a65268f29add")
    // --list-rules shows the tags too.
    let table = try TrailBinary.run(["check", "--list-rules", "--rules", file, "--format", "table"])
    #expect(table.out.contains("TAGS"))
    #expect(table.out.contains("attack.t"))
    let listed =
      try JSONSerialization.jsonObject(
        with: try TrailBinary.run(["check", "--list-rules", "--rules", file, "--format", "json"]).stdout)
      as? [[String: Any]]
    #expect((listed?.first?["tags"] as? [String]) == tags.filter { $0 != "security" })
  }

  /// Failed sign-ins: a burst of 5 in 8 minutes from .1; 5 from .2 with the fifth exactly 10
  /// minutes after the first; 4 from .3 (one short); spread over three files.
  static func signIns(_ dir: TemporaryDirectory) throws -> String {
    func event(_ ip: String, _ seconds: Int, _ n: Int) -> String {
      let minute = seconds / 60
      let second = seconds % 60
      let time = "2024-05-14T10:\(minute < 10 ? "0" : "")\(minute):\(second < 10 ? "0" : "")\(second)Z"
      return
        #"{"eventVersion":"1.08","eventID":"\#(ip)-\#(n)","eventTime":"\#(time)","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","errorMessage":"Failed authentication","sourceIPAddress":"198.51.100.\#(ip)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u\#(n)"}}"#
    }
    let burst = (0..<5).map { event("1", $0 * 120, $0) }
    let outside = [0, 60, 120, 180, 600].enumerated().map { event("2", $0.element, $0.offset) }
    let short = (0..<4).map { event("3", $0 * 30, $0) }
    let all = burst + outside + short
    for part in 0..<3 {
      let records = all.enumerated().filter { $0.offset % 3 == part }.map(\.element)
      _ = try dir.write("logs/part\(part).json", #"{"Records":["# + records.joined(separator: ",") + "]}")
    }
    return dir.path("logs")
  }

  static let correlation = """
    title: Console password guessing
    id: sigma.console-burst
    level: high
    tags: [attack.credential-access, attack.t1110.001]
    correlation:
        type: event_count
        rules: failed_console_login
        group-by: sourceIPAddress
        timespan: 10m
        condition:
            gte: 5
    ---
    title: Failed console sign-in
    id: 3a9b6a5e-0000-4000-8000-000000000001
    name: failed_console_login
    logsource:
        product: aws
        service: cloudtrail
    detection:
        selection:
            eventName: ConsoleLogin
            errorMessage: Failed authentication
        condition: selection
    level: low
    """

  @Test func correlationFiresOnTheBurstOnly() throws {
    let dir = try TemporaryDirectory()
    let logs = try Self.signIns(dir)
    let rule = try dir.write("corr.yml", Self.correlation)
    let one = try TrailBinary.run(["check", logs, "--rules", rule, "--format", "json", "--threads", "1"])
    #expect(one.status == 1, "\(one.stderr)")
    let report = rules(try json(one))
    #expect(report.map { $0["id"] as? String } == ["sigma.console-burst"])
    let findings = try #require(report.first?["findings"] as? [[String: Any]])
    #expect(findings.count == 1)
    #expect((findings.first?["group"] as? [String: Any])?["sourceIPAddress"] as? String == "198.51.100.1")
    #expect(findings.first?["count"] as? Int == 5)
    #expect(findings.first?["peak"] as? Int == 5)
    #expect(one.stderr.contains("1 rules, 1 with findings (1 high)"))
    // Several threads, same report.
    let three = try TrailBinary.run(["check", logs, "--rules", rule, "--format", "json", "--threads", "3"])
    #expect(three.out == one.out)
  }

  @Test func valueCountAndTemporalThroughTheBinary() throws {
    let dir = try TemporaryDirectory()
    let logs = try Self.signIns(dir)
    // Distinct users per address: .1 has five within 8 minutes, .2 its fifth exactly 10
    // minutes after the first, .3 only four.
    let valueCount = Self.correlation.replacingOccurrences(of: "type: event_count", with: "type: value_count")
      .replacingOccurrences(of: "gte: 5", with: "field: userIdentity.arn\n        gte: 5")
    let rule = try dir.write("value.yml", valueCount)
    let result = try TrailBinary.run(["check", logs, "--rules", rule, "--format", "json"])
    let findings = try #require(rules(try json(result)).first?["findings"] as? [[String: Any]], "\(result.stderr)")
    #expect(findings.count == 1)
    #expect(
      (findings.first?["message"] as? String)?.hasPrefix("5 distinct values of userIdentity.arn within 10m") == true)
    // A failed sign-in then a successful one by the same user within 5 minutes.
    let temporal = """
      title: Guessed password
      id: guessed
      correlation: {type: temporal, rules: [failed, success], group-by: userIdentity.arn, timespan: 5m}
      ---
      title: Failed
      id: failed
      logsource: {product: aws, service: cloudtrail}
      detection: {sel: {eventName: ConsoleLogin, errorMessage: Failed authentication}, condition: sel}
      ---
      title: Success
      id: success
      logsource: {product: aws, service: cloudtrail}
      detection: {sel: {eventName: ConsoleLogin, responseElements.ConsoleLogin: Success}, condition: sel}
      """
    func signIn(_ user: String, _ time: String, failed: Bool) -> String {
      let outcome =
        failed ? #""errorMessage":"Failed authentication""# : #""responseElements":{"ConsoleLogin":"Success"}"#
      return
        #"{"eventID":"\#(user)-\#(time)","eventTime":"2024-05-14T\#(time)Z","eventName":"ConsoleLogin",\#(outcome),"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/\#(user)"}}"#
    }
    let events = [
      signIn("hit", "10:00:00", failed: true), signIn("hit", "10:04:59", failed: false),
      signIn("late", "10:00:00", failed: true), signIn("late", "10:05:00", failed: false),  // just outside
      signIn("short", "10:00:00", failed: true), signIn("short", "10:01:00", failed: true),  // no success
    ]
    let input = try dir.write("temporal.json", #"{"Records":["# + events.joined(separator: ",") + "]}")
    let temporalRule = try dir.write("temporal.yml", temporal)
    let check = try TrailBinary.run(["check", input, "--rules", temporalRule, "--format", "json"])
    let found = try #require(rules(try json(check)).first?["findings"] as? [[String: Any]], "\(check.stderr)")
    #expect(found.count == 1)
    #expect((found.first?["group"] as? [String: Any])?["userIdentity.arn"] as? String == "arn:aws:iam::1:user/hit")
    let pivot = try TrailBinary.run([input, "--rule-file", temporalRule, "--format", "jsonl"])
    #expect(pivot.lines.count == 2)
    #expect(pivot.lines.allSatisfy { $0.contains("user/hit") })
  }

  @Test func ruleFileKeepsTheEventsOfFiringGroups() throws {
    let dir = try TemporaryDirectory()
    let logs = try Self.signIns(dir)
    let rule = try dir.write("corr.yml", Self.correlation)
    let search = try TrailBinary.run([logs, "--rule-file", rule, "--format", "jsonl", "--sort", "time"])
    #expect(search.status == 0, "\(search.stderr)")
    #expect(search.lines.count == 5)
    #expect(search.lines.allSatisfy { $0.contains("198.51.100.1\"") })
    // The referred rule alone keeps every failed sign-in.
    let base = try TrailBinary.run([logs, "--rule-file", rule, "--rule", "3a9b6a5e-*", "--format", "jsonl"])
    #expect(base.lines.count == 14)
    // Each command keeps the same events.
    let stats = try TrailBinary.run(["stats", logs, "--rule-file", rule, "--by", "ip", "--format", "jsonl"])
    #expect(stats.lines.count == 1)
    #expect(stats.out.contains("\"count\":5"))
    let who = try TrailBinary.run(["who", logs, "--rule-file", rule, "--format", "jsonl"])
    #expect(who.lines.count == 5, "\(who.stderr)")
    let what = try TrailBinary.run(["what", logs, "--rule-file", rule, "--format", "jsonl"])
    #expect(what.lines.count == 1, "\(what.stderr)")
    #expect(what.out.contains("\"count\":5"))
    let timeline = try TrailBinary.run(["timeline", logs, "--rule-file", rule, "--format", "jsonl"])
    #expect(timeline.lines.count == 5)
    #expect(timeline.lines.first?.contains("2024-05-14T10:00:00Z") == true)
    // Other filters narrow both passes, as they narrow check: without the first event of the
    // burst, it is one short.
    let narrowed = try TrailBinary.run([logs, "--rule-file", rule, "--since", "2024-05-14T10:01:00Z"])
    #expect(narrowed.status == 1)
    #expect(narrowed.out.isEmpty)
  }

  @Test func anyRuleIsAFilter() throws {
    // A CIS control by id, our YAML, and a Sigma rule: each keeps what check counts.
    let cis = try TrailBinary.run([Self.sample, "--rule", "cis.root-usage", "--format", "jsonl"])
    let byPattern = try TrailBinary.run([
      Self.sample, "--where",
      #"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
      "--format", "jsonl",
    ])
    #expect(cis.status == 0, "\(cis.stderr)")
    #expect(cis.lines == byPattern.lines)
    #expect(!cis.lines.isEmpty)
    let dir = try TemporaryDirectory()
    let ours = try dir.write(
      "ours.yml", "- {id: mine, title: Console, severity: low, match: {eventName: ConsoleLogin}}\n")
    let byName = try TrailBinary.run([Self.sample, "--event-name", "ConsoleLogin", "--format", "jsonl"])
    #expect(try TrailBinary.run([Self.sample, "--rule-file", ours, "--format", "jsonl"]).lines == byName.lines)
    let timeline = try TrailBinary.run(["timeline", Self.sample, "--rule", "cis.console-*", "--format", "jsonl"])
    #expect(timeline.status == 0)
    #expect(!timeline.lines.isEmpty)
    // A rule that matches nothing named is an error, as in check.
    let missing = try TrailBinary.run([Self.sample, "--rule", "cis.nope"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("--rule cis.nope: no rule matches"))
  }

  @Test func checkRuleStillPicksTheRulesToRun() throws {
    let result = try TrailBinary.run(["check", Self.sample, "--rule", "cis.root-usage", "--format", "json"])
    #expect(rules(try json(result)).map { $0["id"] as? String } == ["cis.root-usage"])
  }

  @Test func brokenSigmaRulesAreErrorsWithFileAndLine() throws {
    let dir = try TemporaryDirectory()
    let bad = try dir.write(
      "bad.yml",
      "title: T\nid: bad-1\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  sel:\n    eventName|expand: '%x%'\n  condition: sel\n"
    )
    for arguments in [["check", Self.sample, "--rules", bad], [Self.sample, "--rule-file", bad]] {
      let result = try TrailBinary.run(arguments)
      #expect(result.status == 2)
      #expect(
        result.stderr.contains("bad.yml:6: rule bad-1: placeholders ('expand') are not supported"), "\(result.stderr)")
    }
  }

  @Test func otherLogSourcesAreSkippedWithANotice() throws {
    let dir = try TemporaryDirectory()
    _ = try dir.write(
      "rules/win.yml",
      "title: W\nid: w\nlogsource: {product: windows, category: process_creation}\ndetection: {sel: {Image: x}, condition: sel}\n"
    )
    _ = try FileManager.default.copyItem(
      atPath: Paths.fixtures.appendingPathComponent("sigma/cloudtrail/aws_root_account_usage.yml").path,
      toPath: dir.path("rules/root.yml"))
    let result = try TrailBinary.run(["check", Self.sample, "--rules", dir.path("rules"), "--format", "json"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("left out: 1 Sigma rule(s) for other log sources"))
    #expect(result.stderr.contains("product: windows, category: process_creation"))
    #expect(rules(try json(result)).count == 1)
  }
}
