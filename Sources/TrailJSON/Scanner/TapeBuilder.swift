// Stage 2 of the block parser: walks the structural index of `StructuralIndex`, checking the
// grammar token by token, and writes the same tape as `JSONParser` — except that the value of
// a top-level member no reader wants is checked and kept as one opaque node (the fast skip).

/// Builds a record's tape from its structural index.
///
/// Accepts exactly what `JSONParser` accepts (given stage 1's checks of string contents) and
/// writes node for node the tape it writes, when `keys` is nil. With `keys`, an object or array
/// that is the value of a top-level member whose key `keys` does not hold is validated like any
/// other value but written as one node with `flag` set (its `count` and byte range true, its
/// contents not on the tape); `JSONValue` parses such a value on first use. Answers false where
/// the text is not JSON; the caller then asks `JSONParser` for the error.
enum TapeBuilder {
  /// Builds the tape of `bytes` from its `positions` into `nodes` (room for one node per entry);
  /// `open` has room for `min(maxDepth, positions.count)` containers. Returns the number of
  /// nodes written, or nil when the text is not JSON.
  static func build(
    _ bytes: UnsafeRawBufferPointer, positions: UnsafeBufferPointer<UInt32>, escapes: UnsafeBufferPointer<UInt32>,
    maxDepth: Int, keys: JSONKeySet?, nodes: UnsafeMutablePointer<JSONNode>, open: UnsafeMutablePointer<UInt32>
  ) -> Int? {
    let text = bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
    let n = positions.count
    let at = positions.baseAddress.unsafelyUnwrapped
    let escapeCount = escapes.count
    /// Nodes written.
    var written = 0
    /// Containers open; `open` holds node index << 1 | 1 for an object.
    var depth = 0
    /// Next entry of `positions` to read.
    var k = 0
    /// Next entry of `escapes` that may lie in a string still to come.
    var e = 0
    /// The next value, if it is an object or array, is to be skipped.
    var skipNext = false

    @inline(__always) func position(_ k: Int) -> Int { Int(at[k]) }

    @inline(__always) func hasEscape(_ from: Int, _ to: Int) -> Bool {
      guard e < escapeCount else { return false }
      while e < escapeCount && Int(escapes[e]) < from { e &+= 1 }
      return e < escapeCount && Int(escapes[e]) < to
    }

    /// Closes the innermost container at its closer, `q`.
    @inline(__always) func close(at q: Int) {
      depth &-= 1
      let top = Int(open[depth] >> 1)
      nodes[top].end = UInt32(truncatingIfNeeded: q &+ 1)
      nodes[top].next = UInt32(truncatingIfNeeded: written)
    }

    /// At a key: `"key"` then `:`. At the top level of the root object, decides whether the
    /// value that follows is skipped.
    @inline(__always) func key() -> Bool {
      guard k &+ 2 < n else { return false }
      let p = position(k)
      guard text[p] == ASCII.quote else { return false }
      let end = position(k &+ 1)
      guard text[position(k &+ 2)] == ASCII.colon else { return false }
      let escaped = hasEscape(p, end)
      nodes[written] = JSONNode(kind: .string, start: p &+ 1, end: end, next: written &+ 1, flag: escaped)
      written &+= 1
      k &+= 3
      if let keys, depth == 1, k < n {
        let v = text[position(k)]
        if (v == ASCII.openBrace || v == ASCII.openBracket) && !escaped
          && !keys.contains(UnsafeRawBufferPointer(start: text + (p &+ 1), count: end &- p &- 1))
        {
          skipNext = true
        }
      }
      return true
    }

    value: while true {
      guard k < n else { return nil }
      let p = position(k)
      let c = text[p]
      if c == ASCII.quote {
        guard k &+ 1 < n else { return nil }
        let end = position(k &+ 1)
        nodes[written] = JSONNode(kind: .string, start: p &+ 1, end: end, next: written &+ 1, flag: hasEscape(p, end))
        written &+= 1
        k &+= 2
      } else if c == ASCII.openBrace || c == ASCII.openBracket {
        let isObject = c == ASCII.openBrace
        guard depth < maxDepth else { return nil }
        let node = written
        open[depth] = UInt32(truncatingIfNeeded: node) << 1 | (isObject ? 1 : 0)
        nodes[node] = JSONNode(kind: isObject ? .object : .array, start: p, end: 0, next: 0, flag: skipNext)
        written &+= 1
        k &+= 1
        if skipNext {
          // An opaque value: checked by the tight loop, one node on the tape.
          skipNext = false
          guard let (closer, count) = skip(bytes, at, n, &k, depth: depth &+ 1, maxDepth: maxDepth, open: open)
          else { return nil }
          nodes[node].end = UInt32(truncatingIfNeeded: closer &+ 1)
          nodes[node].next = UInt32(truncatingIfNeeded: written)
          nodes[node].count = count
        } else {
          depth &+= 1
          guard k < n else { return nil }
          let q = position(k)
          if text[q] == (isObject ? ASCII.closeBrace : ASCII.closeBracket) {
            k &+= 1
            close(at: q)
          } else {
            if isObject { guard key() else { return nil } }
            continue value
          }
        }
      } else {
        guard let (kind, end, fraction) = scalar(bytes, at: p) else { return nil }
        nodes[written] = JSONNode(kind: kind, start: p, end: end, next: written &+ 1, flag: fraction)
        written &+= 1
        k &+= 1
      }
      skipNext = false

      // A value is complete: continue the innermost open container, closing as many as end here.
      while depth > 0 {
        let top = open[depth &- 1]
        nodes[Int(top >> 1)].count &+= 1
        guard k < n else { return nil }
        let q = position(k)
        let d = text[q]
        if d == ASCII.comma {
          k &+= 1
          if top & 1 == 1 { guard key() else { return nil } }
          continue value
        }
        guard d == (top & 1 == 1 ? ASCII.closeBrace : ASCII.closeBracket) else { return nil }
        k &+= 1
        close(at: q)
      }
      return k == n ? written : nil
    }
  }

