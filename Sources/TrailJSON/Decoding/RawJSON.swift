// A free-form JSON value kept as its original text: how the models hold `requestParameters`,
// `responseElements` and other objects whose shape depends on the service. Decoding it from our
// tape is a byte copy; it parses again only when a path reaches into it.

/// A JSON value kept as text, exactly as written in the record.
///
/// Equality is semantic: two values are equal when they hold the same JSON data (member order
/// and number spelling aside), so a value decoded by another decoder, which rebuilds the text,
/// compares equal to ours.
public struct RawJSON: Codable, Sendable, Equatable, CustomStringConvertible {
  /// The JSON text.
  public let bytes: [UInt8]

  /// Wraps JSON text; it is not validated here (values from the tape already are).
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// The value's text from a parsed record.
  public init(_ value: JSONValue) { self.bytes = Array(value.jsonText) }

  /// From this package's tape decoder: a copy of the value's bytes as written. From any other
  /// decoder: the text rebuilt through `JSONTree` (members sorted by key, numbers respelled).
  public init(from decoder: any Decoder) throws {
    if let tape = decoder as? TapeDecoder {
      self.init(tape.value)
    } else {
      // Another decoder (Foundation's, in the differential tests): rebuild the text.
      var text: [UInt8] = []
      try JSONTree(from: decoder).write(to: &text)
      self.init(bytes: text)
    }
  }

  /// Encodes the value as JSON data (through `tree()`), not as a string of its text; throws if the
  /// text is not valid JSON.
  public func encode(to encoder: any Encoder) throws {
    try tree().encode(to: encoder)
  }

  /// Parses the text (a fresh document each call: for paths and tests, not the hot path).
  public func document(limits: JSONLimits = .default) throws(JSONError) -> JSONDocument {
    try JSONDocument(parsing: bytes, limits: limits)
  }

  /// The value as a tree; throws `JSONError` if the text is not valid JSON.
  public func tree() throws -> JSONTree {
    JSONTree(try document().root)
  }

  /// The JSON text as a `String` (invalid UTF-8 replaced by U+FFFD).
  public var description: String { String(decoding: bytes, as: UTF8.self) }

  /// True when the bytes are identical or, failing that, both texts parse to equal `JSONTree`s; a
  /// text that does not parse equals only identical bytes.
  public static func == (lhs: RawJSON, rhs: RawJSON) -> Bool {
    if lhs.bytes == rhs.bytes { return true }
    guard let l = try? lhs.tree(), let r = try? rhs.tree() else { return false }
    return l == r
  }
}
