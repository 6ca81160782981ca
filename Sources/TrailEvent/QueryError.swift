// The one error type of the query layer: a bad field name, time, pattern or option value,
// worded for the person who typed it.

/// A query that cannot be built from what the user gave.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
