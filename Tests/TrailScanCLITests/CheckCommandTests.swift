// `trail-scan check` through the binary: findings on the sample archive agree with `search
// --where` for every CIS rule, exit codes gate as a CI job needs (a check that could not read its
// input or its rules never passes), reports validate with external readers, --output and
// --pattern behave as documented.
import Foundation
import Testing
import TrailTestSupport

struct CheckCommandTests {
  static let sample = "Fixtures/archives/sample"

  func json(_ result: RunResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr)")
  }

  func rules(_ report: [String: Any]) -> [[String: Any]] { report["rules"] as? [[String: Any]] ?? [] }

  /// Events per rule, summed over its findings.
  func eventCounts(_ report: [String: Any]) -> [String: Int] {
    Dictionary(
      uniqueKeysWithValues: rules(report).map { rule in
        (rule["id"] as! String, (rule["findings"] as! [[String: Any]]).reduce(0) { $0 + ($1["count"] as! Int) })
      })
  }

  @Test func everyCISRuleAgreesWithSearchWhere() throws {
    let listed = try TrailBinary.run(["check", "--list-rules", "--pack", "cis", "--format", "json"])
    #expect(listed.status == 0, "\(listed.stderr)")
    let pack = try #require(try JSONSerialization.jsonObject(with: listed.stdout) as? [[String: Any]])
    #expect(pack.count == 15)
    let result = try TrailBinary.run(["check", Self.sample, "--format", "json"])
    #expect(result.status == 1, "\(result.stderr)")
    let counts = eventCounts(try json(result))
    var firing = 0
    for rule in pack {
      let id = rule["id"] as! String
      let search = try TrailBinary.run([Self.sample, "--where", rule["pattern"] as! String, "--format", "jsonl"])
      #expect(counts[id] == search.lines.count, "\(id)")
      if search.lines.count > 0 { firing += 1 }
    }
    // The sample archive was made to trip most controls.
    #expect(firing == 8)
  }

  @Test func sequentialAndParallelReportsAreIdentical() throws {
    let one = try TrailBinary.run(["check", Self.sample, "--format", "json", "--threads", "1"])
    let two = try TrailBinary.run(["check", Self.sample, "--format", "json", "--threads", "2"])
    #expect(one.out == two.out)
    #expect(!one.out.isEmpty)
  }

  @Test func exitCodesGate() throws {
    // No finding: 0.
    let clean = try TrailBinary.run(["check", Self.sample, "--rule", "cis.vpc-changes", "--format", "json"])
    #expect(clean.status == 0, "\(clean.stderr)")
    #expect(clean.stderr.contains("PASS"))
    // Findings: 1, unless below --fail-on (none of the CIS rules is critical).
    #expect(try TrailBinary.run(["check", Self.sample, "--format", "json"]).status == 1)
    let high = try TrailBinary.run([
      "check", Self.sample, "--fail-on", "high", "--skip-rule", "cis.root-usage", "--skip-rule",
      "cis.console-login-no-mfa", "--skip-rule", "cis.cloudtrail-changes", "--skip-rule", "cis.cmk-*", "--format",
      "json",
    ])
    #expect(high.status == 0, "\(high.stderr)")
    let report = try json(high)
    #expect(report["passed"] as? Bool == true)
    #expect(rules(report).contains { $0["status"] as? String == "below-fail-on" })
    let critical = try TrailBinary.run(["check", Self.sample, "--fail-on", "critical", "--format", "json"])
    #expect(critical.status == 0)
    // Unknown rule, unknown pack, bad severity: 2.
    #expect(try TrailBinary.run(["check", Self.sample, "--rule", "cis.nope"]).status == 2)
    #expect(try TrailBinary.run(["check", Self.sample, "--pack", "pci"]).status == 2)
    #expect(try TrailBinary.run(["check", Self.sample, "--fail-on", "severe"]).status == 2)
  }

  @Test func unreadableInputNeverPasses() throws {
    let dir = try TemporaryDirectory()
    _ = try dir.write(
      "good.json",
      #"{"Records":[{"eventID":"r1","eventTime":"2024-05-14T10:00:00Z","eventName":"ListBuckets","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}]}"#
    )
    _ = try dir.write("broken.json.gz", Array(RecordsBuilder.gzip(RecordsBuilder.envelope(0..<50)).prefix(120)))
    // No rule fires on the good data, but part of the input could not be read: 2, not 0.
    let result = try TrailBinary.run(["check", dir.path, "--format", "json"])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("broken.json.gz"))
    #expect(result.stderr.contains("ERROR"))
    let report = try json(result)
    #expect(report["passed"] as? Bool == false)
    #expect((report["inputs"] as? [String: Any])?["problems"] as? Int == 1)
  }

  @Test func brokenRuleFilesAreErrorsNamingFileRuleAndLine() throws {
    let dir = try TemporaryDirectory()
    let good = try dir.write(
      "rules/a.yml", "rules:\n  - id: ok\n    title: OK\n    severity: low\n    match: {eventName: ConsoleLogin}\n")
    _ = try dir.write(
      "rules/b.yaml", "rules:\n  - id: bad\n    title: Bad\n    severity: low\n    pattern: '{ $.eventName = '\n")
    _ = try dir.write(
      "rules/c.yml", "rules:\n  - id: worse\n    title: Worse\n    severity: urgent\n    match: {eventName: X}\n")
    let result = try TrailBinary.run(["check", Self.sample, "--rules", dir.path("rules")])
    #expect(result.status == 2)
    #expect(result.out.isEmpty)
    // Every broken file is reported, each with its line and rule.
    #expect(result.stderr.contains("rules/b.yaml:5: rule bad: invalid pattern"), "\(result.stderr)")
    #expect(result.stderr.contains("rules/c.yml:4: rule worse: invalid severity 'urgent'"), "\(result.stderr)")
    // The good file alone runs, and its rule fires on the sample's console sign-ins.
    let alone = try TrailBinary.run(["check", Self.sample, "--rules", good, "--format", "json"])
    #expect(alone.status == 1, "\(alone.stderr)")
    #expect(rules(try json(alone)).map { $0["id"] as? String } == ["ok"])
    // A rule id defined twice (pack and file) is an error too.
    _ = try dir.write("dup.yml", "- {id: cis.root-usage, title: Mine, severity: low, match: {eventName: X}}\n")
    let dup = try TrailBinary.run(["check", Self.sample, "--pack", "cis", "--rules", dir.path("dup.yml")])
    #expect(dup.status == 2)
    #expect(dup.stderr.contains("duplicate rule id"))
  }

  @Test func thresholdRuleFromAFile() throws {
    let dir = try TemporaryDirectory()
    let failures = (0..<7).map { i in
      #"{"eventID":"f\#(i)","eventTime":"2024-05-14T10:0\#(i):00Z","eventName":"ConsoleLogin","errorMessage":"Failed authentication","sourceIPAddress":"\#(i < 6 ? "203.0.113.5" : "198.51.100.1")","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}"#
    }
    _ = try dir.write("logs/a.json", #"{"Records":["# + failures.joined(separator: ",") + "]}")
    let ruleFile = try dir.write(
      "brute.yml",
      """
      rules:
        - id: brute-force
          title: Console password guessing
          severity: high
          pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
          threshold: 5
          window: 10m
          group-by: ip
      """)
    let result = try TrailBinary.run(["check", dir.path("logs"), "--rules", ruleFile, "--format", "json"])
    #expect(result.status == 1, "\(result.stderr)")
    let findings = try #require(rules(try json(result)).first?["findings"] as? [[String: Any]])
    #expect(findings.count == 1)
    #expect((findings[0]["group"] as? [String: Any])?["ip"] as? String == "203.0.113.5")
    #expect(findings[0]["count"] as? Int == 6)
    #expect(findings[0]["eventIds"] as? [String] == ["f0", "f1", "f2", "f3", "f4", "f5"])
    // One more allowed event and it passes.
    let loose = try dir.write(
      "loose.yml",
      "- {id: brute-force, title: T, severity: high, match: {eventName: ConsoleLogin}, threshold: 6, window: 10m, group-by: ip}\n"
    )
    let looser = try TrailBinary.run(["check", dir.path("logs"), "--rules", loose, "--format", "json"])
    #expect(looser.status == 0, "\(looser.stderr)")
  }

  @Test func outputFileAndSummary() throws {
    let dir = try TemporaryDirectory()
    let file = dir.path("report.sarif")
    let result = try TrailBinary.run(["check", Self.sample, "--pack", "cis", "--format", "sarif", "--output", file])
    #expect(result.status == 1)
    // People still get the table on stdout and the verdict on stderr.
    #expect(result.out.hasPrefix("STATUS"))
    #expect(result.out.contains("FAIL"))
    #expect(result.stderr.contains("check: 15 rules, 8 with findings"))
    #expect(result.stderr.contains("FAIL (--fail-on low)"))
    let validation = try Python.runScript("validate-sarif.py", ["Fixtures/schemas/sarif-schema-2.1.0.json", file])
    #expect(validation.status == 0, "\(validation.stderr)")
    let sarif = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
    let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
    #expect((run["results"] as? [Any])?.count == 8)
    // An --output that cannot be written is an error.
    let unwritable = try TrailBinary.run(["check", Self.sample, "--output", dir.path("no/such/dir/r.json")])
    #expect(unwritable.status == 2)
    #expect(unwritable.stderr.contains("cannot write the report"))
  }

  @Test func junitReportParsesWithCIReaders() throws {
    let dir = try TemporaryDirectory()
    let file = dir.path("junit.xml")
    let result = try TrailBinary.run(["check", Self.sample, "--format", "junit", "--output", file])
    #expect(result.status == 1)
    let parsed = try Python.runScript("parse-junit.py", [file])
    #expect(parsed.status == 0, "\(parsed.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: parsed.stdout) as? [String: Any], "\(parsed.out)")
    let cases = (summary["cases"] as? [[String: Any]]) ?? []
    #expect(cases.count == 15)
    #expect(cases.filter { $0["result"] as? String == "failure" }.count == 8)
  }

  @Test func listRulesNeedsNoInput() throws {
    let result = try TrailBinary.run(["check", "--list-rules", "--pack", "cis", "--format", "table"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.lines.count == 16)
    // Without a pack named, every built-in pack is listed.
    let all = try TrailBinary.run(["check", "--list-rules", "--format", "json"])
    let rules = try #require(try JSONSerialization.jsonObject(with: all.stdout) as? [[String: Any]])
    #expect(Set(rules.compactMap { $0["pack"] as? String }) == ["cis", "threats"])
    #expect(result.out.contains("cis.root-usage"))
    #expect(try TrailBinary.run(["check"]).status == 2)
  }

  @Test func patternCountsPerPeriod() throws {
    let pattern = #"{ $.eventName = "ConsoleLogin" }"#
    let result = try TrailBinary.run(["check", Self.sample, "--pattern", pattern, "--every", "1h", "--format", "jsonl"])
    let rows = try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    let search = try TrailBinary.run([Self.sample, "--where", pattern, "--format", "jsonl"])
    let expected = Dictionary(grouping: search.lines) { line -> String in
      let time =
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["eventTime"] as? String ?? ""
      return String(time.prefix(13)) + ":00:00Z"
    }.mapValues(\.count)
    #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0["bucket"] as! String, $0["count"] as! Int) }) == expected)
    // Buckets come oldest first.
    #expect(rows.map { $0["bucket"] as! String } == rows.map { $0["bucket"] as! String }.sorted())
    // Default threshold 0: any count is an alarm (1); a threshold above the busiest period passes (0).
    #expect(result.status == 1, "\(result.stderr)")
    let busiest = expected.values.max() ?? 0
    let quiet = try TrailBinary.run([
      "check", Self.sample, "--pattern", pattern, "--every", "1h", "--threshold", String(busiest), "--format", "jsonl",
    ])
    #expect(quiet.status == 0, "\(quiet.stderr)")
    let loud = try TrailBinary.run([
      "check", Self.sample, "--pattern", pattern, "--every", "1h", "--threshold", String(busiest - 1), "--format",
      "jsonl",
    ])
    #expect(loud.status == 1)
    #expect(loud.stderr.contains("over the threshold of \(busiest - 1)"))
    // A bad pattern points at the column; --pattern does not mix with rules.
    let bad = try TrailBinary.run(["check", Self.sample, "--pattern", "{ $.eventName = }"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("^"))
    #expect(try TrailBinary.run(["check", Self.sample, "--pattern", pattern, "--pack", "cis"]).status == 2)
  }
}
