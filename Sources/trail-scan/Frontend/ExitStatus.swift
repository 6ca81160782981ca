// The exit statuses, in one place (documented in the root command's help).

enum ExitStatus {
  /// Something matched (or, for commands that do not match, all went well).
  static let matched: Int32 = 0
  /// Nothing matched.
  static let noMatch: Int32 = 1
  /// Bad usage, or input that could not be read; the rest of the input was still used.
  static let error: Int32 = 2
}
