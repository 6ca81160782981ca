// Reads one archive object (file or standard input) as a stream of content chunks, inflating
// gzip when the content starts with the gzip magic (by content, never by name). Memory stays
// bounded: one read buffer and the inflater's output buffer, both reused. The one file reader:
// integrity validation reads stored bytes through it, and key, signature and rule files are
// read whole through it, under a size cap.
import Glibc
import TrailGzip

/// What reading one object cost.
package struct ReadStatistics: Sendable {
  /// Bytes read from the file (compressed size for gzip).
  package var bytesRead: Int
  /// Bytes of content handed to the caller: the inflated size for gzip, `bytesRead` otherwise.
  package var bytesInflated: Int
  /// True when the content was gzip.
  package var wasGzip: Bool

  /// Statistics with the given values.
  package init(bytesRead: Int = 0, bytesInflated: Int = 0, wasGzip: Bool = false) {
    self.bytesRead = bytesRead
    self.bytesInflated = bytesInflated
    self.wasGzip = wasGzip
  }
}

/// Opens archive objects and streams their (decompressed) content.
package enum ObjectReader {
  /// Reads `object` in chunks of `chunkSize` bytes and hands each chunk of content to `body`.
  ///
  /// Content starting with the gzip magic (0x1f 0x8b) is inflated, multi-member allowed;
  /// anything else is passed through. The buffer given to `body` is valid only during the call.
  ///
  /// With `inflateAheadFrom`, gzip content of at least that many stored bytes, and gzip from a
  /// pipe (standard input), is read and inflated on a second thread while `body` runs on this
  /// one (``InflateAhead``): the same chunks and errors, in the same order, on two cores.
  /// - Throws: ``ArchiveError`` for open and read failures (`offset` nil, reason from `errno`)
  ///   and for gzip failures (`offset`: compressed offset, reason `"gzip: " + …`). Errors
  ///   thrown by `body` propagate unchanged: throw from `body` to stop reading.
  @discardableResult
  package static func read(
    _ object: ArchiveObject, chunkSize: Int = 256 * 1024, engine: GzipInflater.Engine = .default,
    inflateAheadFrom: Int? = nil, _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> ReadStatistics {
    try opened(object, chunkSize: chunkSize) { file, head in
      let path = object.path
      var statistics = ReadStatistics(bytesRead: head.count)
      if GzipInflater.hasGzipMagic(head) {
        statistics.wasGzip = true
        let inflater = GzipInflater(outputChunkSize: chunkSize, engine: engine)
        var bytesRead = head.count
        let opened = file
        let produce = { (deliver: (UnsafeRawBufferPointer) throws -> Void) throws in
          var file = opened
          try inflate(head, inflater, path, deliver)
          while let chunk = try file.next() {
            bytesRead += chunk.count
            try inflate(chunk, inflater, path, deliver)
          }
          try inflate(nil, inflater, path, deliver)
        }
        if let minimum = inflateAheadFrom, file.storedSize.map({ $0 >= minimum }) ?? true {
          try InflateAhead(chunkSize: chunkSize).run(produce: produce, body: body)
        } else {
          try produce(body)
        }
        statistics.bytesRead = bytesRead
        statistics.bytesInflated = inflater.inflatedBytesOut
      } else {
        if !head.isEmpty { try body(head) }
        while let chunk = try file.next() {
          statistics.bytesRead += chunk.count
          try body(chunk)
        }
        statistics.bytesInflated = statistics.bytesRead
      }
      return statistics
    }
  }

  /// Reads `object`'s bytes as stored, without inflating, for callers that must see the file
  /// itself (integrity validation hashes a gzip file's first member and reports what follows).
  ///
  /// The first chunk holds at least 2 bytes unless the object is shorter, so the caller can
  /// sniff the gzip magic. The buffer given to `body` is valid only during the call.
  /// - Returns: the number of bytes read.
  /// - Throws: ``ArchiveError`` for open and read failures; errors thrown by `body` unchanged.
  @discardableResult
  package static func readStored(
    _ object: ArchiveObject, chunkSize: Int = 256 * 1024,
    _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> Int {
    try opened(object, chunkSize: chunkSize) { file, head in
      var bytesRead = head.count
      if !head.isEmpty { try body(head) }
      while let chunk = try file.next() {
        bytesRead += chunk.count
        try body(chunk)
      }
      return bytesRead
    }
  }

  /// The whole content of a small object (a key, signature or rule file), inflated like
  /// ``read(_:chunkSize:_:)`` unless `inflating` is false.
  /// - Throws: ``ArchiveError`` as `read` does, and one when the content exceeds `limit`
  ///   bytes, so a wrong argument (a whole log archive) cannot exhaust memory.
  package static func contents(of object: ArchiveObject, limit: Int, inflating: Bool = true) throws -> [UInt8] {
    var bytes: [UInt8] = []
    let take = { (chunk: UnsafeRawBufferPointer) throws in
      guard bytes.count + chunk.count <= limit else {
        throw ArchiveError(path: object.path, reason: "larger than \(limit) bytes, too large for this file")
      }
      bytes.append(contentsOf: chunk)
    }
    if inflating {
      try read(object, chunkSize: 64 * 1024, take)
    } else {
      try readStored(object, chunkSize: 64 * 1024, take)
    }
    return bytes
  }

  /// Opens `object` (or takes standard input), fills the first 2 bytes when there are that
  /// many, and calls `body` with the open file and those first bytes; closes it afterwards.
  private static func opened<Result>(
    _ object: ArchiveObject, chunkSize: Int,
    _ body: (inout OpenFile, UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
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
    guard let base = buffer.baseAddress else { preconditionFailure("allocate(byteCount:) returned no memory") }

    // A read may return fewer than 2 bytes (pipes, terminals): fill until 2 or end of file.
    var filled = 0
    while filled < 2 {
      let count = try readSome(descriptor, base + filled, buffer.count - filled, path)
      if count == 0 { break }
      filled += count
    }
    var status = stat()
    let storedSize = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : nil
    var file = OpenFile(descriptor: descriptor, buffer: base, chunkSize: chunkSize, path: path, storedSize: storedSize)
    return try body(&file, UnsafeRawBufferPointer(start: base, count: filled))
  }

  /// An open descriptor and the one buffer its chunks are read into.
  private struct OpenFile {
    let descriptor: Int32
    let buffer: UnsafeMutableRawPointer
    let chunkSize: Int
    let path: String
    /// The size of a regular file; nil for pipes, terminals and devices.
    let storedSize: Int?

    /// The next chunk (overwriting the previous one), or nil at end of file.
    mutating func next() throws -> UnsafeRawBufferPointer? {
      let count = try ObjectReader.readSome(descriptor, buffer, chunkSize, path)
      return count == 0 ? nil : UnsafeRawBufferPointer(start: buffer, count: count)
    }
  }

  /// Feeds `bytes` to `inflater` (nil: finishes it), turning gzip errors (but not errors from
  /// `body`, even if `body` throws a GzipError) into ArchiveErrors.
  private static func inflate(
    _ bytes: UnsafeRawBufferPointer?, _ inflater: GzipInflater, _ path: String,
    _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    var bodyFailed = false
    func deliver(_ chunk: UnsafeRawBufferPointer) throws {
      do { try body(chunk) } catch {
        bodyFailed = true
        throw error
      }
    }
    do {
      if let bytes { try inflater.feed(bytes, deliver) } else { try inflater.finish(deliver) }
    } catch let error as GzipError where !bodyFailed {
      throw ArchiveError(gzip: error, path: path)
    }
  }

  /// One `read(2)`, retried on EINTR; returns 0 at end of file.
  private static func readSome(
    _ descriptor: Int32, _ into: UnsafeMutableRawPointer, _ count: Int,
    _ path: String
  ) throws -> Int {
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
