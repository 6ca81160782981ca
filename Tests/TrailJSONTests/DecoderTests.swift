// Our Codable decoder: keyed lookups in any order, optionals and null, nested values, arrays,
// numbers, type mismatches with the byte offset, and RawJSON capture.
import Testing
import TrailJSON

struct DecoderTests {
  struct Inner: Decodable, Equatable {
    var k: String
    var n: Int?
  }
  struct Outer: Decodable, Equatable {
    var z: Bool
    var a: String
    var inner: Inner
    var list: [Int]
    var maybe: String?
    var absent: Double?
    var raw: RawJSON?
    var e: Int
  }

  func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    let doc = try JSONDocument(parsing: Array(text.utf8))
    return try JSONValueDecoder().decode(type, from: doc.root)
  }

  @Test func decodesInAnyKeyOrder() throws {
    let text =
      #"{"a":"x","e":1e2,"list":[1,2,3],"inner":{"n":null,"k":"v"},"maybe":null,"z":true,"raw":{ "p" : [1, "q"] }}"#
    let value = try decode(Outer.self, text)
    #expect(value.z && value.a == "x" && value.e == 100)
    #expect(value.inner == Inner(k: "v", n: nil))
    #expect(value.list == [1, 2, 3])
    #expect(value.maybe == nil && value.absent == nil)
    #expect(value.raw?.bytes == Array(#"{ "p" : [1, "q"] }"#.utf8))
    #expect(value.raw == RawJSON(bytes: Array(#"{"p":[1,"q"]}"#.utf8)))
  }

  @Test func typeMismatchNamesThePathAndByte() throws {
    do {
      _ = try decode(Inner.self, #"{"k": 5}"#)
      Issue.record("expected a type mismatch")
    } catch let DecodingError.typeMismatch(_, context) {
      #expect(context.codingPath.map(\.stringValue) == ["k"])
      #expect(context.debugDescription == "expected String, found a number at byte 6")
    }
    #expect(throws: DecodingError.self) { _ = try decode(Inner.self, #"{"n": 1}"#) }
    #expect(throws: DecodingError.self) { _ = try decode([Int8].self, "[300]") }
    #expect(throws: DecodingError.self) { _ = try decode([Int].self, "[1.5]") }
  }

  @Test func dictionariesAndRepeatedLookups() throws {
    #expect(try decode([String: [Int]].self, #"{"a":[1],"b":[]}"#) == ["a": [1], "b": []])
    #expect(try decode([String?].self, #"["x",null]"#) == ["x", nil])
  }
}
