// `check --format json`: the whole report as one JSON document for scripts: the verdict, what
// was read, and per rule its description, status and findings with every figure.
import TrailTime

package enum CheckJSONReport {
  package static func render(_ report: CheckReport) -> String {
    let failing = Set(report.failing.map(\.rule.id))
    return ReportJSON.object([
      ("command", .string(report.command)),
      ("passed", .bool(report.passed)),
      ("failOn", .string(report.failOn.rawValue)),
      (
        "inputs",
        .object([
          ("paths", .array(report.inputs.paths.map(ReportJSON.string))),
          ("files", .int(report.inputs.files)),
          ("events", .int(report.inputs.events)),
          ("problems", .int(report.inputs.problems)),
        ])
      ),
      (
        "summary",
        .object([
          ("rules", .int(report.results.count)),
          ("rulesWithFindings", .int(report.results.filter { !$0.findings.isEmpty }.count)),
          ("rulesFailing", .int(failing.count)),
          ("findings", .int(report.findingCount)),
        ])
      ),
      (
        "rules",
        .array(
          report.results.map { result in
            ReportJSON.object([
              ("id", .string(result.rule.id)),
              ("title", .string(result.rule.title)),
              ("severity", .string(result.rule.severity.rawValue)),
              (
                "status",
                .string(failing.contains(result.rule.id) ? "fail" : result.findings.isEmpty ? "pass" : "below-fail-on")
              ),
              ("pack", .optional(result.rule.pack)),
              ("origin", .string(result.rule.origin)),
              ("description", .optional(result.rule.description)),
              ("remediation", .optional(result.rule.remediation)),
              ("references", .array(result.rule.references.map(ReportJSON.string))),
              ("tags", .array(result.rule.tags.map(ReportJSON.string))),
              ("falsePositives", .array(result.rule.falsePositives.map(ReportJSON.string))),
              ("findings", .array(result.findings.map(json))),
            ])
          })
      ),
    ]).rendered()
  }

  static func json(_ finding: Finding) -> ReportJSON {
    var members: [(String, ReportJSON)] = [("message", .string(finding.message))]
    if !finding.group.isEmpty {
      members.append(("group", .object(finding.group.map { ($0.field, .optional($0.value)) })))
    }
    members += [
      ("count", .int(finding.count)),
      ("firstSeen", .optional(finding.firstSeen?.iso8601)),
      ("lastSeen", .optional(finding.lastSeen?.iso8601)),
    ]
    if let peak = finding.peak {
      members += [("peak", .int(peak)), ("peakStart", .optional(finding.peakStart?.iso8601))]
    }
    members += [
      ("eventIds", .array(finding.eventIDs.map(ReportJSON.string))),
      ("principals", .array(finding.principals.map(ReportJSON.string))),
      ("principalsTotal", .int(finding.principalsTotal)),
      ("files", .array(finding.files.map(ReportJSON.string))),
      ("filesTotal", .int(finding.filesTotal)),
    ]
    return .object(members)
  }
}
