// Sigma correlation rules as data (`event_count`, `value_count`, `temporal`), and the linking step
// that resolves the rules a correlation refers to (by `id` or `name`, in any file or pack loaded
// with it). docs/detections.md has the semantics: per group, windows start at each matching event
// and last `timespan`; a group fires when its peak (most events, distinct values or distinct rules
// in one window) meets the condition; its finding holds the events of the windows that meet it.
import TrailEvent
import TrailQuery
import TrailTime

/// How a Sigma correlation rule counts the events of the rules it refers to.
package struct Correlation: Sendable, Equatable {
  package enum Kind: Sendable, Equatable {
    /// Events per group.
    case eventCount
    /// Distinct values of the field (a dotted path) per group.
    case valueCount([String])
    /// Distinct referred rules with events per group (all of them unless a condition says).
    case temporal

    package var name: String {
      switch self {
      case .eventCount: "event_count"
      case .valueCount: "value_count"
      case .temporal: "temporal"
      }
    }
  }

  package var kind: Kind
  /// The referred rules' ids or names, as written.
  package var references: [String]
  /// The referred rules, in `references` order, once linked (empty before).
  package var bases: [Rule] = []
  /// The grouping field names as written (paths, or aliases).
  package var groupBy: [String]
  /// `aliases`: alias → referred rule's name or id → the field (a dotted path) in its events.
  package var aliases: [String: [String: String]]
  /// Per referred rule (once linked), the fields its events are grouped by.
  package var baseGroupFields: [[Field]] = []
  package var timespan: TimeSpan
  package var condition: CountCondition
  /// `generate: true`: the referred rules are also run on their own.
  package var generate: Bool
  /// Where the correlation is defined, for linking errors.
  package var file: String
  package var line: Int?

  package var isLinked: Bool { !bases.isEmpty }
}

/// A correlation's `condition`: every bound given must hold (`gt: 100, lte: 200` is a range).
package struct CountCondition: Sendable, Equatable, CustomStringConvertible {
  package var gt: Int?
  package var gte: Int?
  package var lt: Int?
  package var lte: Int?
  package var eq: Int?

  package init(gt: Int? = nil, gte: Int? = nil, lt: Int? = nil, lte: Int? = nil, eq: Int? = nil) {
    self.gt = gt
    self.gte = gte
    self.lt = lt
    self.lte = lte
    self.eq = eq
  }

  package var isEmpty: Bool { gt == nil && gte == nil && lt == nil && lte == nil && eq == nil }

  package func holds(_ count: Int) -> Bool {
    if let gt, !(count > gt) { return false }
    if let gte, !(count >= gte) { return false }
    if let lt, !(count < lt) { return false }
    if let lte, !(count <= lte) { return false }
    if let eq, count != eq { return false }
    return true
  }

  /// `gte 10`, `gt 100, lte 200`.
  package var description: String {
    [("gt", gt), ("gte", gte), ("lt", lt), ("lte", lte), ("eq", eq)].compactMap { name, value in
      value.map { "\(name) \($0)" }
    }.joined(separator: ", ")
  }
}

/// Resolves correlation rules' references.
package enum SigmaLinker {
  /// The most rules one correlation may refer to (a bit each per event).
  package static let maxReferences = 64

  /// `rules` with every correlation linked to the rules it refers to, which are dropped from the
  /// list unless a correlation referring to them says `generate: true`. Already linked
  /// correlations are left as they are. Problems (unknown references, chains, aliases without
  /// an entry for a rule) are returned, one per correlation.
  package static func link(_ rules: [Rule]) -> (rules: [Rule], errors: [RuleError]) {
    var byReference: [String: Rule] = [:]
    for rule in rules {
      if let name = rule.name, byReference[name] == nil { byReference[name] = rule }
      if byReference[rule.id] == nil { byReference[rule.id] = rule }
    }
    var linked = rules
    var errors: [RuleError] = []
    var hidden = Set<String>()
    var generated = Set<String>()
    for index in linked.indices {
      guard var correlation = linked[index].correlation, !correlation.isLinked else { continue }
      let id = linked[index].id
      func fail(_ message: String) {
        errors.append(RuleError(file: correlation.file, line: correlation.line, rule: id, message: message))
      }
      var bases: [Rule] = []
      var problem: String?
      for reference in correlation.references {
        guard let base = byReference[reference] else {
          problem = "the correlation refers to '\(reference)', which no rule loaded has as its id or name"
          break
        }
        guard base.correlation == nil else {
          problem =
            "the correlation refers to '\(reference)', another correlation: chained correlations are not supported"
          break
        }
        bases.append(base)
      }
      if let problem {
        fail(problem)
        continue
      }
      var fields: [[Field]] = []
      for base in bases {
        var baseFields: [Field] = []
        for name in correlation.groupBy {
          if let alias = correlation.aliases[name] {
            guard let path = (base.name.flatMap { alias[$0] }) ?? alias[base.id] else {
              problem = "alias '\(name)' names no field for the rule '\(base.name ?? base.id)'"
              break
            }
            baseFields.append(.path(SigmaPaths.split(path)))
          } else {
            baseFields.append(.path(SigmaPaths.split(name)))
          }
        }
        fields.append(baseFields)
      }
      if let problem {
        fail(problem)
        continue
      }
      correlation.bases = bases
      correlation.baseGroupFields = fields
      if case .temporal = correlation.kind, correlation.condition.isEmpty {
        correlation.condition = CountCondition(gte: bases.count)
      }
      linked[index].predicate = .any(bases.map(\.predicate))
      linked[index].correlation = correlation
      for base in bases {
        if correlation.generate { generated.insert(base.id) } else { hidden.insert(base.id) }
      }
    }
    let dropped = hidden.subtracting(generated)
    return (linked.filter { !dropped.contains($0.id) || $0.correlation != nil }, errors)
  }
}

/// Sigma field names as paths.
package enum SigmaPaths {
  /// `requestParameters.bucketName` → `["requestParameters", "bucketName"]`: a dot always
  /// separates (a key that itself holds a dot cannot be named).
  package static func split(_ name: String) -> [String] {
    name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
  }
}
