// Options that say what to read and how strictly.
import ArgumentParser

struct InputOptions: ParsableArguments {
  @Argument(help: "Log files or folders to read ('-' for standard input).", completion: .file())
  var paths: [String] = []

  @Flag(help: "Stop at the first unreadable or corrupt input instead of reporting it and going on.")
  var strict = false

  @Option(help: ArgumentHelp("Largest record accepted, in bytes.", visibility: .hidden))
  var maxRecordSize: Int = 1 << 20

  @Option(help: ArgumentHelp("Deepest nesting accepted inside a record.", visibility: .hidden))
  var maxDepth: Int = 256

  func validate() throws {
    guard !paths.isEmpty else { throw ValidationError("Give at least one file or folder to read ('-' for standard input).") }
    guard maxRecordSize > 0, maxDepth > 0 else { throw ValidationError("Limits must be positive.") }
    guard maxRecordSize <= 1 << 30 else { throw ValidationError("--max-record-size is at most 1 GiB.") }
  }
}