  /// Checks the contents of an opaque value as `build` checks any value, writing nothing: the
  /// container whose opener is the entry before `k` and whose kind is the low bit of
  /// `open[depth - 1]` (`depth` counts it). Returns its closer and how many values it holds,
  /// with `k` past the closer; nil when the text is not JSON.
  @inline(__always)
  static func skip(
    _ bytes: UnsafeRawBufferPointer, _ at: UnsafePointer<UInt32>, _ n: Int, _ k: inout Int, depth base: Int,
    maxDepth: Int, open: UnsafeMutablePointer<UInt32>
  ) -> (closer: Int, count: UInt32)? {
    let text = bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
    var depth = base
    var count: UInt32 = 0

    /// `"key"` then `:`.
    @inline(__always) func key() -> Bool {
      guard k &+ 2 < n, text[Int(at[k])] == ASCII.quote, text[Int(at[k &+ 2])] == ASCII.colon else { return false }
      k &+= 3
      return true
    }

    guard k < n else { return nil }
    let first = Int(at[k])
    let isObject = open[base &- 1] & 1 == 1
    if text[first] == (isObject ? ASCII.closeBrace : ASCII.closeBracket) {
      k &+= 1
      return (first, 0)
    }
    if isObject { guard key() else { return nil } }
    value: while true {
      guard k < n else { return nil }
      let p = Int(at[k])
      let c = text[p]
      if c == ASCII.quote {
        guard k &+ 1 < n else { return nil }
        k &+= 2
      } else if c == ASCII.openBrace || c == ASCII.openBracket {
        let nestedObject = c == ASCII.openBrace
        guard depth < maxDepth else { return nil }
        open[depth] = nestedObject ? 1 : 0
        depth &+= 1
        k &+= 1
        guard k < n else { return nil }
        if text[Int(at[k])] == (nestedObject ? ASCII.closeBrace : ASCII.closeBracket) {
          k &+= 1
          depth &-= 1
        } else {
          if nestedObject { guard key() else { return nil } }
          continue value
        }
      } else {
        guard scalar(bytes, at: p) != nil else { return nil }
        k &+= 1
      }

      // A value is complete: continue the innermost open container, closing as many as end here.
      while true {
        if depth == base { count &+= 1 }
        guard k < n else { return nil }
        let q = Int(at[k])
        let d = text[q]
        let inObject = open[depth &- 1] & 1 == 1
        if d == ASCII.comma {
          k &+= 1
          if inObject { guard key() else { return nil } }
          continue value
        }
        guard d == (inObject ? ASCII.closeBrace : ASCII.closeBracket) else { return nil }
        k &+= 1
        if depth == base { return (q, count) }
        depth &-= 1
      }
    }
  }

