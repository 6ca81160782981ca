// A syntax error in a `--where` filter pattern: where it is (a 1-based column counted in the
// pattern's characters) and what is wrong, rendered as the pattern with a caret under the spot,
// because a long CIS pattern is unreadable with only "column 187" to go on.

/// Why a filter pattern was rejected, and where.
public struct PatternError: Error, Equatable, Sendable, CustomStringConvertible {
  /// 1-based column, in characters (`Character`s) of the pattern; one past the last character
  /// when the pattern ends too early.
  public let column: Int
  /// What is wrong and, where it helps, what to write instead (`` `==` is not an operator; use
  /// `=` ``).
  public let message: String

  /// An error at `column` (1-based, in characters) saying `message`.
  public init(column: Int, message: String) {
    self.column = column
    self.message = message
  }

  /// `column N: MESSAGE`, for one-line reports; `rendered(pattern:)` points at the spot instead.
  public var description: String { "column \(column): \(message)" }

  /// The pattern's line holding the column, a line with `^` under the column, and the message,
  /// separated by newlines (no trailing newline). Tabs before the column are kept in the caret
  /// line so the caret stays aligned; a pattern written over several lines shows only the line
  /// holding the error.
  public func rendered(pattern: String) -> String {
    let characters = Array(pattern)
    // The column's index, clamped to one past the end.
    let index = min(max(column - 1, 0), characters.count)
    var lineStart = index
    while lineStart > 0 && !characters[lineStart - 1].isNewline { lineStart -= 1 }
    var lineEnd = index
    while lineEnd < characters.count && !characters[lineEnd].isNewline { lineEnd += 1 }
    let line = String(characters[lineStart..<lineEnd])
    let padding = String(characters[lineStart..<index].map { $0 == "\t" ? "\t" : " " })
    return line + "\n" + padding + "^\n" + message
  }
}
