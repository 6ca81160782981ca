// The SARIF and JUnit renderings of a check report, checked by external readers: the OASIS
// SARIF 2.1.0 schema through Python's jsonschema, JUnit XML through junitparser and expat, plus
// exact structure checks here. Reports carry hostile log text (quotes, controls, markup, emoji).
import Foundation
import Testing
import TrailReport
import TrailTestSupport
import TrailTime

// MARK: - Sample reports

enum Sample {
  /// Log text an attacker controls: quotes, backslash, newline, CR, tab, ESC, BEL, NUL, DEL, a C1
  /// control, markup, an XML non-character, U+2028 and emoji.
  static let hostile =
    "Root \"login\" from <script>&amp;</script> \\ 'x' ]]>\nline2\r\n\ttab \u{1b}[31mred\u{07}\u{0}\u{7f}\u{9b} \u{fffe} \u{2028} 🚀 é"
  /// `hostile` as the JUnit writer must show it: forbidden and terminal-control characters as
  /// visible `\u{…}` text, everything else as is.
  static let hostileInXML =
    "Root \"login\" from <script>&amp;</script> \\ 'x' ]]>\nline2\r\n\ttab \\u{1b}[31mred\\u{7}\\u{0}\\u{7f}\\u{9b} \\u{fffe} \u{2028} 🚀 é"

  static func time(_ hour: Int, _ minute: Int = 0) -> Timestamp {
    Timestamp(year: 2024, month: 5, day: 14, hour: hour, minute: minute)!
  }

  static let rootUsage = RuleInfo(
    id: "cis-3.3-root-usage", title: "Root account usage", severity: .critical,
    description: "The root user was used.", remediation: "Stop using root.\nUse roles.",
    references: [
      "CIS 1.4.0 4.3", "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1",
    ],
    pack: "cis", origin: "pack:cis")
  static let hostileRule = RuleInfo(
    id: "odd id:1", title: "Title with \"quotes\" & <tags>\u{1b}", severity: .high,
    description: nil, remediation: nil, references: [], pack: nil, origin: "rules/odd.yaml:3")
  static let belowFailOn = RuleInfo(
    id: "cis-3.10-sg-change", title: "Security group changes", severity: .medium,
    remediation: "Review the change.", pack: "cis", origin: "pack:cis")
  static let quiet = RuleInfo(id: "quiet", title: "Never fires", severity: .low, origin: "rules/q.yaml:1")
  static let informational = RuleInfo(
    id: "info-console", title: "Console logins", severity: .info, references: ["Internal 7"], pack: "security",
    origin: "pack:security")

  static let rootFinding = Finding(
    message: "Root used ConsoleLogin", count: 3, firstSeen: time(9), lastSeen: time(11, 30),
    eventIDs: ["e-1", "e-2"], principals: ["arn:aws:iam::111122223333:root"],
    files: ["/var/logs/My Trail/ü%20#1.json.gz", "logs/a b/c:d?.json"], filesTotal: 5)
  static let hostileFinding = Finding(
    message: hostile,
    group: [GroupValue(field: "userIdentity.arn", value: hostile), GroupValue(field: "sourceIPAddress", value: nil)],
    count: 7, firstSeen: time(10), lastSeen: time(10, 5), peak: 4, peakStart: time(10, 1),
    eventIDs: [hostile, "e-9"], principals: [hostile], principalsTotal: 2, files: [])
  static let secondHostileFinding = Finding(
    message: "second group", group: [GroupValue(field: "userIdentity.arn", value: "arn:other")], count: 1,
    firstSeen: time(12),
    lastSeen: time(12), files: ["logs/x.json"])
  static let sgFinding = Finding(
    message: "AuthorizeSecurityGroupIngress by <admin>", count: 2, firstSeen: time(13), lastSeen: time(14),
    files: ["logs/sg.json"])
  static let infoFinding = Finding(message: "Console login", count: 1, files: ["logs/c.json"])

  static let results = [
    RuleResult(rule: rootUsage, findings: [rootFinding]),
    RuleResult(rule: hostileRule, findings: [hostileFinding, secondHostileFinding]),
    RuleResult(rule: belowFailOn, findings: [sgFinding]),
    RuleResult(rule: quiet, findings: []),
    RuleResult(rule: informational, findings: [infoFinding]),
  ]

