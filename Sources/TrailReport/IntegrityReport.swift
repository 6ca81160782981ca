// `validate`'s reports: per file as a table, JSON Lines or one JSON document, the summary line,
// and for the formats CI systems read (SARIF, JUnit) a CheckReport in which each kind of
// integrity failure is a rule and each failing file a finding, so an integrity job looks like a
// check job in code scanning and test reports.
import TrailIntegrity
import TrailOutput

/// Renders an ``IntegrityResult``.
package enum IntegrityReport {
  /// One rule per (kind, status) that can fail, in a fixed order; every rule is listed, so a
  /// clean archive shows each check as passed.
  static let rules: [(IntegrityEntry.Kind, IntegrityStatus, Severity, String)] = [
    (.log, .modified, .critical, "Log file modified (hash differs from its digest)"),
    (.log, .missing, .high, "Log file missing (listed in a digest, absent)"),
    (.log, .notCovered, .high, "Log file not covered by any digest"),
    (.log, .outsideLayout, .high, "File outside the AWSLogs/ layout (read by search and check, in no digest)"),
    (.log, .extraData, .high, "Extra data after a log file's gzip stream"),
    (.log, .invalid, .high, "Log file unreadable"),
    (.digest, .missing, .high, "Digest file missing from the chain"),
    (.digest, .chainBroken, .high, "Digest chain broken"),
    (.digest, .signatureInvalid, .critical, "Digest signature invalid"),
    (.digest, .moved, .high, "Digest moved from its recorded location"),
    (.digest, .invalid, .high, "Digest file unreadable or not a digest"),
    (.digest, .unverifiable, .medium, "Digest signature unverifiable"),
  ]

  /// The result as a check report, for SARIF and JUnit.
  package static func checkReport(_ result: IntegrityResult, paths: [String], inputProblems: Int) -> CheckReport {
    let results = rules.map { kind, status, severity, title in
      let id = "integrity.\(kind.rawValue)-\(status.rawValue)"
      let findings = result.entries
        .filter { $0.kind == kind && $0.status == status && $0.fails }
        .map { entry in
          Finding(message: "\(entry.path ?? entry.key): \(entry.detail)", count: 1, files: [entry.path ?? entry.key])
        }
      return RuleResult(
        rule: RuleInfo(
          id: id, title: title, severity: severity,
          description: "CloudTrail log file integrity: \(title.lowercased()).",
          remediation: "See docs/validate.md for what this status means and what to check.",
          references: [
            "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"
          ],
          pack: "integrity", origin: "validate"),
        findings: findings)
    }
    let files = result.entries.filter { $0.path != nil }.count
    return CheckReport(
      results: results, inputs: InputSummary(paths: paths, files: files, events: 0, problems: inputProblems),
      failOn: .info, command: "validate")
  }

  /// `validate --format table`: problems only, or every file with `all`.
  package static func writeTable(
    _ result: IntegrityResult, all: Bool, to output: OutputBuffer, width: Int?, style: TableStyle
  ) throws {
    let table = TableWriter(output: output, headers: ["STATUS", "KIND", "FILE", "DETAIL"], width: width, style: style)
    for entry in result.entries where all || entry.status != .valid {
      try table.add([
        entry.status.rawValue, (entry.backfill ? "backfill " : "") + entry.kind.rawValue, entry.path ?? entry.key,
        entry.detail,
      ])
    }
    try table.finish()
  }

  /// `validate --format jsonl`: one compact object per file, written line by line, so the
  /// report is never held whole.
  package static func writeJSONLines(_ result: IntegrityResult, to output: OutputBuffer) throws {
    for entry in result.entries { try output.write(json(entry).rendered(compact: true)) }
    try output.flush()
  }

  /// `validate --format json`: the verdict, the counts and every file.
  package static func jsonDocument(_ result: IntegrityResult, inputProblems: Int) -> String {
    ReportJSON.object([
      ("passed", .bool(!result.failed && inputProblems == 0)),
      ("summary", summaryJSON(result)),
      ("files", .array(result.entries.map(json))),
    ]).rendered()
  }

  static func json(_ entry: IntegrityEntry) -> ReportJSON {
    .object([
      ("kind", .string(entry.kind.rawValue)), ("backfill", .bool(entry.backfill)), ("key", .string(entry.key)),
      ("path", .optional(entry.path)), ("status", .string(entry.status.rawValue)), ("fails", .bool(entry.fails)),
      ("detail", .string(entry.detail)), ("signatureSource", .optional(entry.signatureSource?.rawValue)),
    ])
  }

  /// The four groups of files the counts are given for.
  static let groups: [(json: String, text: String, kind: IntegrityEntry.Kind, backfill: Bool)] = [
    ("digests", "digest files", .digest, false), ("backfillDigests", "backfill digest files", .digest, true),
    ("logs", "log files", .log, false), ("backfillLogs", "backfilled log files", .log, true),
  ]

  static func summaryJSON(_ result: IntegrityResult) -> ReportJSON {
    var members: [(String, ReportJSON)] = []
    for group in groups {
      var counts: [(String, ReportJSON)] = [("total", .int(result.count(group.kind, backfill: group.backfill)))]
      for status in IntegrityStatus.allCases where result.count(group.kind, backfill: group.backfill, status) > 0 {
        counts.append((status.rawValue, .int(result.count(group.kind, backfill: group.backfill, status))))
      }
      members.append((group.json, .object(counts)))
    }
    members.append(("bytesRead", .int(result.bytesRead)))
    members.append(("bytesInflated", .int(result.bytesInflated)))
    return .object(members)
  }

  /// The line on standard error after a run:
  /// `validate: 24/24 digest files valid; 100/101 log files valid, 1/101 log files INVALID (1 modified): FAIL`.
  package static func summary(_ result: IntegrityResult, problems: Int) -> String {
    var parts: [String] = []
    for group in groups {
      let (name, kind, backfill) = (group.text, group.kind, group.backfill)
      let total = result.count(kind, backfill: backfill)
      guard total > 0 else { continue }
      let entries = result.entries.filter { $0.kind == kind && $0.backfill == backfill }
      let failing = entries.filter(\.fails)
      var text = "\(result.count(kind, backfill: backfill, .valid))/\(total) \(name) valid"
      if !failing.isEmpty {
        let byStatus = IntegrityStatus.allCases.compactMap { status -> String? in
          let n = failing.filter { $0.status == status }.count
          return n > 0 ? "\(n) \(status.rawValue)" : nil
        }
        text += ", \(failing.count)/\(total) INVALID (\(byStatus.joined(separator: ", ")))"
      }
      for (status, label) in [
        (IntegrityStatus.unverifiable, "unverifiable (newest)"), (.pending, "pending"), (.ignored, "ignored"),
      ] {
        let n = entries.filter { !$0.fails && $0.status == status }.count
        if n > 0 { text += ", \(n) \(label)" }
      }
      parts.append(text)
    }
    if parts.isEmpty { parts.append("nothing to validate") }
    let verdict = problems > 0 ? "ERROR (input not fully read)" : result.failed ? "FAIL" : "PASS"
    return "validate: " + parts.joined(separator: "; ") + ": " + verdict
  }
}
