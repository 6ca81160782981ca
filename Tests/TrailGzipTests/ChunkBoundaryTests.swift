// The inflated output must not depend on how the compressed input is cut into feeds
// (NIO's ByteToMessageDecoderVerifier idea): every split point for a small input, random
// piece sizes for a large one, and one byte at a time.
import Testing
import TrailGzip
import TrailTestSupport

@Suite struct ChunkBoundaryTests {
  @Test func splitAtEveryPosition() throws {
    let original = TestData.text(bytes: 3_000)
    let compressed = Gzip.compress(original)
    for position in 0...compressed.count {
      let output = try inflate(ChunkFeeder.split(compressed, at: position), outputChunkSize: 512)
      #expect(output == original, "split at \(position)")
    }
  }

  @Test func oneByteAtATime() throws {
    let original = TestData.text(bytes: 20_000)
    #expect(try inflate(ChunkFeeder.fixed(Gzip.compress(original), size: 1), outputChunkSize: 100) == original)
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func randomPieceSizesOnLargeInput(seed: UInt64) throws {
    let original = TestData.text(bytes: 4_000_000, seed: seed) + TestData.noise(bytes: 200_000, seed: seed)
    let compressed = Gzip.compress(original)
    let pieces = ChunkFeeder.random(compressed, maxSize: 70_000, seed: seed)
    #expect(try inflate(pieces, outputChunkSize: 64 * 1024) == original)
  }

  @Test(arguments: [1, 2, 7, 4096, Int.max])
  func fixedPieceSizes(size: Int) throws {
    let original = TestData.text(bytes: 50_000)
    let compressed = Gzip.compress(original)
    #expect(try inflate(ChunkFeeder.fixed(compressed, size: min(size, compressed.count))) == original)
  }
}
