// A rule file's text to rules, whichever format it is in: Sigma rules (recognised by their
// `detection`, `logsource` or `correlation` keys; several YAML documents allowed) or trail-scan's
// own rule files (one document with `rules:`, or a list). Files and built-in packs both come here.
import Yams

package enum RuleDocuments {
  /// Parses `text`; Sigma rules for other log sources come back in `skipped`.
  package static func load(yaml text: String, file: String, pack: String? = nil) throws(RuleError) -> SigmaLoaded {
    // Sized before Yams composes anything: aliases expanded, keys plain and unique
    // (YAMLExpansion.swift), for Sigma and trail-scan rule files alike.
    do {
      _ = try YAMLExpansion.measure(
        text, maxNodes: RuleLimits.expandedNodes, maxBytes: RuleLimits.expandedBytes, maxDepth: RuleLimits.depth)
    } catch {
      throw RuleError(file: file, line: error.line, rule: nil, message: error.message)
    }
    var documents: [Node] = []
    do {
      let parser = try Parser(yaml: text)
      while let document = try parser.nextRoot() { documents.append(document) }
    } catch let error as YamlError {
      throw RuleError(
        file: file, line: RuleLoader.line(of: error), rule: nil,
        message: "not valid YAML: \(RuleLoader.problem(of: error))")
    } catch {
      throw RuleError(file: file, line: nil, rule: nil, message: "not valid YAML: \(error)")
    }
    if SigmaLoader.isSigma(documents) { return try SigmaLoader.load(documents, file: file, pack: pack) }
    return SigmaLoaded(rules: try RuleLoader.load(yaml: text, file: file, pack: pack))
  }
}
