// The exit statuses, in one place (documented in the root command's help).

enum ExitStatus {
  /// Something matched (or, for commands that do not match, all went well).
  static let matched: Int32 = 0
  /// Nothing matched.
  static let noMatch: Int32 = 1
  /// Bad usage, or input that could not be read; the rest of the input was still used.
  static let error: Int32 = 2

  /// The status of a run whose reader closed standard output (`| head`): a quiet, clean stop,
  /// unless an input error was reported before it, which stays an error whatever happens to
  /// stdout afterwards.
  static func afterOutputClosed(_ status: Int32) -> Int32 { status == error ? error : matched }

  /// The same, from the count of problems reported so far.
  static func afterOutputClosed(problems: Int) -> Int32 { problems > 0 ? error : matched }
}
