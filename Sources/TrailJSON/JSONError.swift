// The one error type of the JSON layer. It carries the absolute byte offset in the stream
// being read (not in the record), so a message can point a user at the exact byte.

/// Something wrong with JSON input, at an absolute byte offset of the stream.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, as a category callers and tests can match on.
  public enum Kind: Sendable, Equatable {
    /// The bytes are not JSON (RFC 8259): an unexpected byte, a bad escape, a bad number.
    case syntax
    /// The input ended inside a value.
    case truncated
    /// A string holds bytes that are not UTF-8, or an escape that is not a Unicode scalar.
    case encoding
    /// A record is longer than `JSONLimits.maxRecordSize`.
    case recordTooLarge
    /// Arrays and objects nest deeper than `JSONLimits.maxDepth`.
    case tooDeep
    /// Valid JSON of a shape the reader cannot use (a scalar where records were expected).
    case shape
  }

  /// The category of the problem.
  public var kind: Kind
  /// Absolute offset of the offending byte in the stream (for a truncation, the stream's length).
  public var offset: Int
  /// Lower-case prose saying what is wrong, e.g. `expected ':' after object key`.
  public var reason: String

  /// An error of `kind` at absolute stream offset `offset`, explained by `reason`.
  public init(_ kind: Kind, at offset: Int, _ reason: String) {
    self.kind = kind
    self.offset = offset
    self.reason = reason
  }

  /// `byte OFFSET: REASON`, e.g. `byte 1042: expected ':' after object key`.
  public var description: String { "byte \(offset): \(reason)" }

  /// The same error moved by `delta` bytes (a record's errors are found at record-relative offsets).
  public func shifted(by delta: Int) -> JSONError {
    JSONError(kind, at: offset + delta, reason)
  }
}
