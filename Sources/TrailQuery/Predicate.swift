// Filters as data: an AST that this engine evaluates and that later backends (an indexed store,
// Athena SQL) can translate. Every filter flag, `--where` pattern and rule compiles to it.
import TrailEvent
import TrailTime

/// A condition on one event.
public indirect enum Predicate: Hashable, Sendable {
  /// Every event.
  case always
  case and([Predicate])
  case or([Predicate])
  case not(Predicate)
  /// Some value of the field matches the glob.
  case matches(Field, Glob)
  /// The field has at least one value.
  case exists(Field)
  /// Some value of the field is an IP address inside the network.
  case inNetwork(Field, IPNetwork)
  /// `eventTime` within `[since, until)`; events without a time never match a bounded range.
  case timeRange(since: Timestamp?, until: Timestamp?)
  case pattern(PatternCondition)
  /// A leaf of a Sigma rule's detection (Sigma's semantics: `SigmaCondition`).
  case sigma(SigmaCondition)
  /// The firing groups of an aggregating rule (a threshold or Sigma correlation), within the
  /// spans of time its findings cover (`--rule-file` with such a rule).
  case inGroups(GroupWindows)

  /// Whether `view` satisfies the predicate.
  public func evaluate(_ view: EventView) -> Bool {
    switch self {
    case .always:
      return true
    case .and(let parts):
      return parts.allSatisfy { $0.evaluate(view) }
    case .or(let parts):
      return parts.contains { $0.evaluate(view) }
    case .not(let part):
      return !part.evaluate(view)
    case .matches(let field, let glob):
      if let key = field.plainMemberKey, let holds = glob.matches(plain: view.member(key)) { return holds }
      return view.values(of: field).contains(where: glob.matches)
    case .exists(let field):
      return !view.values(of: field).isEmpty
    case .inNetwork(let field, let network):
      return view.values(of: field).contains(where: network.contains)
    case .timeRange(let since, let until):
      guard let time = view.eventTime else { return since == nil && until == nil }
      if let since, time < since { return false }
      if let until, time >= until { return false }
      return true
    case .pattern(let condition): return condition.evaluate(view)
    case .sigma(let condition): return condition.evaluate(view)
    case .inGroups(let groups): return groups.contains(view)
    }
  }

  /// Whether the predicate reads `field` anywhere.
  public func reads(_ field: Field) -> Bool {
    switch self {
    case .always, .timeRange, .pattern, .sigma: return false
    case .inGroups(let groups): return groups.fields.contains(field)
    case .and(let parts), .or(let parts): return parts.contains { $0.reads(field) }
    case .not(let part): return part.reads(field)
    case .matches(let f, _), .exists(let f), .inNetwork(let f, _): return f == field
    }
  }

  /// `and` of the parts, dropping `always` and flattening a single part.
  public static func all(_ parts: [Predicate]) -> Predicate {
    let kept = parts.filter { $0 != .always }
    switch kept.count {
    case 0: return .always
    case 1: return kept[0]
    default: return .and(kept)
    }
  }

  /// `or` of the parts; no part means no constraint (`always`).
  public static func any(_ parts: [Predicate]) -> Predicate {
    switch parts.count {
    case 0: return .always
    case 1: return parts[0]
    default: return .or(parts)
    }
  }
}
