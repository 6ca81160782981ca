// `check --format table`: one row per rule (one per finding for grouped rules) for people at a
// terminal or reading a CI log: status, severity, rule, events and when, who. Every cell is
// escaped by TableWriter; details (event ids, files) are in the JSON, SARIF and JUnit reports.
import TrailOutput

package enum CheckTableReport {
  /// On a narrow terminal FIRST, PRINCIPALS and LAST are given up, in that order, before the
  /// rule, its status and its title are cut; the rule id is cut last.
  package static func write(_ report: CheckReport, to output: OutputBuffer, width: Int?, style: TableStyle) throws {
    let table = TableWriter(
      output: output,
      headers: ["STATUS", "SEVERITY", "RULE", "EVENTS", "FIRST", "LAST", "GROUP", "PRINCIPALS", "TITLE"],
      width: width, style: style, optional: [4, 7, 5], whole: [2])
    for result in report.results {
      guard !result.findings.isEmpty else {
        try table.add(["pass", result.rule.severity.rawValue, result.rule.id, "0", "", "", "", "", result.rule.title])
        continue
      }
      let status = result.rule.severity >= report.failOn ? "FAIL" : "note"
      for finding in result.findings {
        try table.add([
          status, result.rule.severity.rawValue, result.rule.id, String(finding.count),
          finding.firstSeen?.iso8601 ?? "", finding.lastSeen?.iso8601 ?? "",
          finding.group.map { $0.value ?? "(none)" }.joined(separator: ","),
          list(finding.principals, total: finding.principalsTotal), result.rule.title,
        ])
      }
    }
    try table.finish()
  }

  /// The first three values and how many more.
  static func list(_ values: [String], total: Int) -> String {
    let shown = values.prefix(3)
    let more = total - shown.count
    return shown.joined(separator: ",") + (more > 0 ? " +\(more)" : "")
  }
}
