// The findings of an aggregating rule (a threshold, a Sigma correlation) as a filter: the groups
// that fired, each with the spans of time its findings cover. `--rule-file` keeps the events of a
// correlation's firing groups by ANDing this with the rule's own detection; a first pass over the
// archive computes it (TrailCheck), so it is plain data like every other predicate.
import TrailEvent
import TrailTime

/// Events whose values of `fields` form one of the keys, at a time one of the key's spans covers.
public struct GroupWindows: Hashable, Sendable {
  /// When a group's events count.
  public enum Span: Hashable, Sendable {
    /// Every event of the group, with or without a time (a threshold over the whole range).
    case always
    /// Events whose `eventTime` falls in one of the closed ranges (sorted, not overlapping).
    case ranges([ClosedRange<Timestamp>])
  }

  /// The grouping fields, in key order.
  public let fields: [Field]
  /// The firing groups: key (a value per field, nil where the event had none) to span.
  public let groups: [[String?]: Span]

  /// The groups `groups` of `fields`.
  public init(fields: [Field], groups: [[String?]: Span]) {
    self.fields = fields
    self.groups = groups
  }

  /// Whether some key of the event is a firing group whose span covers the event.
  public func contains(_ view: EventView) -> Bool {
    guard !groups.isEmpty else { return false }
    for key in Self.keys(of: view, by: fields) {
      switch groups[key] {
      case nil: continue
      case .always: return true
      case .ranges(let ranges):
        guard let time = view.eventTime else { continue }
        if ranges.contains(where: { $0.contains(time) }) { return true }
      }
    }
    return false
  }

  /// The group keys of an event: one per combination of the fields' distinct values (an event
  /// with two resources is in both groups; a field without a value is nil), as `stats --by`
  /// and `check`'s `group-by` count them.
  public static func keys(of view: EventView, by fields: [Field]) -> [[String?]] {
    var keys: [[String?]] = [[]]
    for field in fields {
      let values = view.values(of: field)
      let options: [String?] = values.isEmpty ? [nil] : Array(Set(values)).sorted()
      keys = keys.flatMap { key in options.map { key + [$0] } }
    }
    return keys
  }
}
