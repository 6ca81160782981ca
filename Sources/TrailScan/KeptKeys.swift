// The top-level members a scan reads, worked out from its filter and the fields its command
// reads: the parser keeps those on the tape and only validates the others (`ScanPlan.keptKeys`).
// Wrong or missing keys cost speed, never an answer: a member left out is parsed when read.
import TrailEvent
import TrailJSON
import TrailQuery

extension ScanPlan {
  /// The keys to keep for a scan that reads nothing of an event beyond `predicate`, `fields`
  /// and this plan's own needs (time window, `--time-field`, `--dedupe`); nil (keep all) when
  /// one of them may read any member, or an origin resolver is set.
  package func keysToKeep(reading fields: [Field]) -> JSONKeySet? {
    guard originResolver == nil else { return nil }
    var keys = EventReader.containerKeys + ["eventVersion", "eventName", "eventTime", "eventID"]
    if let timeField, let first = timeField.first { keys.append(first) }
    for field in fields {
      guard let read = field.topLevelKeys else { return nil }
      keys += read
    }
    guard let read = Self.keys(read: predicate) else { return nil }
    return JSONKeySet(keys + read)
  }

  /// The top-level keys `predicate` reads, or nil when it may read any.
  static func keys(read predicate: Predicate) -> [String]? {
    switch predicate {
    case .always, .timeRange:
      return []
    case .and(let parts), .or(let parts):
      var found: [String] = []
      for part in parts {
        guard let read = keys(read: part) else { return nil }
        found += read
      }
      return found
    case .not(let part):
      return keys(read: part)
    case .matches(let field, _), .exists(let field), .inNetwork(let field, _):
      return field.topLevelKeys
    case .pattern(let condition):
      guard case .member(let name)? = condition.selector.steps.first else { return nil }
      return [name]
    case .sigma(let condition):
      return condition.field?.first.map { [$0] }
    case .inGroups(let groups):
      var found: [String] = []
      for field in groups.fields {
        guard let read = field.topLevelKeys else { return nil }
        found += read
      }
      return found
    }
  }
}
