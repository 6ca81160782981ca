// ISA-L and zlib must be interchangeable: the same bytes out and the same error (message and
// compressed offset) for every input — valid members with every optional header field, every
// truncation, every flipped byte, damaged headers — however the input is cut into feeds.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

@Suite struct EngineAgreementTests {
  /// What an engine made of `pieces`: every byte it delivered (also after an error) and the error.
  struct Outcome: Equatable, CustomStringConvertible {
    var output: [UInt8]
    var error: GzipError?
    var description: String { "\(output.count) bytes, \(error.map { "\($0)" } ?? "no error")" }
  }

  static func outcome(
    _ pieces: [[UInt8]], engine: GzipInflater.Engine, outputChunkSize: Int = 1024, replayLimit: Int = 4 << 20
  ) -> Outcome {
    let inflater = GzipInflater(outputChunkSize: outputChunkSize, engine: engine, replayLimit: replayLimit)
    var output: [UInt8] = []
    do {
      for piece in pieces {
        try piece.withUnsafeBytes { try inflater.feed($0) { output.append(contentsOf: $0) } }
      }
      try inflater.finish { output.append(contentsOf: $0) }
      return Outcome(output: output, error: nil)
    } catch let error as GzipError {
      return Outcome(output: output, error: error)
    } catch {
      fatalError("unexpected error \(error)")
    }
  }

