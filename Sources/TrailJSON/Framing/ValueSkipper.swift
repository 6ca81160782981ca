// Finds where one JSON value ends in a stream of chunks without parsing it: it tracks only
// string state and bracket depth. The framer runs it over every record byte, so it is the
// tightest loop of the reader; full validation is the parser's job, once a record is framed.

/// Resumable scan to the end of one JSON value.
///
/// Invariants: `depth` counts the brackets open inside the value; `inString` is true between a
/// string's quotes; `escapePending` is true when the previous chunk ended just after a
/// backslash inside a string. A scalar (number or literal) ends before the first delimiter.
struct ValueSkipper {
  var depth = 0
  var inString = false
  var escapePending = false
  var isScalar = false
  /// Byte by byte only (the scalar path the block scan is checked against).
  var scalarOnly = false

  /// A skipper for a value whose first byte is `first` (not yet consumed).
  init(startingWith first: UInt8, scalarOnly: Bool = false) {
    isScalar = !(first == ASCII.openBrace || first == ASCII.openBracket || first == ASCII.quote)
    self.scalarOnly = scalarOnly
  }

  /// A skipper already inside an object or array, `depth` levels deep.
  init(insideContainerAtDepth depth: Int, scalarOnly: Bool = false) {
    self.depth = depth
    self.scalarOnly = scalarOnly
  }

  /// Scans `bytes` from `start`; returns the index just past the value's end, or nil when the
  /// value goes on past this chunk (all of it was consumed). Inside an object or array it takes
  /// 64 bytes at a time (`ByteBlock`) unless `scalarOnly`; the answer and the state left are
  /// those of the byte loop (`scan`), which the differential tests and the framer fuzzer check.
  @inline(__always)
  mutating func advance(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    let n = bytes.count
    var i = start
    if isScalar {
      while i < n {
        let b = bytes[i]
        if b == ASCII.comma || b == ASCII.closeBracket || b == ASCII.closeBrace || ASCII.isWhitespace(b) { return i }
        i += 1
      }
      return nil
    }
    if depth == 0 && !inString && i < n && !scalarOnly {
      // The value's first byte: a bracket enters it (a string value stays with the byte loop).
      let b = bytes[i]
      if b == ASCII.openBrace || b == ASCII.openBracket {
        depth = 1
        i += 1
      }
    }
    if depth > 0 && !scalarOnly {
      while i + ByteBlock.size <= n {
        if let end = block(bytes, i) { return end }
        i += ByteBlock.size
      }
    }
    return scan(bytes, from: i, to: n)
  }

  /// One 64-byte block from `i` (inside an object or array): returns the index past the value's
  /// end if it ends in the block; else updates the state as `scan` would and returns nil.
  @inline(__always)
  mutating func block(_ bytes: UnsafeRawBufferPointer, _ i: Int) -> Int? {
    let base = bytes.baseAddress.unsafelyUnwrapped + i
    let a = Self.lane(base.loadUnaligned(as: SIMD16<UInt8>.self))
    let b = Self.lane(base.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self))
    let c = Self.lane(base.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self))
    let d = Self.lane(base.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self))
    let quote = a.quote | b.quote << 16 | c.quote << 32 | d.quote << 48
    let backslash = a.backslash | b.backslash << 16 | c.backslash << 32 | d.backslash << 48
    let brackets = a.brackets | b.brackets << 16 | c.brackets << 32 | d.brackets << 48
    var carry: UInt64 = escapePending ? 1 : 0
    let (escaped, escapes) = ByteBlock.escapes(backslash, carry: &carry)
    let inside = ByteBlock.prefixXor(quote & ~escaped) ^ (inString ? ~0 : 0)
    if escapes & ~inside != 0 {
      // A backslash outside a string (not JSON): it escapes nothing there, which the masks
      // assumed it did, so this block goes byte by byte.
      return scan(bytes, from: i, to: i + ByteBlock.size)
    }
    var outside = brackets & ~inside
    while outside != 0 {
      let at = i &+ outside.trailingZeroBitCount
      if bytes[at] | 0x20 == ASCII.openBrace {  // '{' or '['
        depth += 1
      } else {
        depth -= 1
        if depth <= 0 {
          inString = false
          escapePending = false
          return at + 1
        }
      }
      outside &= outside &- 1
    }
    inString = inside >> 63 != 0
    escapePending = carry != 0
    return nil
  }

  /// Quotes, backslashes and brackets among 16 bytes.
  @inline(__always)
  static func lane(_ v: SIMD16<UInt8>) -> (quote: UInt64, backslash: UInt64, brackets: UInt64) {
    let folded = v | ByteBlock.splat(0x20)  // '[' → '{', ']' → '}'
    return (
      ByteBlock.bits(v .== ByteBlock.splat(ASCII.quote)), ByteBlock.bits(v .== ByteBlock.splat(ASCII.backslash)),
      ByteBlock.bits((folded .== ByteBlock.splat(ASCII.openBrace)) .| (folded .== ByteBlock.splat(ASCII.closeBrace)))
    )
  }

  /// The byte loop over `bytes[start..<end]`: the index past the value's end, or nil when the
  /// value goes on past `end` (the state then says where it stands).
  mutating func scan(_ bytes: UnsafeRawBufferPointer, from start: Int, to n: Int) -> Int? {
    var i = start
    while i < n {
      if inString {
        if escapePending {
          escapePending = false
          i += 1
          continue
        }
        while i + 8 <= n {
          let word = SWAR.load(bytes, i)
          if SWAR.hasByte(word, ASCII.quote) || SWAR.hasByte(word, ASCII.backslash) { break }
          i += 8
        }
        while i < n {
          let b = bytes[i]
          if b == ASCII.quote || b == ASCII.backslash { break }
          i += 1
        }
        if i == n { return nil }
        if bytes[i] == ASCII.backslash {
          i += 1
          if i == n {
            escapePending = true
            return nil
          }
          i += 1
          continue
        }
        inString = false
        i += 1
        if depth == 0 { return i }
        continue
      }
      while i < n {
        let b = bytes[i]
        if b == ASCII.quote {
          inString = true
          i += 1
          break
        }
        if b == ASCII.openBrace || b == ASCII.openBracket {
          depth += 1
        } else if b == ASCII.closeBrace || b == ASCII.closeBracket {
          depth -= 1
          if depth <= 0 { return i + 1 }
        }
        i += 1
      }
    }
    return nil
  }
}