  static let clean = CheckReport(
    results: results, inputs: InputSummary(paths: ["logs dir/", "/abs/trail"], files: 12, events: 340, problems: 0),
    failOn: .high)
  static let withProblems = CheckReport(
    results: results, inputs: InputSummary(paths: [hostile], files: 3, events: 10, problems: 2), failOn: .high)
  static let empty = CheckReport(
    results: [], inputs: InputSummary(paths: [], files: 0, events: 0, problems: 0), failOn: .low)
  static let validate = CheckReport(
    results: [RuleResult(rule: quiet, findings: [])],
    inputs: InputSummary(paths: ["-"], files: 1, events: 1, problems: 0),
    failOn: .info, command: "validate")

  static let all: [(String, CheckReport)] = [
    ("clean", clean), ("withProblems", withProblems), ("empty", empty), ("validate", validate),
  ]
}

private func json(_ text: String) throws -> [String: Any] {
  try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

private func schemaPath() -> String { Paths.fixtures.appendingPathComponent("schemas/sarif-schema-2.1.0.json").path }

/// Runs scripts/validate-sarif.py on `text`.
private func validateSARIF(_ text: String) throws -> Python.Output {
  let dir = try TemporaryDirectory(prefix: "trail-scan-sarif")
  let file = try dir.write("report.sarif", text)
  return try Python.runScript("validate-sarif.py", [schemaPath(), file])
}

/// Runs scripts/parse-junit.py on `text`; the decoded summary.
private func parseJUnit(_ text: String) throws -> [String: Any] {
  let dir = try TemporaryDirectory(prefix: "trail-scan-junit")
  let file = try dir.write("report.xml", text)
  let output = try Python.runScript("parse-junit.py", [file])
  try #require(output.status == 0, "parse-junit.py failed: \(output.stderr)")
  return try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any])
}

// MARK: - SARIF

@Suite struct SARIFReportTests {
  @Test(arguments: Sample.all.map(\.0))
  func validatesAgainstTheSARIFSchema(_ name: String) throws {
    let report = try #require(Sample.all.first { $0.0 == name }?.1)
    let output = try validateSARIF(SARIFReport.render(report, toolVersion: "1.2.3"))
    #expect(output.status == 0, "\(name): \(output.stderr)")
    #expect(output.out.hasPrefix("valid SARIF 2.1.0"))
  }

