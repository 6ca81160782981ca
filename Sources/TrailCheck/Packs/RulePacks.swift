// The built-in rule packs by name (`check --pack NAME`, `--list-rules`): each pack is YAML in its
// own file (CISPack.swift), loaded by the same loader as users' rule files.

/// Built-in rule packs by name.
package enum RulePacks {
  /// Every built-in pack: name, one-line description, YAML.
  package static let all: [(name: String, summary: String, yaml: String)] = [
    (
      "cis", "CIS AWS Foundations Benchmark: CloudWatch metric-filter monitoring controls (CIS 1.2.0 §3, 1.4.0 §4)", cis
    ),
    (
      "threats",
      "Attack techniques met in CloudTrail (Sigma rules with ATT&CK tags and the Stratus Red Team techniques they detect)",
      threats
    ),
  ]

  /// The `threats` pack: one Sigma file per technique family, as one multi-document YAML.
  static let threats = [
    threatsDefenseEvasion, threatsCredentialAccess, threatsPersistence, threatsExecution, threatsExfiltration,
    threatsDiscoveryImpact, threatsInitialAccessLateral,
  ].joined(separator: "\n---\n")

  /// The rules of a built-in pack (our format or Sigma, correlations linked within the pack),
  /// or nil when there is no pack of that name.
  package static func rules(_ name: String) throws(RuleError) -> [Rule]? {
    guard let pack = all.first(where: { $0.name == name }) else { return nil }
    let linked = SigmaLinker.link(try RuleDocuments.load(yaml: pack.yaml, file: "pack:\(name)", pack: name).rules)
    if let error = linked.errors.first { throw error }
    return linked.rules
  }
}
