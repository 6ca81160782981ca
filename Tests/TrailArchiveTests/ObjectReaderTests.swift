// Reading objects from disk: plain pass-through and gzip inflate at several chunk sizes, gzip
// detected by content not name, errors with their offsets, and errors from the body
// propagating unchanged.
import Foundation
import Testing
import TrailArchive
import TrailGzip
import TrailTestSupport

@Suite struct ObjectReaderTests {
  static let content = Array((0..<3000).map { #"{"eventName":"E\#($0)","n":\#($0 * 7)}"# + "\n" }.joined().utf8)

  /// Reads `path` and returns the content, the statistics and the largest chunk seen.
  func read(_ path: String, chunkSize: Int) throws -> (bytes: [UInt8], statistics: ReadStatistics, largest: Int) {
    var bytes: [UInt8] = []
    var largest = 0
    let statistics = try ObjectReader.read(ArchiveObject(path: path), chunkSize: chunkSize) { chunk in
      bytes += chunk
      largest = max(largest, chunk.count)
    }
    return (bytes, statistics, largest)
  }

  func archiveError(_ path: String, chunkSize: Int = 4096) -> ArchiveError? {
    do {
      _ = try read(path, chunkSize: chunkSize)
      return nil
    } catch let error as ArchiveError {
      return error
    } catch {
      Issue.record("unexpected error \(error)")
      return nil
    }
  }

  @Test(arguments: [1, 7, 4096])
  func plainFile(chunkSize: Int) throws {
    let root = try TemporaryDirectory()
    let path = try root.write("events.json", Self.content)
    let (bytes, statistics, largest) = try read(path, chunkSize: chunkSize)
    #expect(bytes == Self.content)
    #expect(statistics.bytesRead == Self.content.count)
    #expect(statistics.bytesInflated == Self.content.count)
    #expect(!statistics.wasGzip)
    #expect(largest <= max(chunkSize, 2))
  }

  @Test(arguments: [1, 7, 4096])
  func gzipFile(chunkSize: Int) throws {
    let root = try TemporaryDirectory()
    let compressed = Gzip.compress(Self.content)
    let path = try root.write("events.json.gz", compressed)
    let (bytes, statistics, largest) = try read(path, chunkSize: chunkSize)
    #expect(bytes == Self.content)
    #expect(statistics.bytesRead == compressed.count)
    #expect(statistics.bytesInflated == Self.content.count)
    #expect(statistics.wasGzip)
    #expect(largest <= chunkSize)
  }

  @Test func gzipIsDetectedByContentNotName() throws {
    let root = try TemporaryDirectory()
    let gzipNamedJSON = try root.write("events.json", Gzip.compress(Self.content))
    let plainNamedGz = try root.write("events.json.gz", Self.content)
    #expect(try read(gzipNamedJSON, chunkSize: 4096).bytes == Self.content)
    #expect(try read(gzipNamedJSON, chunkSize: 4096).statistics.wasGzip)
    #expect(try read(plainNamedGz, chunkSize: 4096).bytes == Self.content)
    #expect(try !read(plainNamedGz, chunkSize: 4096).statistics.wasGzip)
  }

  @Test func multiMemberFile() throws {
    let root = try TemporaryDirectory()
    let half = Self.content.count / 2
    let path = try root.write(
      "two.gz", Gzip.compress(Array(Self.content[..<half])) + Gzip.compress(Array(Self.content[half...])))
    #expect(try read(path, chunkSize: 7).bytes == Self.content)
  }

  @Test func tinyFiles() throws {
    let root = try TemporaryDirectory()
    let empty = try root.write("empty.json", [])
    let oneByte = try root.write("one.json", "x")
    let magicByte = try root.write("magic.json", [0x1f])
    var calls = 0
    let statistics = try ObjectReader.read(ArchiveObject(path: empty)) { _ in calls += 1 }
    #expect(calls == 0)
    #expect(statistics.bytesRead == 0 && !statistics.wasGzip)
    #expect(try read(oneByte, chunkSize: 1).bytes == Array("x".utf8))
    #expect(try read(magicByte, chunkSize: 1).bytes == [0x1f])
  }

  @Test(arguments: [1, 4096])
  func truncatedGzip(chunkSize: Int) throws {
    let root = try TemporaryDirectory()
    let cut = Array(Gzip.compress(Self.content).dropLast(10))
    let path = try root.write("cut.json.gz", cut)
    let error = archiveError(path, chunkSize: chunkSize)
    #expect(error == ArchiveError(path: path, offset: cut.count, reason: "gzip: truncated gzip stream"))
    #expect(error?.description == "\(path): gzip: truncated gzip stream at compressed byte \(cut.count)")
    let magicOnly = try root.write("magic-only.gz", [0x1f, 0x8b])
    #expect(
      archiveError(magicOnly, chunkSize: chunkSize)
        == ArchiveError(path: magicOnly, offset: 2, reason: "gzip: truncated gzip stream"))
  }

  @Test func corruptAndTrailingGarbage() throws {
    let root = try TemporaryDirectory()
    let compressed = Gzip.compress(Self.content)
    let garbage = try root.write("garbage.gz", compressed + Array("junk".utf8))
    #expect(
      archiveError(garbage)
        == ArchiveError(path: garbage, offset: compressed.count, reason: "gzip: extra bytes after the gzip stream"))
    var damaged = compressed
    for index in 30..<60 { damaged[index] ^= 0x55 }
    let corrupt = try root.write("corrupt.gz", damaged)
    let error = try #require(archiveError(corrupt))
    #expect(error.reason.hasPrefix("gzip: corrupt"))
    #expect(error.offset.map { (0...damaged.count).contains($0) } == true)
  }

