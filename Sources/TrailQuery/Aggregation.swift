// Counting events by group (`stats --by`, `who`, `what`): the aggregation as data, and the
// accumulator that evaluates it in one pass with memory proportional to the number of groups
// (and, with `distinct` or `lists`, to the distinct values seen per group), not to the events.
import TrailEvent
import TrailTime

/// What to count.
public struct Aggregation: Sendable, Equatable {
  /// The grouping fields. An event with several values of a field counts once per value; an
  /// event with none counts in the group whose key for that field is nil.
  public var groupBy: [Field]
  /// Keep only the first N groups after sorting.
  public var top: Int?
  /// Time buckets: the key starts with `eventTime` cut to this span (`--every 1h`).
  public var every: TimeSpan?
  /// Count the distinct values of this field per group, exactly (`--distinct`).
  public var distinct: Field?
  /// List the distinct values of these fields per group (`who` lists IPs and errors).
  public var lists: [Field]
  /// Row order: by count (largest first) then key, or by time (bucket, then first seen).
  public var order: Order

  /// `count`: largest group first, ties by key; `time`: by bucket, then by first seen.
  public enum Order: Sendable, Equatable { case count, time }

  /// An aggregation; only the grouping fields are required.
  public init(
    groupBy: [Field], top: Int? = nil, every: TimeSpan? = nil, distinct: Field? = nil, lists: [Field] = [],
    order: Order = .count
  ) {
    self.groupBy = groupBy
    self.top = top
    self.every = every
    self.distinct = distinct
    self.lists = lists
    self.order = order
  }

  /// The names of the key columns: `bucket` first when bucketing, then the grouping fields.
  public var keyNames: [String] { (every == nil ? [] : ["bucket"]) + groupBy.map(\.description) }
}

/// One group of an aggregation's result.
public struct GroupRow: Sendable, Equatable {
  /// Key values, in `Aggregation.keyNames` order.
  public var key: [String?]
  /// Events in the group (an event with several values of a grouping field counts in each).
  public var count: Int
  /// How many of the counted events failed (`outcome` failure).
  public var failed: Int
  /// The earliest `eventTime` in the group; nil when no event had a readable one.
  public var firstSeen: Timestamp?
  /// The latest `eventTime` in the group; nil when no event had a readable one.
  public var lastSeen: Timestamp?
  /// Distinct values of `Aggregation.distinct` (nil when not asked).
  public var distinct: Int?
  /// The distinct values of each `Aggregation.lists` field, sorted.
  public var lists: [[String]]

  /// A row with the given values (results are normally built by `Aggregator`).
  public init(
    key: [String?], count: Int, failed: Int = 0, firstSeen: Timestamp?, lastSeen: Timestamp?, distinct: Int? = nil,
    lists: [[String]] = []
  ) {
    self.key = key
    self.count = count
    self.failed = failed
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
    self.distinct = distinct
    self.lists = lists
  }
}

/// Accumulates events into groups.
public struct Aggregator {
  /// What this aggregator counts.
  public let aggregation: Aggregation

  struct Group {
    var count = 0
    var failed = 0
    var firstSeen: Timestamp?
    var lastSeen: Timestamp?
    var distinct = Set<String>()
    var lists: [Set<String>]

    mutating func add(time: Timestamp?, failed didFail: Bool, distinct values: [String], listed: [[String]]) {
      add(time: time, failed: didFail)
      if !values.isEmpty { distinct.formUnion(values) }
      for i in listed.indices where !listed[i].isEmpty { lists[i].formUnion(listed[i]) }
    }

    mutating func add(count events: Int, failed failures: Int, firstSeen first: Timestamp?, lastSeen last: Timestamp?) {
      count += events
      failed += failures
      if let first, firstSeen.map({ first < $0 }) ?? true { firstSeen = first }
      if let last, lastSeen.map({ last > $0 }) ?? true { lastSeen = last }
    }

    mutating func add(time: Timestamp?, failed didFail: Bool) {
      count += 1
      if didFail { failed += 1 }
      guard let time else { return }
      if firstSeen.map({ time < $0 }) ?? true { firstSeen = time }
      if lastSeen.map({ time > $0 }) ?? true { lastSeen = time }
    }

    mutating func merge(_ other: Group) {
      count += other.count
      failed += other.failed
      firstSeen = [firstSeen, other.firstSeen].compactMap { $0 }.min()
      lastSeen = [lastSeen, other.lastSeen].compactMap { $0 }.max()
      distinct.formUnion(other.distinct)
      for i in lists.indices { lists[i].formUnion(other.lists[i]) }
    }
  }

  var groups: [[String?]: Group] = [:]
  /// Grouping by one field the view gives as bytes (`EventView.withSingleValue`): those
  /// events' groups, keyed by the value's bytes; they join `groups` when results are read.
  var byBytes = ByteKeyedGroups<Group>()
  /// Reads a field's values in place of `EventView.values(of:)` (for a field whose value is
  /// only known once the scan is over: `origin`, recorded as a reference and remapped).
  let valuesOf: (@Sendable (Field, EventView) -> [String])?

  /// An empty aggregator for `aggregation`.
  public init(_ aggregation: Aggregation) {
    self.aggregation = aggregation
    valuesOf = nil
  }

  /// An empty aggregator whose grouping fields are read by `values` (see `remap`).
  public init(_ aggregation: Aggregation, values: @escaping @Sendable (Field, EventView) -> [String]) {
    self.aggregation = aggregation
    valuesOf = values
  }

