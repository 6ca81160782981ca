// `check` and `validate` with `--format junit`: a CheckReport as JUnit XML, which every CI system
// shows as a test summary: one test case per rule, failing when the rule has findings at or above
// `--fail-on`. Values come from hostile logs, so XML escaping is exact and no raw control
// character is written.
import TrailTime

/// Renders a `CheckReport` as JUnit XML.
///
/// Layout (kept flat on purpose): one `<testsuites>` holding one `<testsuite>` named
/// `trail-scan <command>`, with the run's inputs as `<properties>` and one `<testcase>` per rule
/// in report order. A test case's `classname` is `trail-scan.<pack>` (`trail-scan.rules` for
/// rules from a file) and its name `<id>: <title>`.
/// - A rule with findings at or above `report.failOn` has a `<failure>` (`type` = severity,
///   `message` = count and the first finding's message) whose text lists every finding.
/// - A rule with findings below `failOn` passes and lists them in `<system-out>`.
/// - When the run met input problems, a last test case `input` (classname `trail-scan.input`)
///   has an `<error>`: a check that could not read its input must not look green.
///
/// Escaping: `& < > " '` are entities everywhere; in attributes TAB, LF and CR are character
/// references (so parsers do not normalise them to spaces), and CR is one in text too.
/// Characters XML 1.0 forbids (C0 controls but TAB/LF/CR, U+FFFE, U+FFFF), and DEL and the C1
/// controls that terminals act on, are written as visible text `\u{1b}`.
package enum JUnitReport {
  package static func render(_ report: CheckReport) -> String {
    let suiteName = "trail-scan " + report.command
    let failures = report.results.filter(isFailing(report)).count
    let errors = report.inputs.problems > 0 ? 1 : 0
    let tests = report.results.count + errors
    var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
    let counts = #"tests="\#(tests)" failures="\#(failures)" errors="\#(errors)""#
    xml += #"<testsuites name="\#(attribute(suiteName))" \#(counts) time="0">"# + "\n"
    xml += #"  <testsuite name="\#(attribute(suiteName))" \#(counts) skipped="0" time="0">"# + "\n"
    xml += "    <properties>\n"
    var properties: [(String, String)] = [
      ("fail-on", report.failOn.rawValue),
      ("files", String(report.inputs.files)),
      ("events", String(report.inputs.events)),
      ("problems", String(report.inputs.problems)),
    ]
    properties += report.inputs.paths.map { ("input", $0) }
    for (name, value) in properties {
      xml += #"      <property name="\#(attribute(name))" value="\#(attribute(value))"/>"# + "\n"
    }
    xml += "    </properties>\n"
    for result in report.results {
      xml += testCase(result, failing: isFailing(report)(result))
    }
    if report.inputs.problems > 0 {
      let message =
        "\(report.inputs.problems) input problem(s): unreadable or corrupt input was skipped (details on standard error)"
      var details = "inputs: " + report.inputs.paths.joined(separator: ", ") + "\n"
      details +=
        "files read: \(report.inputs.files)\nevents read: \(report.inputs.events)\nproblems: \(report.inputs.problems)"
      xml += #"    <testcase classname="trail-scan.input" name="input" time="0">"# + "\n"
      xml += #"      <error message="\#(attribute(message))" type="input">\#(text(details))</error>"# + "\n"
      xml += "    </testcase>\n"
    }
    xml += "  </testsuite>\n</testsuites>\n"
    return xml
  }

  static func isFailing(_ report: CheckReport) -> (RuleResult) -> Bool {
    { !$0.findings.isEmpty && $0.rule.severity >= report.failOn }
  }

  static func testCase(_ result: RuleResult, failing: Bool) -> String {
    let rule = result.rule
    let open =
      #"    <testcase classname="\#(attribute("trail-scan." + (rule.pack ?? "rules")))" name="\#(attribute(rule.id + ": " + rule.title))" time="0""#
    guard !result.findings.isEmpty else { return open + "/>\n" }
    let body = result.findings.map(findingText).joined(separator: "\n\n")
    var xml = open + ">\n"
    if failing {
      var message = "\(result.findings.count) finding(s): " + result.findings[0].message
      if result.findings.count > 1 { message += " (and \(result.findings.count - 1) more)" }
      xml +=
        #"      <failure message="\#(attribute(message))" type="\#(rule.severity.rawValue)">\#(text(body))</failure>"#
        + "\n"
    } else {
      let header = "\(result.findings.count) finding(s) below the fail-on severity (\(rule.severity.rawValue)):\n\n"
      xml += "      <system-out>\(text(header + body))</system-out>\n"
    }
    return xml + "    </testcase>\n"
  }

  /// One block per finding: its message, then `key: value` lines.
  static func findingText(_ finding: Finding) -> String {
    var lines = [finding.message]
    if !finding.group.isEmpty {
      lines.append("group: " + finding.group.map { "\($0.field)=\($0.value ?? "(none)")" }.joined(separator: ", "))
    }
    lines.append("count: \(finding.count)")
    if let peak = finding.peak {
      lines.append("peak: \(peak)" + (finding.peakStart.map { " in the window starting \($0.iso8601)" } ?? ""))
    }
    if let first = finding.firstSeen { lines.append("first seen: " + first.iso8601) }
    if let last = finding.lastSeen { lines.append("last seen: " + last.iso8601) }
    if !finding.eventIDs.isEmpty {
      lines.append(
        "event ids (\(finding.eventIDs.count) of \(finding.count)): " + finding.eventIDs.joined(separator: ", "))
    }
    if !finding.principals.isEmpty {
      lines.append(
        "principals (\(finding.principals.count) of \(finding.principalsTotal)): "
          + finding.principals.joined(separator: ", "))
    }
    if !finding.files.isEmpty {
      lines.append("files (\(finding.files.count) of \(finding.filesTotal)): " + finding.files.joined(separator: ", "))
    }
    return lines.joined(separator: "\n")
  }

  // MARK: - Escaping

  /// `s` escaped for an attribute value in double quotes.
  package static func attribute(_ s: String) -> String { escape(s, inAttribute: true) }

  /// `s` escaped for element content.
  package static func text(_ s: String) -> String { escape(s, inAttribute: false) }

  static func escape(_ s: String, inAttribute: Bool) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for scalar in s.unicodeScalars {
      switch scalar.value {
      case 0x26: out += "&amp;"
      case 0x3C: out += "&lt;"
      case 0x3E: out += "&gt;"
      case 0x22: out += "&quot;"
      case 0x27: out += "&apos;"
      case 0x09: out += inAttribute ? "&#9;" : "\t"
      case 0x0A: out += inAttribute ? "&#10;" : "\n"
      case 0x0D: out += "&#13;"
      case 0..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF:
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
