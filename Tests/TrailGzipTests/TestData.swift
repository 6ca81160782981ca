// Shared inputs and a driver for the gzip tests: deterministic CloudTrail-like text of any
// size, and a helper that inflates a list of pieces the way a reader would feed them.
import TrailGzip
import TrailTestSupport

enum TestData {
  /// Deterministic text that compresses like real logs (repetitive keys, random values).
  static func text(bytes count: Int, seed: UInt64 = 42) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    let names = ["ConsoleLogin", "AssumeRole", "GetObject", "PutObject", "DescribeInstances"]
    var out: [UInt8] = []
    out.reserveCapacity(count + 200)
    while out.count < count {
      let name = names[Int(rng.next() % UInt64(names.count))]
      let ip = "\(rng.next() % 256).\(rng.next() % 256).\(rng.next() % 256).\(rng.next() % 256)"
      let id = String(rng.next(), radix: 36)
      out += Array(#"{"eventName":"\#(name)","sourceIPAddress":"\#(ip)","eventID":"\#(id)"}"#.utf8)
      out.append(UInt8(ascii: "\n"))
    }
    return Array(out.prefix(count))
  }

  /// Incompressible bytes (forces stored blocks and large compressed output).
  static func noise(bytes count: Int, seed: UInt64 = 7) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
  }
}

/// Feeds `pieces` in order to a fresh inflater, then finishes; returns the inflated bytes.
func inflate(_ pieces: [[UInt8]], outputChunkSize: Int = 256 * 1024) throws -> [UInt8] {
  let inflater = GzipInflater(outputChunkSize: outputChunkSize)
  var output: [UInt8] = []
  for piece in pieces {
    try piece.withUnsafeBytes { buffer in
      try inflater.feed(buffer) { chunk in
        precondition(chunk.count <= outputChunkSize)
        output.append(contentsOf: chunk)
      }
    }
  }
  try inflater.finish()
  return output
}

/// The GzipError thrown while inflating `pieces`, or nil when inflating succeeds.
func gzipError(_ pieces: [[UInt8]]) -> GzipError? {
  do {
    _ = try inflate(pieces)
    return nil
  } catch let error as GzipError {
    return error
  } catch {
    fatalError("unexpected error \(error)")
  }
}