  @Test func validatorRejectsBrokenDocuments() throws {
    let text = SARIFReport.render(Sample.clean, toolVersion: "1.2.3")
    // A result without `message` (required by the schema).
    var log = try json(text)
    var runs = try #require(log["runs"] as? [[String: Any]])
    var results = try #require(runs[0]["results"] as? [[String: Any]])
    results[0]["message"] = nil
    runs[0]["results"] = results
    log["runs"] = runs
    let broken = String(decoding: try JSONSerialization.data(withJSONObject: log), as: UTF8.self)
    let rejected = try validateSARIF(broken)
    #expect(rejected.status == 1)
    #expect(rejected.stderr.contains("'message' is a required property"), "\(rejected.stderr)")

    // A level outside the enum, an unencoded space in a URI, and a raw control character.
    let badLevel = try validateSARIF(text.replacingOccurrences(of: #""level": "note""#, with: #""level": "fatal""#))
    #expect(badLevel.status == 1)
    let badURI = try validateSARIF(text.replacingOccurrences(of: "logs%20dir", with: "logs dir"))
    #expect(badURI.status == 1 && badURI.stderr.contains("is not a 'uri"), "\(badURI.stderr)")
    let rawControl = try validateSARIF(text.replacingOccurrences(of: #"\u001b"#, with: "\u{1b}"))
    #expect(rawControl.status == 1 && rawControl.stderr.contains("not valid JSON"), "\(rawControl.stderr)")
  }

  @Test func structure() throws {
    let text = SARIFReport.render(Sample.clean, toolVersion: "1.2.3")
    let log = try json(text)
    #expect(log["version"] as? String == "2.1.0")
    let runs = try #require(log["runs"] as? [[String: Any]])
    try #require(runs.count == 1)
    let run = runs[0]
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "trail-scan")
    #expect(driver["version"] as? String == "1.2.3")
    #expect(driver["informationUri"] as? String == "https://github.com/trail-scan/trail-scan")
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.map { $0["id"] as? String } == Sample.results.map(\.rule.id))
    #expect(
      rules.map { $0["name"] as? String } == ["Cis33RootUsage", "OddId1", "Cis310SgChange", "Quiet", "InfoConsole"])

    let root = rules[0]
    #expect((root["shortDescription"] as? [String: Any])?["text"] as? String == "Root account usage")
    #expect((root["fullDescription"] as? [String: Any])?["text"] as? String == "The root user was used.")
    #expect(
      (root["help"] as? [String: Any])?["text"] as? String
        == "Stop using root.\nUse roles.\n\nReferences:\n- CIS 1.4.0 4.3\n- https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1"
    )
    #expect(root["helpUri"] as? String == Sample.rootUsage.helpURL)
    let rootProps = try #require(root["properties"] as? [String: Any])
    #expect(rootProps["tags"] as? [String] == ["security", "cis"])
    #expect(rootProps["security-severity"] as? String == "9.5")
    #expect(rootProps["references"] as? [String] == Sample.rootUsage.references)
    // Optional parts are left out, not empty; a pack named "security" does not repeat the tag.
    #expect(rules[1]["fullDescription"] == nil && rules[1]["help"] == nil && rules[1]["helpUri"] == nil)
    #expect((rules[1]["shortDescription"] as? [String: Any])?["text"] as? String == Sample.hostileRule.title)
    #expect((rules[4]["properties"] as? [String: Any])?["tags"] as? [String] == ["security"])
    #expect((rules[4]["help"] as? [String: Any])?["text"] as? String == "References:\n- Internal 7")
    #expect(rules[4]["helpUri"] == nil)
    let levels = rules.map { ($0["defaultConfiguration"] as? [String: Any])?["level"] as? String }
    #expect(levels == ["error", "error", "warning", "warning", "note"])
    let severities = rules.map { ($0["properties"] as? [String: Any])?["security-severity"] as? String }
    #expect(severities == ["9.5", "8.0", "5.5", "3.0", "0.0"])

    // One result per finding, each pointing at its rule.
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count == Sample.clean.findingCount)
    for result in results {
      let index = try #require(result["ruleIndex"] as? Int)
      #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
      #expect(
        result["level"] as? String == (rules[index]["defaultConfiguration"] as? [String: Any])?["level"] as? String)
      #expect(!((result["locations"] as? [Any]) ?? []).isEmpty)
    }
    #expect(results.map { $0["ruleIndex"] as? Int } == [0, 1, 1, 2, 4])

    // Hostile text comes back exactly.
    let hostile = results[1]
    let message = try #require((hostile["message"] as? [String: Any])?["text"] as? String)
    #expect(message.hasPrefix(Sample.hostile + "\n"))
    #expect(message.contains("7 matching event(s), at most 4 in one window (starting 2024-05-14T10:01:00Z)."))
    #expect(message.contains("First seen: 2024-05-14T10:00:00Z."))
    let props = try #require(hostile["properties"] as? [String: Any])
    #expect(props["eventIds"] as? [String] == [Sample.hostile, "e-9"])
    #expect(props["principals"] as? [String] == [Sample.hostile])
    #expect(props["count"] as? Int == 7)
    #expect(props["firstSeen"] as? String == "2024-05-14T10:00:00Z")
    let group = try #require(props["group"] as? [String: Any])
    #expect(group["userIdentity.arn"] as? String == Sample.hostile)
    #expect(group["sourceIPAddress"] is NSNull)

    // Locations: encoded URIs; a finding without files points at the first input path.
    func uris(_ result: [String: Any]) -> [String] {
      ((result["locations"] as? [[String: Any]]) ?? []).compactMap {
        (($0["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
      }
    }
    func bases(_ result: [String: Any]) -> [String?] {
      ((result["locations"] as? [[String: Any]]) ?? []).map {
        (($0["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uriBaseId"] as? String
      }
    }
    #expect(uris(results[0]) == ["file:///var/logs/My%20Trail/%C3%BC%2520%231.json.gz", "logs/a%20b/c%3Ad%3F.json"])
    #expect(bases(results[0]) == [nil, "%SRCROOT%"])
    #expect(uris(results[1]) == ["logs%20dir/"])
    #expect(bases(results[1]) == ["%SRCROOT%"])
    #expect(
      (results[0]["message"] as? [String: Any])?["text"] as? String
        == "Root used ConsoleLogin\n3 matching event(s).\nFirst seen: 2024-05-14T09:00:00Z.\nLast seen: 2024-05-14T11:30:00Z.\nEvent IDs (2 of 3): e-1, e-2\nPrincipals (1 of 1): arn:aws:iam::111122223333:root\nFiles: 5 in all, 2 listed as locations."
    )

    // Fingerprints: present, distinct per finding.
    let prints = results.compactMap { ($0["partialFingerprints"] as? [String: Any])?["trailScanFinding/v1"] as? String }
    #expect(prints.count == results.count && Set(prints).count == prints.count)
    #expect(prints.allSatisfy { $0.count == 32 })

    // A clean run executed successfully and says nothing.
    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    #expect(invocation["executionSuccessful"] as? Bool == true)
    #expect(invocation["toolExecutionNotifications"] == nil)
  }

  @Test func inputProblemsAndEmptyReports() throws {
    let problems = try json(SARIFReport.render(Sample.withProblems, toolVersion: "0"))
    let run = try #require((problems["runs"] as? [[String: Any]])?.first)
    let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
    #expect(invocation["executionSuccessful"] as? Bool == false)
    let notes = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
    #expect(notes.count == 1 && notes[0]["level"] as? String == "error")
    #expect(((notes[0]["message"] as? [String: Any])?["text"] as? String)?.hasPrefix("2 input problem(s)") == true)
    // The fallback location is the (hostile) first input path, percent-encoded.
    let results = try #require(run["results"] as? [[String: Any]])
    let uri =
      (((results[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?[
        "artifactLocation"] as? [String: Any])?["uri"] as? String
    #expect(uri == SARIFReport.artifactURI(Sample.hostile))
    #expect(uri?.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0 != "\\" && $0 != "\"" } == true)

    let empty = try json(SARIFReport.render(Sample.empty, toolVersion: "0"))
    let emptyRun = try #require((empty["runs"] as? [[String: Any]])?.first)
    #expect((emptyRun["results"] as? [Any])?.isEmpty == true)
    #expect((((emptyRun["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [Any])?.isEmpty == true)

    // `-` (standard input) is no file: fall back to `.`.
    let stdin = CheckReport(
      results: [RuleResult(rule: Sample.quiet, findings: [Finding(message: "m", count: 1)])],
      inputs: InputSummary(paths: ["-"], files: 1, events: 1, problems: 0), failOn: .low)
    let stdinResult = try #require(
      ((try json(SARIFReport.render(stdin, toolVersion: "0"))["runs"] as? [[String: Any]])?.first?["results"]
        as? [[String: Any]])?.first)
    let stdinURI =
      (((stdinResult["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?[
        "artifactLocation"] as? [String: Any])?["uri"] as? String
    #expect(stdinURI == ".")
  }

  @Test func layout() {
    let text = SARIFReport.render(Sample.clean, toolVersion: "1.2.3")
    #expect(
      text.hasPrefix(
        "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
      ))
    #expect(text.hasSuffix("}\n") && !text.hasSuffix("\n\n"))
    // No raw control character but the line feeds of the layout.
    #expect(text.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F || $0 == 0x0A })
    #expect(
      text.contains(
        #"\"login\" from <script>&amp;</script> \\ 'x' ]]>\nline2\r\n\ttab \u001b[31mred\u0007\u0000\u007f"#))
    #expect(text.contains("\"results\": []") == false)
    #expect(SARIFReport.render(Sample.empty, toolVersion: "0").contains("\"results\": []"))
  }

  @Test func artifactURIs() {
    #expect(SARIFReport.artifactURI("logs/2024/05/14/a.json.gz") == "logs/2024/05/14/a.json.gz")
    #expect(SARIFReport.artifactURI("/tmp/x y.json") == "file:///tmp/x%20y.json")
    #expect(SARIFReport.artifactURI("a:b/c") == "a%3Ab/c")
    #expect(SARIFReport.artifactURI("100%/q?#\\") == "100%25/q%3F%23%5C")
    #expect(SARIFReport.artifactURI("財/é") == "%E8%B2%A1/%C3%A9")
    #expect(SARIFReport.artifactURI("~user/it's(1)+[2]") == "~user/it's(1)+%5B2%5D")
  }

  @Test func fingerprintsAreStable() {
    let a = SARIFReport.fingerprint(ruleID: "r", finding: Sample.hostileFinding)
    #expect(a == SARIFReport.fingerprint(ruleID: "r", finding: Sample.hostileFinding))
    var moreEvents = Sample.hostileFinding
    moreEvents.count += 10
    moreEvents.lastSeen = Sample.time(23)
    #expect(
      a == SARIFReport.fingerprint(ruleID: "r", finding: moreEvents), "count and last seen do not change identity")
    #expect(a != SARIFReport.fingerprint(ruleID: "s", finding: Sample.hostileFinding))
    var otherGroup = Sample.hostileFinding
    otherGroup.group[1].value = ""
    #expect(a != SARIFReport.fingerprint(ruleID: "r", finding: otherGroup), "nil and empty group values differ")
    var later = Sample.hostileFinding
    later.firstSeen = Sample.time(11)
    #expect(a != SARIFReport.fingerprint(ruleID: "r", finding: later))
    // Fixed value: a change of the hash breaks deduplication of every uploaded alert.
    // (Computed independently: FNV-1a 64 of "cis-3.3-root-usage\0" + "2024-05-14T09:00:00Z" from the
    // two offset bases 0xcbf29ce484222325 and 0x6c62272e07bb0142, in Python.)
    #expect(
      SARIFReport.fingerprint(ruleID: "cis-3.3-root-usage", finding: Sample.rootFinding)
        == "c72a9eeec4a0c2639554ed55461410c6")
  }
}

// MARK: - JUnit

@Suite struct JUnitReportTests {
  @Test func readersAgreeOnTheCleanReport() throws {
    let summary = try parseJUnit(JUnitReport.render(Sample.clean))
    #expect(summary["root"] as? String == "testsuites")
    #expect(summary["name"] as? String == "trail-scan check")
    #expect(summary["tests"] as? Int == 5)
    #expect(summary["failures"] as? Int == 2)
    #expect(summary["errors"] as? Int == 0)
    let suites = try #require(summary["suites"] as? [[String: Any]])
    #expect(suites.count == 1)
    #expect(suites[0]["name"] as? String == "trail-scan check")
    #expect(suites[0]["tests"] as? Int == 5 && suites[0]["failures"] as? Int == 2 && suites[0]["errors"] as? Int == 0)
    let properties = try #require(suites[0]["properties"] as? [[String]])
    #expect(
      properties == [
        ["fail-on", "high"], ["files", "12"], ["events", "340"], ["problems", "0"], ["input", "logs dir/"],
        ["input", "/abs/trail"],
      ])

    let cases = try #require(summary["cases"] as? [[String: Any]])
    #expect(cases.count == Sample.results.count)
    #expect(
      cases.map { $0["name"] as? String } == [
        "cis-3.3-root-usage: Root account usage", #"odd id:1: Title with "quotes" & <tags>\u{1b}"#,
        "cis-3.10-sg-change: Security group changes",
        "quiet: Never fires", "info-console: Console logins",
      ])
    #expect(
      cases.map { $0["classname"] as? String } == [
        "trail-scan.cis", "trail-scan.rules", "trail-scan.cis", "trail-scan.rules", "trail-scan.security",
      ])
    #expect(cases.map { $0["result"] as? String } == ["failure", "failure", "passed", "passed", "passed"])
    #expect(cases[0]["type"] as? String == "critical")
    #expect(cases[0]["message"] as? String == "1 finding(s): Root used ConsoleLogin")
    #expect(
      cases[0]["text"] as? String == """
        Root used ConsoleLogin
        count: 3
        first seen: 2024-05-14T09:00:00Z
        last seen: 2024-05-14T11:30:00Z
        event ids (2 of 3): e-1, e-2
        principals (1 of 1): arn:aws:iam::111122223333:root
        files (2 of 5): /var/logs/My Trail/ü%20#1.json.gz, logs/a b/c:d?.json
        """)
    // Below fail-on: passes, findings in system-out; no findings: nothing.
    let out = try #require(cases[2]["systemOut"] as? String)
    #expect(
      out.hasPrefix(
        "1 finding(s) below the fail-on severity (medium):\n\nAuthorizeSecurityGroupIngress by <admin>\ncount: 2"))
    #expect(cases[3]["systemOut"] is NSNull)
    #expect(cases[4]["systemOut"] as? String != nil)
  }

  @Test func hostileTextSurvivesAsText() throws {
    let summary = try parseJUnit(JUnitReport.render(Sample.clean))
    let cases = try #require(summary["cases"] as? [[String: Any]])
    let hostile = cases[1]
    #expect(hostile["name"] as? String == "odd id:1: Title with \"quotes\" & <tags>\\u{1b}")
    #expect(hostile["type"] as? String == "high")
    // The attribute keeps its line breaks and tab (character references, not normalised).
    #expect(hostile["message"] as? String == "2 finding(s): " + Sample.hostileInXML + " (and 1 more)")
    let text = try #require(hostile["text"] as? String)
    #expect(
      text == """
        \(Sample.hostileInXML)
        group: userIdentity.arn=\(Sample.hostileInXML), sourceIPAddress=(none)
        count: 7
        peak: 4 in the window starting 2024-05-14T10:01:00Z
        first seen: 2024-05-14T10:00:00Z
        last seen: 2024-05-14T10:05:00Z
        event ids (2 of 7): \(Sample.hostileInXML), e-9
        principals (1 of 2): \(Sample.hostileInXML)

        second group
        group: userIdentity.arn=arn:other
        count: 1
        first seen: 2024-05-14T12:00:00Z
        last seen: 2024-05-14T12:00:00Z
        files (1 of 1): logs/x.json
        """)
  }

  @Test func inputProblemsAreAnError() throws {
    let xml = JUnitReport.render(Sample.withProblems)
    let summary = try parseJUnit(xml)
    #expect(summary["tests"] as? Int == 6 && summary["failures"] as? Int == 2 && summary["errors"] as? Int == 1)
    let cases = try #require(summary["cases"] as? [[String: Any]])
    #expect(cases.count == Sample.results.count + 1)
    let input = try #require(cases.last)
    #expect(input["name"] as? String == "input" && input["classname"] as? String == "trail-scan.input")
    #expect(input["result"] as? String == "error")
    #expect((input["message"] as? String)?.hasPrefix("2 input problem(s)") == true)
    #expect(input["text"] as? String == "inputs: \(Sample.hostileInXML)\nfiles read: 3\nevents read: 10\nproblems: 2")
  }

  @Test func emptyAndValidateReports() throws {
    let empty = try parseJUnit(JUnitReport.render(Sample.empty))
    #expect(empty["tests"] as? Int == 0 && empty["failures"] as? Int == 0 && empty["errors"] as? Int == 0)
    #expect((empty["cases"] as? [Any])?.isEmpty == true)
    #expect((empty["suites"] as? [Any])?.count == 1)

    let validate = try parseJUnit(JUnitReport.render(Sample.validate))
    #expect(validate["name"] as? String == "trail-scan validate")
    let cases = try #require(validate["cases"] as? [[String: Any]])
    #expect(cases.map { $0["result"] as? String } == ["passed"])
  }

  @Test func failOnDecidesWhatFails() throws {
    var report = Sample.clean
    report.failOn = .info
    let all = try #require(try parseJUnit(JUnitReport.render(report))["cases"] as? [[String: Any]])
    #expect(all.map { $0["result"] as? String } == ["failure", "failure", "failure", "passed", "failure"])
    report.failOn = .critical
    let critical = try #require(try parseJUnit(JUnitReport.render(report))["cases"] as? [[String: Any]])
    #expect(critical.map { $0["result"] as? String } == ["failure", "passed", "passed", "passed", "passed"])
    #expect(report.failing.count == 1)
  }

  @Test func escaping() {
    #expect(JUnitReport.attribute(#"a&b<c>d"e'f"#) == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
    #expect(JUnitReport.text(#"a&b<c>d"e'f"#) == "a&amp;b&lt;c&gt;d&quot;e&apos;f")
    #expect(JUnitReport.attribute("t\tl\nr\r") == "t&#9;l&#10;r&#13;")
    #expect(JUnitReport.text("t\tl\nr\r") == "t\tl\nr&#13;")
    #expect(JUnitReport.text("\u{0}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff}") == #"\u{0}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff}"#)
    #expect(JUnitReport.text("é🚀\u{2028}\u{fffd}") == "é🚀\u{2028}\u{fffd}")
    // The whole document holds no raw character XML 1.0 forbids.
    let xml = JUnitReport.render(Sample.withProblems)
    #expect(
      xml.unicodeScalars.allSatisfy {
        ($0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) && $0.value != 0xFFFE && $0.value != 0xFFFF)
          || $0 == "\n" || $0 == "\t"
      })
    #expect(
      xml.hasPrefix(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"trail-scan check\" tests=\"6\" failures=\"2\" errors=\"1\" time=\"0\">\n"
      ))
    #expect(xml.hasSuffix("</testsuite>\n</testsuites>\n"))
  }
}
