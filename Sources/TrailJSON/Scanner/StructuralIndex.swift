// Stage 1 of the block parser (simdjson's design): one pass over a record, 64 bytes at a time,
// that validates what lies inside strings (control characters, escapes, UTF-8) and lists where
// every token starts, so stage 2 (`TapeBuilder`) never looks at the bytes of a string's body.

#if arch(x86_64)
  import _Builtin_intrinsics.intel
#endif

/// Finds the structural positions of one JSON text.
///
/// The index lists, in order: every `{ } [ ] : ,` outside strings, every unescaped quote (a
/// string's opening and closing quotes, so a string is two consecutive entries), and the first
/// byte of every other run of bytes outside strings (a number or literal, or garbage). Bytes that
/// are none of these are white space, string contents, or the rest of such a run, which stage 2
/// checks from the run's first byte.
///
/// `index` answers false when the text cannot be JSON; it never answers true for a text the
/// byte-by-byte parser rejects for what lies inside its strings (the tests and the `json`
/// fuzzer hold the two paths to that). The caller then asks the byte-by-byte parser for the error.
enum StructuralIndex {
  /// Room `positions` needs beyond one entry per byte (entries are written eight at a time).
  static let slack = 64

  /// Indexes `bytes` from `start` (past a byte order mark) into `positions` (its first `count`
  /// entries; the buffer must hold at least `bytes.count + slack`), listing the backslash of each
  /// escape in `escapes`. Returns the number of entries, or nil when the text cannot be JSON.
  static func build(
    _ bytes: UnsafeRawBufferPointer, from start: Int, into positions: UnsafeMutableBufferPointer<UInt32>,
    escapes: inout [UInt32]
  ) -> Int? {
    let count = bytes.count
    guard positions.count >= count + slack else { return nil }
    var state = State(out: positions.baseAddress.unsafelyUnwrapped)
    var i = start
    while i &+ ByteBlock.size <= count {
      guard state.block(ByteBlock.Classes(bytes, i), at: i, bytes, &escapes) else { return nil }
      i &+= ByteBlock.size
    }
    if i < count {
      // The last bytes, padded with spaces to a whole block.
      let ok = withUnsafeTemporaryAllocation(byteCount: ByteBlock.size, alignment: 16) { tail in
        tail.initializeMemory(as: UInt8.self, repeating: ASCII.space)
        tail.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[i..<count]))
        return state.block(ByteBlock.Classes(UnsafeRawBufferPointer(tail), 0), at: i, bytes, &escapes)
      }
      guard ok else { return nil }
    }
    // A string still open at the end, or an escape cut off, is not JSON.
    guard !state.inString, state.escapeCarry == 0 else { return nil }
    return state.count
  }

  /// What `buildValue` found.
  enum Value {
    /// The value ends at `end` (the index past its last byte); its first `count` entries are
    /// its index, exactly as `build` lists them for the value's bytes alone.
    case value(count: Int, end: Int)
    /// The value does not end within the bytes given.
    case incomplete
    /// The entries so far would overflow `positions`: ask again with more room.
    case needsRoom
    /// The bytes cannot be JSON, or can be only in a way the byte parser is to judge: the
    /// value's end was not found (the byte loops of the framer are to find it).
    case unknown
  }

  /// Indexes the object or array that starts at `bytes[0]` and finds where it ends, in one pass:
  /// what the framer (`ValueSkipper`) and `build` do in two. The bytes after the value's end in
  /// its last block are classified too (their problems answer `.unknown`, which costs the caller
  /// a second scan, never a different answer) but not listed. Entries are written up to a
  /// block at a time, so `positions` must hold `slack` entries beyond those returned.
  static func buildValue(
    _ bytes: UnsafeRawBufferPointer, into positions: UnsafeMutableBufferPointer<UInt32>, escapes: inout [UInt32]
  ) -> Value {
    let count = bytes.count
    var state = State(out: positions.baseAddress.unsafelyUnwrapped)
    var depth = 0
    var i = 0
    while i < count {
      guard state.count &+ ByteBlock.size <= positions.count else { return .needsRoom }
      let end: Int?
      if i &+ ByteBlock.size <= count {
        end = state.valueBlock(ByteBlock.Classes(bytes, i, brackets: true), at: i, bytes, &escapes, depth: &depth)
      } else {
        end = withUnsafeTemporaryAllocation(byteCount: ByteBlock.size, alignment: 16) { tail in
          tail.initializeMemory(as: UInt8.self, repeating: ASCII.space)
          tail.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[i..<count]))
          return state.valueBlock(
            ByteBlock.Classes(UnsafeRawBufferPointer(tail), 0, brackets: true), at: i, bytes, &escapes, depth: &depth)
        }
      }
      if let end {
        guard end > 0 else { return .unknown }
        return .value(count: state.count, end: end)
      }
      i &+= ByteBlock.size
    }
    return .incomplete
  }

  /// What carries from one block to the next.
  struct State {
    let out: UnsafeMutablePointer<UInt32>
    var count = 0
    var inString = false
    var escapeCarry: UInt64 = 0
    /// The last byte of the previous block was part of a run outside strings.
    var runCarry: UInt64 = 0
    /// Bytes before this position are checked UTF-8 / escape sequences.
    var utf8Until = 0
    var escapesUntil = 0
    /// The bytes of the last block classified that lie inside strings.
    var inside: UInt64 = 0

    init(out: UnsafeMutablePointer<UInt32>) { self.out = out }

    /// Indexes one block whose first byte is `bytes[base]`; false when it cannot be JSON.
    @inline(__always)
    mutating func block(
      _ classes: ByteBlock.Classes, at base: Int, _ bytes: UnsafeRawBufferPointer, _ escapeList: inout [UInt32]
    ) -> Bool {
      guard let structural = classify(classes, at: base, bytes, &escapeList) else { return false }
      write(structural, at: base)
      return true
    }

    /// The structural bits of one block whose first byte is `bytes[base]` (its string state left
    /// in `inside`); nil when it cannot be JSON.
    @inline(__always)
    mutating func classify(
      _ classes: ByteBlock.Classes, at base: Int, _ bytes: UnsafeRawBufferPointer, _ escapeList: inout [UInt32]
    ) -> UInt64? {
      let (escaped, escapes) = ByteBlock.escapes(classes.backslashes, carry: &escapeCarry)
      if escapes != 0 { guard checkEscapes(escapes, base, bytes, &escapeList) else { return nil } }
      let quotes = classes.quote & ~escaped
      let inside = ByteBlock.prefixXor(quotes) ^ (inString ? ~0 : 0)
      inString = inside >> 63 != 0
      self.inside = inside
      // Backslashes outside strings and control characters inside them are never JSON; outside
      // strings, control characters other than white space are not either.
      if escapes & ~inside != 0 { return nil }
      var separators = classes.separators
      if classes.special != 0 {
        // Control characters or bytes above 0x7F (rare in CloudTrail): a closer look.
        let (control, high) = ByteBlock.Classes.controlAndHigh(classes.bytes)
        if control & inside != 0 { return nil }
        if control != 0 { guard Self.whitespaceOnly(control, base, bytes) else { return nil } }
        if high != 0 { guard checkUTF8(high, base, bytes) else { return nil } }
        separators |= control
      }
      let run = ~separators & ~inside
      let runStarts = run & ~(run << 1 | runCarry)
      runCarry = run >> 63
      return classes.operatorsAndQuotes & ~inside | quotes | runStarts
    }

    /// Lists the positions of the bits of `structural`, a block from `base`.
    @inline(__always)
    mutating func write(_ structural: UInt64, at base: Int) {
      var structural = structural
      var write = out + count
      while structural != 0 {
        write.pointee = UInt32(truncatingIfNeeded: base &+ structural.trailingZeroBitCount)
        write += 1
        structural &= structural &- 1
      }
      count = write - out
    }

    /// `block` for `buildValue`, following the bracket depth (`depth`, 0 before the value's
    /// first byte): the index past the value's end when it ends in this block (its entries
    /// listed up to there), nil when it goes on, 0 when the block cannot be JSON.
    @inline(__always)
    mutating func valueBlock(
      _ classes: ByteBlock.Classes, at base: Int, _ bytes: UnsafeRawBufferPointer, _ escapeList: inout [UInt32],
      depth: inout Int
    ) -> Int? {
      guard var structural = classify(classes, at: base, bytes, &escapeList) else { return 0 }
      var brackets = classes.brackets & ~inside
      var end: Int?
      while brackets != 0 {
        let bit = brackets.trailingZeroBitCount
        if classes.bytes.load(fromByteOffset: bit, as: UInt8.self) | 0x20 == ASCII.openBrace {  // '{' or '['
          depth &+= 1
        } else {
          depth &-= 1
          if depth == 0 {
            structural &= ~0 &>> UInt64(63 &- bit)
            end = base &+ bit &+ 1
            break
          }
        }
        brackets &= brackets &- 1
      }
      write(structural, at: base)
      return end
    }

    /// Checks the escapes whose backslashes are the bits of `escapes` and lists them.
    mutating func checkEscapes(
      _ escapes: UInt64, _ base: Int, _ bytes: UnsafeRawBufferPointer, _ escapeList: inout [UInt32]
    ) -> Bool {
      var pending = escapes
      while pending != 0 {
        let at = base &+ pending.trailingZeroBitCount
        pending &= pending &- 1
        // The second `\u` of a surrogate pair was checked with the first.
        guard at >= escapesUntil else { continue }
        guard let end = JSONEscape.end(bytes, at) else { return false }
        escapesUntil = end
        escapeList.append(UInt32(truncatingIfNeeded: at))
      }
      return true
    }

    /// Checks the UTF-8 sequences the high bytes `high` start (or continue).
    mutating func checkUTF8(_ high: UInt64, _ base: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
      var pending = high
      while pending != 0 {
        let at = base &+ pending.trailingZeroBitCount
        pending &= pending &- 1
        guard at >= utf8Until else { continue }
        guard let end = UTF8Check.end(bytes, at) else { return false }
        utf8Until = end
      }
      return true
    }

    /// Whether the control characters `control` (outside strings) are all tab, LF or CR.
    static func whitespaceOnly(_ control: UInt64, _ base: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
      var pending = control
      while pending != 0 {
        let at = base &+ pending.trailingZeroBitCount
        pending &= pending &- 1
        guard at < bytes.count else { continue }  // the padding of the last block
        let b = bytes[at]
        guard b == ASCII.tab || b == ASCII.newline || b == ASCII.carriageReturn else { return false }
      }
      return true
    }
  }
}

