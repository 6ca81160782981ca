// Sigma rule files (docs/detections.md): one or more YAML documents, each a detection rule
// (`logsource` + `detection`) or a correlation rule (`correlation`). A rule keeps its `id` (its
// `name` when it has no id) as the rule id in every report; `level` becomes the severity, `tags`,
// `references` and `falsepositives` go into the reports. Rules for other log sources than
// `product: aws, service: cloudtrail` are skipped, and the caller says so; anything else
// trail-scan would not evaluate as Sigma means is an error naming file, line and construct.
import TrailEvent
import TrailQuery
import TrailReport
import TrailTime
import Yams

/// What loading Sigma documents gave.
package struct SigmaLoaded: Sendable {
  package var rules: [Rule] = []
  /// Rules for other log sources, left out.
  package var skipped: [SkippedRule] = []

  package init(rules: [Rule] = [], skipped: [SkippedRule] = []) {
    self.rules = rules
    self.skipped = skipped
  }
}

/// A Sigma rule left out because it is written for another log source.
package struct SkippedRule: Sendable, Equatable {
  package var file: String
  package var line: Int?
  package var id: String?
  /// `product: windows, category: process_creation`.
  package var logsource: String

  package init(file: String, line: Int?, id: String?, logsource: String) {
    self.file = file
    self.line = line
    self.id = id
    self.logsource = logsource
  }
}

package enum SigmaLoader {
  /// The most YAML nodes read from one file (aliases are read through, so this also bounds what
  /// an alias bomb can make the loader do).
  package static let maxNodes = 200_000

  /// Keys that make a YAML document a Sigma document.
  static let markers: Set<String> = ["detection", "logsource", "correlation"]

  /// Whether the documents are Sigma rules rather than a trail-scan rule file.
  package static func isSigma(_ documents: [Node]) -> Bool {
    documents.contains { document in
      document.mapping?.keys.contains { markers.contains($0.string ?? "") } ?? false
    }
  }

  /// Every rule of `documents`; `file` names them in errors and origins, `pack` is the built-in
  /// pack they belong to.
  package static func load(_ documents: [Node], file: String, pack: String? = nil) throws(RuleError) -> SigmaLoaded {
    var budget = maxNodes
    for document in documents {
      guard count(document, budget: &budget) else {
        throw RuleError(
          file: file, line: nil, rule: nil, message: "the YAML has more than \(maxNodes) nodes once aliases are read")
      }
    }
    var loaded = SigmaLoaded()
    for document in documents {
      guard let mapping = document.mapping else {
        throw RuleError(
          file: file, line: document.mark?.line, rule: nil,
          message: "a Sigma file holds mappings (one rule per YAML document), not a \(kind(of: document))")
      }
      let reader = DocumentReader(file: file, pack: pack, node: document, mapping: mapping)
      switch try reader.read() {
      case .rule(let rule): loaded.rules.append(rule)
      case .skipped(let skipped): loaded.skipped.append(skipped)
      }
    }
    return loaded
  }

  static func count(_ node: Node, budget: inout Int) -> Bool {
    budget -= 1
    guard budget >= 0 else { return false }
    switch node {
    case .mapping(let mapping):
      for (key, value) in mapping where !count(key, budget: &budget) || !count(value, budget: &budget) { return false }
    case .sequence(let sequence):
      for item in sequence where !count(item, budget: &budget) { return false }
    default: break
    }
    return true
  }

  static func kind(of node: Node) -> String {
    switch node {
    case .sequence: "list"
    case .scalar: "scalar"
    default: "alias"
    }
  }

  static let levels: [String: Severity] = [
    "informational": .info, "info": .info, "low": .low, "medium": .medium, "high": .high, "critical": .critical,
  ]
}

/// One Sigma document.
struct DocumentReader {
  let file: String
  let pack: String?
  let node: Node
  let fields: [String: (key: Node, value: Node)]

  enum Outcome {
    case rule(Rule)
    case skipped(SkippedRule)
  }

