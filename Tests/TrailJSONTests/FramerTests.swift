// The streaming record framer: the same records whatever the chunking, envelopes and arrays
// and NDJSON, strict envelope syntax, and size limits that skip one record and keep the rest.
import Testing
import TrailJSON
import TrailTestSupport

struct FramerTests {
  static let envelope = """
    {"Records": [
      {"eventName": "A", "s": "x\\"]}[{", "n": [1, {"k": null}]},
      {"eventName":"B","e":"\\\\"} ,
      {"eventName": "C"}
    ]}
    """

  @Test func framesTheRecordsOfAnEnvelope() {
    let out = FramerHarness.frame(Self.envelope)
    #expect(out.fatal == nil)
    #expect(
      out.records.map { String(decoding: $0, as: UTF8.self) } == [
        #"{"eventName": "A", "s": "x\"]}[{", "n": [1, {"k": null}]}"#,
        #"{"eventName":"B","e":"\\"}"#,
        #"{"eventName": "C"}"#,
      ])
    let bytes = Array(Self.envelope.utf8)
    for (record, offset) in zip(out.records, out.offsets) {
      #expect(Array(bytes[offset..<offset + record.count]) == record)
    }
  }

  @Test func everySplitPositionGivesTheSameRecords() {
    let bytes = Array(Self.envelope.utf8)
    let whole = FramerHarness.frame([bytes])
    for position in 0...bytes.count {
      #expect(FramerHarness.frame(ChunkFeeder.split(bytes, at: position)) == whole, "split at \(position)")
    }
    #expect(FramerHarness.frame(ChunkFeeder.fixed(bytes, size: 1)) == whole)
  }

  @Test func randomChunkSizesOnALargeInput() {
    var text = #"{"Records":["#
    for i in 0..<2000 {
      if i > 0 { text += "," }
      text += #"{"eventName":"E\#(i)","p":{"s":"\\\"\#(String(repeating: "x", count: i % 97))","a":[\#(i),true,null]}}"#
    }
    text += "]}"
    let bytes = Array(text.utf8)
    let whole = FramerHarness.frame([bytes])
    #expect(whole.records.count == 2000 && whole.fatal == nil)
    for seed in 1...5 as ClosedRange<UInt64> {
      #expect(FramerHarness.frame(ChunkFeeder.random(bytes, maxSize: 4096, seed: seed)) == whole)
      #expect(FramerHarness.frame(ChunkFeeder.random(bytes, maxSize: 7, seed: seed)) == whole)
    }
  }

  @Test func topLevelArraysAndConcatenatedObjects() {
    #expect(FramerHarness.frame(#"[{"a":1}, {"b":2}]"#).records.count == 2)
    let ndjson = FramerHarness.frame("{\"a\":1}\n\n{\"b\":{\"Records\":[]}}\n{}\n")
    #expect(
      ndjson.records.map { String(decoding: $0, as: UTF8.self) } == [#"{"a":1}"#, #"{"b":{"Records":[]}}"#, "{}"])
    #expect(ndjson.fatal == nil)
    // An object whose first key is not Records is a record, even if Records comes later.
    #expect(FramerHarness.frame(#"{"eventName":"X","Records":[1]}"#).records.count == 1)
    // Other envelope members are skipped; several envelopes may follow each other.
    let two = FramerHarness.frame(#"{"Records":[{"a":1}],"extra":{"x":[1]}}{"Records":[{"b":2}]}"#)
    #expect(two.records.count == 2 && two.fatal == nil)
    #expect(FramerHarness.frame(#"{"Records":[]}"#) == FramedOutput())
  }

  @Test(arguments: [
    (#"{"Records":[{"a":1}]]"#, 20, "expected ',' or '}' after the Records array, found ']'"),
    ("42", 0, "expected an object or an array of records, found a scalar value"),
    (#"{"Records":[],"x" 1}"#, 18, "expected ':' after an object key, found '1'"),
  ])
  func envelopeSyntaxErrors(_ input: String, _ offset: Int, _ reason: String) {
    let out = FramerHarness.frame(input)
    #expect(out.fatal?.offset == offset)
    #expect(out.fatal?.reason == reason)
  }

  /// Damage between the records of an array is reported and framing goes on: every record
  /// before and after it is kept.
  @Test(arguments: [
    (#"{"Records":[{"a":1} {"b":2}]}"#, 20, "missing ',' between records"),
    (#"{"Records":[{"a":1},]}"#, 20, "trailing comma"),
    (#"{"Records":[{"a":1}, x {"b":2}]}"#, 21, "bytes 21–22 between records are not a record"),
    (#"{"Records":[{"a":1},,{"b":2}]}"#, 20, "bytes 20–20 between records are not a record"),
    (#"[{"a":1}} {"b":2}]"#, 8, "bytes 8–9 between records are not a record"),
  ])
  func damageBetweenRecordsIsSkipped(_ input: String, _ offset: Int, _ reason: String) {
    let out = FramerHarness.frame(input)
    #expect(out.fatal == nil)
    #expect(out.recordErrors.count == 1)
    #expect(out.recordErrors.first?.offset == offset)
    #expect(out.recordErrors.first?.reason.contains(reason) == true, "\(String(describing: out.recordErrors.first))")
    let kept = out.records.map { String(decoding: $0, as: UTF8.self) }
    #expect(kept == (input.contains("{\"b\"") ? [#"{"a":1}"#, #"{"b":2}"#] : [#"{"a":1}"#]))
  }

  /// A record cut short inside an array swallows what follows; the records after it are found
  /// again by their first key, in one chunk or byte by byte.
  @Test(arguments: [1, 7, 1000])
  func aDamagedRecordAtTheEndDoesNotLoseTheRecordsAfterIt(_ chunkSize: Int) {
    let text =
      #"{"Records":[{"eventVersion":"1","n":1},{"eventVersion":"1","n":"cut,{"eventVersion":"1","n":3},{"eventVersion":"1","n":4}]}"#
    let bytes = Array(text.utf8)
    let chunks = stride(from: 0, to: bytes.count, by: chunkSize).map {
      Array(bytes[$0..<min($0 + chunkSize, bytes.count)])
    }
    let out = FramerHarness.frame(chunks)
    let kept = out.records.map { String(decoding: $0, as: UTF8.self) }
    #expect(kept.first == #"{"eventVersion":"1","n":1}"#)
    #expect(kept.contains(#"{"eventVersion":"1","n":3}"#) || out.records.count == 2, "\(kept)")
    #expect(out.recordErrors.count + (out.fatal == nil ? 0 : 1) >= 1)
  }

  /// A damaged record that runs past the size limit: the records after it are found in the
  /// bytes held so far, and framing resumes there.
  @Test func aDamagedRecordOverTheLimitDoesNotLoseTheRecordsAfterIt() {
    let good = (2..<60).map { #"{"eventVersion":"1","n":\#($0),"pad":"\#(String(repeating: "x", count: 40))"}"# }
    let text =
      #"{"Records":[{"eventVersion":"1","n":1},{"eventVersion":"1","n":"cut,"# + good.joined(separator: ",") + "]}"
    let out = FramerHarness.frame(text, limits: JSONLimits(maxRecordSize: 512, maxDepth: 64))
    let kept = out.records.map { String(decoding: $0, as: UTF8.self) }
    #expect(out.fatal == nil, "\(String(describing: out.fatal))")
    #expect(kept == [#"{"eventVersion":"1","n":1}"#] + good)
    #expect(out.recordErrors.count == 1)
    #expect(out.recordErrors.first?.reason.contains("damaged record") == true)
  }

  @Test func truncationKeepsTheRecordsBeforeIt() {
    let out = FramerHarness.frame(#"{"Records":[{"a":1},{"b":2},{"c":"#)
    #expect(out.records.count == 2)
    #expect(
      out.fatal == JSONError(.truncated, at: 33, "unexpected end of input inside the record that starts at byte 28"))
    #expect(
      FramerHarness.frame(#"{"Records":[{"a":1}"#).fatal?.reason
        == "unexpected end of input, the array of records is not closed")
    #expect(FramerHarness.frame("").fatal == JSONError(.truncated, at: 0, "empty input, expected JSON"))
    #expect(FramerHarness.frame("  \n").fatal == JSONError(.truncated, at: 3, "no JSON value in the input"))
  }

  @Test func oversizedRecordIsReportedAndSkipped() {
    let big = String(repeating: "x", count: 5000)
    let text = #"{"Records":[{"a":1},{"big":"\#(big)"},{"c":3}]}"#
    let limits = JSONLimits(maxRecordSize: 1024)
    for chunks in [[Array(text.utf8)], ChunkFeeder.fixed(Array(text.utf8), size: 100)] {
      let out = FramerHarness.frame(chunks, limits: limits)
      #expect(out.records.map { String(decoding: $0, as: UTF8.self) } == [#"{"a":1}"#, #"{"c":3}"#])
      #expect(
        out.recordErrors == [
          JSONError(.recordTooLarge, at: 20, "record of 5010 bytes is larger than the limit of 1 KiB")
        ])
      #expect(out.fatal == nil)
    }
  }
}
