// `--sort time` for event listings: holds each matching event's compact JSON (not the decoded
// model), then replays them oldest first, ties in input order, through any other sink. Memory
// grows with the matching events; without `--sort` output streams instead.
import TrailEvent
import TrailJSON
import TrailQuery
import TrailTime

/// Buffers events and passes them on sorted by `eventTime` (events without one last).
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
  var held: [Held] = []

  /// `limit` keeps only the first N events after sorting.
  package init(passingTo inner: any EventSink, limit: Int? = nil) {
    self.inner = inner
    self.limit = limit
  }

  package func write(_ view: EventView, origin: EventOrigin) throws {
    var json: [UInt8] = []
    JSONWriter.appendCompacted(view.json, to: &json)
    held.append(
      Held(
        time: view.eventTime, sequence: held.count, json: json, isLakeEvent: view.isLakeEvent,
        timeField: view.timeField, originResolver: view.originResolver, origin: origin))
  }

  package func finish() throws {
    held.sort { a, b in
      switch (a.time, b.time) {
      case (let x?, let y?) where x != y: return x < y
      case (nil, _?): return false
      case (_?, nil): return true
      default: return a.sequence < b.sequence
      }
    }
    let document = JSONDocument()
    for item in held.prefix(limit ?? held.count) {
      try item.json.withUnsafeBytes { try document.parse($0) }
      try inner.write(
        EventView(reopening: document.root, asLakeEvent: item.isLakeEvent, timeField: item.timeField)
          .resolvingOrigin(with: item.originResolver),
        origin: item.origin)
    }
    held = []
    try inner.finish()
  }
}
