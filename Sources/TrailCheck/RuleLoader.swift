// Rule files (YAML) to Rules, validated on load: an unknown key, a missing title, a bad
// severity, pattern, field or duration is an error naming the file, the rule and the line, so a
// CI job fails on a broken rule instead of silently checking less. docs/check.md has the format.
import TrailEvent
import TrailQuery
import TrailReport
import TrailTime
import Yams

/// A problem in a rule file.
package struct RuleError: Error, Sendable, CustomStringConvertible {
  package var file: String
  package var line: Int?
  /// The rule's id, when the problem is inside a rule that has one.
  package var rule: String?
  package var message: String

  package init(file: String, line: Int?, rule: String?, message: String) {
    self.file = file
    self.line = line
    self.rule = rule
    self.message = message
  }

  /// `FILE:LINE: rule ID: message`.
  package var description: String {
    var text = file
    if let line { text += ":\(line)" }
    if let rule { text += ": rule \(rule)" }
    return text + ": " + message
  }
}

/// What one rule file may hold (docs/check.md, "Limits"). A rule file is a few kilobytes; the
/// limits stop a hostile or mistaken one from turning into a gigabyte report or a CPU trap.
package enum RuleLimits {
  /// The largest rule file read.
  package static let fileBytes = 1 << 20
  /// Bytes of text in a file once every alias is counted as a copy of what it names.
  package static let expandedBytes = 4 << 20
  /// YAML values (scalars, lists, mappings, keys included) once aliases are expanded.
  package static let expandedNodes = 250_000
  /// Lists and mappings nested in one another, aliases expanded.
  package static let depth = 32
  /// Bytes of a rule's `id`.
  package static let id = 256
  /// Bytes of a `title`, a `severity`, a `window`, a `group-by` entry or a `match` value.
  package static let short = 1024
  /// Bytes of a `pattern`.
  package static let pattern = 8 << 10
  /// Bytes of a `description` or a `remediation`.
  package static let prose = 16 << 10
  /// Bytes of one entry of `references`, and how many a rule may have.
  package static let reference = 2048
  package static let references = 100
}

