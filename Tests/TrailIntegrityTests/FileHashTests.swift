// The validation reader: SHA-256 of the first gzip member's uncompressed bytes, computed while
// inflating at any chunk size; appended data (a second member, or other bytes) named with the
// offset where it starts; damaged gzip an error, not a hash.
import Foundation
import Testing
import TrailGzip
import TrailIntegrity
import TrailTestSupport

struct FileHashTests {
  let text = Array(RecordsBuilder.envelope(0..<200).utf8)

  func write(_ bytes: [UInt8]) throws -> (TemporaryDirectory, String) {
    let dir = try TemporaryDirectory()
    return (dir, try dir.write("f.json.gz", bytes))
  }

  @Test(arguments: [1, 7, 4096, 256 * 1024])
  func hashesTheUncompressedBytes(chunkSize: Int) throws {
    let (dir, path) = try write(Gzip.compress(text))
    let hash = try FileHasher.hash(path, keepContent: true, chunkSize: chunkSize)
    #expect(hash.sha256 == SignedTrail.sha256Hex(text))
    let same = hash.content == text
    #expect(same)
    #expect(hash.extraData == nil)
    #expect(hash.bytesInflated == text.count)
    _ = dir
  }

  @Test func plainFilesAreHashedAsTheyAre() throws {
    let (dir, path) = try write(text)
    #expect(try FileHasher.hash(path).sha256 == SignedTrail.sha256Hex(text))
    _ = dir
  }

  @Test(arguments: [1, 4096])
  func appendedDataIsNamedWithItsOffset(chunkSize: Int) throws {
    let first = Gzip.compress(text)
    for tail in [Gzip.compress(Array("more".utf8)), Gzip.compress([]), Array("junk".utf8)] {
      let (dir, path) = try write(first + tail)
      let hash = try FileHasher.hash(path, chunkSize: chunkSize)
      // The hash is still the first member's: the digest's value would match.
      #expect(hash.sha256 == SignedTrail.sha256Hex(text))
      #expect(hash.extraData?.offset == first.count, "\(String(describing: hash.extraData))")
      _ = dir
    }
  }

  @Test func damagedGzipIsAnError() throws {
    let whole = Gzip.compress(text)
    let (dir, path) = try write(Array(whole.prefix(whole.count / 2)))
    #expect(throws: FileReadError.self) { try FileHasher.hash(path) }
    #expect(throws: FileReadError.self) { try FileHasher.hash(dir.path("missing.gz")) }
  }
}
