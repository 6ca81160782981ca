// The one place result bytes leave the process: a block buffer over a file descriptor (stdout,
// or the `--output` report file the command opened), flushed when full, per line when a person
// is watching, and at the end. A reader that went away (EPIPE: `trail-scan … | head`) becomes
// `OutputClosed`, which the command treats as a quiet, clean stop.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The reader of the output closed it; stop producing, quietly.
package struct OutputClosed: Error, Sendable {}

/// Buffered writes to a file descriptor.
package final class OutputBuffer {
  let fd: Int32
  let capacity: Int
  /// Flush after every record (interactive use), instead of when the buffer is full.
  package var flushesEachRecord: Bool
  /// Bytes not yet written.
  package var bytes: [UInt8] = []

  package init(fd: Int32 = 1, capacity: Int = 64 * 1024, flushesEachRecord: Bool = false) {
    self.fd = fd
    self.capacity = capacity
    self.flushesEachRecord = flushesEachRecord
    bytes.reserveCapacity(capacity + 4096)
  }

  /// Appends through `body`, then flushes if the buffer is full (or after each record when
  /// `flushesEachRecord`).
  @inline(__always)
  package func record(_ body: (inout [UInt8]) -> Void) throws {
    body(&bytes)
    if flushesEachRecord || bytes.count >= capacity { try flush() }
  }

  package func write(_ text: String) throws {
    try record { $0.append(contentsOf: text.utf8) }
  }

  package func flush() throws {
    var written = 0
    let total = bytes.count
    while written < total {
      let n = bytes.withUnsafeBytes { raw -> Int in
        guard let base = raw.baseAddress else { return 0 }
        #if canImport(Glibc)
          return Glibc.write(fd, base + written, total - written)
        #else
          return Darwin.write(fd, base + written, total - written)
        #endif
      }
      if n < 0 {
        if errno == EINTR { continue }
        bytes.removeAll(keepingCapacity: true)
        if errno == EPIPE { throw OutputClosed() }
        throw OutputError(reason: String(cString: strerror(errno)))
      }
      written += n
    }
    bytes.removeAll(keepingCapacity: true)
  }
}

/// Output could not be written (other than a closed pipe).
package struct OutputError: Error, Sendable, CustomStringConvertible {
  /// Why, as the system says it (`No space left on device`).
  package var reason: String
  package init(reason: String) { self.reason = reason }
  /// `cannot write output: REASON`.
  package var message: String { "cannot write output: \(reason)" }
  package var description: String { message }
}
