// ISO 8601 parsing for Timestamp: a fixed-layout fast path for CloudTrail's `eventTime`
// (called once per event, so no allocation and no Foundation) and a tolerant slow path for
// what users type (`--since`) and what other fields hold (`creationDate`, digest times).

extension Timestamp {
  /// Parses an ISO 8601 timestamp from UTF-8 bytes.
  ///
  /// Fast path: exactly 20 bytes `YYYY-MM-DDTHH:MM:SSZ` (CloudTrail's `eventTime`), without
  /// allocating. Otherwise the tolerant path accepts:
  /// - extended `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DDTHH:MM` (seconds 0), `T`, `t` or a space
  ///   between date and time;
  /// - the basic form `YYYYMMDDTHHMMSS` (as in `20131102T010628Z`);
  /// - a fraction of any number of digits after `.` or `,` (kept to the nanosecond, truncated);
  /// - a zone `Z`/`z`, an offset `+HH:MM`, `+HHMM` or `+HH` (or `-`), or no zone at all (UTC);
  /// - a bare date `YYYY-MM-DD` (midnight UTC).
  ///
  /// Returns nil for anything else: out-of-range fields (`2024-13-01`, `2024-02-30`, hour 24,
  /// an offset beyond 23:59), leading or trailing characters, empty input.
  public static func parse(_ bytes: UnsafeRawBufferPointer) -> Timestamp? {
    if bytes.count == 20, let fixed = parseCloudTrailLayout(bytes) { return fixed }
    return parseTolerant(bytes)
  }

  /// Parses an ISO 8601 timestamp from text (see `parse(_: UnsafeRawBufferPointer)`).
  public static func parse(_ text: String) -> Timestamp? {
    if let result = text.utf8.withContiguousStorageIfAvailable({ parse(UnsafeRawBufferPointer($0)) }) {
      return result
    }
    var copy = text
    return copy.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
  }

  /// `YYYY-MM-DDTHH:MM:SSZ`, exactly 20 bytes; nil when the layout or a field is wrong.
  @inline(__always)
  static func parseCloudTrailLayout(_ p: UnsafeRawBufferPointer) -> Timestamp? {
    guard p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-"), p[10] == UInt8(ascii: "T"),
      p[13] == UInt8(ascii: ":"), p[16] == UInt8(ascii: ":"), p[19] == UInt8(ascii: "Z")
    else { return nil }
    let year = digits(p, 0, 4)
    let month = digits(p, 5, 2)
    let day = digits(p, 8, 2)
    let hour = digits(p, 11, 2)
    let minute = digits(p, 14, 2)
    let second = digits(p, 17, 2)
    guard year >= 0, month >= 0, day >= 0, hour >= 0, minute >= 0, second >= 0 else { return nil }
    return Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
  }

  /// The tolerant grammar described on `parse(_:)`.
  static func parseTolerant(_ p: UnsafeRawBufferPointer) -> Timestamp? {
    let n = p.count
    var i = 0
    let year = digits(p, 0, 4)
    guard year >= 0 else { return nil }
    i = 4
    let extended = i < n && p[i] == UInt8(ascii: "-")
    let month: Int
    let day: Int
    if extended {
      guard n >= 10, p[7] == UInt8(ascii: "-") else { return nil }
      month = digits(p, 5, 2)
      day = digits(p, 8, 2)
      i = 10
    } else {
      month = digits(p, 4, 2)
      day = digits(p, 6, 2)
      i = 8
    }
    guard month >= 0, day >= 0 else { return nil }
    if i == n {  // a bare date (extended form only)
      return extended ? Timestamp(year: year, month: month, day: day) : nil
    }
    let separator = p[i]
    guard
      separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
        || (separator == UInt8(ascii: " ") && extended)
    else { return nil }
    i += 1

    // Time of day: HH:MM[:SS] (extended) or HHMMSS (basic).
    let hour = digits(p, i, 2)
    var minute = -1
    var second = 0
    if extended {
      guard i + 5 <= n, p[i + 2] == UInt8(ascii: ":") else { return nil }
      minute = digits(p, i + 3, 2)
      i += 5
      if i < n && p[i] == UInt8(ascii: ":") {
        second = digits(p, i + 1, 2)
        i += 3
      }
    } else {
      minute = digits(p, i + 2, 2)
      second = digits(p, i + 4, 2)
      i += 6
    }
    guard hour >= 0, minute >= 0, second >= 0, i <= n else { return nil }

    // Fraction: any number of digits; the first nine are kept.
    var nanos: Int32 = 0
    if i < n && (p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",")) {
      i += 1
      var count = 0
      while i < n, let d = digitValue(p[i]) {
        if count < 9 { nanos = nanos * 10 + Int32(d) }
        count += 1
        i += 1
      }
      guard count > 0 else { return nil }
      for _ in min(count, 9)..<9 { nanos *= 10 }
    }

    // Zone: Z, ±HH[:MM|MM], or nothing.
    var offset: Int64 = 0
    if i < n {
      let z = p[i]
      if z == UInt8(ascii: "Z") || z == UInt8(ascii: "z") {
        i += 1
      } else if z == UInt8(ascii: "+") || z == UInt8(ascii: "-") {
        let oh = digits(p, i + 1, 2)
        guard oh >= 0, oh < 24 else { return nil }
        i += 3
        var om = 0
        if i < n {
          if p[i] == UInt8(ascii: ":") {
            om = digits(p, i + 1, 2)
            i += 3
          } else {
            om = digits(p, i, 2)
            i += 2
          }
          guard om >= 0, om < 60 else { return nil }
        }
        offset = Int64(oh * 3600 + om * 60)
        if z == UInt8(ascii: "-") { offset = -offset }
      } else {
        return nil
      }
    }
    guard i == n,
      let local = Timestamp(
        year: year, month: month, day: day, hour: hour, minute: minute,
        second: second, nanoseconds: nanos)
    else { return nil }
    return Timestamp(seconds: local.seconds - offset, nanoseconds: nanos)
  }

  /// The value of `count` ASCII digits at `start`, or -1 if any is missing or not a digit.
  @inline(__always)
  static func digits(_ p: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int {
    guard start >= 0, start + count <= p.count else { return -1 }
    var value = 0
    for k in start..<(start + count) {
      let d = p[k] &- UInt8(ascii: "0")
      guard d < 10 else { return -1 }
      value = value * 10 + Int(d)
    }
    return value
  }

  @inline(__always)
  static func digitValue(_ b: UInt8) -> UInt8? {
    let d = b &- UInt8(ascii: "0")
    return d < 10 ? d : nil
  }
}
