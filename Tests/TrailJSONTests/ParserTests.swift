// The document parser's tape, deferred string and number reads, limits, and the offsets its
// errors carry.
import Testing
import TrailJSON

struct ParserTests {
  @Test func tapeLayoutOfTheWorkedExample() throws {
    let doc = try JSONDocument(parsing: Array(#"{"a":[1,"x"],"b":null}"#.utf8))
    #expect(doc.nodes.map(\.kind) == [.object, .string, .array, .number, .string, .string, .null])
    #expect(doc.nodes.map(\.next) == [7, 2, 5, 4, 5, 6, 7])
    #expect(doc.nodes[0].count == 2 && doc.nodes[2].count == 2)
    #expect(doc.root["a"]?.elements.map(\.kind) == [.number, .string])
    #expect(doc.root["b"]?.isNull == true)
    #expect(doc.root["c"] == nil)
  }

  @Test func stringsDecodeEscapesAndSurrogatePairs() throws {
    let doc = try JSONDocument(parsing: Array(#"["plain", "a\"b\\c\/d\n\t", "\u00e9\ud83d\ude00", "日本"]"#.utf8))
    #expect(doc.root.elements.map { $0.string } == ["plain", "a\"b\\c/d\n\t", "é😀", "日本"])
    #expect(doc.root.elements[0].stringEquals("plain"))
    #expect(doc.root.elements[2].stringEquals("é😀"))
    #expect(!doc.root.elements[0].stringEquals("plai"))
  }

  @Test func numbersKeepTheirText() throws {
    let doc = try JSONDocument(parsing: Array("[0, -1.50, 1e400, 12345678901234567890]".utf8))
    #expect(doc.root.elements.map { $0.numberText } == ["0", "-1.50", "1e400", "12345678901234567890"])
  }

  @Test(arguments: [
    (#"{"a":1,}"#, 7, "expected a string key, found '}'"),
    (#"{"a" 1}"#, 5, "expected ':' after an object key, found '1'"),
    ("[1,2", 4, "unexpected end of input, expected ',' or ']'"),
    ("\"abc", 4, "unexpected end of input in a string that starts at byte 0"),
    (#"["\ud800"]"#, 2, "unpaired surrogate escape \\uD800 in a string"),
    (#"["\x"]"#, 3, "invalid escape '\\x' in a string"),
    ("[01]", 2, "expected ',' or ']' after an array element, found '1'"),
    ("[1] x", 4, "unexpected 'x' after the end of the value"),
    ("", 0, "unexpected end of input, expected a value"),
  ])
  func errorsPointAtTheByte(_ input: String, _ offset: Int, _ reason: String) {
    #expect(throws: JSONError(offsetOf: input, offset, reason)) { _ = try JSONDocument(parsing: Array(input.utf8)) }
  }

  @Test func invalidUTF8IsAnEncodingError() {
    let bytes: [UInt8] = [0x5B, 0x22, 0x61, 0xC3, 0x28, 0x22, 0x5D]  // ["a\xC3(", …
    #expect { _ = try JSONDocument(parsing: bytes) } throws: {
      ($0 as? JSONError)?.kind == .encoding && ($0 as? JSONError)?.offset == 3
    }
  }

  @Test func depthLimit() throws {
    let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
    #expect { _ = try JSONDocument(parsing: Array(deep.utf8)) } throws: {
      ($0 as? JSONError)?.kind == .tooDeep && ($0 as? JSONError)?.offset == 256
    }
    _ = try JSONDocument(parsing: Array(deep.utf8), limits: JSONLimits(maxDepth: 300))
  }

  @Test func documentReuseKeepsNoStaleState() throws {
    let doc = JSONDocument()
    try Array(#"{"x":[1,2,3]}"#.utf8).withUnsafeBytes { try doc.parse($0, baseOffset: 100) }
    #expect(doc.root["x"]?.count == 3)
    #expect(doc.root.offset == 100)
    #expect(throws: JSONError(.syntax, at: 103, "expected a value, found '}'")) {
      try Array("[1,}".utf8).withUnsafeBytes { try doc.parse($0, baseOffset: 100) }
    }
    try Array(#""s""#.utf8).withUnsafeBytes { try doc.parse($0) }
    #expect(doc.root.string == "s")
  }

  @Test func compactionRemovesOnlyWhitespaceOutsideStrings() throws {
    let text = "{ \"a b\" : [ 1 , \"x \\\" y\" ] ,\n\t\"c\":1.0e+2 }"
    var out: [UInt8] = []
    Array(text.utf8).withUnsafeBytes { JSONWriter.appendCompacted($0, to: &out) }
    #expect(String(decoding: out, as: UTF8.self) == #"{"a b":[1,"x \" y"],"c":1.0e+2}"#)
  }
}

extension JSONError {
  init(offsetOf input: String, _ offset: Int, _ reason: String) {
    let kind: Kind = reason.contains("end of input") ? .truncated : reason.contains("surrogate") ? .encoding : .syntax
    self.init(kind, at: offset, reason)
  }
}
