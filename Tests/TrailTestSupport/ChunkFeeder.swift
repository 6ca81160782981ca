// Splits a byte buffer into chunks the way a stream might deliver them, for testing that
// streaming layers (gzip, JSON framing) give the same result however input is cut (NIO's
// ByteToMessageDecoderVerifier idea).

public enum ChunkFeeder {
  /// Cuts `bytes` into pieces of `size` (the last may be shorter).
  public static func fixed(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
    precondition(size > 0)
    return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
  }

  /// Cuts `bytes` in two at `position`.
  public static func split(_ bytes: [UInt8], at position: Int) -> [[UInt8]] {
    [Array(bytes[..<position]), Array(bytes[position...])]
  }

  /// Cuts `bytes` into pieces of pseudo-random sizes in `1...maxSize`, reproducibly from `seed`.
  public static func random(_ bytes: [UInt8], maxSize: Int, seed: UInt64) -> [[UInt8]] {
    var rng = SplitMix64(seed: seed)
    var pieces: [[UInt8]] = []
    var start = 0
    while start < bytes.count {
      let size = Int(rng.next() % UInt64(maxSize)) + 1
      let end = min(start + size, bytes.count)
      pieces.append(Array(bytes[start..<end]))
      start = end
    }
    return pieces
  }
}

/// A small deterministic PRNG (SplitMix64) so split points repeat from run to run.
public struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64
  public init(seed: UInt64) { state = seed }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
