// What a report says about a rule, apart from how the rule matches: `check`'s rules and
// `validate`'s integrity checks are both described by it, so both commands share every report
// format. The matching half (`Rule`) stays in TrailCheck.

/// What a report says about a rule: everything but how it matches. `validate` describes its
/// integrity checks with the same type, so both commands share the report formats.
package struct RuleInfo: Sendable, Equatable {
  package var id: String
  package var title: String
  package var severity: Severity
  package var description: String?
  package var remediation: String?
  /// Benchmark control ids and URLs (`CIS 1.4.0 4.3`, `SecurityHub CloudWatch.1`, https://…).
  package var references: [String]
  /// The pack the rule came from (`cis`), or nil for a rule file.
  package var pack: String?
  /// Where the rule was defined: `FILE:LINE`, or `pack:NAME`.
  package var origin: String
  /// Labels such as ATT&CK techniques (`attack.t1562.008`) and tactics (`attack.defense-evasion`):
  /// Sigma's `tags`, SARIF's `properties.tags`.
  package var tags: [String]
  /// Known benign causes of findings (Sigma's `falsepositives`).
  package var falsePositives: [String]

  package init(
    id: String, title: String, severity: Severity, description: String? = nil, remediation: String? = nil,
    references: [String] = [], pack: String? = nil, origin: String, tags: [String] = [], falsePositives: [String] = []
  ) {
    self.id = id
    self.title = title
    self.severity = severity
    self.description = description
    self.remediation = remediation
    self.references = references
    self.pack = pack
    self.origin = origin
    self.tags = tags
    self.falsePositives = falsePositives
  }

  /// The first reference that is a web address (SARIF's `helpUri`).
  package var helpURL: String? { references.first { $0.hasPrefix("https://") || $0.hasPrefix("http://") } }
}
