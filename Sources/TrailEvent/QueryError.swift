// The one error type of the query layer: a bad field name, time, pattern or option value,
// worded for the person who typed it.

/// A query that cannot be built from what the user gave.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The message for the person who typed the query: what is wrong and what was expected
  /// (`invalid field 'a..b': expected a field name or a dotted path …`).
  public var message: String
  /// An error saying `message`.
  public init(_ message: String) { self.message = message }
  /// The message, unchanged.
  public var description: String { message }
}
