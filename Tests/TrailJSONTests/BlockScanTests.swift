// The block parser and block framer (64 bytes at a time) against the byte loops they replace:
// JSONTestSuite, every corpus event, and random and adversarial bytes — quotes and backslashes
// at 16/32/64-byte block and chunk boundaries, invalid UTF-8, deep nesting — plus the fast skip.
import Foundation
import Testing
@_spi(Testing) import TrailJSON
import TrailTestSupport

struct BlockScanTests {
  /// CloudTrail's usual wanted keys, so parses leave `requestParameters` and the like opaque.
  static let someKeys = JSONKeySet(["eventName", "userIdentity", "Records", "detail"])

  static func suiteFiles() -> [String] {
    let suite = Paths.sharedCorpus.appendingPathComponent("jsontestsuite")
    return ((try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []).sorted()
  }

  @Test func jsonTestSuiteReadsTheSameInBlocks() throws {
    let suite = Paths.sharedCorpus.appendingPathComponent("jsontestsuite")
    let files = Self.suiteFiles()
    #expect(files.count == 318)
    var acceptedInBlocks = 0
    for name in files {
      let bytes = try Paths.bytes(suite.appendingPathComponent(name))
      for keys in [nil, Self.someKeys, JSONKeySet([])] {
        if let difference = ScannerDifferential.parse(bytes, keys: keys) { Issue.record("\(name): \(difference)") }
      }
      // Deep files against a small depth limit too (the limit is the parsers' to agree on).
      if let difference = ScannerDifferential.parse(bytes, maxDepth: 3) { Issue.record("\(name): \(difference)") }
      let document = JSONDocument()
      if (try? document.parse(bytes)) != nil, document.parsedInBlocks { acceptedInBlocks += 1 }
    }
    // Every y_ file and the accepted i_ files are read by the block parser, not the fallback.
    #expect(acceptedInBlocks >= 95)
  }

  @Test func corpusEventsReadTheSameInBlocks() throws {
    let events = try CorpusEvents.all()
    #expect(events.count > 700)
    for event in events {
      for keys in [nil, Self.someKeys, JSONKeySet(["eventVersion"])] {
        if let difference = ScannerDifferential.parse(event.bytes, keys: keys) {
          Issue.record("\(event.file): \(difference)")
        }
      }
    }
  }

  @Test func fastSkipLeavesUnwantedValuesOffTheTape() throws {
    let text = Array(
      #"{"eventName":"X","requestParameters":{"a":[1,{"b":"\u00e9"}],"c":{}},"tags":[],"userIdentity":{"arn":"a"}}"#
        .utf8)
    let document = JSONDocument()
    try document.parse(text, keeping: JSONKeySet(["eventName", "USERIDENTITY"]))
    #expect(document.parsedInBlocks)
    // root, 4 keys, "X", the opaque requestParameters and tags, userIdentity with its member.
    #expect(document.nodes.count == 11)
    let parameters = try #require(document.root["requestParameters"])
    #expect(parameters.count == 2)
    #expect(document.nodes[parameters.index].flag)
    #expect(parameters["a"]?.elements.last?["b"]?.string == "é")
    #expect(parameters["a"]?.offset == text.firstIndex(of: UInt8(ascii: "["))!)
    #expect(document.root["tags"]?.elements.isEmpty == true)
    #expect(document.root["userIdentity"]?["arn"]?.string == "a")
    #expect(ScannerDifferential.parse(text, keys: JSONKeySet(["eventName"])) == nil)
  }

  @Test func anErrorInsideASkippedValueIsTheSameError() throws {
    let text = Array(#"{"eventName":"X","requestParameters":{"a":"\x"}}"#.utf8)
    let skipping = JSONDocument()
    let full = JSONDocument()
    full.parsesByteByByte = true
    let a = #expect(throws: JSONError.self) { try skipping.parse(text, baseOffset: 100, keeping: JSONKeySet([])) }
    let b = #expect(throws: JSONError.self) { try full.parse(text, baseOffset: 100) }
    #expect(a == b)
    #expect(a?.offset == 100 + 44)
  }

  // MARK: Random and adversarial bytes

  /// Bytes that matter to the scanners, often; the rest now and then.
  static let alphabet: [UInt8] =
    Array(#"""{}[]:,"\\"  \u0041\ud83d\ude00 0123456789-+.eEtrufalsn"#.utf8) + [
      0x0A, 0x09, 0x0D, 0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC2, 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xED, 0xA0, 0xF0, 0x9F,
      0x98, 0x80, 0xF4, 0x90, 0xFF, 0xEF, 0xBB,
    ]

  static func random(_ rng: inout SplitMix, length: Int) -> [UInt8] {
    (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
  }

  /// `text` with a few bytes replaced, inserted or deleted.
  static func mutate(_ text: [UInt8], _ rng: inout SplitMix) -> [UInt8] {
    var out = text
    for _ in 0..<(1 + Int(rng.next() % 3)) where !out.isEmpty {
      let at = Int(rng.next() % UInt64(out.count))
      let byte = alphabet[Int(rng.next() % UInt64(alphabet.count))]
      switch rng.next() % 3 {
      case 0: out[at] = byte
      case 1: out.insert(byte, at: at)
      default: out.remove(at: at)
      }
    }
    return out
  }

  @Test func randomBytesReadTheSame() {
    var rng = SplitMix(seed: 16)
    for round in 0..<20_000 {
      let text = Self.random(&rng, length: Int(rng.next() % 200))
      if let difference = ScannerDifferential.parse(
        text, maxDepth: 1 + round % 8, keys: round % 2 == 0 ? nil : Self.someKeys)
      {
        Issue.record("\(text): \(difference)")
        return
      }
    }
  }

  @Test func mutatedRecordsReadTheSame() throws {
    var rng = SplitMix(seed: 61)
    let events = try CorpusEvents.all(folders: ["stratus-red-team", "trailscraper"]).map(\.bytes)
    for round in 0..<20_000 {
      let text = Self.mutate(events[round % events.count], &rng)
      if let difference = ScannerDifferential.parse(text, keys: round % 2 == 0 ? nil : Self.someKeys) {
        Issue.record("\(String(decoding: text, as: UTF8.self)): \(difference)")
        return
      }
    }
  }

  /// Strings whose quotes, backslashes and multi-byte characters fall on every position around
  /// the 16-, 32- and 64-byte boundaries of the blocks.
  static func boundaryCases() -> [[UInt8]] {
    let tricky: [[UInt8]] = [
      Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\\\""#.utf8), Array(#"\\\\"#.utf8), Array(#"\u00e9"#.utf8),
      Array(#"\ud83d\ude00"#.utf8), Array(#"\ud83d"#.utf8), Array(#"\u12"#.utf8), [0xC3, 0xA9], [0xE2, 0x82, 0xAC],
      [0xF0, 0x9F, 0x98, 0x80], [0xC3], [0xED, 0xA0, 0x80], [0x80], [0x1F], Array(#"\x"#.utf8), Array("\\".utf8),
    ]
    var cases: [[UInt8]] = []
    for prefix in 0..<70 {
      for piece in tricky {
        let pad = [UInt8](repeating: UInt8(ascii: "a"), count: prefix)
        cases.append(Array(#"{"k":""#.utf8) + pad + piece + Array(#"","n":[1,{"x":true}]}"#.utf8))
        cases.append(Array(#"[""#.utf8) + pad + piece + Array(#""]"#.utf8))
        cases.append([UInt8](repeating: 0x20, count: prefix) + Array(#"[1,"#.utf8) + piece + Array("]".utf8))
      }
      // A number or literal cut by a block boundary, and one run on into garbage.
      let spaces = [UInt8](repeating: 0x20, count: prefix)
      for scalar in ["-12.5e+3", "truex", "1.2.3", "nul", "0012", "-", "fals e"] {
        cases.append(Array("[".utf8) + spaces + Array(scalar.utf8) + Array("]".utf8))
        cases.append(spaces + Array(scalar.utf8))
      }
    }
    return cases
  }

  @Test func blockBoundariesReadTheSame() {
    for text in Self.boundaryCases() {
      for keys in [nil, JSONKeySet(["k"])] {
        if let difference = ScannerDifferential.parse(text, keys: keys) {
          Issue.record("\(String(decoding: text, as: UTF8.self)): \(difference)")
        }
      }
    }
  }

  @Test func deepNestingReadsTheSame() {
    for depth in [1, 2, 15, 16, 17, 63, 64, 65, 255, 256, 257, 300] {
      for (open, close) in [("[", "]"), (#"{"a":"#, "}")] {
        let text = Array((String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)).utf8)
        for limit in [depth - 1, depth, 256] where limit > 0 {
          if let difference = ScannerDifferential.parse(
            text, maxDepth: limit, keys: depth % 2 == 0 ? nil : Self.someKeys)
          {
            Issue.record("depth \(depth), limit \(limit): \(difference)")
          }
        }
      }
    }
  }

  // MARK: Framing

  @Test func framingInBlocksMatchesTheByteLoop() throws {
    var rng = SplitMix(seed: 32)
    let events = try CorpusEvents.all(folders: ["stratus-red-team", "trailscraper"]).map(\.bytes)
    let small = JSONLimits(maxRecordSize: 900, maxDepth: 8)
    for round in 0..<3_000 {
      // An envelope of a few events, some of them damaged, or random bytes in an array.
      var records: [[UInt8]] = []
      for _ in 0..<(1 + Int(rng.next() % 4)) {
        let event = events[Int(rng.next() % UInt64(events.count))]
        records.append(rng.next() % 3 == 0 ? Self.mutate(event, &rng) : event)
      }
      if round % 5 == 0 { records.append(Self.random(&rng, length: Int(rng.next() % 150))) }
      let separator = round % 7 == 0 ? Array(" ,\n".utf8) : Array(",".utf8)
      var text = Array(#"{"Records":["#.utf8)
      for (i, record) in records.enumerated() { text += (i > 0 ? separator : []) + record }
      text += Array("]}".utf8)
      if round % 11 == 0 { text = Self.mutate(text, &rng) }
      let sizes = (0..<3).map { _ in [0, 1, 7, 16, 63, 64, 65, 200, 4096][Int(rng.next() % 9)] }
      for limits in [JSONLimits.default, small] {
        if let difference = ScannerDifferential.frame(text, chunkSizes: sizes, limits: limits) {
          Issue.record("sizes \(sizes): \(difference)")
          return
        }
      }
    }
  }

  /// The records of an array that end in the chunk they start in are indexed while the framer
  /// finds their end, and read from that index as from their bytes alone; the others (cut by
  /// a chunk boundary, or not JSON) are framed and parsed as before.
  @Test func recordsOfAnArrayAreIndexedAsTheyAreFramed() throws {
    let records = [
      #"{"eventName":"A","n":[1,2.5e3,{"k":"\u00e9\"]"}],"t":true}"#, #"{"eventName":"B\\","o":{}}"#,
      #"{"bad":"\q"}"#, "{\"eventName\":\"\u{E9}t\u{E9}\",\"x\":null}",
    ].map { Array($0.utf8) }
    let text = Array(#"{"Records":["#.utf8) + Array(records.joined(separator: Array(",".utf8))) + Array("]}".utf8)
    for size in [text.count, 40] {
      var framer = RecordFramer()
      var seen: [(indexed: Bool, bytes: [UInt8])] = []
      let document = JSONDocument()
      let alone = JSONDocument()
      var start = 0
      while start < text.count {
        let end = min(text.count, start + size)
        try text[start..<end].withUnsafeBytes { chunk in
          try framer.feed(
            chunk,
            onRecord: { record in
              seen.append((record.isIndexed, Array(record.bytes)))
              let indexed = Result { () throws(JSONError) in try document.parse(record) }
              let plain = Result { () throws(JSONError) in
                try alone.parse(record.bytes, baseOffset: record.offset)
              }
              switch (indexed, plain) {
              case (.success, .success):
                #expect(document.nodes == alone.nodes)
                #expect(document.parsedInBlocks)
              case (.failure(let a), .failure(let b)): #expect(a == b)
              default: Issue.record("\(indexed) against \(plain)")
              }
            }, onRecordError: { Issue.record("\($0)") })
        }
        start = end
      }
      try framer.finish()
      #expect(seen.map(\.bytes) == records)
      if size == text.count {
        // Every record ends in the one chunk; the one that is not JSON is left to the byte loops,
        // and so is the one before it, whose last block holds that bad escape.
        #expect(seen.map(\.indexed) == [true, false, false, true])
      } else {
        #expect(seen.contains { !$0.indexed })
      }
    }
  }

  @Test func framingBoundaryCasesMatchTheByteLoop() {
    for text in Self.boundaryCases() {
      let wrapped = Array("[".utf8) + text + Array(",".utf8) + text + Array("]".utf8)
      for sizes in [[], [1], [64], [63, 65], [17]] {
        if let difference = ScannerDifferential.frame(wrapped, chunkSizes: sizes) {
          Issue.record("\(String(decoding: wrapped, as: UTF8.self)) \(sizes): \(difference)")
          return
        }
      }
    }
  }
}

/// A small deterministic generator for the random cases.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
