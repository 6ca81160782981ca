// Options that say what to read and how strictly.

import ArgumentParser
import TrailEvent
import TrailScan
import TrailTime

/// What every subcommand reads, and with how many threads (`validate` too).
struct SourceOptions<Subject: OptionSubject>: ParsableArguments {
  @Argument(
    help: ArgumentHelp(
      Subject.help(
        events: "Log files or folders to read ('-' for standard input).",
        archive: "Archive folders or files (digests and logs).",
        ingest: "Log files or folders to store (files only: not standard input).")),
    completion: .file())
  var paths: [String] = []

  @Option(
    help: ArgumentHelp(
      "Worker threads, for work that can run in parallel (default: one per core).", visibility: .hidden),
    transform: OptionValue.whole(atLeast: 1))
  var threads: Int?

  var workers: Int { threads ?? ParallelScan.defaultWorkers }
}

/// The inputs of the commands that scan events: the paths, and how to read them.
typealias InputOptions = ReadOptions<Events>

/// The paths and how to read them, worded for a scan (`InputOptions`) or for `ingest`.
struct ReadOptions<Subject: OptionSubject>: ParsableArguments {
  @OptionGroup var source: SourceOptions<Subject>

  @OptionGroup var store: StoreOptions<Subject>

  @Flag(help: "Stop at the first unreadable or corrupt input instead of reporting it and going on.")
  var strict = false

  @Flag(name: .shortAndLong, help: "No progress line on standard error (it is only ever shown on a terminal).")
  var quiet = false

  @Option(
    help: ArgumentHelp(
      "How to read the input: auto (by content), cloudtrail, lookup-events, cloudwatch-logs, cloudwatch-export, eventbridge, lake.",
      valueName: "format"))
  var inputFormat: InputFormat = .auto

  @Option(
    help: ArgumentHelp("Largest record accepted, in bytes (at most 1 GiB).", visibility: .hidden),
    transform: OptionValue.whole(atLeast: 1, atMost: 1 << 30))
  var maxRecordSize: Int = 1 << 20

  // At most 1024. Nothing walks a record recursively any more (the parser, the census, the path
  // walker and the printers loop; docs/robustness.md), but the cap keeps what a record's depth
  // can cost known and tested (MaximumDepthTests).
  @Option(
    help: ArgumentHelp("Deepest nesting accepted inside a record (at most 1024).", visibility: .hidden),
    transform: OptionValue.whole(atLeast: 1, atMost: 1024))
  var maxDepth: Int = 256

  @Option(
    help: ArgumentHelp(
      "Inflate gzip files of at least this many bytes (and gzip on standard input) on a second thread (default 8 MiB; never with --threads 1).",
      visibility: .hidden),
    transform: OptionValue.whole(atLeast: 1))
  var inflateAheadFrom: Int = ScanPlan.inflateAheadMinimum

  @Option(
    help: ArgumentHelp(
      "How much later than an event its log file may be delivered, for skipping files by name with --until (default 1h).",
      valueName: "duration"),
    transform: OptionValue.duration(allowsZero: true))
  var deliverySlack: TimeSpan?

  @Flag(help: ArgumentHelp("Open every file, even those whose S3 key proves they cannot match."))
  var noPrune = false

  @Option(
    help: ArgumentHelp(
      "Where an event without eventTime takes its time from (a dotted path, e.g. @timestamp): for --since/--until, time fields and order.",
      valueName: "path", visibility: Subject.visibility(inIngest: false)),
    transform: { text in
      let path = text.hasPrefix("$.") ? String(text.dropFirst(2)) : text
      let segments = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      guard !path.isEmpty, !segments.contains(where: \.isEmpty) else {
        throw ValidationError("--time-field: expected a dotted path such as @timestamp or detail.time, not '\(text)'")
      }
      return segments
    })
  var timeField: [String]?

  @Flag(help: ArgumentHelp("Print scan statistics on standard error.", visibility: .hidden))
  var debugStatistics = false

  // The fast skip (docs/json-decoder.md) off: every value of every record on the tape. Answers
  // are the same either way (FastSkipTests compares them through the binary).
  @Flag(
    name: .customLong("parse-everything"),
    help: ArgumentHelp("Parse every value of every record, even those no filter or output reads.", visibility: .hidden))
  var parsesEverything = false

  var paths: [String] { source.paths }

  var slack: TimeSpan { deliverySlack ?? Pruning.defaultSlack }
}

extension InputFormat: ExpressibleByArgument {}
