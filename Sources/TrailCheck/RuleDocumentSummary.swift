// The one public entry of TrailCheck: a rule document loaded as `check --rules` loads a file,
// summed up for harnesses outside this package (the Fuzz/ package's `rules` target), which can
// only see public declarations of library products. Everything else in the module is `package`.

/// A rule document loaded as `check --rules` loads a file: what it defines or why it was refused.
public struct RuleDocumentSummary: Sendable, Equatable {
  /// The rules' ids in file order; empty when the document was refused.
  public let ids: [String]
  /// UTF-8 bytes of the text the rules carry into reports: ids, titles, descriptions,
  /// remediations, references and patterns.
  public let reportBytes: Int
  /// UTF-8 bytes of the longest of those texts.
  public let longestText: Int
  /// Why the document was refused, as `check` prints it (`FILE:LINE: rule ID: message`).
  public let error: String?
  /// The line of the problem (1-based), when it has one.
  public let errorLine: Int?

  /// The most bytes of text a document may hold with its aliases expanded.
  public static let maxExpandedBytes = RuleLimits.expandedBytes
  /// The most bytes of one rule's description or remediation, the longest texts a rule has.
  public static let maxFieldBytes = RuleLimits.prose

  /// Loads `yaml` as the rule file `file`.
  public init(yaml: String, file: String) {
    do {
      let rules = try RuleDocuments.load(yaml: yaml, file: file).rules
      let texts = rules.flatMap { rule in
        [rule.id, rule.info.title, rule.info.description ?? "", rule.info.remediation ?? "", rule.pattern ?? ""]
          + rule.info.references
      }
      ids = rules.map(\.id)
      reportBytes = texts.reduce(0) { $0 + $1.utf8.count }
      longestText = texts.map(\.utf8.count).max() ?? 0
      error = nil
      errorLine = nil
    } catch {
      ids = []
      reportBytes = 0
      longestText = 0
      self.error = error.description
      errorLine = error.line
    }
  }
}
