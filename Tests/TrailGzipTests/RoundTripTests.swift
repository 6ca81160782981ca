// Inflating what Gzip.compress produced gives the original bytes back, for empty, small,
// large and incompressible inputs, at every compression level, and the counters add up.
import Testing
import TrailGzip
import TrailTestSupport

@Suite struct RoundTripTests {
  @Test(arguments: [0, 1, 100, 65_536, 1_000_000])
  func roundTrip(size: Int) throws {
    let original = TestData.text(bytes: size)
    #expect(try Gzip.decompress(Gzip.compress(original)) == original)
  }

  @Test func incompressibleInput() throws {
    let original = TestData.noise(bytes: 300_000)
    #expect(try Gzip.decompress(Gzip.compress(original, level: 9)) == original)
  }

  @Test(arguments: [Int32(0), 1, 6, 9, -1])
  func everyLevel(level: Int32) throws {
    let original = TestData.text(bytes: 20_000)
    #expect(try Gzip.decompress(Gzip.compress(original, level: level)) == original)
  }

  @Test func compressIsDeterministic() {
    let original = TestData.text(bytes: 5_000)
    let compressed = Gzip.compress(original)
    #expect(compressed == Gzip.compress(original))
    #expect(Array(compressed.prefix(8)) == [0x1f, 0x8b, 8, 0, 0, 0, 0, 0])  // magic, deflate, no flags, mtime 0
  }

  @Test func countersAddUp() throws {
    let original = TestData.text(bytes: 100_000)
    let compressed = Gzip.compress(original)
    let inflater = GzipInflater(outputChunkSize: 4096)
    var chunks = 0
    try compressed.withUnsafeBytes { buffer in
      try inflater.feed(buffer) { chunk in
        #expect(chunk.count <= 4096)
        chunks += 1
      }
    }
    try inflater.finish()
    #expect(inflater.compressedBytesIn == compressed.count)
    #expect(inflater.inflatedBytesOut == original.count)
    #expect(inflater.membersCompleted == 1)
    #expect(chunks >= original.count / 4096)
  }

  @Test(arguments: [1, 7, 4096])
  func tinyOutputChunks(outputChunkSize: Int) throws {
    let original = TestData.text(bytes: 30_000)
    #expect(try inflate([Gzip.compress(original)], outputChunkSize: outputChunkSize) == original)
  }

  @Test func hasGzipMagic() {
    func check(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { GzipInflater.hasGzipMagic($0) } }
    #expect(check([0x1f, 0x8b]))
    #expect(check(Gzip.compress([1, 2, 3])))
    #expect(!check([0x1f]))
    #expect(!check([]))
    #expect(!check(Array("{\"Records\":[]}".utf8)))
  }

  @Test func errorsFromOutputPropagateUnchanged() throws {
    struct Stop: Error, Equatable {}
    let compressed = Gzip.compress(TestData.text(bytes: 50_000))
    let inflater = GzipInflater(outputChunkSize: 1024)
    var calls = 0
    #expect(throws: Stop()) {
      try compressed.withUnsafeBytes { buffer in
        try inflater.feed(buffer) { _ in
          calls += 1
          if calls == 3 { throw Stop() }
        }
      }
    }
    #expect(calls == 3)
  }
}
