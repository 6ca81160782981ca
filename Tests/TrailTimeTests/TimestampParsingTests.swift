// The ISO 8601 parser: CloudTrail's fixed layout, every tolerant form the slow path accepts,
// and the garbage it must reject rather than guess at.

import Testing
import TrailTime

@Suite struct TimestampParsingTests {
  static let reference = Timestamp(year: 2024, month: 5, day: 14, hour: 9, minute: 12, second: 33)!

  @Test func cloudTrailLayout() {
    #expect(Timestamp.parse("2024-05-14T09:12:33Z") == Self.reference)
    #expect(Timestamp.parse("1970-01-01T00:00:00Z") == .epoch)
    #expect(Timestamp.parse("1969-12-31T23:59:59Z") == Timestamp(seconds: -1))
    #expect(Timestamp.parse("2000-02-29T12:00:00Z") != nil)
  }

  @Test func fromRawBytes() {
    let bytes = Array("2024-05-14T09:12:33Z".utf8)
    let parsed = bytes.withUnsafeBytes { Timestamp.parse($0) }
    #expect(parsed == Self.reference)
    // A slice of a larger buffer, as a JSON decoder would hand it over.
    let record = Array(#"{"eventTime":"2024-05-14T09:12:33Z","x":1}"#.utf8)
    let inside = record.withUnsafeBytes { Timestamp.parse(UnsafeRawBufferPointer(rebasing: $0[14..<34])) }
    #expect(inside == Self.reference)
  }

  @Test func builtAndSlicedStrings() {
    #expect(Timestamp.parse(["2024-05-14", "T09:12:33Z"].joined()) == Self.reference)
    #expect(Timestamp.parse(String("x2024-05-14T09:12:33Z".dropFirst())) == Self.reference)
  }

  @Test(arguments: [
    ("2024-05-14T09:12:33.123Z", 123_000_000),
    ("2024-05-14T09:12:33,5Z", 500_000_000),
    ("2024-05-14T09:12:33.123456789Z", 123_456_789),
    ("2024-05-14T09:12:33.1234567891234Z", 123_456_789),
    ("2024-05-14T09:12:33.000001Z", 1_000),
  ])
  func fractions(text: String, nanos: Int32) {
    #expect(Timestamp.parse(text) == Timestamp(seconds: Self.reference.seconds, nanoseconds: nanos))
  }

  @Test(arguments: [
    "2024-05-14T09:12:33z",
    "2024-05-14t09:12:33Z",
    "2024-05-14 09:12:33Z",
    "2024-05-14T09:12:33",
    "2024-05-14 09:12:33",
    "2024-05-14T11:12:33+02:00",
    "2024-05-14T11:12:33+0200",
    "2024-05-14T11:12:33+02",
    "2024-05-14T04:12:33-05:00",
    "2024-05-14T04:12:33-0500",
    "2024-05-14T04:12:33-05",
    "2024-05-14T14:42:33+05:30",
    "2024-05-14T09:12:33+00:00",
    "2024-05-14T09:12:33-00:00",
    "2024-05-13T23:12:33-10:00",
    "20240514T091233Z",
    "20240514T091233",
    "20240514T111233+0200",
  ])
  func tolerantForms(text: String) {
    #expect(Timestamp.parse(text) == Self.reference, "\(text)")
  }

  @Test func basicFormFromTheDocs() {
    #expect(Timestamp.parse("20131102T010628Z")?.iso8601 == "2013-11-02T01:06:28Z")
  }

  @Test func offsetsCrossDayAndYear() {
    #expect(Timestamp.parse("2024-01-01T00:30:00+01:00")?.iso8601 == "2023-12-31T23:30:00Z")
    #expect(Timestamp.parse("2023-12-31T23:30:00-01:00")?.iso8601 == "2024-01-01T00:30:00Z")
    #expect(Timestamp.parse("2024-03-01T00:00:00+00:01")?.iso8601 == "2024-02-29T23:59:00Z")
  }

  @Test func bareDateAndMinutes() {
    #expect(Timestamp.parse("2024-05-14")?.iso8601 == "2024-05-14T00:00:00Z")
    #expect(Timestamp.parse("1900-03-01") == Timestamp(year: 1900, month: 3, day: 1))
    #expect(Timestamp.parse("2024-05-14T09:12")?.iso8601 == "2024-05-14T09:12:00Z")
    #expect(Timestamp.parse("2024-05-14T09:12Z")?.iso8601 == "2024-05-14T09:12:00Z")
  }

  @Test(arguments: [
    "",
    "2024-13-01T00:00:00Z",
    "2024-00-01T00:00:00Z",
    "2024-02-30",
    "2023-02-29",
    "1900-02-29T00:00:00Z",
    "2024-05-14T25:00:00Z",
    "2024-05-14T24:00:00Z",
    "2024-05-14T09:60:00Z",
    "2024-05-14T09:12:60Z",
    "2024-05-14T09:12:33Zjunk",
    "2024-05-14T09:12:33Z ",
    " 2024-05-14T09:12:33Z",
    "2024-05-14junk",
    "2024-05-14T",
    "2024-05-14T09",
    "2024-05-14T09:1",
    "2024-05-14T09:12:3",
    "2024-05-14T09:12:33.",
    "2024-05-14T09:12:33.Z",
    "2024-05-14T09:12:33+",
    "2024-05-14T09:12:33+1",
    "2024-05-14T09:12:33+01:",
    "2024-05-14T09:12:33+01:0",
    "2024-05-14T09:12:33+24:00",
    "2024-05-14T09:12:33+01:60",
    "2024-05-14T09:12:33+01:00Z",
    "2024-05-14T09:12:33ZZ",
    "2024-05-14X09:12:33Z",
    "2024/05/14T09:12:33Z",
    "2024-5-14T09:12:33Z",
    "24-05-14T09:12:33Z",
    "2024-05-14T091233Z",
    "20240514T09:12:33Z",
    "20240514 091233Z",
    "20240514",
    "2024-0514",
    "-2024-05-14",
    "2024-05-14T09:12:33Ż",
    "２０２４-05-14",
    "not a date",
    "2024-05-1a",
    "2024-05-14T09:12:33Q",
  ])
  func rejects(text: String) {
    #expect(Timestamp.parse(text) == nil, "\(text)")
  }

  @Test func everyPrefixOfAValidStampIsHandled() {
    // No prefix of the full form may trap; the valid ones are exactly the date and HH:MM forms.
    let full = "2024-05-14T09:12:33.123+02:00"
    let bytes = Array(full.utf8)
    var accepted: [String] = []
    for length in 0...bytes.count {
      let prefix = String(decoding: bytes[..<length], as: UTF8.self)
      if Timestamp.parse(prefix) != nil { accepted.append(prefix) }
    }
    #expect(
      accepted == [
        "2024-05-14", "2024-05-14T09:12", "2024-05-14T09:12:33", "2024-05-14T09:12:33.1",
        "2024-05-14T09:12:33.12", "2024-05-14T09:12:33.123", "2024-05-14T09:12:33.123+02",
        "2024-05-14T09:12:33.123+02:00",
      ])
  }
}