  /// A number or literal starting at `p`, which must end where a token or white space starts.
  @inline(__always)
  static func scalar(_ bytes: UnsafeRawBufferPointer, at p: Int) -> (JSONNode.Kind, Int, Bool)? {
    let result: (JSONNode.Kind, Int, Bool)
    switch bytes[p] {
    case ASCII.minus, ASCII.zero...ASCII.nine:
      guard let (end, fraction) = JSONNumber.end(bytes, p) else { return nil }
      result = (.number, end, fraction)
    case 0x74:  // t
      guard matches(bytes, p, "true") else { return nil }
      result = (.true, p &+ 4, false)
    case 0x66:  // f
      guard matches(bytes, p, "false") else { return nil }
      result = (.false, p &+ 5, false)
    case 0x6E:  // n
      guard matches(bytes, p, "null") else { return nil }
      result = (.null, p &+ 4, false)
    default:
      return nil
    }
    let end = result.1
    if end < bytes.count {
      let b = bytes[end]
      // Anything else right after it (`truex`, `1.5.2`, `-`) is not JSON.
      guard
        ASCII.isWhitespace(b) || b == ASCII.quote || b == ASCII.comma || b == ASCII.colon
          || b | 0x20 == ASCII.openBrace || b | 0x20 == ASCII.closeBrace
      else { return nil }
    }
    return result
  }

  @inline(__always)
  static func matches(_ bytes: UnsafeRawBufferPointer, _ p: Int, _ word: StaticString) -> Bool {
    let length = word.utf8CodeUnitCount
    guard p &+ length <= bytes.count else { return false }
    let text = word.utf8Start
    for i in 0..<length where bytes[p &+ i] != text[i] { return false }
    return true
  }
}

/// The number grammar of RFC 8259, as the parser accepts it.
enum JSONNumber {
  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` from `p`: the index past it and
  /// whether it has a fraction or exponent; nil when no number starts there.
  @inline(__always)
  static func end(_ bytes: UnsafeRawBufferPointer, _ p: Int) -> (Int, Bool)? {
    let count = bytes.count
    var i = p
    var fraction = false
    if bytes[i] == ASCII.minus { i += 1 }
    guard i < count else { return nil }
    if bytes[i] == ASCII.zero {
      i += 1
    } else if ASCII.isDigit(bytes[i]) {
      while i < count && ASCII.isDigit(bytes[i]) { i += 1 }
    } else {
      return nil
    }
    if i < count && bytes[i] == ASCII.dot {
      fraction = true
      i += 1
      guard i < count && ASCII.isDigit(bytes[i]) else { return nil }
      while i < count && ASCII.isDigit(bytes[i]) { i += 1 }
    }
    if i < count && (bytes[i] | 0x20) == 0x65 {  // e or E
      fraction = true
      i += 1
      if i < count && (bytes[i] == ASCII.plus || bytes[i] == ASCII.minus) { i += 1 }
      guard i < count && ASCII.isDigit(bytes[i]) else { return nil }
      while i < count && ASCII.isDigit(bytes[i]) { i += 1 }
    }
    return (i, fraction)
  }
}