  /// Rewrites every group key with `transform` (a key holds the bucket first when bucketing,
  /// then the grouping fields) and merges groups that become equal.
  public mutating func remap(_ transform: ([String?]) -> [String?]) {
    foldBytes()
    var remapped: [[String?]: Group] = [:]
    for (key, group) in groups {
      let newKey = transform(key)
      if var existing = remapped[newKey] {
        existing.merge(group)
        remapped[newKey] = existing
      } else {
        remapped[newKey] = group
      }
    }
    groups = remapped
  }

  /// Counts `view` in each group its keys put it in, updating first and last seen and the distinct
  /// and listed values.
  public mutating func add(_ view: EventView) {
    let time = view.eventTime
    let failed = view.failed
    let distinctValues = aggregation.distinct.map { view.values(of: $0) } ?? []
    let listed = aggregation.lists.map { view.values(of: $0) }
    let lists = aggregation.lists.count
    if valuesOf == nil, aggregation.every == nil, aggregation.groupBy.count == 1 {
      // One grouping field read as bytes: no String, no key array for a group already seen.
      let grouped = view.withSingleValue(of: aggregation.groupBy[0]) { value in
        byBytes.update(value, make: { Group(lists: Array(repeating: [], count: lists)) }) {
          $0.add(time: time, failed: failed, distinct: distinctValues, listed: listed)
        }
      }
      if grouped { return }
    }
    for key in keys(of: view) {
      // Updated in place: one hash of the key, no copy of the group.
      groups[key, default: Group(lists: Array(repeating: [], count: lists))].add(
        time: time, failed: failed, distinct: distinctValues, listed: listed)
    }
  }

  /// Adds events counted elsewhere to the group `key` (a store counting by column, docs/store.md):
  /// `count` events of which `failed` failed, their earliest and latest `eventTime`, and values
  /// of the `distinct` field and of each listed field seen in them. Keys, merging and order are
  /// then the same as for events added one by one.
  public mutating func add(
    key: [String?], count: Int, failed: Int, firstSeen: Timestamp?, lastSeen: Timestamp?, distinct: [String] = [],
    lists listed: [[String]] = []
  ) {
    let lists = aggregation.lists.count
    groups[key, default: Group(lists: Array(repeating: [], count: lists))].add(
      count: count, failed: failed, firstSeen: firstSeen, lastSeen: lastSeen)
    if !distinct.isEmpty { groups[key]?.distinct.formUnion(distinct) }
    for i in listed.indices where i < lists && !listed[i].isEmpty { groups[key]?.lists[i].formUnion(listed[i]) }
  }

  /// Moves the groups keyed by bytes into `groups`.
  mutating func foldBytes() {
    guard !byBytes.isEmpty else { return }
    for (key, group) in byBytes.entries { Self.merge(group, into: &groups, at: [key]) }
    byBytes = ByteKeyedGroups()
  }

  static func merge(_ group: Group, into groups: inout [[String?]: Group], at key: [String?]) {
    if var mine = groups[key] {
      mine.merge(group)
      groups[key] = mine
    } else {
      groups[key] = group
    }
  }

  /// Merges another aggregator's groups (for per-file or per-thread partial results).
  public mutating func merge(_ other: Aggregator) {
    foldBytes()
    for (key, group) in other.byBytes.entries { Self.merge(group, into: &groups, at: [key]) }
    for (key, group) in other.groups {
      if var mine = groups[key] {
        mine.merge(group)
        groups[key] = mine
      } else {
        groups[key] = group
      }
    }
  }

  /// The groups in the aggregation's order, cut to `top`.
  public func rows() -> [GroupRow] {
    var all = self
    all.foldBytes()
    let rows = all.groups.map { key, group in
      GroupRow(
        key: key, count: group.count, failed: group.failed, firstSeen: group.firstSeen, lastSeen: group.lastSeen,
        distinct: aggregation.distinct == nil ? nil : group.distinct.count,
        lists: group.lists.map { $0.sorted() })
    }
    let sorted = rows.sorted { a, b in
      switch aggregation.order {
      case .count:
        if a.count != b.count { return a.count > b.count }
      case .time:
        if a.firstSeen != b.firstSeen { return (a.firstSeen ?? .epoch) < (b.firstSeen ?? .epoch) }
      }
      return Self.keyPrecedes(a.key, b.key)
    }
    if let top = aggregation.top { return Array(sorted.prefix(top)) }
    return sorted
  }

  /// Keys compare field by field; an absent value sorts first.
  static func keyPrecedes(_ a: [String?], _ b: [String?]) -> Bool {
    for (x, y) in zip(a, b) where x != y {
      guard let x else { return true }
      guard let y else { return false }
      return x < y
    }
    return false
  }

  /// The bucket (when bucketing), then the cartesian product of the grouping fields' values.
  func keys(of view: EventView) -> [[String?]] {
    var keys: [[String?]] = [[]]
    if let span = aggregation.every {
      keys = [[view.eventTime.map { $0.truncated(to: span).iso8601 }]]
    }
    for field in aggregation.groupBy {
      let values = valuesOf?(field, view) ?? view.values(of: field)
      if values.count <= 1 {
        // One value (or none): every key gets it, without a set or a sort.
        let value = values.first
        for i in keys.indices { keys[i].append(value) }
        continue
      }
      let options: [String?] = Array(Set(values)).sorted()
      keys = keys.flatMap { prefix in options.map { prefix + [$0] } }
    }
    return keys
  }
}
