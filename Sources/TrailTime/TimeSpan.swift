// Relative lengths of time as users type them on the command line (`--since 24h`,
// `--every 15m`, the pruning slack `1h`), parsed without Foundation.
// Calendar-free on purpose: a day is 86,400 seconds, a week 7 days (everything is UTC).

/// A signed length of time in whole seconds.
public struct TimeSpan: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The length in seconds (negative for a span backwards in time).
  public var seconds: Int64

  /// A span of `seconds` seconds.
  public init(seconds: Int64) { self.seconds = seconds }

  /// Units in the order they must appear, with their length in seconds.
  private static let units: [(letter: UInt8, seconds: Int64)] = [
    (UInt8(ascii: "w"), 604_800), (UInt8(ascii: "d"), 86_400), (UInt8(ascii: "h"), 3_600),
    (UInt8(ascii: "m"), 60), (UInt8(ascii: "s"), 1),
  ]

  /// Parses `90s`, `90m`, `24h`, `7d`, `2w` and combinations such as `1h30m` or `1d12h`.
  ///
  /// Grammar: an optional `+` or `-`, then one or more `<digits><unit>` groups with units in
  /// descending order, each at most once (`w`, `d`, `h`, `m`, `s`; lower case only). Returns nil
  /// for anything else: empty text, a number without a unit (`90`), an unknown or upper-case unit,
  /// units out of order or repeated (`30m1h`, `1h1h`), spaces, or a total that overflows `Int64`.
  public static func parse(_ text: String) -> TimeSpan? {
    var bytes = Array(text.utf8)[...]
    var negative = false
    if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      bytes = bytes.dropFirst()
    }
    guard !bytes.isEmpty else { return nil }
    var total: Int64 = 0
    var nextUnit = 0  // index into `units` of the largest unit still allowed
    while !bytes.isEmpty {
      var value: Int64 = 0
      var digits = 0
      while let b = bytes.first, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") {
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int64(b - UInt8(ascii: "0")))
        guard !o1, !o2 else { return nil }
        value = a
        digits += 1
        bytes = bytes.dropFirst()
      }
      guard digits > 0, let letter = bytes.first,
        let index = units[nextUnit...].firstIndex(where: { $0.letter == letter })
      else { return nil }
      bytes = bytes.dropFirst()
      nextUnit = index + 1
      let (part, o1) = value.multipliedReportingOverflow(by: units[index].seconds)
      let (sum, o2) = total.addingReportingOverflow(part)
      guard !o1, !o2 else { return nil }
      total = sum
    }
    return TimeSpan(seconds: negative ? -total : total)
  }

  /// The canonical form: the largest units first, zero parts left out (`1h30m`, `-2d`, `0s`).
  public var description: String {
    if seconds == 0 { return "0s" }
    var text = seconds < 0 ? "-" : ""
    var rest = seconds.magnitude
    for unit in Self.units {
      let size = UInt64(unit.seconds)
      if rest >= size {
        text += String(rest / size) + String(UnicodeScalar(unit.letter))
        rest %= size
      }
    }
    return text
  }

  /// Orders by length in seconds, so a negative span sorts before every positive one.
  public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }
}

extension Timestamp {
  /// The instant `span` later (earlier for a negative span).
  public static func + (lhs: Timestamp, rhs: TimeSpan) -> Timestamp {
    Timestamp(seconds: lhs.seconds + rhs.seconds, nanoseconds: lhs.nanoseconds)
  }

  /// The instant `span` earlier (later for a negative span).
  public static func - (lhs: Timestamp, rhs: TimeSpan) -> Timestamp {
    Timestamp(seconds: lhs.seconds - rhs.seconds, nanoseconds: lhs.nanoseconds)
  }

  /// The start of the `span`-long bucket holding this instant, buckets aligned on the epoch
  /// (for `--every 15m` histograms). A non-positive span returns the instant unchanged.
  public func truncated(to span: TimeSpan) -> Timestamp {
    guard span.seconds > 0 else { return self }
    var (q, r) = seconds.quotientAndRemainder(dividingBy: span.seconds)
    if r < 0 {
      q -= 1
      r += span.seconds
    }
    return Timestamp(seconds: q * span.seconds)
  }
}
