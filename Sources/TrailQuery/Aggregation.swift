// Counting events by group (`stats --by`): the aggregation as data, and the accumulator that
// evaluates it in one pass with memory proportional to the number of groups, not of events.
import TrailTime
import TrailModel

/// What to count.
public struct Aggregation: Sendable, Equatable {
  /// The grouping fields. An event with several values of a field counts once per value; an
  /// event with none counts in the group whose key for that field is nil.
  public var groupBy: [Field]
  /// Keep only the first N groups after sorting.
  public var top: Int?

  public init(groupBy: [Field], top: Int? = nil) {
    self.groupBy = groupBy
    self.top = top
  }
}

/// One group of an aggregation's result.
public struct GroupRow: Sendable, Equatable {
  public var key: [String?]
  public var count: Int
  public var firstSeen: Timestamp?
  public var lastSeen: Timestamp?

  public init(key: [String?], count: Int, firstSeen: Timestamp?, lastSeen: Timestamp?) {
    self.key = key
    self.count = count
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
  }
}

/// Accumulates events into groups.
public struct Aggregator {
  public let aggregation: Aggregation
  var groups: [[String?]: GroupRow] = [:]

  public init(_ aggregation: Aggregation) {
    self.aggregation = aggregation
  }

  public mutating func add(_ view: EventView) {
    let time = view.event.eventTime
    for key in keys(of: view) {
      if var row = groups[key] {
        row.count += 1
        if let time {
          if row.firstSeen.map({ time < $0 }) ?? true { row.firstSeen = time }
          if row.lastSeen.map({ time > $0 }) ?? true { row.lastSeen = time }
        }
        groups[key] = row
      } else {
        groups[key] = GroupRow(key: key, count: 1, firstSeen: time, lastSeen: time)
      }
    }
  }

  /// Merges another aggregator's groups (for per-file or per-thread partial results).
  public mutating func merge(_ other: Aggregator) {
    for (key, row) in other.groups {
      if var mine = groups[key] {
        mine.count += row.count
        mine.firstSeen = [mine.firstSeen, row.firstSeen].compactMap { $0 }.min()
        mine.lastSeen = [mine.lastSeen, row.lastSeen].compactMap { $0 }.max()
        groups[key] = mine
      } else {
        groups[key] = row
      }
    }
  }

  /// The groups, by count (largest first), then key; cut to `top`.
  public func rows() -> [GroupRow] {
    let sorted = groups.values.sorted { a, b in
      if a.count != b.count { return a.count > b.count }
      return a.key.lexicographicallyPrecedes(b.key) { ($0 ?? "") < ($1 ?? "") || ($0 == nil && $1 != nil) }
    }
    if let top = aggregation.top { return Array(sorted.prefix(top)) }
    return sorted
  }

  /// The cartesian product of the grouping fields' values.
  func keys(of view: EventView) -> [[String?]] {
    var keys: [[String?]] = [[]]
    for field in aggregation.groupBy {
      let values = view.values(of: field)
      let options: [String?] = values.isEmpty ? [nil] : Array(Set(values)).sorted()
      keys = keys.flatMap { prefix in options.map { prefix + [$0] } }
    }
    return keys
  }
}