  init(file: String, pack: String?, node: Node, mapping: Node.Mapping) {
    self.file = file
    self.pack = pack
    self.node = node
    var fields: [String: (key: Node, value: Node)] = [:]
    for (key, value) in mapping { if let name = key.string { fields[name] = (key, value) } }
    self.fields = fields
  }

  func error(_ node: Node, _ rule: String?, _ message: String) -> RuleError {
    RuleError(file: file, line: node.mark?.line, rule: rule, message: message)
  }

  func read() throws(RuleError) -> Outcome {
    if let action = fields["action"] {
      throw error(
        action.key, nil,
        "Sigma 1 rule collections ('action: global/reset/repeat') are not supported: one rule per document")
    }
    let id = try identity()
    if fields["filter"] != nil && fields["detection"] == nil {
      throw error(node, id, "Sigma filter documents ('filter:') are not supported")
    }
    if let taxonomy = fields["taxonomy"], (taxonomy.value.string ?? "").lowercased() != "sigma" {
      throw error(
        taxonomy.value, id, "taxonomy '\(taxonomy.value.string ?? "?")' is not supported (field names are CloudTrail's)"
      )
    }
    let hasDetection = fields["detection"] != nil
    let hasCorrelation = fields["correlation"] != nil
    if hasDetection && hasCorrelation {
      throw error(node, id, "a document has either 'detection' or 'correlation', not both")
    }
    guard hasDetection || hasCorrelation else {
      throw error(node, id, "a Sigma rule needs a 'detection' (or a 'correlation')")
    }
    guard let titleField = fields["title"] else { throw error(node, id, "the rule has no 'title'") }
    let title = try string(titleField.value, "title", id, limit: RuleLimits.short)
    let info = RuleInfo(
      id: id, title: title, severity: try severity(id),
      description: try fields["description"].map { field throws(RuleError) in
        try string(field.value, "description", id, limit: RuleLimits.prose)
      },
      references: try strings("references", id), pack: pack,
      origin: pack.map { "pack:\($0)" } ?? "\(file):\(node.mark?.line ?? 0)",
      tags: try strings("tags", id), falsePositives: try strings("falsepositives", id))
    let name = try fields["name"].map { field throws(RuleError) in
      try string(field.value, "name", id, limit: RuleLimits.id)
    }
    if hasCorrelation {
      let correlation = try self.correlation(id)
      // The predicate is the referred rules' once linked; until then the rule matches nothing.
      return .rule(Rule(info: info, predicate: .not(.always), correlation: correlation, name: name))
    }
    guard let logsource = fields["logsource"] else { throw error(node, id, "the rule has no 'logsource'") }
    if let other = try otherLogsource(logsource.value, id) {
      return .skipped(SkippedRule(file: file, line: node.mark?.line, id: id, logsource: other))
    }
    let predicate = try SigmaDetection(file: file, rule: id).compile(fields["detection"]?.value ?? node)
    return .rule(Rule(info: info, predicate: predicate, name: name))
  }

