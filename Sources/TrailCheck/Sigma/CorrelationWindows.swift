// A Sigma correlation over one group's events, in any order: windows start at each event's time and last
// `timespan` (an event exactly `timespan` after the first is outside, as for threshold windows);
// each window has a measure — its events (event_count), the distinct values of the field in them
// (value_count), or the distinct referred rules they match (temporal). The group fires when its
// peak, the largest measure, meets the condition; the finding holds the events of every window
// whose measure meets it. Linear after sorting (two pointers, counts updated as windows slide).
import TrailTime

/// One event of a correlation's group.
struct CorrelatedHit {
  var hit: Hit
  var time: Timestamp
  /// The referred rules the event matched, one bit each (in `references` order).
  var bases: UInt64
  /// For value_count: the event's distinct values of the field.
  var values: [String]
}

enum CorrelationWindows {
  struct Outcome {
    var peak: Int
    var peakStart: Timestamp
    /// The events of the windows that meet the condition, in time order.
    var hits: [Hit]
    /// The time each such window covers, from its first to its last event, merged.
    var ranges: [ClosedRange<Timestamp>]
  }

  /// Nil when the group's peak does not meet the condition.
  static func evaluate(_ hits: [CorrelatedHit], _ correlation: Correlation) -> Outcome? {
    // By time, then event id, then file: strings are compared only on ties of time.
    let sorted = hits.sorted { a, b in
      if a.time != b.time { return a.time < b.time }
      let (x, y) = (a.hit.eventID ?? "", b.hit.eventID ?? "")
      if x != y { return x < y }
      return a.hit.path < b.hit.path
    }
    guard !sorted.isEmpty else { return nil }
    var measure = Measure(kind: correlation.kind)
    var measures = [Int](repeating: 0, count: sorted.count)
    var ends = [Int](repeating: 0, count: sorted.count)
    var end = 0
    for start in sorted.indices {
      while end < sorted.count && sorted[end].time - correlation.timespan < sorted[start].time {
        measure.add(sorted[end])
        end += 1
      }
      measures[start] = measure.value
      ends[start] = end
      measure.remove(sorted[start])
    }
    // A window starts at each distinct time (events at the same time share their window).
    let starts = sorted.indices.filter { $0 == 0 || sorted[$0 - 1].time != sorted[$0].time }
    guard let peak = starts.map({ measures[$0] }).max(), correlation.condition.holds(peak),
      let peakIndex = starts.first(where: { measures[$0] == peak })
    else { return nil }
    var inWindow = [Bool](repeating: false, count: sorted.count)
    var ranges: [ClosedRange<Timestamp>] = []
    var markedUpTo = 0
    for start in starts where correlation.condition.holds(measures[start]) {
      for index in max(start, markedUpTo)..<ends[start] { inWindow[index] = true }
      markedUpTo = max(markedUpTo, ends[start])
      let range = sorted[start].time...sorted[ends[start] - 1].time
      if let last = ranges.last, range.lowerBound <= last.upperBound {
        ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        ranges.append(range)
      }
    }
    return Outcome(
      peak: peak, peakStart: sorted[peakIndex].time,
      hits: zip(sorted, inWindow).filter(\.1).map(\.0.hit), ranges: ranges)
  }

  /// The measure of the current window, kept up to date as events enter and leave it.
  struct Measure {
    let kind: Correlation.Kind
    var events = 0
    var valueCounts: [String: Int] = [:]
    var baseCounts = [Int](repeating: 0, count: 64)
    var basesPresent = 0

    init(kind: Correlation.Kind) { self.kind = kind }

    var value: Int {
      switch kind {
      case .eventCount: events
      case .valueCount: valueCounts.count
      case .temporal: basesPresent
      }
    }

    mutating func add(_ hit: CorrelatedHit) { change(hit, by: 1) }
    mutating func remove(_ hit: CorrelatedHit) { change(hit, by: -1) }

    mutating func change(_ hit: CorrelatedHit, by delta: Int) {
      events += delta
      switch kind {
      case .eventCount: break
      case .valueCount:
        for value in hit.values {
          let count = valueCounts[value, default: 0] + delta
          valueCounts[value] = count > 0 ? count : nil
        }
      case .temporal:
        var bits = hit.bases
        while bits != 0 {
          let base = bits.trailingZeroBitCount
          bits &= bits - 1
          let before = baseCounts[base]
          baseCounts[base] += delta
          if before == 0 && delta > 0 { basesPresent += 1 }
          if baseCounts[base] == 0 && delta < 0 { basesPresent -= 1 }
        }
      }
    }
  }
}
