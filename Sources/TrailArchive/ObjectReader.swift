// Reads one archive object (file or standard input) as a stream of content chunks, inflating
// gzip when the content starts with the gzip magic (by content, never by name). Memory stays
// bounded: one read buffer and the inflater's output buffer, both reused.
import Glibc
import TrailGzip

/// What reading one object cost.
public struct ReadStatistics: Sendable {
  /// Bytes read from the file (compressed size for gzip).
  public var bytesRead: Int
  /// Bytes of content handed to the caller: the inflated size for gzip, `bytesRead` otherwise.
  public var bytesInflated: Int
  /// True when the content was gzip.
  public var wasGzip: Bool

  /// Statistics with the given values.
  public init(bytesRead: Int = 0, bytesInflated: Int = 0, wasGzip: Bool = false) {
    self.bytesRead = bytesRead
    self.bytesInflated = bytesInflated
    self.wasGzip = wasGzip
  }
}

/// Opens archive objects and streams their (decompressed) content.
public enum ObjectReader {
  /// Reads `object` in chunks of `chunkSize` bytes and hands each chunk of content to `body`.
  ///
  /// Content starting with the gzip magic (0x1f 0x8b) is inflated, multi-member allowed;
  /// anything else is passed through. The buffer given to `body` is valid only during the call.
  /// - Throws: ``ArchiveError`` for open and read failures (`offset` nil, reason from `errno`)
  ///   and for gzip failures (`offset`: compressed offset, reason `"gzip: " + …`). Errors
  ///   thrown by `body` propagate unchanged: throw from `body` to stop reading.
  @discardableResult
  public static func read(_ object: ArchiveObject, chunkSize: Int = 256 * 1024,
                          _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> ReadStatistics {
    precondition(chunkSize > 0, "chunkSize must be positive")
    let path = object.path
    let descriptor: Int32
    if object.isStandardInput {
      descriptor = STDIN_FILENO
    } else {
      descriptor = open(path, O_RDONLY | O_CLOEXEC)
      guard descriptor >= 0 else { throw ArchiveError.system(path, errno) }
    }
    defer { if !object.isStandardInput { close(descriptor) } }

    // At least 2 bytes, so the magic can be sniffed even when chunkSize is 1.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 2), alignment: 16)
    defer { buffer.deallocate() }
    let base = buffer.baseAddress!

    // A read may return fewer than 2 bytes (pipes, terminals): fill until 2 or end of file.
    var filled = 0
    while filled < 2 {
      let count = try readSome(descriptor, base + filled, buffer.count - filled, path)
      if count == 0 { break }
      filled += count
    }
    var statistics = ReadStatistics(bytesRead: filled)
    let head = UnsafeRawBufferPointer(start: base, count: filled)

    if GzipInflater.hasGzipMagic(head) {
      statistics.wasGzip = true
      let inflater = GzipInflater(outputChunkSize: chunkSize)
      try inflate(head, inflater, path, body)
      while true {
        let count = try readSome(descriptor, base, chunkSize, path)
        if count == 0 { break }
        statistics.bytesRead += count
        try inflate(UnsafeRawBufferPointer(start: base, count: count), inflater, path, body)
      }
      do {
        try inflater.finish()
      } catch let error as GzipError {
        throw ArchiveError(gzip: error, path: path)
      }
      statistics.bytesInflated = inflater.inflatedBytesOut
    } else {
      if filled > 0 { try body(head) }
      while true {
        let count = try readSome(descriptor, base, chunkSize, path)
        if count == 0 { break }
        statistics.bytesRead += count
        try body(UnsafeRawBufferPointer(start: base, count: count))
      }
      statistics.bytesInflated = statistics.bytesRead
    }
    return statistics
  }

  /// Feeds `bytes` to `inflater`, turning gzip errors (but not errors from `body`, even if
  /// `body` throws a GzipError) into ArchiveErrors.
  private static func inflate(_ bytes: UnsafeRawBufferPointer, _ inflater: GzipInflater, _ path: String,
                              _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    var bodyFailed = false
    do {
      try inflater.feed(bytes) { chunk in
        do { try body(chunk) } catch {
          bodyFailed = true
          throw error
        }
      }
    } catch let error as GzipError where !bodyFailed {
      throw ArchiveError(gzip: error, path: path)
    }
  }

  /// One `read(2)`, retried on EINTR; returns 0 at end of file.
  private static func readSome(_ descriptor: Int32, _ into: UnsafeMutableRawPointer, _ count: Int,
                               _ path: String) throws -> Int {
    while true {
      let result = Glibc.read(descriptor, into, count)
      if result >= 0 { return result }
      if errno == EINTR { continue }
      throw ArchiveError.system(path, errno)
    }
  }
}

extension ArchiveError {
  /// A gzip failure in `path`, located by its compressed offset.
  init(gzip error: GzipError, path: String) {
    self.init(path: path, offset: error.offset, reason: "gzip: " + error.reason)
  }
}
