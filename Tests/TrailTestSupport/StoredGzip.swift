// Hand-made gzip for tests that need to know where each deflate block starts: a member of stored
// (uncompressed) blocks of a chosen size, for damage at a known place (InflateAheadTests) and for
// comparing the two inflaters across block boundaries (EngineAgreementTests), and the CRC-32 its
// trailer and hand-made headers need, computed independently of zlib and ISA-L.

/// Gzip members of stored deflate blocks.
public enum StoredGzip {
  /// One member of `content` in stored blocks of `blockSize` bytes (5-byte block headers), with
  /// its CRC and length, or eight zero bytes in their place without `trailer` (for damage found
  /// before the trailer is read).
  public static func member(_ content: [UInt8], blockSize: Int, trailer: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
    var start = 0
    repeat {
      let end = min(start + blockSize, content.count)
      let length = end - start
      bytes += [end == content.count ? 1 : 0, UInt8(length & 0xff), UInt8(length >> 8)]
      bytes += [~UInt8(length & 0xff), ~UInt8(length >> 8)] + content[start..<end]
      start = end
    } while start < content.count
    guard trailer else { return bytes + [UInt8](repeating: 0, count: 8) }
    let crc = CRC32.of(content)
    let size = UInt32(truncatingIfNeeded: content.count)
    return bytes + (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
      + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) }
  }
}

/// CRC-32 (IEEE, reflected), for hand-made trailers and header CRCs.
public enum CRC32 {
  /// The CRC-32 of `bytes`.
  public static func of(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
    }
    return ~crc
  }
}
