// `--sort time` and `timeline`: holds matching events as compact JSON (not the decoded model),
// then replays them oldest first, ties in input order, through any other sink. With a limit N
// only the N earliest so far are held (a bounded heap), so memory is N events whatever the
// input; without one, every match is held. Held events are parsed again with the scan's own
// limits; one that does not parse is reported with its file and byte, and the rest replayed.
import TrailEvent
import TrailJSON
import TrailQuery
import TrailTime

/// Buffers events and passes them on sorted by time (events without one last, in input order).
package final class SortingSink: EventSink {
  struct Held {
    var time: Timestamp?
    var sequence: Int
    var json: [UInt8]
    var isLakeEvent: Bool
    var timeField: [String]?
    var originResolver: (any OriginResolving)?
    var origin: EventOrigin
  }

  let inner: any EventSink
  let limit: Int?
  let limits: JSONLimits
  let onUnreadable: (EventOrigin, JSONError) throws -> Void
  /// With a limit: a heap whose top is the latest event kept (the first to give way); without
  /// one: every event, in input order.
  var held: [Held] = []
  /// Events written so far (the tie-breaker: input order).
  var sequence = 0

  /// `limit` keeps only the first N events after sorting (holding no more than N); `limits`
  /// are the scan's JSON limits, for reading the held events again; `onUnreadable` hears of a
  /// held event that does not read again (by default, the error ends the replay).
  package init(
    passingTo inner: any EventSink, limit: Int? = nil, limits: JSONLimits = .default,
    onUnreadable: @escaping (EventOrigin, JSONError) throws -> Void = { _, error in throw error }
  ) {
    self.inner = inner
    self.limit = limit
    self.limits = limits
    self.onUnreadable = onUnreadable
  }

  /// Whether an event at `a` comes before one at `b`: timed before untimed, earlier first,
  /// then input order — the order of sorting every event, so keeping the N first of it is the
  /// same as sorting all and cutting.
  static func precedes(_ a: (time: Timestamp?, sequence: Int), _ b: (time: Timestamp?, sequence: Int)) -> Bool {
    switch (a.time, b.time) {
    case (let x?, let y?) where x != y: return x < y
    case (nil, _?): return false
    case (_?, nil): return true
    default: return a.sequence < b.sequence
    }
  }

  static func precedes(_ a: Held, _ b: Held) -> Bool {
    precedes((a.time, a.sequence), (b.time, b.sequence))
  }

  package func write(_ view: EventView, origin: EventOrigin) throws {
    let time = view.eventTime
    let position = sequence
    sequence += 1
    func hold() -> Held {
      var json: [UInt8] = []
      JSONWriter.appendCompacted(view.json, to: &json)
      return Held(
        time: time, sequence: position, json: json, isLakeEvent: view.isLakeEvent, timeField: view.timeField,
        originResolver: view.originResolver,
        origin: origin)
    }
    guard let limit else { return held.append(hold()) }
    if held.count < limit {
      held.append(hold())
      siftUp(held.count - 1)
    } else if let latest = held.first, Self.precedes((time, position), (latest.time, latest.sequence)) {
      // Earlier than the latest kept: it takes that one's place (nothing is copied otherwise).
      held[0] = hold()
      siftDown(0)
    }
  }

  /// Restores the heap (no parent precedes its child) upwards from `index`.
  func siftUp(_ index: Int) {
    var child = index
    while child > 0 {
      let parent = (child - 1) / 2
      guard Self.precedes(held[parent], held[child]) else { return }
      held.swapAt(parent, child)
      child = parent
    }
  }

  /// Restores the heap downwards from `index`.
  func siftDown(_ index: Int) {
    var parent = index
    while true {
      var latest = parent
      let left = 2 * parent + 1
      if left < held.count && Self.precedes(held[latest], held[left]) { latest = left }
      if left + 1 < held.count && Self.precedes(held[latest], held[left + 1]) { latest = left + 1 }
      if latest == parent { return }
      held.swapAt(parent, latest)
      parent = latest
    }
  }

  package func finish() throws {
    held.sort(by: Self.precedes)
    let document = JSONDocument()
    let events = held
    held = []
    for item in events {
      do {
        try item.json.withUnsafeBytes { try document.parse($0, limits: limits) }
      } catch let error as JSONError {
        try onUnreadable(item.origin, error)
        continue
      }
      let view = EventView(
        reopening: document.root, asLakeEvent: item.isLakeEvent, timeField: item.timeField, limits: limits
      )
      .resolvingOrigin(with: item.originResolver)
      try inner.write(view, origin: item.origin)
    }
    try inner.finish()
  }
}
