// Round trips and formatting of Timestamp: random instants (fixed seed) through components,
// ISO 8601 text and the byte appender; ordering; nanosecond normalisation.

import Testing
import TrailTestSupport
import TrailTime

@Suite struct TimestampTests {
  static let first = Timestamp(year: 0, month: 1, day: 1)!.seconds
  static let last = Timestamp(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59)!.seconds

  @Test func randomRoundTrips() {
    var rng = SplitMix64(seed: 0x7472_6169_6C2D_7363)
    for _ in 0..<20_000 {
      let seconds = Int64.random(in: Self.first...Self.last, using: &rng)
      let millis = Int32.random(in: 0..<1000, using: &rng)
      let t = Timestamp(seconds: seconds, nanoseconds: Bool.random(using: &rng) ? 0 : millis * 1_000_000)
      let c = t.components
      let rebuilt = Timestamp(
        year: c.year, month: c.month, day: c.day, hour: c.hour,
        minute: c.minute, second: c.second, nanoseconds: t.nanoseconds)
      #expect(rebuilt == t)
      let text = t.iso8601
      #expect(Timestamp.parse(text) == t, "\(text)")
      var bytes: [UInt8] = []
      t.appendISO8601(to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == text)
      #expect(text.hasPrefix(t.hour) && t.hour.hasPrefix(t.date))
    }
  }

  @Test func formatting() {
    let t = Timestamp(year: 2024, month: 5, day: 14, hour: 9, minute: 12, second: 33)!
    #expect(t.iso8601 == "2024-05-14T09:12:33Z")
    #expect(t.description == "2024-05-14T09:12:33Z")
    #expect("\(t)" == "2024-05-14T09:12:33Z")
    #expect(t.date == "2024-05-14")
    #expect(t.hour == "2024-05-14T09")
    #expect(Timestamp(seconds: t.seconds, nanoseconds: 123_456_789).iso8601 == "2024-05-14T09:12:33.123Z")
    #expect(Timestamp(seconds: t.seconds, nanoseconds: 5_000_000).iso8601 == "2024-05-14T09:12:33.005Z")
    #expect(Timestamp(seconds: t.seconds, nanoseconds: 999).iso8601 == "2024-05-14T09:12:33.000Z")
    #expect(Timestamp.epoch.iso8601 == "1970-01-01T00:00:00Z")
    #expect(Timestamp(year: 0, month: 1, day: 1)!.iso8601 == "0000-01-01T00:00:00Z")
    #expect(Timestamp(seconds: 253_402_300_800).iso8601 == "10000-01-01T00:00:00Z")
    #expect(Timestamp(seconds: -62_167_219_201).iso8601 == "-0001-12-31T23:59:59Z")
  }

  @Test func appendKeepsExistingBytes() {
    var buffer = Array("time=".utf8)
    Timestamp(seconds: 0).appendISO8601(to: &buffer)
    #expect(String(decoding: buffer, as: UTF8.self) == "time=1970-01-01T00:00:00Z")
  }

  @Test func ordering() {
    let a = Timestamp(seconds: 10, nanoseconds: 5)
    let b = Timestamp(seconds: 10, nanoseconds: 6)
    let c = Timestamp(seconds: 11)
    let before = Timestamp(seconds: -5, nanoseconds: 999_999_999)
    #expect(a < b && b < c && before < a)
    #expect([c, a, before, b].sorted() == [before, a, b, c])
    #expect(Set([a, Timestamp(seconds: 10, nanoseconds: 5)]).count == 1)
  }

  @Test func nanosecondsAreNormalised() {
    #expect(Timestamp(seconds: 10, nanoseconds: 1_500_000_000) == Timestamp(seconds: 11, nanoseconds: 500_000_000))
    #expect(Timestamp(seconds: 10, nanoseconds: -1) == Timestamp(seconds: 9, nanoseconds: 999_999_999))
    #expect(Timestamp(seconds: 0, nanoseconds: -1_000_000_000) == Timestamp(seconds: -1))
  }

  /// Far outside the calendar range the fields are still computed, without overflow, and are
  /// the proleptic Gregorian date of that instant. Expected values worked out independently
  /// (Python: 400-year cycles of 146 097 days from 1970-01-01, the remainder by `datetime`).
  static let extremes: [(seconds: Int64, fields: [Int], iso8601: String)] = [
    (Int64.max, [292_277_026_596, 12, 4, 15, 30, 7], "292277026596-12-04T15:30:07Z"),
    (Int64.max / 2, [146_138_514_283, 6, 19, 7, 45, 3], "146138514283-06-19T07:45:03Z"),
    (Int64.min / 2, [-146_138_510_344, 7, 14, 16, 14, 56], "-146138510344-07-14T16:14:56Z"),
    (Int64.min, [-292_277_022_657, 1, 27, 8, 29, 52], "-292277022657-01-27T08:29:52Z"),
  ]

  @Test func extremeSecondsDoNotTrap() {
    for (seconds, fields, iso8601) in Self.extremes {
      let t = Timestamp(seconds: seconds)
      let c = t.components
      #expect([c.year, c.month, c.day, c.hour, c.minute, c.second] == fields, "\(seconds)")
      #expect(t.iso8601 == iso8601, "\(seconds)")
      #expect(t.description == iso8601)
      #expect(
        t.date == String(iso8601.prefix(iso8601.count - 10)) && t.hour == String(iso8601.prefix(iso8601.count - 7)))
      var bytes: [UInt8] = []
      t.appendISO8601(to: &bytes)
      #expect(String(decoding: bytes, as: UTF8.self) == iso8601)
      // With a fraction: milliseconds written, the fields unchanged.
      let fraction = Timestamp(seconds: seconds, nanoseconds: 999_999_999)
      #expect(fraction.iso8601 == iso8601.dropLast() + ".999Z" && fraction.seconds == seconds)
    }
  }

  @Test func arithmeticAndBuckets() {
    let t = Timestamp.parse("2024-05-14T09:12:33Z")!
    #expect((t + TimeSpan.parse("1h30m")!).iso8601 == "2024-05-14T10:42:33Z")
    #expect((t - TimeSpan.parse("7d")!).iso8601 == "2024-05-07T09:12:33Z")
    #expect(t.truncated(to: TimeSpan.parse("15m")!).iso8601 == "2024-05-14T09:00:00Z")
    #expect(t.truncated(to: TimeSpan.parse("1d")!).iso8601 == "2024-05-14T00:00:00Z")
    #expect(Timestamp(seconds: -1).truncated(to: TimeSpan(seconds: 3600)).iso8601 == "1969-12-31T23:00:00Z")
    #expect(t.truncated(to: TimeSpan(seconds: 0)) == t)
  }
}
