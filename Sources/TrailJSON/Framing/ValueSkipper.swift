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

  /// A skipper for a value whose first byte is `first` (not yet consumed).
  init(startingWith first: UInt8) {
    isScalar = !(first == ASCII.openBrace || first == ASCII.openBracket || first == ASCII.quote)
  }

  /// A skipper already inside an object or array, `depth` levels deep.
  init(insideContainerAtDepth depth: Int) {
    self.depth = depth
  }

  /// Scans `bytes` from `start`; returns the index just past the value's end, or nil when the
  /// value goes on past this chunk (all of it was consumed).
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