extension ByteBlock {
  /// The byte classes of one block that the structural index needs.
  @usableFromInline struct Classes {
    /// The block's first byte.
    let bytes: UnsafeRawPointer
    var quote: UInt64
    /// Nonzero when the block holds a backslash (`backslashes` gives where).
    var anyBackslash: UInt64
    /// `{ } [ ] : ,` and `"`.
    var operatorsAndQuotes: UInt64
    /// What ends a run of other bytes: operators, quotes and space (and control characters,
    /// which `controlAndHigh` finds when `special` says there are any).
    var separators: UInt64
    /// Nonzero when the block holds a byte below 0x20 or above 0x7F (`controlAndHigh` gives
    /// where).
    var special: UInt64
    /// `{ } [ ]` (only when asked for; zero otherwise).
    var brackets: UInt64 = 0

    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer, _ offset: Int, brackets withBrackets: Bool = false) {
      let base = bytes.baseAddress.unsafelyUnwrapped + offset
      self.bytes = base
      let a = Lane(base.loadUnaligned(as: SIMD16<UInt8>.self))
      let b = Lane(base.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt8>.self))
      let c = Lane(base.loadUnaligned(fromByteOffset: 32, as: SIMD16<UInt8>.self))
      let d = Lane(base.loadUnaligned(fromByteOffset: 48, as: SIMD16<UInt8>.self))
      quote = Self.bits(a.quote, b.quote, c.quote, d.quote)
      operatorsAndQuotes = Self.bits(a.operators, b.operators, c.operators, d.operators)
      separators = Self.bits(a.separators, b.separators, c.separators, d.separators)
      // One test each for the rare classes.
      anyBackslash = ByteBlock.bits(a.backslash | b.backslash | c.backslash | d.backslash)
      special = ByteBlock.bits(a.special | b.special | c.special | d.special)
      if withBrackets {
        brackets = Self.bits(a.brackets, b.brackets, c.brackets, d.brackets)
      }
    }

    /// The 64 bits of four 16-byte lanes of 0x00/0xFF bytes.
    @inline(__always)
    static func bits(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>, _ c: SIMD16<UInt8>, _ d: SIMD16<UInt8>) -> UInt64 {
      ByteBlock.bits(a) | ByteBlock.bits(b) << 16 | ByteBlock.bits(c) << 32 | ByteBlock.bits(d) << 48
    }

    /// The backslashes of the block (zero when `anyBackslash` is).
    @inline(__always)
    var backslashes: UInt64 {
      guard anyBackslash != 0 else { return 0 }
      var mask: UInt64 = 0
      for lane in 0..<4 {
        let v = bytes.loadUnaligned(fromByteOffset: 16 * lane, as: SIMD16<UInt8>.self)
        mask |= ByteBlock.bits(v .== ByteBlock.splat(ASCII.backslash)) << UInt64(16 * lane)
      }
      return mask
    }

    /// The control characters and the bytes above 0x7F of the 64 bytes at `base`.
    static func controlAndHigh(_ base: UnsafeRawPointer) -> (control: UInt64, high: UInt64) {
      var control: UInt64 = 0
      var high: UInt64 = 0
      for lane in 0..<4 {
        let v = base.loadUnaligned(fromByteOffset: 16 * lane, as: SIMD16<UInt8>.self)
        control |= ByteBlock.bits(v .< ByteBlock.splat(0x20)) << UInt64(16 * lane)
        high |= ByteBlock.bits(v .>= ByteBlock.splat(0x80)) << UInt64(16 * lane)
      }
      return (control, high)
    }

    /// The classes of 16 bytes, as bytes 0x00 or 0xFF (kept as integer vectors, so or-ing
    /// them costs one instruction each).
    struct Lane {
      var quote: SIMD16<UInt8>
      var backslash: SIMD16<UInt8>
      var operators: SIMD16<UInt8>
      var separators: SIMD16<UInt8>
      var special: SIMD16<UInt8>
      var brackets: SIMD16<UInt8>

      @inline(__always)
      init(_ v: SIMD16<UInt8>) {
        let folded = v | ByteBlock.splat(0x20)  // '[' → '{', ']' → '}'
        quote = ByteBlock.equal(v, ASCII.quote)
        brackets = ByteBlock.equal(folded, ASCII.openBrace) | ByteBlock.equal(folded, ASCII.closeBrace)
        operators = quote | brackets | ByteBlock.equal(v, ASCII.colon) | ByteBlock.equal(v, ASCII.comma)
        separators = operators | ByteBlock.equal(v, ASCII.space)
        backslash = ByteBlock.equal(v, ASCII.backslash)
        // Below 0x20 or above 0x7F: as signed bytes, below 0x20.
        special = unsafeBitCast(
          unsafeBitCast(v, to: SIMD16<Int8>.self) .< SIMD16<Int8>(repeating: 0x20), to: SIMD16<UInt8>.self)
      }
    }
  }

  /// 0xFF where the byte of `v` is `b`, else 0x00.
  @inline(__always) @usableFromInline
  static func equal(_ v: SIMD16<UInt8>, _ b: UInt8) -> SIMD16<UInt8> {
    unsafeBitCast(v .== splat(b), to: SIMD16<UInt8>.self)
  }

  /// One bit per byte of 16 bytes that are each 0x00 or 0xFF, byte 0 in bit 0.
  @inline(__always) @usableFromInline
  static func bits(_ v: SIMD16<UInt8>) -> UInt64 {
    #if arch(x86_64)
      return UInt64(UInt16(truncatingIfNeeded: _mm_movemask_epi8(unsafeBitCast(v, to: SIMD2<Int64>.self))))
    #else
      let lanes = unsafeBitCast(v, to: SIMD2<UInt64>.self)
      return gather(lanes[0]) | gather(lanes[1]) << 8
    #endif
  }
}

