// The one line `check` prints on standard error after a run (rules, findings by severity, what
// was read, the verdict), so a CI log shows the outcome whatever report format went to the file.

/// The summary line of a check report.
package enum CheckSummary {
  /// `check: 14 rules, 2 with findings (1 high, 1 low); 120 events in 3 files: FAIL (--fail-on low)`.
  package static func line(_ report: CheckReport) -> String {
    let withFindings = report.results.filter { !$0.findings.isEmpty }
    var bySeverity: [String] = []
    for severity in Severity.allCases.reversed() {
      let count = withFindings.filter { $0.rule.severity == severity }.count
      if count > 0 { bySeverity.append("\(count) \(severity)") }
    }
    var text = "check: \(report.results.count) rules, \(withFindings.count) with findings"
    if !bySeverity.isEmpty { text += " (\(bySeverity.joined(separator: ", ")))" }
    text += "; \(report.inputs.events) events in \(report.inputs.files) files"
    if report.inputs.problems > 0 { text += "; \(report.inputs.problems) input problems" }
    let verdict = report.inputs.problems > 0 ? "ERROR (input not fully read)" : report.passed ? "PASS" : "FAIL"
    return text + ": \(verdict) (--fail-on \(report.failOn))"
  }
}
