// The one instant type of trail-scan: UTC seconds and nanoseconds since the Unix epoch, with
// calendar construction and decomposition. Parsing and formatting live in their own files;
// nothing here needs Foundation, so every module (even TrailJSON's neighbours) can use it.

/// An instant in UTC: whole seconds since 1970-01-01T00:00:00Z plus a nanosecond fraction.
///
/// Ordering, equality and hashing follow the instant (seconds, then nanoseconds).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// Seconds since 1970-01-01T00:00:00Z (negative before).
  public var seconds: Int64
  /// The fraction of the second, in `0..<1_000_000_000`.
  public var nanoseconds: Int32

  /// An instant from seconds since the epoch. A `nanoseconds` value outside
  /// `0..<1_000_000_000` is carried into `seconds`, so the stored fraction is always in range.
  @inlinable
  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    if nanoseconds >= 0 && nanoseconds < 1_000_000_000 {
      self.seconds = seconds
      self.nanoseconds = nanoseconds
    } else {
      var (q, r) = Int64(nanoseconds).quotientAndRemainder(dividingBy: 1_000_000_000)
      if r < 0 {
        q -= 1
        r += 1_000_000_000
      }
      self.seconds = seconds + q
      self.nanoseconds = Int32(r)
    }
  }

  /// The instant `year-month-dayThour:minute:second.nanosecondsZ` (proleptic Gregorian, UTC).
  ///
  /// Returns nil when a component is out of range: year outside 0...9999, month outside 1...12,
  /// a day the month does not have (Feb 30, Feb 29 of a common year), hour 24 or more, minute or
  /// second 60 or more (leap seconds are not represented), nanoseconds outside `0..<1e9`.
  public init?(
    year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
    nanoseconds: Int32 = 0
  ) {
    guard (0...9999).contains(year), (1...12).contains(month), day >= 1,
      day <= CivilCalendar.daysInMonth(year: Int64(year), month: Int64(month)),
      (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second),
      (0..<1_000_000_000).contains(nanoseconds)
    else { return nil }
    let days = CivilCalendar.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
    self.seconds =
      days * CivilCalendar.secondsPerDay
      + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
    self.nanoseconds = nanoseconds
  }

  /// 1970-01-01T00:00:00Z.
  public static let epoch = Timestamp(seconds: 0)

  /// The calendar fields of this instant in UTC (the nanosecond fraction is not included).
  public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
    let (days, secondOfDay) = CivilCalendar.split(seconds)
    let (y, m, d) = CivilCalendar.civilFromDays(days)
    return (
      Int(y), Int(m), Int(d),
      Int(secondOfDay / 3600), Int(secondOfDay / 60 % 60), Int(secondOfDay % 60)
    )
  }

  /// Chronological order: by whole seconds, then by the nanosecond fraction.
  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
  }

  /// The ISO 8601 form, as `iso8601`.
  public var description: String { iso8601 }
}
