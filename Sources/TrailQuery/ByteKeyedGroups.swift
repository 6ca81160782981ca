// Groups keyed by the bytes of one field's value as they lie in the record, for grouping by
// one field (`stats --by principal`): an event that joins an existing group costs a hash and a
// compare of its bytes, no `String` and no key array; a new group makes its key once. The event
// store's counts by column (`EventCounts`) are grouped the same way, by the bytes SQLite gives.
import TrailTime

/// An open-addressing table from a value's UTF-8 bytes (or no value) to a group.
package struct ByteKeyedGroups<Group> {
  /// Entry index + 1 per slot (0: empty); the count is a power of two, at most half full.
  var slots = [Int32](repeating: 0, count: 64)
  var hashes: [Int] = []
  var keys: [[UInt8]] = []
  var groups: [Group] = []
  /// The group of events without a value.
  var absent: Group?

  /// An empty table.
  package init() {}

  package var isEmpty: Bool { groups.isEmpty && absent == nil }

  /// Updates the group of `key` (nil: no value) with `update`, making it with `make` first.
  @inline(__always)
  mutating func update(_ key: UnsafeRawBufferPointer?, make: () -> Group, _ update: (inout Group) -> Void) {
    guard let key else {
      var group = absent ?? make()
      update(&group)
      absent = group
      return
    }
    var hasher = Hasher()
    hasher.combine(bytes: key)
    let hash = hasher.finalize()
    let mask = slots.count - 1
    var slot = hash & mask
    while true {
      let entry = Int(slots[slot]) - 1
      if entry < 0 { break }
      if hashes[entry] == hash && Self.equal(keys[entry], key) {
        update(&groups[entry])
        return
      }
      slot = (slot + 1) & mask
    }
    slots[slot] = Int32(truncatingIfNeeded: groups.count + 1)
    hashes.append(hash)
    keys.append(Array(key))
    var group = make()
    update(&group)
    groups.append(group)
    if 2 * groups.count > slots.count { grow() }
  }

  static func equal(_ stored: [UInt8], _ key: UnsafeRawBufferPointer) -> Bool {
    let count = key.count
    guard stored.count == count else { return false }
    return stored.withUnsafeBytes { mine in
      // Eight bytes at a time, then the rest.
      var i = 0
      while i &+ 8 <= count {
        guard
          mine.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            == key.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        else { return false }
        i &+= 8
      }
      while i < count {
        guard mine[i] == key[i] else { return false }
        i &+= 1
      }
      return true
    }
  }

  mutating func grow() {
    slots = [Int32](repeating: 0, count: 2 * slots.count)
    let mask = slots.count - 1
    for (entry, hash) in hashes.enumerated() {
      var slot = hash & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(truncatingIfNeeded: entry + 1)
    }
  }

  /// Every group with its key as text (nil for the group without a value).
  package var entries: [(key: String?, group: Group)] {
    var out = zip(keys, groups).map { (key: Optional(String(decoding: $0.0, as: UTF8.self)), group: $0.1) }
    if let absent { out.append((nil, absent)) }
    return out
  }
}

/// What a count by column keeps of a group's events (the event store's answers, TrailStore's
/// StoreGroups): how many, how many failed, the first and last time.
package struct EventCounts: Sendable {
  package var count = 0
  package var failed = 0
  package var firstSeen: Timestamp?
  package var lastSeen: Timestamp?

  /// No events.
  package init() {}

  /// Adds the events `other` counted.
  package mutating func add(_ other: EventCounts) {
    count += other.count
    failed += other.failed
    if let first = other.firstSeen, firstSeen.map({ first < $0 }) ?? true { firstSeen = first }
    if let last = other.lastSeen, lastSeen.map({ last > $0 }) ?? true { lastSeen = last }
  }
}

extension ByteKeyedGroups where Group == EventCounts {
  /// Adds `counts` to the group of `key` (nil: no value); made here, where the table's generic
  /// code is specialized for the type (a call from another module would not be).
  package mutating func add(_ key: UnsafeRawBufferPointer?, _ counts: EventCounts) {
    update(key, make: { EventCounts() }, { $0.add(counts) })
  }
}