/// The escapes of RFC 8259, as the parser accepts them.
enum JSONEscape {
  /// The index past the escape whose backslash is at `at`: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`,
  /// `\r`, `\t`, `\uXXXX` (a high surrogate only with the low one after it); nil otherwise.
  @inline(__always)
  static func end(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Int? {
    let count = bytes.count
    guard at + 1 < count else { return nil }
    switch bytes[at + 1] {
    case ASCII.quote, ASCII.backslash, ASCII.slash, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
      return at + 2
    case 0x75:  // u
      guard let unit = hex4(bytes, at + 2) else { return nil }
      if unit >= 0xD800 && unit < 0xDC00 {
        guard at + 7 < count, bytes[at + 6] == ASCII.backslash, bytes[at + 7] == 0x75,
          let low = hex4(bytes, at + 8), low >= 0xDC00 && low < 0xE000
        else { return nil }
        return at + 12
      }
      return unit >= 0xDC00 && unit < 0xE000 ? nil : at + 6
    default:
      return nil
    }
  }

  @inline(__always)
  static func hex4(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
    guard at + 4 <= bytes.count else { return nil }
    var value: UInt32 = 0
    for k in 0..<4 {
      guard let digit = ASCII.hexValue(bytes[at + k]) else { return nil }
      value = value << 4 | digit
    }
    return value
  }
}

/// Well-formed UTF-8, as the parser accepts it in strings: the one table of lead bytes and the
/// range of each sequence's second byte, shared by the block parser and `JSONParser`.
enum UTF8Check {
  /// What starts at a byte ≥ 0x80.
  enum Sequence {
    /// A well-formed sequence of this many bytes.
    case valid(length: Int)
    /// A byte that cannot start a sequence.
    case badLead
    /// The input ends inside the sequence.
    case truncated
    /// A continuation byte out of its range (overlong, surrogate, above U+10FFFF, or not 10xxxxxx).
    case badContinuation
  }

  /// The sequence that starts at `at`: no overlongs, no surrogates, nothing above U+10FFFF.
  @inline(__always)
  static func sequence(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Sequence {
    let length: Int
    var lower: UInt8 = 0x80
    var upper: UInt8 = 0xBF
    switch bytes[at] {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      lower = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      upper = 0x9F
    case 0xF0:
      length = 4
      lower = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      upper = 0x8F
    default: return .badLead
    }
    guard at + length <= bytes.count else { return .truncated }
    let second = bytes[at + 1]
    guard second >= lower && second <= upper else { return .badContinuation }
    for k in 2..<max(length, 2) where bytes[at + k] < 0x80 || bytes[at + k] > 0xBF { return .badContinuation }
    return .valid(length: length)
  }

  /// The index past the sequence that starts at `at` (a byte ≥ 0x80); nil when it is not one.
  @inline(__always)
  static func end(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Int? {
    guard case .valid(let length) = sequence(bytes, at) else { return nil }
    return at + length
  }
}
