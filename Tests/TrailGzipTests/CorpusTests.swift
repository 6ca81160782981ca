// A real CloudTrail delivery (trailscraper's sample, written by AWS's own gzip) must inflate
// to exactly the bytes of its uncompressed copy, whatever the feed size.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

@Suite struct CorpusTests {
  static let directory = Paths.sharedCorpus.appendingPathComponent("trailscraper")

  static var pairs: [(gz: URL, json: URL)] {
    Paths.files(under: directory)
      .filter { $0.path.hasSuffix(".json.gz") }
      .map { ($0, $0.deletingPathExtension()) }
      .filter { FileManager.default.fileExists(atPath: $0.1.path) }
  }

  @Test(arguments: [1, 7, 4096, Int.max])
  func trailscraperSampleInflatesToItsJSON(feedSize: Int) throws {
    let pairs = Self.pairs
    #expect(!pairs.isEmpty, "no .json.gz with a matching .json in \(Self.directory.path)")
    for pair in pairs {
      let compressed = try Paths.bytes(pair.gz)
      let expected = try Paths.bytes(pair.json)
      let pieces = ChunkFeeder.fixed(compressed, size: min(feedSize, compressed.count))
      #expect(try inflate(pieces, outputChunkSize: 1000) == expected, "\(pair.gz.lastPathComponent)")
    }
  }
}
