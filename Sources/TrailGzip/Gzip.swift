// Whole-buffer helpers over zlib: a deterministic one-member compressor for tests and the
// fixture generator, and a decompressor that goes through GzipInflater (one code path).
import CZlib

/// Whole-buffer gzip compression and decompression.
public enum Gzip {
  /// Compresses `bytes` into one gzip member.
  ///
  /// The header has mtime 0 and no file name, so the output depends only on the input and
  /// `level` (0...9, or -1 for zlib's default).
  public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    let initResult = deflateInit2_(
      &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
      zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    precondition(initResult == Z_OK, "deflateInit2 failed (\(initResult))")
    defer { deflateEnd(&stream) }

    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    bytes.withUnsafeBufferPointer { input in
      stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
      var remaining = input.count
      var result = Z_OK
      repeat {
        // avail_in is 32-bit: hand zlib at most 1 GiB at a time.
        if stream.avail_in == 0 && remaining > 0 {
          let step = min(remaining, 1 << 30)
          stream.avail_in = UInt32(step)
          remaining -= step
        }
        let flush = remaining == 0 ? Z_FINISH : Z_NO_FLUSH
        chunk.withUnsafeMutableBufferPointer { out in
          stream.next_out = out.baseAddress
          stream.avail_out = UInt32(out.count)
          result = deflate(&stream, flush)
          output.append(contentsOf: out[0..<(out.count - Int(stream.avail_out))])
        }
        precondition(
          result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR,
          "deflate failed (\(result))")
      } while result != Z_STREAM_END
    }
    return output
  }

  /// Inflates a whole gzip buffer (one or more members) through ``GzipInflater``.
  /// - Throws: ``GzipError`` when the bytes are not a complete, valid gzip stream.
  public static func decompress(
    _ bytes: [UInt8], engine: GzipInflater.Engine = .default
  ) throws -> [UInt8] {
    let inflater = GzipInflater(engine: engine)
    var output: [UInt8] = []
    try bytes.withUnsafeBytes { input in
      try inflater.feed(input) { output.append(contentsOf: $0) }
    }
    try inflater.finish { output.append(contentsOf: $0) }
    return output
  }
}
