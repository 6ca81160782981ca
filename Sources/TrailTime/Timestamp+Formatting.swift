// Text forms of Timestamp: the ISO 8601 output used everywhere in trail-scan's output, and
// the `date`/`hour` bucket keys of the field vocabulary. The byte-appending variant lets
// printers write times without creating a String per event.

extension Timestamp {
  /// `2024-05-14T09:12:33Z`, or `2024-05-14T09:12:33.123Z` when `nanoseconds` is not zero
  /// (milliseconds, truncated). Years outside 0...9999 are written with as many digits as
  /// needed and a leading `-` when negative.
  public var iso8601: String {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(24)
    appendISO8601(to: &buffer)
    return String(decoding: buffer, as: UTF8.self)
  }

  /// The UTC date, `2024-05-14`.
  public var date: String {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(10)
    let (days, _) = CivilCalendar.split(seconds)
    Self.appendDate(days, to: &buffer)
    return String(decoding: buffer, as: UTF8.self)
  }

  /// The UTC date and hour, `2024-05-14T09`.
  public var hour: String {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(13)
    let (days, secondOfDay) = CivilCalendar.split(seconds)
    Self.appendDate(days, to: &buffer)
    buffer.append(UInt8(ascii: "T"))
    Self.appendPadded(secondOfDay / 3600, width: 2, to: &buffer)
    return String(decoding: buffer, as: UTF8.self)
  }

  /// Appends the `iso8601` form to `buffer` as UTF-8, without creating a String.
  public func appendISO8601(to buffer: inout [UInt8]) {
    let (days, secondOfDay) = CivilCalendar.split(seconds)
    let (y, m, d) = CivilCalendar.civilFromDays(days)
    guard y >= 0 && y <= 9999 else { return appendWideISO8601(days, secondOfDay, to: &buffer) }
    // Common case: fill a 24-byte stack buffer and append it in one go.
    var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
    let count = nanoseconds != 0 ? 24 : 20
    withUnsafeMutableBytes(of: &scratch) { p in
      @inline(__always) func put(_ value: Int64, _ at: Int, _ width: Int) {
        var v = value
        for i in stride(from: at + width - 1, through: at, by: -1) {
          p[i] = UInt8(truncatingIfNeeded: v % 10) &+ UInt8(ascii: "0")
          v /= 10
        }
      }
      put(y, 0, 4)
      p[4] = UInt8(ascii: "-")
      put(m, 5, 2)
      p[7] = UInt8(ascii: "-")
      put(d, 8, 2)
      p[10] = UInt8(ascii: "T")
      put(secondOfDay / 3600, 11, 2)
      p[13] = UInt8(ascii: ":")
      put(secondOfDay / 60 % 60, 14, 2)
      p[16] = UInt8(ascii: ":")
      put(secondOfDay % 60, 17, 2)
      if count == 24 {
        p[19] = UInt8(ascii: ".")
        put(Int64(nanoseconds / 1_000_000), 20, 3)
        p[23] = UInt8(ascii: "Z")
      } else {
        p[19] = UInt8(ascii: "Z")
      }
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: p[0..<count]))
    }
  }

  /// The general form for years outside 0...9999 (sign and extra digits as needed).
  private func appendWideISO8601(_ days: Int64, _ secondOfDay: Int64, to buffer: inout [UInt8]) {
    Self.appendDate(days, to: &buffer)
    buffer.append(UInt8(ascii: "T"))
    Self.appendPadded(secondOfDay / 3600, width: 2, to: &buffer)
    buffer.append(UInt8(ascii: ":"))
    Self.appendPadded(secondOfDay / 60 % 60, width: 2, to: &buffer)
    buffer.append(UInt8(ascii: ":"))
    Self.appendPadded(secondOfDay % 60, width: 2, to: &buffer)
    if nanoseconds != 0 {
      buffer.append(UInt8(ascii: "."))
      Self.appendPadded(Int64(nanoseconds / 1_000_000), width: 3, to: &buffer)
    }
    buffer.append(UInt8(ascii: "Z"))
  }

  /// `YYYY-MM-DD` for the day `days` after the epoch.
  @inline(__always)
  static func appendDate(_ days: Int64, to buffer: inout [UInt8]) {
    let (y, m, d) = CivilCalendar.civilFromDays(days)
    if y < 0 { buffer.append(UInt8(ascii: "-")) }
    appendPadded(y.magnitude, width: 4, to: &buffer)
    buffer.append(UInt8(ascii: "-"))
    appendPadded(m, width: 2, to: &buffer)
    buffer.append(UInt8(ascii: "-"))
    appendPadded(d, width: 2, to: &buffer)
  }

  /// The decimal digits of non-negative `value`, left-padded with zeros to `width`.
  @inline(__always)
  static func appendPadded<T: BinaryInteger>(_ value: T, width: Int, to buffer: inout [UInt8]) {
    var v = UInt64(value)
    var scratch:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    withUnsafeMutableBytes(of: &scratch) { digits in
      repeat {
        digits[19 - count] = UInt8(ascii: "0") + UInt8(v % 10)
        v /= 10
        count += 1
      } while v > 0 || count < width
      buffer.append(contentsOf: digits[(20 - count)...])
    }
  }
}