/// Reads rule documents.
package enum RuleLoader {
  /// The keys a rule may have.
  package static let ruleKeys = [
    "id", "title", "severity", "pattern", "match", "threshold", "window", "group-by", "description",
    "remediation", "references",
  ]

  /// Parses a rule document: a mapping with `rules:` (and optionally `pack:`, `description:`),
  /// or a plain list of rules. `file` names the document in errors.
  package static func load(yaml text: String, file: String, pack: String? = nil) throws(RuleError) -> [Rule] {
    // The text was sized by RuleDocuments.load, the one way in (YAMLExpansion.swift).
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw RuleError(
        file: file, line: Self.line(of: error), rule: nil, message: "not valid YAML: \(Self.problem(of: error))")
    } catch {
      throw RuleError(file: file, line: nil, rule: nil, message: "not valid YAML: \(error)")
    }
    guard let root else { throw RuleError(file: file, line: nil, rule: nil, message: "no rules: the file is empty") }
    let context = Context(file: file, pack: pack)
    let list: Node.Sequence
    switch root {
    case .sequence(let sequence):
      list = sequence
    case .mapping(let mapping):
      var rules: Node.Sequence?
      for (key, value) in mapping {
        switch key.string {
        case "rules":
          guard let sequence = value.sequence else {
            throw context.error(value, nil, "'rules' must be a list of rules")
          }
          rules = sequence
        case "pack", "description":
          guard value.scalar != nil else { throw context.error(value, nil, "'\(key.string ?? "")' must be a string") }
        default:
          throw context.error(
            key, nil, "unknown key '\((key.string ?? "?").clipped)' (expected rules, pack, description)")
        }
      }
      guard let rules else { throw context.error(root, nil, "no 'rules:' list") }
      list = rules
    default:
      throw context.error(root, nil, "expected a list of rules or a mapping with 'rules:'")
    }
    var seen: [String: Int] = [:]
    var result: [Rule] = []
    for node in list {
      let rule = try context.rule(node)
      if let first = seen[rule.id] {
        throw context.error(node, rule.id, "duplicate rule id (first defined on line \(first))")
      }
      seen[rule.id] = node.mark?.line ?? 0
      result.append(rule)
    }
    return result
  }

  static func line(of error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
    case .duplicatedKeysInMapping(_, let context): return context.mark.line
    default: return nil
    }
  }

  static func problem(of error: YamlError) -> String {
    switch error {
    case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
      .composer(let context, let problem, _, _):
      return [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
    case .duplicatedKeysInMapping(let duplicates, _):
      return "duplicate key " + duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
    default:
      return "\(error)"
    }
  }

  struct Context {
    let file: String
    let pack: String?

    func error(_ node: Node, _ rule: String?, _ message: String) -> RuleError {
      RuleError(file: file, line: node.mark?.line, rule: rule, message: message)
    }

    func rule(_ node: Node) throws(RuleError) -> Rule {
      guard let mapping = node.mapping else {
        throw error(node, nil, "a rule must be a mapping (id:, title:, severity:, pattern: …)")
      }
      var fields: [String: Node] = [:]
      for (key, value) in mapping {
        guard let name = key.string else { throw error(key, nil, "rule keys must be strings") }
        fields[name] = value
      }
      guard let idNode = fields["id"] else { throw error(node, nil, "the rule has no 'id'") }
      let id = try string(idNode, "id", rule: nil, limit: RuleLimits.id)
      guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "._-:/".contains($0) }) else {
        throw error(idNode, nil, "'id' must be letters, digits and . _ - : / (got '\(id.clipped)')")
      }
      for (key, _) in mapping where !RuleLoader.ruleKeys.contains(key.string ?? "") {
        throw error(
          key, id,
          "unknown key '\((key.string ?? "").clipped)' (expected one of: \(RuleLoader.ruleKeys.joined(separator: ", ")))"
        )
      }
      guard let titleNode = fields["title"] else { throw error(node, id, "the rule has no 'title'") }
      guard let severityNode = fields["severity"] else { throw error(node, id, "the rule has no 'severity'") }
      let severityText = try string(severityNode, "severity", rule: id)
      guard let severity = Severity(rawValue: severityText.lowercased()) else {
        throw error(
          severityNode, id, "invalid severity '\(severityText.clipped)' (expected info, low, medium, high or critical)")
      }
      var parts: [Predicate] = []
      var pattern: String?
      if let patternNode = fields["pattern"] {
        let text = try string(patternNode, "pattern", rule: id, limit: RuleLimits.pattern)
        do {
          parts.append(try FilterPattern.parse(text))
        } catch {
          throw self.error(patternNode, id, "invalid pattern:\n" + error.rendered(pattern: text))
        }
        pattern = text
      }
      if let matchNode = fields["match"] { parts.append(try match(matchNode, rule: id)) }
      guard !parts.isEmpty else { throw error(node, id, "the rule needs a 'pattern' or a 'match'") }

      var threshold: Threshold?
      if let thresholdNode = fields["threshold"] {
        guard let count = thresholdNode.scalar.flatMap({ Int($0.string) }), count >= 0 else {
          throw error(
            thresholdNode, id, "'threshold' must be a whole number of events, 0 or more (a finding needs more than it)")
        }
        threshold = Threshold(count: count)
      }
      if let windowNode = fields["window"] {
        let text = try string(windowNode, "window", rule: id)
        guard let span = TimeSpan.parse(text), span.seconds > 0 else {
          throw error(windowNode, id, "invalid window '\(text.clipped)' (expected a duration such as 10m, 1h or 1d)")
        }
        guard threshold != nil else { throw error(windowNode, id, "'window' needs a 'threshold'") }
        threshold?.window = span
      }
      var groupBy: [Field] = []
      if let groupNode = fields["group-by"] {
        let names = try strings(groupNode, "group-by", rule: id).flatMap { $0.split(separator: ",").map(String.init) }
        do {
          groupBy = try names.map { name throws(QueryError) in try Field(parsing: name.trimmed) }
        } catch {
          throw self.error(groupNode, id, "'group-by': \(error.message)")
        }
      }
      let title = try string(titleNode, "title", rule: id)
      let description = try fields["description"].map { node throws(RuleError) in
        try string(node, "description", rule: id, limit: RuleLimits.prose)
      }
      let remediation = try fields["remediation"].map { node throws(RuleError) in
        try string(node, "remediation", rule: id, limit: RuleLimits.prose)
      }
      let references = try fields["references"].map { node throws(RuleError) in
        try strings(node, "references", rule: id, limit: RuleLimits.reference, count: RuleLimits.references)
      }
      let info = RuleInfo(
        id: id, title: title, severity: severity, description: description, remediation: remediation,
        references: references ?? [], pack: pack, origin: pack.map { "pack:\($0)" } ?? "\(file):\(node.mark?.line ?? 0)"
      )
      return Rule(info: info, pattern: pattern, predicate: .all(parts), groupBy: groupBy, threshold: threshold)
    }

    /// `match:` — field name to a value or a list of values (any of them; `!` excludes).
    func match(_ node: Node, rule: String) throws(RuleError) -> Predicate {
      guard let mapping = node.mapping, !mapping.isEmpty else {
        throw error(node, rule, "'match' must map field names to values (eventName: ConsoleLogin)")
      }
      var parts: [Predicate] = []
      for (key, value) in mapping {
        guard let name = key.string else { throw error(key, rule, "'match' keys must be field names") }
        let field: Field
        do { field = try Field(parsing: name) } catch { throw self.error(key, rule, "'match': \(error.message)") }
        let values = try strings(value, "match.\(name.clipped)", rule: rule)
        guard !values.isEmpty else { throw error(value, rule, "'match.\(name.clipped)' needs at least one value") }
        if field == .ip {
          for ip in values {
            do { try IPNetwork.check(ip) } catch { throw self.error(value, rule, "'match.ip': \(error.message)") }
          }
        }
        parts.append(FilterSet.condition(on: field, values: values))
      }
      return .all(parts)
    }

    /// A scalar of at most `limit` UTF-8 bytes.
    func string(_ node: Node, _ key: String, rule: String?, limit: Int = RuleLimits.short) throws(RuleError) -> String {
      guard let scalar = node.scalar else { throw error(node, rule, "'\(key)' must be a string") }
      guard scalar.string.utf8.count <= limit else {
        throw error(node, rule, "'\(key)' is longer than \(limit) bytes (the limit for this field)")
      }
      return scalar.string
    }

    /// A scalar or a list of at most `count` scalars, each of at most `limit` bytes.
    func strings(
      _ node: Node, _ key: String, rule: String?, limit: Int = RuleLimits.short, count: Int = Int.max
    ) throws(RuleError) -> [String] {
      if node.scalar != nil { return [try string(node, key, rule: rule, limit: limit)] }
      guard let sequence = node.sequence else {
        throw error(node, rule, "'\(key)' must be a string or a list of strings")
      }
      guard sequence.count <= count else { throw error(node, rule, "'\(key)' has more than \(count) entries") }
      var values: [String] = []
      for item in sequence { values.append(try string(item, key, rule: rule, limit: limit)) }
      return values
    }
  }
}

extension String {
  /// The text for an error message: its first 60 characters, then `…` when there are more.
  var clipped: String { count > 60 ? String(prefix(60)) + "…" : self }

  var trimmed: String {
    var text = Substring(self)
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
