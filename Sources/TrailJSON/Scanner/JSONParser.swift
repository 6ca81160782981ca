// The strict, iterative RFC 8259 parser: bytes of one record (or one whole document) in, a tape
// of JSONNodes out. It validates everything (grammar, UTF-8, escapes, surrogate pairs) in one
// pass and never recurses, so nesting depth costs no stack, only the bounded `containers` array.

/// Parses one JSON text into a tape.
///
/// Accepts exactly RFC 8259 JSON, with one tolerance: a UTF-8 byte order mark before the value
/// is skipped (the RFC allows parsers to ignore it). Lone surrogate escapes (`"\ud800"`) are
/// rejected: they do not encode Unicode text.
struct JSONParser: ~Copyable {
  let bytes: UnsafeRawBufferPointer
  let count: Int
  let maxDepth: Int
  var position = 0
  /// Indices (into `nodes`) of the arrays and objects currently open, innermost last.
  var containers: [Int] = []

  init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
    self.bytes = bytes
    self.count = bytes.count
    self.maxDepth = maxDepth
    containers.reserveCapacity(16)
  }

  @inline(__always) func byte(_ i: Int) -> UInt8 { bytes[i] }

  @inline(__always) mutating func skipWhitespace() {
    while position < count && ASCII.isWhitespace(bytes[position]) { position += 1 }
  }

  func error(_ kind: JSONError.Kind, _ reason: String, at offset: Int? = nil) -> JSONError {
    JSONError(kind, at: offset ?? position, reason)
  }

  func unexpected(expecting what: String) -> JSONError {
    if position >= count { return error(.truncated, "unexpected end of input, expected \(what)") }
    return error(.syntax, "expected \(what), found \(ASCII.describe(bytes[position]))")
  }

  /// Parses the whole buffer as one JSON text, appending its nodes to `nodes` (cleared first).
  mutating func parseDocument(into nodes: inout [JSONNode]) throws(JSONError) {
    nodes.removeAll(keepingCapacity: true)
    if count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
    skipWhitespace()
    try parseValue(into: &nodes)
    skipWhitespace()
    if position < count {
      throw error(.syntax, "unexpected \(ASCII.describe(bytes[position])) after the end of the value")
    }
  }

  /// The main loop: one value, with every nested value, iteratively.
  mutating func parseValue(into nodes: inout [JSONNode]) throws(JSONError) {
    while true {
      // Expecting a value at `position` (whitespace already skipped).
      guard position < count else { throw unexpected(expecting: "a value") }
      let b = bytes[position]
      switch b {
      case ASCII.openBrace, ASCII.openBracket:
        let isObject = b == ASCII.openBrace
        if containers.count >= maxDepth {
          throw error(.tooDeep, "nesting deeper than the limit of \(maxDepth) levels")
        }
        containers.append(nodes.count)
        nodes.append(JSONNode(kind: isObject ? .object : .array, start: position, end: 0, next: 0))
        position += 1
        skipWhitespace()
        let closer = isObject ? ASCII.closeBrace : ASCII.closeBracket
        if position < count && bytes[position] == closer {
          position += 1
          closeContainer(&nodes)
        } else {
          if isObject { try parseKeyAndColon(into: &nodes) }
          continue  // parse the first member's value
        }
      case ASCII.quote:
        try parseString(into: &nodes)
      case ASCII.minus, ASCII.zero...ASCII.nine:
        try parseNumber(into: &nodes)
      case 0x74:  // t
        try parseLiteral("true", kind: .true, into: &nodes)
      case 0x66:  // f
        try parseLiteral("false", kind: .false, into: &nodes)
      case 0x6E:  // n
        try parseLiteral("null", kind: .null, into: &nodes)
      default:
        throw unexpected(expecting: "a value")
      }

      // A value is complete: continue the innermost open container, closing as many as end here.
      while let open = containers.last {
        nodes[open].count += 1
        skipWhitespace()
        guard position < count else {
          throw unexpected(expecting: nodes[open].kind == .object ? "',' or '}'" : "',' or ']'")
        }
        let c = bytes[position]
        if nodes[open].kind == .object {
          if c == ASCII.comma {
            position += 1
            skipWhitespace()
            try parseKeyAndColon(into: &nodes)
            break
          } else if c == ASCII.closeBrace {
            position += 1
            closeContainer(&nodes)
          } else {
            throw unexpected(expecting: "',' or '}' after an object member")
          }
        } else {
          if c == ASCII.comma {
            position += 1
            skipWhitespace()
            break
          } else if c == ASCII.closeBracket {
            position += 1
            closeContainer(&nodes)
          } else {
            throw unexpected(expecting: "',' or ']' after an array element")
          }
        }
      }
      if containers.isEmpty { return }
    }
  }

  @inline(__always) mutating func closeContainer(_ nodes: inout [JSONNode]) {
    let open = containers.removeLast()
    nodes[open].end = UInt32(truncatingIfNeeded: position)
    nodes[open].next = UInt32(truncatingIfNeeded: nodes.count)
  }

  /// At a key: parses `"key"`, whitespace, `:`, whitespace.
  mutating func parseKeyAndColon(into nodes: inout [JSONNode]) throws(JSONError) {
    guard position < count, bytes[position] == ASCII.quote else {
      throw unexpected(expecting: "a string key")
    }
    try parseString(into: &nodes)
    skipWhitespace()
    guard position < count, bytes[position] == ASCII.colon else {
      throw unexpected(expecting: "':' after an object key")
    }
    position += 1
    skipWhitespace()
  }

  mutating func parseLiteral(_ word: StaticString, kind: JSONNode.Kind, into nodes: inout [JSONNode]) throws(JSONError)
  {
    let start = position
    let length = word.utf8CodeUnitCount
    let text = word.utf8Start
    for i in 0..<length {
      guard position < count else { throw error(.truncated, "unexpected end of input in '\(word)'") }
      guard bytes[position] == text[i] else {
        throw error(.syntax, "invalid literal, expected '\(word)'", at: start)
      }
      position += 1
    }
    nodes.append(JSONNode(kind: kind, start: start, end: position, next: nodes.count + 1))
  }

  /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
  mutating func parseNumber(into nodes: inout [JSONNode]) throws(JSONError) {
    let start = position
    var isInteger = true
    if bytes[position] == ASCII.minus { position += 1 }
    guard position < count else { throw error(.truncated, "unexpected end of input in a number") }
    if bytes[position] == ASCII.zero {
      position += 1
    } else if ASCII.isDigit(bytes[position]) {
      while position < count && ASCII.isDigit(bytes[position]) { position += 1 }
    } else {
      throw error(.syntax, "invalid number: expected a digit, found \(ASCII.describe(bytes[position]))")
    }
    if position < count && bytes[position] == ASCII.dot {
      isInteger = false
      position += 1
      try digits(afterWhat: "'.'")
    }
    if position < count && (bytes[position] | 0x20) == 0x65 {  // e or E
      isInteger = false
      position += 1
      if position < count && (bytes[position] == ASCII.plus || bytes[position] == ASCII.minus) { position += 1 }
      try digits(afterWhat: "the exponent")
    }
    nodes.append(JSONNode(kind: .number, start: start, end: position, next: nodes.count + 1, flag: !isInteger))
  }

  mutating func digits(afterWhat: String) throws(JSONError) {
    guard position < count else { throw error(.truncated, "unexpected end of input in a number") }
    guard ASCII.isDigit(bytes[position]) else {
      throw error(
        .syntax, "invalid number: expected a digit after \(afterWhat), found \(ASCII.describe(bytes[position]))")
    }
    while position < count && ASCII.isDigit(bytes[position]) { position += 1 }
  }

  /// At the opening quote. Validates escapes, surrogate pairs and UTF-8.
  mutating func parseString(into nodes: inout [JSONNode]) throws(JSONError) {
    let opening = position
    position += 1
    let start = position
    var hasEscapes = false
    while true {
      // Fast path: plain ASCII text, a word at a time, then byte by byte.
      while position + 8 <= count {
        let word = SWAR.load(bytes, position)
        if SWAR.hasHigh(word) || SWAR.hasByte(word, ASCII.quote) || SWAR.hasByte(word, ASCII.backslash)
          || SWAR.hasLess(word, than: 0x20)
        {
          break
        }
        position += 8
      }
      while position < count {
        let b = bytes[position]
        if b == ASCII.quote || b == ASCII.backslash || b < 0x20 || b >= 0x80 { break }
        position += 1
      }
      guard position < count else {
        throw error(.truncated, "unexpected end of input in a string that starts at byte \(opening)")
      }
      let b = bytes[position]
      if b == ASCII.quote {
        nodes.append(JSONNode(kind: .string, start: start, end: position, next: nodes.count + 1, flag: hasEscapes))
        position += 1
        return
      } else if b == ASCII.backslash {
        hasEscapes = true
        try parseEscape()
      } else if b < 0x20 {
        throw error(.syntax, "control character \(ASCII.describe(b)) in a string (it must be escaped)")
      } else {
        try parseUTF8Sequence()
      }
    }
  }

  /// At a backslash.
  mutating func parseEscape() throws(JSONError) {
    let escapeStart = position
    position += 1
    guard position < count else { throw error(.truncated, "unexpected end of input in an escape") }
    switch bytes[position] {
    case ASCII.quote, ASCII.backslash, ASCII.slash, 0x62, 0x66, 0x6E, 0x72, 0x74:  // " \ / b f n r t
      position += 1
    case 0x75:  // u
      position += 1
      let unit = try hex4()
      if unit >= 0xD800 && unit < 0xDC00 {
        // A high surrogate must be followed by an escaped low surrogate.
        guard position + 1 < count else { throw error(.truncated, "unexpected end of input in a surrogate pair") }
        guard bytes[position] == ASCII.backslash, bytes[position + 1] == 0x75 else {
          throw error(.encoding, "unpaired surrogate escape \\u\(hex(unit)) in a string", at: escapeStart)
        }
        position += 2
        let low = try hex4()
        guard low >= 0xDC00 && low < 0xE000 else {
          throw error(.encoding, "unpaired surrogate escape \\u\(hex(unit)) in a string", at: escapeStart)
        }
      } else if unit >= 0xDC00 && unit < 0xE000 {
        throw error(.encoding, "unpaired surrogate escape \\u\(hex(unit)) in a string", at: escapeStart)
      }
    default:
      throw error(.syntax, "invalid escape '\\\(Character(Unicode.Scalar(bytes[position])))' in a string")
    }
  }

  func hex(_ unit: UInt32) -> String { String(unit, radix: 16, uppercase: true).leftPadded(to: 4) }

  mutating func hex4() throws(JSONError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard position < count else { throw error(.truncated, "unexpected end of input in a \\u escape") }
      guard let digit = ASCII.hexValue(bytes[position]) else {
        throw error(.syntax, "invalid \\u escape: expected a hex digit, found \(ASCII.describe(bytes[position]))")
      }
      value = value << 4 | digit
      position += 1
    }
    return value
  }

  /// At a byte ≥ 0x80: one well-formed UTF-8 sequence (no overlongs, no surrogates, ≤ U+10FFFF).
  mutating func parseUTF8Sequence() throws(JSONError) {
    switch UTF8Check.sequence(bytes, position) {
    case .valid(let length): position += length
    case .badLead:
      throw error(.encoding, "invalid UTF-8 byte 0x\(String(bytes[position], radix: 16, uppercase: true)) in a string")
    case .truncated: throw error(.truncated, "unexpected end of input inside a UTF-8 sequence")
    case .badContinuation: throw error(.encoding, "invalid UTF-8 sequence in a string")
    }
  }
}
