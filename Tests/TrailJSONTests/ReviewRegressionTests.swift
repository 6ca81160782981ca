// Regressions found by review of the JSON layer (closing note of the core-pipeline issue): each
// test names the finding it pins.
import Foundation
import Testing
import TrailJSON
import TrailTestSupport

struct FramerReviewRegressions {
  static let e1 = #"{"eventName":"A"}"#
  static let e2 = #"{"eventName":"B"}"#

  @Test(
    "review 1: envelope members after Records are held to RFC 8259",
    arguments: [
      #"{"Records":[{"eventName":"A"}],"x":}"#, #"{"Records":[],"x":,"y":1}"#, #"{"Records":[],"x":1"y":2}"#,
      #"{"Records":[],"x":[}}"#, #"{"Records":[],"x":"\q"}"#, #"{"Records":[],"x\q":1}"#, #"{"Records":[],"x":tru}"#,
    ])
  func envelopeMembersAreStrict(_ input: String) {
    let out = FramerHarness.frame(input)
    #expect(out.fatal != nil, "\(input)")
    #expect(out.records.count == (input.contains("eventName") ? 1 : 0))
  }

  @Test func validEnvelopeMembersPassAtEverySplit() {
    let text =
      #"{"Records":[{"eventName":"A"}], "x\u0041" : {"a":[1,"\"]"]}, "n": -1.5e3,"Records":[{"eventName":"B"}]}"#
    let bytes = Array(text.utf8)
    let whole = FramerHarness.frame([bytes])
    #expect(whole.fatal == nil && whole.records.count == 2)
    for p in 0...bytes.count { #expect(FramerHarness.frame(ChunkFeeder.split(bytes, at: p)) == whole) }
  }

  @Test("review 2: an escaped Records key is still the envelope")
  func escapedRecordsKey() {
    let text = #"{"Rec\u006frds":["# + Self.e1 + "," + Self.e2 + "]}"
    let bytes = Array(text.utf8)
    let whole = FramerHarness.frame([bytes])
    #expect(whole.records.map { String(decoding: $0, as: UTF8.self) } == [Self.e1, Self.e2])
    for p in 0...bytes.count { #expect(FramerHarness.frame(ChunkFeeder.split(bytes, at: p)) == whole) }
    // Escapes that spell another key keep the object a record.
    #expect(FramerHarness.frame(#"{"Rec\u006Frdz":[1]}"#).records.count == 1)
    #expect(FramerHarness.frame(#"{"Rec\nords":[1]}"#).records.count == 1)
  }

  @Test("review 3: a bad first key spoils one record, not the stream")
  func badFirstKeyIsARecordError() {
    let control = "{\"a\u{01}\":1}\n" + Self.e1 + "\n" + Self.e2
    let out = FramerHarness.frame(control)
    #expect(out.fatal == nil && out.records.count == 3)
    #expect(throws: JSONError.self) { _ = try JSONDocument(parsing: out.records[0]) }
    let missingColon = FramerHarness.frame(#"{"a" 1}"# + "\n" + Self.e1)
    #expect(missingColon.fatal == nil && missingColon.records.count == 2)
    #expect(FramerHarness.frame("{]\n" + Self.e1).records.count == 2)
  }

  @Test func byteOrderMarkAtTheStart() {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"Records":[{"a":1}]}"#.utf8)
    for p in 0...4 { #expect(FramerHarness.frame(ChunkFeeder.split(bytes, at: p)).records.count == 1) }
    #expect(FramerHarness.frame([[0xEF, 0xBB, 0x00]]).fatal?.kind == .encoding)
    #expect(FramerHarness.frame("x").fatal?.kind == .syntax)
    #expect(FramerHarness.frame("\"x\"").fatal?.kind == .shape)
  }
}

struct DecoderReviewRegressions {
  func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try JSONValueDecoder().decode(type, from: JSONDocument(parsing: Array(text.utf8)).root)
  }

  struct BA: Decodable, Equatable {
    var b: Int
    var a: Int
  }

  @Test("review 4: a repeated key reads as its first occurrence, in any decoding order")
  func duplicateKeys() throws {
    let text = #"{"a":1,"b":2,"a":3}"#
    #expect(try decode(BA.self, text) == BA(b: 2, a: 1))
    #expect(try JSONDecoder().decode(BA.self, from: Data(text.utf8)) == BA(b: 2, a: 1))
    #expect(try JSONDocument(parsing: Array(text.utf8)).root["a"]?.numberText == "1")
  }

  @Test("review 5: integers never pass through a lossy double")
  func exactIntegers() throws {
    #expect(throws: DecodingError.self) { _ = try decode([Int64].self, "[-9223372036854775809]") }
    #expect(try decode([Int].self, "[9007199254740993.0]") == [9_007_199_254_740_993])
    #expect(try decode([Int].self, "[1e2, 100.000, -0.0]") == [100, 100, 0])
    #expect(throws: DecodingError.self) { _ = try decode([Int].self, "[9007199254740993e0]") }
    #expect(throws: DecodingError.self) { _ = try decode([Int].self, "[1.5]") }
  }

  struct Lossy: Decodable {
    var values: [Int] = []
    init(from decoder: any Decoder) throws {
      var c = try decoder.unkeyedContainer()
      while !c.isAtEnd {
        if let v = try? c.decode(Int8.self) {
          values.append(Int(v))
        } else if let v = try? c.decode(Int.self) {
          values.append(v)
        } else {
          _ = try c.decode(String.self)
        }
      }
    }
  }

  @Test("review 6: a failed element decode does not move an unkeyed container")
  func unkeyedRetry() throws {
    #expect(try decode(Lossy.self, #"["a",1,300,3]"#).values == [1, 300, 3])
    #expect(try JSONDecoder().decode(Lossy.self, from: Data(#"["a",1,300,3]"#.utf8)).values == [1, 300, 3])
  }

  @Test("review 7: floats out of range are errors")
  func floatRange() throws {
    #expect(throws: DecodingError.self) { _ = try decode([Double].self, "[1e400]") }
    #expect(throws: DecodingError.self) { _ = try decode([Double].self, "[1e-400]") }
    #expect(throws: DecodingError.self) { _ = try decode([Float].self, "[1e300]") }
    #expect(try decode([Double].self, "[0e5, 0.0, -0, 2.5e-3]") == [0, 0, 0, 0.0025])
  }

  struct NilAtEnd: Decodable {
    init(from decoder: any Decoder) throws {
      var c = try decoder.unkeyedContainer()
      _ = try c.decodeNil()
    }
  }

  struct WithSuper: Decodable {
    var base: Int?
    enum CodingKeys: String, CodingKey { case x }
    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      base = try Int?(from: try c.superDecoder())
      _ = c.allKeys
    }
  }

  @Test("review 8, 9: decodeNil at the end throws; an absent super decodes as null; allKeys once each")
  func containerEdges() throws {
    #expect(throws: DecodingError.self) { _ = try decode(NilAtEnd.self, "[]") }
    #expect(try decode(WithSuper.self, #"{"x":1}"#).base == nil)
    #expect(try decode(WithSuper.self, #"{"super":7}"#).base == 7)
    #expect(try decode([String: Int].self, #"{"a":1,"a":2}"#) == ["a": 1])
  }

  @Test func truncatedSurrogatePairIsTruncation() {
    #expect { _ = try JSONDocument(parsing: Array(#""\uD800"#.utf8)) } throws: {
      ($0 as? JSONError)?.kind == .truncated
    }
  }
}
