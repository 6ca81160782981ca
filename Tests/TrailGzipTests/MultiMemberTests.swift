// Members written back to back are one stream (RFC 1952 §2.2; `gzip -d` and `cat a.gz b.gz`
// rely on it), including when a member boundary or the next magic falls between two feeds.
import Testing
import TrailGzip
import TrailTestSupport

@Suite struct MultiMemberTests {
  @Test func twoMembers() throws {
    let a = TestData.text(bytes: 10_000, seed: 1)
    let b = TestData.text(bytes: 7_000, seed: 2)
    let inflater = GzipInflater()
    var output: [UInt8] = []
    let joined = Gzip.compress(a) + Gzip.compress(b)
    try joined.withUnsafeBytes { try inflater.feed($0) { output += $0 } }
    try inflater.finish()
    #expect(output == a + b)
    #expect(inflater.membersCompleted == 2)
    #expect(inflater.compressedBytesIn == joined.count)
  }

  @Test func threeMembersIncludingAnEmptyOne() throws {
    let a = TestData.text(bytes: 4_000, seed: 1)
    let c = TestData.text(bytes: 4_000, seed: 3)
    let joined = Gzip.compress(a) + Gzip.compress([]) + Gzip.compress(c)
    #expect(try Gzip.decompress(joined) == a + c)
  }

  @Test func boundarySplitAtEveryPositionNearIt() throws {
    let a = TestData.text(bytes: 2_000, seed: 4)
    let b = TestData.text(bytes: 2_000, seed: 5)
    let first = Gzip.compress(a)
    let joined = first + Gzip.compress(b) + Gzip.compress(a)
    // Every cut from inside the first trailer to past the second header, and a 3-way cut
    // that isolates the second member's first magic byte.
    for position in (first.count - 10)...(first.count + 12) {
      #expect(try inflate(ChunkFeeder.split(joined, at: position)) == a + b + a, "split at \(position)")
    }
    let isolated = [Array(joined[..<first.count]), [joined[first.count]], Array(joined[(first.count + 1)...])]
    #expect(try inflate(isolated) == a + b + a)
  }

  @Test func manySmallMembersOneByteAtATime() throws {
    let parts = (0..<20).map { TestData.text(bytes: 50 + $0 * 13, seed: UInt64($0)) }
    let joined = parts.map { Gzip.compress($0) }.reduce([], +)
    #expect(try inflate(ChunkFeeder.fixed(joined, size: 1), outputChunkSize: 16) == parts.reduce([], +))
  }
}