  @Test func missingFile() throws {
    let root = try TemporaryDirectory()
    let path = root.path("missing.json")
    #expect(archiveError(path) == ArchiveError(path: path, offset: nil, reason: "no such file or directory"))
  }

  @Test func directoryCannotBeRead() throws {
    let root = try TemporaryDirectory()
    #expect(archiveError(root.path) == ArchiveError(path: root.path, reason: "is a directory"))
  }

  @Test(.enabled(if: geteuid() != 0, "root reads any file"))
  func unreadableFile() throws {
    let root = try TemporaryDirectory()
    let path = try root.write("secret.json", "{}")
    chmod(path, 0)
    #expect(archiveError(path) == ArchiveError(path: path, reason: "permission denied"))
  }

  @Test(arguments: [false, true])
  func errorsFromTheBodyPropagateUnchanged(gzip: Bool) throws {
    struct Stop: Error, Equatable {}
    let root = try TemporaryDirectory()
    let path = try root.write("events", gzip ? Gzip.compress(Self.content) : Self.content)
    var calls = 0
    #expect(throws: Stop()) {
      try ObjectReader.read(ArchiveObject(path: path), chunkSize: 100) { _ in
        calls += 1
        if calls == 3 { throw Stop() }
      }
    }
    #expect(calls == 3)
    // A GzipError thrown by the body is not mistaken for a gzip failure of the file.
    let own = GzipError(offset: 1, reason: "from the body")
    #expect(throws: own) {
      try ObjectReader.read(ArchiveObject(path: path), chunkSize: 100) { _ in throw own }
    }
  }

  @Test(.timeLimit(.minutes(1)), arguments: [false, true])
  func shortFirstReadFromAPipe(gzip: Bool) throws {
    // A pipe (like standard input) hands over the first byte alone: the magic check must
    // wait for the second one.
    let root = try TemporaryDirectory()
    let fifo = root.path("pipe")
    try #require(mkfifo(fifo, 0o600) == 0)
    let payload = gzip ? Gzip.compress(Self.content) : Self.content
    let writer = Thread {
      let descriptor = open(fifo, O_WRONLY)
      payload.withUnsafeBytes { bytes in
        _ = write(descriptor, bytes.baseAddress!, 1)
        usleep(50_000)
        var offset = 1
        while offset < bytes.count {
          let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
          if written <= 0 { break }
          offset += written
        }
      }
      close(descriptor)
    }
    writer.start()
    let (bytes, statistics, _) = try read(fifo, chunkSize: 4096)
    #expect(bytes == Self.content)
    #expect(statistics.wasGzip == gzip)
    #expect(statistics.bytesRead == payload.count)
  }

  @Test func trailscraperSampleReadsAsItsJSON() throws {
    let directory = Paths.sharedCorpus.appendingPathComponent("trailscraper")
    let compressed = Paths.files(under: directory).filter { $0.path.hasSuffix(".json.gz") }
    #expect(!compressed.isEmpty)
    for url in compressed {
      let expected = try Paths.bytes(url.deletingPathExtension())
      #expect(try read(url.path, chunkSize: 1000).bytes == expected)
    }
  }
}
