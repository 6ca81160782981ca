// `validate` in the report formats CI systems read (SARIF, JUnit): each kind of integrity
// failure becomes a rule and each failing file a finding, so an integrity job looks like a
// check job in code scanning and test reports.
import TrailCheck
import TrailIntegrity

enum IntegrityReport {
  /// One rule per (kind, status) that can fail, in a fixed order; every rule is listed, so a
  /// clean archive shows each check as passed.
  static let rules: [(IntegrityEntry.Kind, IntegrityStatus, Severity, String)] = [
    (.log, .modified, .critical, "Log file modified (hash differs from its digest)"),
    (.log, .missing, .high, "Log file missing (listed in a digest, absent)"),
    (.log, .notCovered, .high, "Log file not covered by any digest"),
    (.log, .extraData, .high, "Extra data after a log file's gzip stream"),
    (.log, .invalid, .high, "Log file unreadable"),
    (.digest, .missing, .high, "Digest file missing from the chain"),
    (.digest, .chainBroken, .high, "Digest chain broken"),
    (.digest, .signatureInvalid, .critical, "Digest signature invalid"),
    (.digest, .moved, .high, "Digest moved from its recorded location"),
    (.digest, .invalid, .high, "Digest file unreadable or not a digest"),
    (.digest, .unverifiable, .medium, "Digest signature unverifiable"),
  ]

  static func checkReport(_ result: IntegrityResult, paths: [String], inputProblems: Int) -> CheckReport {
    let results = rules.map { kind, status, severity, title in
      let id = "integrity.\(kind.rawValue)-\(status.rawValue)"
      let findings = result.entries
        .filter { $0.kind == kind && $0.status == status && $0.fails }
        .map { entry in
          Finding(message: "\(entry.path ?? entry.key): \(entry.detail)", count: 1, files: [entry.path ?? entry.key])
        }
      return RuleResult(
        rule: RuleInfo(id: id, title: title, severity: severity, description: "CloudTrail log file integrity: \(title.lowercased()).",
                       remediation: "See docs/validate.md for what this status means and what to check.",
                       references: ["https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html"],
                       pack: "integrity", origin: "validate"),
        findings: findings)
    }
    let files = result.entries.filter { $0.path != nil }.count
    return CheckReport(
      results: results, inputs: InputSummary(paths: paths, files: files, events: 0, problems: inputProblems),
      failOn: .info, command: "validate")
  }
}
