// Sixty-four bytes at a time, as simdjson's stage 1 does: each byte class the scanners need
// (quotes, backslashes, brackets, structural characters, white space…) becomes one bit mask of a
// block, from `SIMD16<UInt8>` compares (SSE2 here) and `pmovmskb`; strings are then whole masks.

#if arch(x86_64)
  import _Builtin_intrinsics.intel
#endif

/// Bit masks of the bytes of one 64-byte block (bit `i` stands for byte `i`), and the arithmetic
/// on them that the framer and the structural indexer share.
@usableFromInline enum ByteBlock {
  /// Bytes per block.
  @usableFromInline static let size = 64

  @inline(__always) @usableFromInline
  static func splat(_ b: UInt8) -> SIMD16<UInt8> { SIMD16<UInt8>(repeating: b) }

  /// One bit per lane of a 16-lane mask, lane 0 in bit 0.
  @inline(__always) @usableFromInline
  static func bits(_ mask: SIMDMask<SIMD16<Int8>>) -> UInt64 {
    #if arch(x86_64)
      return UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(mask, to: SIMD2<Int64>.self))))
    #else
      let lanes = unsafeBitCast(mask, to: SIMD2<UInt64>.self)
      return gather(lanes[0]) | gather(lanes[1]) << 8
    #endif
  }

  /// Eight bytes that are each 0x00 or 0xFF as eight bits (the portable movemask).
  @inline(__always) @usableFromInline
  static func gather(_ word: UInt64) -> UInt64 {
    ((word & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) >> 56
  }

  /// Loads 16 bytes at `offset` (the caller checks `offset + 16 <= count`).
  @inline(__always) @usableFromInline
  static func load(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> SIMD16<UInt8> {
    bytes.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self)
  }

  /// Bit `i` set when bytes `0…i` hold an odd number of set bits of `x`: from an opening quote's
  /// bit up to (not including) the closing quote's, the inside of strings.
  @inline(__always) @usableFromInline
  static func prefixXor(_ x: UInt64) -> UInt64 {
    var x = x
    x ^= x << 1
    x ^= x << 2
    x ^= x << 4
    x ^= x << 8
    x ^= x << 16
    x ^= x << 32
    return x
  }

  /// Which bytes a backslash escapes, and which backslashes escape (simdjson's branchless
  /// escape scan): a run of backslashes escapes alternately, so `\\\"` escapes the quote and
  /// `\\"` does not. `carry` says the block's first byte is escaped (a backslash ended the last
  /// block) and is updated for the next block. Every backslash counts here, in strings or not;
  /// callers deal with a backslash outside a string (`escapes & ~inString`), which is not JSON.
  @inline(__always) @usableFromInline
  static func escapes(_ backslash: UInt64, carry: inout UInt64) -> (escaped: UInt64, escapes: UInt64) {
    if backslash == 0 {
      let escaped = carry
      carry = 0
      return (escaped, 0)
    }
    let oddBits: UInt64 = 0xAAAA_AAAA_AAAA_AAAA
    let potential = backslash & ~carry
    let maybeEscaped = potential << 1
    let codes = ((maybeEscaped | oddBits) &- potential) ^ oddBits
    let escaped = codes ^ (backslash | carry)
    let escapes = codes & backslash
    carry = escapes >> 63
    return (escaped, escapes)
  }

  /// All ones when the top bit of `x` is set, else zero.
  @inline(__always) @usableFromInline
  static func spreadTopBit(_ x: UInt64) -> UInt64 { UInt64(bitPattern: Int64(bitPattern: x) >> 63) }
}
