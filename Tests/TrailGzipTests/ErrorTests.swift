// Bad input must give a GzipError located by its compressed offset, never a crash or a hang:
// truncation, flipped bytes, trailing garbage, non-gzip and empty input.
import Testing
import TrailGzip
import TrailTestSupport

@Suite struct ErrorTests {
  @Test func truncatedAtEveryLength() {
    let compressed = Gzip.compress(TestData.text(bytes: 2_000))
    for length in 1..<compressed.count {
      let error = gzipError([Array(compressed[..<length])])
      #expect(error == GzipError(offset: length, reason: "truncated gzip stream"), "length \(length)")
    }
  }

  @Test func truncatedSecondMember() {
    let joined = Gzip.compress(TestData.text(bytes: 500)) + Gzip.compress(TestData.text(bytes: 500, seed: 9))
    let cut = Array(joined.dropLast(3))
    #expect(
      gzipError(ChunkFeeder.fixed(cut, size: 37)) == GzipError(offset: cut.count, reason: "truncated gzip stream"))
  }

  @Test func emptyInput() {
    #expect(gzipError([]) == GzipError(offset: 0, reason: "empty gzip stream"))
    #expect(gzipError([[], []]) == GzipError(offset: 0, reason: "empty gzip stream"))
    #expect(throws: GzipError(offset: 0, reason: "empty gzip stream")) { try Gzip.decompress([]) }
  }

  @Test func notGzip() {
    #expect(gzipError([Array("{\"Records\":[]}".utf8)]) == GzipError(offset: 0, reason: "not a gzip stream"))
    #expect(gzipError([[0x1f], [0x00, 0x01]]) == GzipError(offset: 0, reason: "not a gzip stream"))
  }

  @Test func garbageAfterAMember() {
    let member = Gzip.compress(TestData.text(bytes: 1_000))
    let expected = GzipError(offset: member.count, reason: "extra bytes after the gzip stream")
    #expect(gzipError([member + [0, 0, 0, 0]]) == expected)
    #expect(gzipError([member + Array("hello".utf8)]) == expected)
    #expect(gzipError([member + [0x1f, 0x00]]) == expected)
    // The bad second magic byte arrives in a later feed.
    #expect(gzipError([member + [0x1f], [0x8c, 0x08]]) == expected)
    #expect(gzipError(ChunkFeeder.fixed(member + [0x0a], size: 1)) == expected)
    // Second member intact, garbage after it.
    let two = member + member
    #expect(gzipError([two + [0x20]]) == GzipError(offset: two.count, reason: "extra bytes after the gzip stream"))
  }

  @Test func loneMagicByteAfterAMemberIsTruncation() {
    // A 0x1f could start another member, so the stream ends inside it.
    let member = Gzip.compress([1, 2, 3])
    #expect(gzipError([member + [0x1f]]) == GzipError(offset: member.count + 1, reason: "truncated gzip stream"))
  }

  @Test func flippedBytesGiveALocatedError() {
    let original = TestData.text(bytes: 5_000)
    let compressed = Gzip.compress(original)
    // Header bytes 4..<10 (mtime, xfl, os) carry no checked data; everything from 10 on does.
    for position in 10..<compressed.count {
      var damaged = compressed
      damaged[position] ^= 0xff
      guard let error = gzipError([damaged]) else {
        Issue.record("flip at \(position) inflated without error")
        continue
      }
      #expect((0...damaged.count).contains(error.offset), "flip at \(position): \(error)")
      #expect(!error.reason.isEmpty)
    }
  }

  @Test func corruptDeflateReason() {
    var damaged = Gzip.compress(TestData.text(bytes: 5_000))
    for index in 20..<40 { damaged[index] = 0xff }
    let error = gzipError([damaged])
    #expect(error?.reason.hasPrefix("corrupt deflate data (") == true, "\(String(describing: error))")
    #expect(error.map { $0.offset >= 20 && $0.offset < damaged.count } == true)
  }

  @Test func badChecksumIsATrailerError() {
    var damaged = Gzip.compress(TestData.text(bytes: 5_000))
    damaged[damaged.count - 6] ^= 0x01  // inside the CRC-32
    let error = gzipError([damaged])
    #expect(error?.reason == "corrupt gzip trailer (incorrect data check)")
    #expect(error?.offset == damaged.count - 5)
  }

  @Test func badCompressionMethodIsAHeaderError() {
    var damaged = Gzip.compress([1, 2, 3])
    damaged[2] = 7
    let error = gzipError([damaged])
    #expect(error?.reason == "corrupt gzip header (unknown compression method)")
    // zlib reads the method and flag bytes together, so it notices at byte 2 or 3.
    #expect(error.map { (2...3).contains($0.offset) } == true)
  }

  @Test func randomBodiesNeverCrash() {
    var rng = SplitMix64(seed: 99)
    var errors = 0
    for round in 0..<300 {
      let body = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let bytes: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] + body
      if let error = gzipError(ChunkFeeder.random(bytes, maxSize: 17, seed: UInt64(round))) {
        #expect((0...bytes.count).contains(error.offset))
        errors += 1
      }
    }
    // No random body is a deflate stream with a matching CRC and length: every one is an error.
    #expect(errors == 300)
  }

  @Test func errorsAreSticky() throws {
    let inflater = GzipInflater()
    let bad: [UInt8] = Array("plain".utf8)
    let expected = GzipError(offset: 0, reason: "not a gzip stream")
    #expect(throws: expected) { try bad.withUnsafeBytes { try inflater.feed($0) { _ in } } }
    let good = Gzip.compress([1])
    #expect(throws: expected) { try good.withUnsafeBytes { try inflater.feed($0) { _ in } } }
    #expect(throws: expected) { try inflater.finish() }
  }

  @Test func description() {
    #expect(
      GzipError(offset: 12, reason: "truncated gzip stream").description
        == "truncated gzip stream at compressed byte 12")
  }
}
