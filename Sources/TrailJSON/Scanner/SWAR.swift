// Eight bytes at a time ("SIMD within a register") for the two hottest loops: skipping the
// plain body of a string in the parser and in the framer. Each test answers "does this word hold
// a byte that needs a closer look?"; the byte loops then take over at that word, so the result
// is the same as scanning byte by byte (the tests and fuzzers check the two agree).

@usableFromInline enum SWAR {
  @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
  @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Whether any byte of `word` equals `byte` (exact: the classic haszero on `word ^ byte×8`).
  @inline(__always) @usableFromInline
  static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    let x = word ^ (ones &* UInt64(byte))
    return (x &- ones) & ~x & highs != 0
  }

  /// Whether any byte is below 0x20 (a control character); exact for bytes below 0x80, and a
  /// word with a byte at or above 0x80 is caught by `hasHigh` first where it matters.
  @inline(__always) @usableFromInline
  static func hasLess(_ word: UInt64, than n: UInt8) -> Bool {
    (word &- ones &* UInt64(n)) & ~word & highs != 0
  }

  @inline(__always) @usableFromInline
  static func hasHigh(_ word: UInt64) -> Bool { word & highs != 0 }

  /// Loads 8 bytes at `offset` (unaligned); the caller checks `offset + 8 <= count`.
  @inline(__always) @usableFromInline
  static func load(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
    UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }
}