  /// Expects every engine to make the same of `pieces`; returns zlib's outcome.
  @discardableResult
  static func expectAgreement(_ pieces: [[UInt8]], _ label: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> Outcome
  {
    let reference = outcome(pieces, engine: .zlib)
    for engine in GzipInflater.Engine.allCases where engine != .zlib {
      let other = outcome(pieces, engine: engine)
      #expect(other == reference, "\(label): \(engine) \(other), zlib \(reference)", sourceLocation: sourceLocation)
    }
    return reference
  }

  /// One member with the given optional header fields, deflating `content` (zlib's body and
  /// trailer behind a hand-made header).
  static func member(
    _ content: [UInt8], extra: [UInt8]? = nil, name: String? = nil, comment: String? = nil, headerCRC: Bool = false
  ) -> [UInt8] {
    let plain = Gzip.compress(content)
    var flags: UInt8 = 0
    if headerCRC { flags |= 0x02 }
    if extra != nil { flags |= 0x04 }
    if name != nil { flags |= 0x08 }
    if comment != nil { flags |= 0x10 }
    var header: [UInt8] = [0x1f, 0x8b, 8, flags, 1, 2, 3, 4, 0, 3]
    if let extra { header += [UInt8(extra.count & 0xff), UInt8(extra.count >> 8)] + extra }
    if let name { header += Array(name.utf8) + [0] }
    if let comment { header += Array(comment.utf8) + [0] }
    if headerCRC {
      let crc = CRC32.of(header)
      header += [UInt8(crc & 0xff), UInt8((crc >> 8) & 0xff)]
    }
    return header + plain[10...]
  }

  @Test func validMembersWithEveryHeaderField() {
    let text = TestData.text(bytes: 30_000)
    let stream =
      Self.member(text, extra: [1, 2, 3, 4], name: "a.json", comment: "made by hand", headerCRC: true)
      + Self.member([], name: "") + Self.member(TestData.noise(bytes: 5_000)) + Self.member(text, headerCRC: true)
    for seed in UInt64(1)...4 {
      let result = Self.expectAgreement(ChunkFeeder.random(stream, maxSize: 300, seed: seed), "seed \(seed)")
      #expect(result.error == nil)
      #expect(result.output == text + TestData.noise(bytes: 5_000) + text)
    }
    Self.expectAgreement(ChunkFeeder.fixed(stream, size: 1), "one byte at a time")
  }

  @Test func everyTruncation() {
    let first = Self.member(TestData.text(bytes: 3_000), name: "x", headerCRC: true)
    let stream = first + Gzip.compress([1, 2, 3])
    for length in 1..<stream.count {
      let result = Self.expectAgreement([Array(stream[..<length])], "cut at \(length)")
      // Cut between the members, the stream is whole.
      #expect(result.error?.reason == (length == first.count ? nil : "truncated gzip stream"), "cut at \(length)")
    }
  }

  @Test(arguments: [UInt8(0xff), 0x01, 0x40])
  func everyFlippedByte(mask: UInt8) {
    let stream = Self.member(TestData.text(bytes: 4_000), extra: [9, 9], name: "n", headerCRC: true)
    for position in 0..<stream.count {
      var damaged = stream
      damaged[position] ^= mask
      Self.expectAgreement([damaged], "flip \(mask) at \(position)")
      Self.expectAgreement(ChunkFeeder.fixed(damaged, size: 37), "flip \(mask) at \(position), 37-byte feeds")
    }
  }

  @Test func damagedHeadersAreReportedWhereZlibReportsThem() {
    var crc = Self.member([1, 2, 3], headerCRC: true)
    crc[11] ^= 0x01
    #expect(
      Self.expectAgreement([crc], "header crc").error
        == GzipError(offset: 11, reason: "corrupt gzip header (header crc mismatch)"))
    var flags = Gzip.compress([1, 2, 3])
    flags[3] = 0x20
    #expect(
      Self.expectAgreement([flags], "reserved flag").error
        == GzipError(offset: 3, reason: "corrupt gzip header (unknown header flags set)"))
    var method = Gzip.compress([1, 2, 3])
    method[2] = 7
    #expect(
      Self.expectAgreement([method], "method").error
        == GzipError(offset: 3, reason: "corrupt gzip header (unknown compression method)"))
  }

  @Test func randomDeflateBodies() {
    var rng = SplitMix64(seed: 5)
    for round in 0..<2_000 {
      let body = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let bytes: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] + body
      Self.expectAgreement(ChunkFeeder.random(bytes, maxSize: 23, seed: UInt64(round)), "round \(round)")
    }
  }

  /// Found by the gzip fuzz target: ISA-L refuses a damaged block header before zlib has read far
  /// enough to refuse it (fed 3, 1 and 7 bytes at a time); zlib, handed the member, must read on
  /// into the next feeds to give its own verdict.
  @Test func zlibReadsOnPastWhereISALStopped() throws {
    let encoded =
      "Eh+LCAAAAAAAAAOVkDFrAzEMhff+CnNz0zSFLN5CMzR0S6BLJ8VWWoPPPiw56ZE/H9lHihtKoRpszPek96zznVLdFk1Mljqt3uWp"
      + "1LmeAvCIgd8wkYtBaLd4eFx291eaCdPGisLxKPTaJYTHAYt+RZR7tNvo8btN8JBcMG4Av7FV9VvpVea4M+Bd+FgjmeT2+ALBekw7"
      + "pBqomQip5pNLw4k0MWm9aErDlGSWJMqcYo8l0/x/HsbEHHjK3A6/EUnnK45/fK3V0+TzHAPjF//YYpnGLJkyI90QYf0BJP5nWb8B"
      + "xmp3AE/tpqvQJAQWj7WoiujpAh0ZCWP0AQAAH4sIAAAAAAAAAwMAAAAAAAAAAAAfiwgAAAAAAAADzVVLT9tAEL7nV0Q+swAAAAAA"
      + "AAAALRSRtJVacVjvjsGqY6e7NjRF/PfOxnmsjSkIcegeEtk7L3/zzTc2DQmlhE7mth07NPbpd2s03p3HA+PBUqBUXpVTpRqQVjx+"
      + "MC7xul4tAd9aV1UB1kH3binzkudLVkyFNkmGTt+HyVLb4l/M7lWcs0UcU+PEEhMdqWoBQxkZ51VT1m0+061v2CiQF2yxLn0XzMRg"
      + "NICGlZd31U8Qxyvtxqsyy28O2YL9qUqs9ZBXi22InZMFd1DW87zN5NgaeQfBn1M/tlvku6azqpF8bcyaulKcFXnZT9L12H7GKSgu"
      + "8xQ+sabktyfr6hrJamye2rtgjCu4wXfaBRrCMYJkBdkjhHjoEqaXiRASm//st+4cNJjJDQZ62VTCrwZUfckkVl2D1NHLpigMA7XE"
      + "guGsgAVGHLhfB5ie6lxhFFDPER7haRYgqhCSCfddEmUidTzXS7M06qHVOjIbRBTSjLiTKCOeHTD04RmZTELucxZEtst6jvMN0ZN7"
      + "lSzzE1YU5lchzXM0Sp7l38igxUMn8FdEYdMPemj7XVinAi3yetUZvN3QJd9mM5B3OTcH4b1Z6v2TpapWr2JngvrRm9n/kYsGyFpo"
      + "kreq0dp71krnDgIc6Fk70NtZ/cBKUYDcGD7ty8A0GBVyCWt6sEL1hFkLIcb8CKuWisdDp6OJFvxe5q1aaIeL6m5MJwdjzYUxbZfE"
      + "ODm3hlbDHNlWboV0Zr4bFFG2ZoLQgH1RT1aKed3WfjJ04pfB7JTaWyvI2l4jN2lJp6Gf61uQR6/u235tPD6nV74vqB8ZepW6dkbs"
      + "yOeRSIOUp+6gXqWOn2UhuCSjqFJeGmqpcgVJ7YgGE+75nvBNYrdjo1nxY+pXW+UH5OKta/aVS9YUqTieJudx3F2yW6yu31Vn98px"
      + "y3A8zvYYBjT0HBABcR2PEY+6LmEuAKHARMQFTUOfb2Qaf69Hj38BoamAlScJAAA="
    let input = try #require(Data(base64Encoded: encoded)).map { $0 }.dropFirst()
    let pieces = ChunkFeeder.random(Array(input), maxSize: 7, seed: 1) + [[]]
    let result = Self.expectAgreement(ChunkFeeder.fixed(Array(input), size: 1), "one byte at a time")
    #expect(result.error?.reason == "corrupt deflate data (invalid code -- missing end-of-block)")
    Self.expectAgreement(pieces, "random pieces")
  }

  /// A member ISA-L refuses in the middle of a feed, handed to zlib, which reads the rest of the
  /// feed on (here: the next member, then the end of input inside it). Found by the fuzz target.
  @Test func zlibReadsTheRestOfTheFeed() {
    let damagedHeader: [UInt8] = [0x1f, 0x8b, 8, 1, 0, 0, 0, 0, 0, 5, 0xdc, 0, 0, 0, 0, 0, 0, 3, 0]
    let stream = damagedHeader + damagedHeader[..<17]
    #expect(
      Self.expectAgreement([stream], "whole").error == GzipError(offset: stream.count, reason: "truncated gzip stream"))
    let second = Gzip.compress(TestData.text(bytes: 2_000))
    var member = Gzip.compress(TestData.text(bytes: 3_000))
    member[member.count - 6] ^= 0x10
    Self.expectAgreement([member + second], "bad CRC, then a member, in one feed")
    Self.expectAgreement([StoredGzip.member([1, 2, 3], blockSize: 2) + second + second], "stored, then two members")
  }

  /// The one known difference (docs/robustness.md), found by the fuzz target: zlib refuses a
  /// block whose literal/length code is incomplete; ISA-L does not check that, and this block
  /// decodes to nothing, so the member's trailer (CRC 0, length 0) checks out and ISA-L goes on
  /// to the bytes after it. A member that passes its CRC-32 and length check is read either way.
  @Test func aFormallyInvalidMemberThatChecksOut() {
    let hex =
      "1f8b080000000000000305c1cd6e23b91580d13d9fe2c35d97ee2879801692740696330126c882625d690a53456ac82a2b6ec3ef9e"
      + "00000728733e000000000000000066500b0000"
    var bytes: [UInt8] = []
    var digits = hex.makeIterator()
    while let high = digits.next(), let low = digits.next() {
      bytes.append(UInt8(String([high, low]), radix: 16) ?? 0)
    }
    let zlib = Self.outcome([bytes], engine: .zlib)
    #expect(
      zlib
        == Outcome(
          output: [], error: GzipError(offset: 57, reason: "corrupt deflate data (invalid literal/lengths set)")))
    for engine in GzipInflater.Engine.allCases where engine != .zlib {
      #expect(
        Self.outcome([bytes], engine: engine)
          == Outcome(output: [], error: GzipError(offset: 67, reason: "extra bytes after the gzip stream")))
    }
  }

  /// Past the replay limit ISA-L reports damage itself: still a located deflate error inside the
  /// member, trailer errors still exact, and everything before the damage still delivered.
  @Test func damageBeyondTheReplayLimit() {
    guard let isal = GzipInflater.Engine.allCases.first(where: { $0 != .zlib }) else { return }
    let text = TestData.text(bytes: 400_000)
    let stream = StoredGzip.member(text, blockSize: 50_000)
    // The sixth block's header: a reserved block type, then a length that does not match its
    // complement.
    let header = 10 + 5 * (50_000 + 5)
    for (index, value, message) in [
      (header, UInt8(0x06), "invalid block type"), (header + 3, 0, "invalid stored block lengths"),
    ] {
      var damaged = stream
      damaged[index] = value
      let pieces = ChunkFeeder.fixed(damaged, size: 4096)
      let zlib = Self.outcome(pieces, engine: .zlib)
      #expect(zlib.error?.reason == "corrupt deflate data (\(message))")
      #expect(Self.outcome(pieces, engine: isal) == zlib)
      let limited = Self.outcome(pieces, engine: isal, replayLimit: 8192)
      #expect(limited.error?.reason.hasPrefix("corrupt deflate data (") == true, "\(limited)")
      // ISA-L notices the damage about where zlib does (zlib reads bit by bit, ISA-L 8 bytes ahead).
      let offsets = (limited.error?.offset ?? -1, zlib.error?.offset ?? -1)
      #expect(abs(offsets.0 - offsets.1) <= 16, "\(offsets)")
      // Everything before the damaged block was delivered, by both.
      #expect(limited.output == Array(text[..<250_000]) && zlib.output == limited.output)
    }

    var trailer = stream
    trailer[trailer.count - 6] ^= 0x01
    let crc = Self.outcome(ChunkFeeder.fixed(trailer, size: 4096), engine: isal, replayLimit: 8192)
    #expect(crc == Self.outcome(ChunkFeeder.fixed(trailer, size: 4096), engine: .zlib))
    #expect(crc.error == GzipError(offset: trailer.count - 5, reason: "corrupt gzip trailer (incorrect data check)"))
  }
}