  /// The rule's id: `id`, else `name`.
  func identity() throws(RuleError) -> String {
    guard let field = fields["id"] ?? fields["name"] else {
      throw error(node, nil, "the rule has neither an 'id' nor a 'name' to report it by")
    }
    let id = try string(field.value, field.key.string ?? "id", nil, limit: RuleLimits.id)
    guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "._-:/".contains($0) }) else {
      throw error(
        field.value, nil, "'\(field.key.string ?? "id")' must be letters, digits and . _ - : / (got '\(id.clipped)')")
    }
    return id
  }

  func severity(_ id: String) throws(RuleError) -> Severity {
    guard let field = fields["level"] else { return .medium }
    let text = try string(field.value, "level", id)
    guard let severity = SigmaLoader.levels[text.lowercased()] else {
      throw error(
        field.value, id, "invalid level '\(text.clipped)' (expected informational, low, medium, high or critical)")
    }
    return severity
  }

  /// Nil for CloudTrail, else a description of the log source.
  func otherLogsource(_ node: Node, _ id: String) throws(RuleError) -> String? {
    guard let mapping = node.mapping else {
      throw error(node, id, "'logsource' must be a mapping (product:, service:)")
    }
    var values: [(String, String)] = []
    for (key, value) in mapping {
      guard let name = key.string, let text = value.scalar?.string else {
        throw error(key, id, "'logsource' entries must be strings")
      }
      values.append((name, text))
    }
    let product = values.first { $0.0 == "product" }?.1.lowercased()
    let service = values.first { $0.0 == "service" }?.1.lowercased()
    let category = values.first { $0.0 == "category" }?.1
    if product == "aws" && service == "cloudtrail" && category == nil { return nil }
    return values.filter { $0.0 != "definition" }.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
  }

  func correlation(_ id: String) throws(RuleError) -> Correlation {
    guard let section = fields["correlation"], let mapping = section.value.mapping else {
      throw error(node, id, "'correlation' must be a mapping (type:, rules:, group-by:, timespan:, condition:)")
    }
    var entries: [String: (key: Node, value: Node)] = [:]
    let known = ["type", "rules", "group-by", "timespan", "condition", "aliases", "generate"]
    for (key, value) in mapping {
      guard let name = key.string, known.contains(name) else {
        throw error(
          key, id, "unknown correlation key '\(key.string ?? "?")' (expected \(known.joined(separator: ", ")))")
      }
      entries[name] = (key, value)
    }
    guard let typeEntry = entries["type"] else { throw error(section.value, id, "the correlation has no 'type'") }
    let type = try string(typeEntry.value, "type", id)
    guard let rulesEntry = entries["rules"] else { throw error(section.value, id, "the correlation has no 'rules'") }
    let references = try stringList(rulesEntry.value, "rules", id)
    guard !references.isEmpty else { throw error(rulesEntry.value, id, "'rules' names no rule") }
    guard references.count <= SigmaLinker.maxReferences else {
      throw error(rulesEntry.value, id, "a correlation may refer to at most \(SigmaLinker.maxReferences) rules")
    }
    guard let timespanEntry = entries["timespan"] else {
      throw error(section.value, id, "the correlation has no 'timespan'")
    }
    let timespanText = try string(timespanEntry.value, "timespan", id)
    guard let timespan = TimeSpan.parse(timespanText), timespan.seconds > 0 else {
      throw error(
        timespanEntry.value, id, "invalid timespan '\(timespanText)' (expected a duration such as 30s, 10m, 1h or 1d)")
    }
    let groupBy =
      try entries["group-by"].map { entry throws(RuleError) in try stringList(entry.value, "group-by", id) } ?? []
    for name in groupBy where SigmaPaths.split(name).contains(where: \.isEmpty) {
      throw error(entries["group-by"]?.value ?? section.value, id, "invalid group-by field '\(name)'")
    }
    var aliases: [String: [String: String]] = [:]
    if let entry = entries["aliases"] {
      guard let aliasMapping = entry.value.mapping else {
        throw error(entry.value, id, "'aliases' must map alias names to rule → field mappings")
      }
      for (key, value) in aliasMapping {
        guard let alias = key.string, let perRule = value.mapping else {
          throw error(key, id, "each alias must map rule names to field names")
        }
        var fieldsByRule: [String: String] = [:]
        for (ruleKey, fieldValue) in perRule {
          guard let rule = ruleKey.string, let field = fieldValue.scalar?.string else {
            throw error(ruleKey, id, "alias '\(alias)': rule names map to field names")
          }
          fieldsByRule[rule] = field
        }
        aliases[alias] = fieldsByRule
      }
    }
    let generateNode = entries["generate"]?.value ?? fields["generate"]?.value
    var generate = false
    if let generateNode {
      guard generateNode.tagName == .bool, let flag = generateNode.bool else {
        throw error(generateNode, id, "'generate' must be true or false")
      }
      generate = flag
    }
    var condition = CountCondition()
    var valueField: String?
    if let entry = entries["condition"] {
      guard let conditionMapping = entry.value.mapping, !conditionMapping.isEmpty else {
        throw error(entry.value, id, "'condition' must map gt, gte, lt, lte or eq to a count")
      }
      for (key, value) in conditionMapping {
        let name = key.string ?? "?"
        if name == "field" {
          valueField = try string(value, "condition.field", id)
          continue
        }
        guard value.tagName == .int, let count = value.int, count >= 0 else {
          throw error(value, id, "condition '\(name)' takes a whole number, 0 or more")
        }
        switch name {
        case "gt": condition.gt = count
        case "gte": condition.gte = count
        case "lt": condition.lt = count
        case "lte": condition.lte = count
        case "eq": condition.eq = count
        default:
          throw error(key, id, "unknown condition '\(name)' (expected gt, gte, lt, lte, eq, and field for value_count)")
        }
      }
    }
    let kind: Correlation.Kind
    switch type {
    case "event_count":
      kind = .eventCount
    case "value_count":
      guard let valueField, !SigmaPaths.split(valueField).contains(where: \.isEmpty) else {
        throw error(entries["condition"]?.value ?? section.value, id, "value_count needs 'field' in its condition")
      }
      kind = .valueCount(SigmaPaths.split(valueField))
    case "temporal":
      kind = .temporal
    case "temporal_ordered":
      throw error(
        typeEntry.value, id,
        "correlation type 'temporal_ordered' is not supported (event_count, value_count, temporal are)")
    default:
      throw error(
        typeEntry.value, id, "unknown correlation type '\(type)' (expected event_count, value_count or temporal)")
    }
    if valueField != nil, case .valueCount = kind {
    } else if valueField != nil {
      throw error(entries["condition"]?.value ?? section.value, id, "'field' belongs to value_count correlations")
    }
    if condition.isEmpty, kind != .temporal {
      throw error(
        entries["condition"]?.value ?? section.value, id, "\(type) needs a condition (gt, gte, lt, lte or eq)")
    }
    return Correlation(
      kind: kind, references: references, groupBy: groupBy, aliases: aliases, timespan: timespan, condition: condition,
      generate: generate, file: file, line: node.mark?.line)
  }

  /// A scalar; with a `limit`, of at most that many UTF-8 bytes (fields copied into reports,
  /// docs/check.md "Limits").
  func string(_ node: Node, _ key: String, _ rule: String?, limit: Int? = nil) throws(RuleError) -> String {
    guard let scalar = node.scalar, node.tagName != .null else { throw error(node, rule, "'\(key)' must be a string") }
    if let limit, scalar.string.utf8.count > limit {
      throw error(node, rule, "'\(key)' is longer than \(limit) bytes (the limit for this field)")
    }
    return scalar.string
  }

  /// A scalar or a list of scalars.
  func stringList(_ node: Node, _ key: String, _ rule: String?) throws(RuleError) -> [String] {
    if node.scalar != nil { return [try string(node, key, rule)] }
    guard let sequence = node.sequence else {
      throw error(node, rule, "'\(key)' must be a string or a list of strings")
    }
    var values: [String] = []
    for item in sequence { values.append(try string(item, key, rule)) }
    return values
  }

  /// An optional top-level list of strings, copied into reports: at most
  /// `RuleLimits.references` entries of `RuleLimits.reference` bytes each.
  func strings(_ key: String, _ rule: String) throws(RuleError) -> [String] {
    guard let field = fields[key], field.value.tagName != .null else { return [] }
    let values = try stringList(field.value, key, rule)
    guard values.count <= RuleLimits.references else {
      throw error(field.value, rule, "'\(key)' has more than \(RuleLimits.references) entries")
    }
    for value in values where value.utf8.count > RuleLimits.reference {
      throw error(field.value, rule, "'\(key)' has an entry longer than \(RuleLimits.reference) bytes")
    }
    return values
  }
}

extension Node {
  /// The resolved YAML type (`tag:yaml.org,2002:int` …): quoted scalars are strings, plain ones
  /// are typed by YAML 1.1's rules, as pySigma's YAML reader types them.
  var tagName: Tag.Name { Tag.Name(rawValue: tag.description) }
}
