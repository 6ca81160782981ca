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
    }
  }

  /// Whether the predicate reads `field` anywhere.
  public func reads(_ field: Field) -> Bool {
    switch self {
    case .always, .timeRange, .pattern: return false
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
