// Options that say what to read and how strictly.
import TrailEvent
import ArgumentParser
import TrailScan
import TrailTime

struct InputOptions: ParsableArguments {
  @Argument(help: "Log files or folders to read ('-' for standard input).", completion: .file())
  var paths: [String] = []

  @Flag(help: "Stop at the first unreadable or corrupt input instead of reporting it and going on.")
  var strict = false

  @Flag(name: .shortAndLong, help: "No progress line on standard error (it is only ever shown on a terminal).")
  var quiet = false

  @Option(help: ArgumentHelp(
    "How to read the input: auto (by content), cloudtrail, lookup-events, cloudwatch-logs, cloudwatch-export, eventbridge, lake.",
    valueName: "format"))
  var inputFormat: InputFormat = .auto

  @Option(help: ArgumentHelp("Largest record accepted, in bytes.", visibility: .hidden))
  var maxRecordSize: Int = 1 << 20

  @Option(help: ArgumentHelp("Deepest nesting accepted inside a record.", visibility: .hidden))
  var maxDepth: Int = 256

  @Option(help: ArgumentHelp(
    "How much later than an event its log file may be delivered, for skipping files by name with --until (default 1h).",
    valueName: "duration"))
  var deliverySlack: String?

  @Flag(help: ArgumentHelp("Open every file, even those whose S3 key proves they cannot match.", visibility: .hidden))
  var noPrune = false

  @Flag(help: ArgumentHelp("Print scan statistics on standard error.", visibility: .hidden))
  var debugStatistics = false

  @Option(help: ArgumentHelp("Worker threads for order-free scans (default: one per core).", visibility: .hidden))
  var threads: Int?

  func slack() throws -> TimeSpan {
    guard let text = deliverySlack else { return Pruning.defaultSlack }
    guard let span = TimeSpan.parse(text), span.seconds >= 0 else {
      throw PlanError("--delivery-slack takes a duration such as 30m, 1h or 1d.")
    }
    return span
  }

  func validate() throws {
    guard maxRecordSize > 0, maxDepth > 0 else { throw ValidationError("Limits must be positive.") }
    guard maxRecordSize <= 1 << 30 else { throw ValidationError("--max-record-size is at most 1 GiB.") }
  }
}

extension InputFormat: ExpressibleByArgument {}
