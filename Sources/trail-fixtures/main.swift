// trail-fixtures: writes deterministic synthetic CloudTrail archives for tests and benchmarks
// (the committed sample, a large multi-account archive, one huge log file). This file only
// dispatches to the commands and maps usage errors to exit status 2.

import TrailGzip

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

let usage = """
  usage: trail-fixtures sample OUTDIR [--corpus DIR]
         trail-fixtures archive OUTDIR [--events N] [--seed S] [--events-per-file K] [--days D]
         trail-fixtures big-file PATH [--bytes N] [--seed S]
         trail-fixtures inflate PATH... [--engine isal|zlib]

    sample     the small archive committed under Fixtures/archives/sample (fixed content);
               --corpus is the shared corpus folder (default: ../shared/corpus beside the package)
    archive    a large archive in the S3 layout: several accounts (one under an organization
               trail), regions and days, hourly digests, Insights; default 200000 events,
               250 per file on average, over 4 days, seed 1
    big-file   one .json.gz log file of about N bytes of JSON (default 1G = 10^9), written
               as a multi-member gzip in bounded memory; default seed 1
    inflate    read and inflate the log files under PATH (digests skipped), single-threaded,
               doing nothing else: the benchmark's reference time; --engine picks the inflate
               library (default: ISA-L when built with it, else zlib)
  Numbers accept _ and the suffixes k/M/G (powers of 1000) or Ki/Mi/Gi (powers of 1024).
  """

func runCommand(_ arguments: [String]) throws(UsageError) {
  guard let command = arguments.first else { throw UsageError(message: "missing command") }
  let rest = arguments.dropFirst()
  switch command {
  case "sample":
    let parsed = try Arguments(rest, allowed: ["corpus"])
    let outdir = try parsed.onlyPositional("OUTDIR")
    SampleCommand.run(outdir: outdir, corpus: parsed.options["corpus"] ?? defaultCorpus())
  case "archive":
    let parsed = try Arguments(rest, allowed: ["events", "seed", "events-per-file", "days"])
    let outdir = try parsed.onlyPositional("OUTDIR")
    ArchiveCommand.run(
      outdir: outdir, events: try parsed.count("events", default: 200_000),
      seed: try parsed.seed(default: 1),
      perFile: try parsed.count("events-per-file", default: 250),
      days: try parsed.count("days", default: 4))
  case "big-file":
    let parsed = try Arguments(rest, allowed: ["bytes", "seed"])
    let path = try parsed.onlyPositional("PATH")
    BigFileCommand.run(
      path: path, bytes: try parsed.count("bytes", default: 1_000_000_000),
      seed: try parsed.seed(default: 1))
  case "inflate":
    let parsed = try Arguments(rest, allowed: ["engine"])
    guard !parsed.positionals.isEmpty else { throw UsageError(message: "inflate needs at least one PATH") }
    var engine = GzipInflater.Engine.default
    if let name = parsed.options["engine"] {
      guard let chosen = GzipInflater.Engine(rawValue: name) else {
        let known = GzipInflater.Engine.allCases.map(\.rawValue).joined(separator: ", ")
        throw UsageError(message: "unknown engine \(name) (this build has: \(known))")
      }
      engine = chosen
    }
    InflateCommand.run(paths: parsed.positionals, engine: engine)
  case "-h", "--help", "help":
    print(usage)
  default:
    throw UsageError(message: "unknown command \(command)")
  }
}

/// `../shared/corpus` beside the package root, found from this source file's path.
func defaultCorpus() -> String {
  let root = FileSystem.parent(of: FileSystem.parent(of: FileSystem.parent(of: #filePath)))
  return FileSystem.parent(of: root) + "/shared/corpus"
}

do {
  try runCommand(Array(CommandLine.arguments.dropFirst()))
} catch {
  printError("trail-fixtures: \(error.message)")
  printError(usage)
  exit(2)
}
