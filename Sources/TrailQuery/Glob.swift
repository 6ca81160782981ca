// `*` wildcards in filter values (`--event-name 'Delete*'`), matched on UTF-8 bytes without
// regular expressions. A value without `*` is compared for equality.
import TrailEvent
import TrailJSON

/// A case-sensitive pattern where `*` matches any run of characters (including none).
public struct Glob: Hashable, Sendable, CustomStringConvertible {
  /// The pattern as given.
  public let pattern: String
  let pieces: [[UInt8]]  // the literal runs between stars
  let isLiteral: Bool
  /// The pattern is plain ASCII (so equality of bytes is equality of `String`s with ASCII text).
  let isASCII: Bool

  /// Compiles `pattern`; every `*` is a wildcard (there is no escape for a literal star).
  public init(_ pattern: String) {
    self.pattern = pattern
    pieces = pattern.utf8.split(separator: 0x2A, omittingEmptySubsequences: false).map(Array.init)
    isLiteral = pieces.count == 1
    isASCII = pattern.utf8.allSatisfy { $0 < 0x80 }
  }

  /// Whether the string `value` matches, judged on its bytes where it lies without making a
  /// `String`: false for an absent value (it has no text), nil when the bytes cannot tell alone
  /// (not a string, an escape, text or a pattern beyond ASCII, where `String` equality is
  /// Unicode's), the caller then asks `matches(_:)`.
  @inline(__always)
  func matches(plain value: JSONValue?) -> Bool? {
    guard let value else { return false }
    guard isASCII else { return nil }
    guard value.kind == .string else { return nil }
    return value.rawText.withUnsafeBufferPointer { raw -> Bool? in
      let count = raw.count
      var ascii = true
      for i in 0..<count where raw[i] >= 0x80 || raw[i] == 0x5C {  // beyond ASCII, or an escape
        ascii = false
        break
      }
      guard ascii else { return nil }
      if isLiteral {
        return pieces[0].withUnsafeBufferPointer { wanted in
          guard wanted.count == count else { return false }
          for i in 0..<count where raw[i] != wanted[i] { return false }
          return true
        }
      }
      return matches(bytes: raw)
    }
  }

  /// The pattern, as given to `init`.
  public var description: String { pattern }

  /// Whether the whole of `text` matches: anchored at both ends, case-sensitive.
  public func matches(_ text: String) -> Bool {
    if isLiteral { return text == pattern }
    var text = text
    return text.withUTF8 { matches(bytes: $0) }
  }

  /// Anchored match: the first piece is a prefix, the last a suffix, the middle ones appear
  /// in order between them (greedy leftmost search is exact for `*`-only patterns).
  func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let first = pieces[0]
    let last = pieces[pieces.count - 1]
    guard bytes.count >= first.count + last.count else { return false }
    guard bytes.starts(with: first), bytes[(bytes.count - last.count)...].elementsEqual(last) else { return false }
    var position = first.count
    let limit = bytes.count - last.count
    for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
      guard let found = find(piece, in: bytes, from: position, to: limit) else { return false }
      position = found + piece.count
    }
    return true
  }

  func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
    guard to - from >= needle.count else { return nil }
    var i = from
    while i + needle.count <= to {
      if bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
      i += 1
    }
    return nil
  }
}

extension Field {
  /// The event's top-level member whose string is this field's one value as it is, if the
  /// field is such a member (`EventView.values(of:)` reads it with `scalar`).
  var plainMemberKey: String? {
    switch self {
    case .eventName: return "eventName"
    case .eventSource: return "eventSource"
    case .region: return "awsRegion"
    case .ip: return "sourceIPAddress"
    case .userAgent: return "userAgent"
    case .category: return "eventCategory"
    default: return nil
    }
  }
}
