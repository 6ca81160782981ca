// Sigma's string values: `*` matches any run of characters, `?` exactly one, a backslash escapes
// `*`, `?` and itself (and is a plain backslash before anything else), and the comparison is
// case-insensitive unless the rule says `|cased`. Matched on UTF-8 bytes, folding ASCII letters on
// the fly; a value with other letters is lower-cased whole first (Unicode's simple mappings), as
// the pattern was when compiled. Time is at most the product of the two lengths: no regex.

/// A Sigma string pattern: wildcards, escapes, and Sigma's case-insensitive comparison.
public struct SigmaString: Hashable, Sendable, CustomStringConvertible {
  enum Token: Hashable, Sendable {
    /// Bytes that must appear as they are (lower-cased unless case-sensitive).
    case literal([UInt8])
    /// `?`: one Unicode scalar.
    case one
    /// `*`: any run of scalars.
    case any
  }

  let tokens: [Token]
  /// Whether letters must match in case (`|cased`).
  public let caseSensitive: Bool

  /// Reads `text` as Sigma writes values: `*` and `?` are wildcards, `\*`, `\?` and `\\` are the
  /// plain characters, a backslash before anything else is a plain backslash.
  public init(sigma text: String, caseSensitive: Bool = false) {
    var tokens: [Token] = []
    var literal = ""
    func flush() {
      guard !literal.isEmpty else { return }
      tokens.append(.literal(Array((caseSensitive ? literal : literal.lowercased()).utf8)))
      literal = ""
    }
    var characters = Substring(text).unicodeScalars[...]
    while let c = characters.popFirst() {
      switch c {
      case "*":
        flush()
        if tokens.last != .any { tokens.append(.any) }
      case "?":
        flush()
        tokens.append(.one)
      case "\\":
        if let next = characters.first, next == "*" || next == "?" || next == "\\" {
          literal.unicodeScalars.append(next)
          characters.removeFirst()
        } else {
          literal.unicodeScalars.append(c)
        }
      default:
        literal.unicodeScalars.append(c)
      }
    }
    flush()
    self.init(tokens: tokens, caseSensitive: caseSensitive)
  }

  /// A pattern matching exactly `text`: no wildcards (what `fieldref` and encoded values compare).
  public init(plain text: String, caseSensitive: Bool = false) {
    self.init(
      tokens: text.isEmpty ? [] : [.literal(Array((caseSensitive ? text : text.lowercased()).utf8))],
      caseSensitive: caseSensitive)
  }

  init(tokens: [Token], caseSensitive: Bool) {
    self.tokens = tokens
    self.caseSensitive = caseSensitive
  }

  /// The pattern with `*` added at the start (`endswith`), the end (`startswith`) or both
  /// (`contains`), where it does not already have one.
  public func anchored(start: Bool, end: Bool) -> SigmaString {
    var tokens = self.tokens
    if !start && tokens.first != .any { tokens.insert(.any, at: 0) }
    if !end && tokens.last != .any { tokens.append(.any) }
    return SigmaString(tokens: tokens, caseSensitive: caseSensitive)
  }

  /// Whether the pattern has a wildcard.
  public var hasWildcards: Bool { tokens.contains { $0 == .any || $0 == .one } }

  /// The text a pattern without wildcards matches, nil when it has any.
  public var plainText: String? {
    switch tokens.count {
    case 0: return ""
    case 1: if case .literal(let bytes) = tokens[0] { return String(decoding: bytes, as: UTF8.self) }
    default: break
    }
    return nil
  }

  /// The pattern in Sigma syntax (lower-cased when case-insensitive), wildcards and escapes as
  /// Sigma writes them.
  public var description: String {
    var out = ""
    for token in tokens {
      switch token {
      case .any: out += "*"
      case .one: out += "?"
      case .literal(let bytes):
        for c in String(decoding: bytes, as: UTF8.self).unicodeScalars {
          if c == "*" || c == "?" || c == "\\" { out += "\\" }
          out.unicodeScalars.append(c)
        }
      }
    }
    return out
  }

  /// Whether the whole of `text` matches.
  public func matches(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { matches(bytes: $0) }
  }

  /// Whether the whole of the UTF-8 `bytes` matches.
  func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard !caseSensitive, bytes.contains(where: { $0 >= 0x80 }) else {
      return Self.match(tokens, bytes, foldingASCII: !caseSensitive)
    }
    var lowered = String(decoding: bytes, as: UTF8.self).lowercased()
    return lowered.withUTF8 { Self.match(tokens, $0, foldingASCII: false) }
  }

  /// Wildcard matching that remembers only the last `*` (exact for `*` and `?`): each token is
  /// tried in order, and on a mismatch the last `*` takes one more scalar. The usual shapes —
  /// a plain value, `startswith`, and for ASCII `bytes` also `endswith` and `contains` — are
  /// compared directly, with the same answers.
  static func match(
    _ tokens: [Token], _ bytes: UnsafeBufferPointer<UInt8>, foldingASCII: Bool, ascii: Bool = false
  ) -> Bool {
    switch tokens.count {
    case 1:
      if case .literal(let literal) = tokens[0] {
        return literal.count == bytes.count && equal(literal, bytes, at: 0, foldingASCII: foldingASCII)
      }
    case 2:
      if case .literal(let literal) = tokens[0], tokens[1] == .any {
        return equal(literal, bytes, at: 0, foldingASCII: foldingASCII)
      }
      // With one byte per scalar, a `*` can end anywhere: the literal is a suffix.
      if ascii, tokens[0] == .any, case .literal(let literal) = tokens[1] {
        return bytes.count >= literal.count
          && equal(literal, bytes, at: bytes.count - literal.count, foldingASCII: foldingASCII)
      }
    case 3:
      if ascii, tokens[0] == .any, tokens[2] == .any, case .literal(let literal) = tokens[1], !literal.isEmpty {
        var start = 0
        while start + literal.count <= bytes.count {
          if equal(literal, bytes, at: start, foldingASCII: foldingASCII) { return true }
          start += 1
        }
        return false
      }
    default:
      break
    }
    var t = 0
    var v = 0
    var star: (token: Int, value: Int)? = nil
    while true {
      if t < tokens.count {
        switch tokens[t] {
        case .any:
          star = (t, v)
          t += 1
          continue
        case .one:
          if v < bytes.count {
            v += scalarLength(bytes, at: v)
            t += 1
            continue
          }
        case .literal(let literal):
          if equal(literal, bytes, at: v, foldingASCII: foldingASCII) {
            v += literal.count
            t += 1
            continue
          }
        }
      } else if v == bytes.count {
        return true
      }
      guard let last = star, last.value < bytes.count else { return false }
      let resumed = last.value + scalarLength(bytes, at: last.value)
      star = (last.token, resumed)
      t = last.token + 1
      v = resumed
    }
  }

  static func equal(_ literal: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, at start: Int, foldingASCII: Bool) -> Bool
  {
    guard start + literal.count <= bytes.count else { return false }
    for i in 0..<literal.count {
      var b = bytes[start + i]
      if foldingASCII && b >= 0x41 && b <= 0x5A { b += 0x20 }
      if b != literal[i] { return false }
    }
    return true
  }

  /// The length of the UTF-8 sequence starting at `index` (1 for a stray continuation byte).
  static func scalarLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
    let lead = bytes[index]
    let length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    return min(length, bytes.count - index)
  }
}
