// `trail-scan ingest PATH... --store FILE`: reads archives as every command does and stores
// their events in an SQLite event store, only the files not stored yet; every command then
// answers from the store with `--store FILE` in place of paths (docs/store.md).

import ArgumentParser
import TrailArchive
import TrailJSON
import TrailOutput
import TrailQuery
import TrailScan
import TrailStore

#if canImport(Glibc)
  import Glibc
#endif

extension TrailScanCommand {
  struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ingest",
      abstract: "Store the events of archives in an event store, reading only new files.",
      usage: "trail-scan ingest [<options>] [<paths> ...] --store <file>",
      discussion: """
        A file already stored (same path, size and modification time, or the same S3 key and content) is \
        skipped; a run killed at any point is completed by the next. An event delivered twice (same eventID \
        and recipientAccountId) is stored once. Every command then reads the store with --store FILE in \
        place of paths; `sql` queries it.

        Examples:
          trail-scan ingest ./AWSLogs --store trail.db
          trail-scan stats --store trail.db --by principal
          trail-scan sql --store trail.db "SELECT count(*) FROM events"

        Exit status: 0 all read, 2 an error (bad usage, a damaged or unreadable file: the events around the \
        damage are stored, and the problems are reported again by every command that reads the file from \
        the store).
        """)

    @OptionGroup var input: ReadOptions<IngestedFiles>
    @OptionGroup(title: "Files to ingest") var scope: ScopeOptions<IngestedFiles>
    @OptionGroup(title: "Files to ingest") var window: TimeWindowOptions<IngestedFiles>

    @Option(
      help: ArgumentHelp("Events per transaction (default 50000).", visibility: .hidden),
      transform: OptionValue.whole(atLeast: 1))
    var commitEvery: Int?

    func run() throws {
      guard let store = input.store.path else { throw PlanError("ingest: give the store to write: --store FILE.") }
      guard !input.paths.isEmpty else { throw PlanError("ingest: give at least one file or folder to read.") }
      guard input.timeField == nil else {
        throw PlanError("ingest: --time-field goes with the commands that read the store, not with ingest.")
      }
      var problems = 0
      var skipped: [String] = []
      let objects = ArchiveWalker(paths: input.paths).objects(
        onError: { error in
          problems += 1
          Messages.problem(Diagnostic(path: error.path, offset: error.offset, reason: error.reason))
        },
        onSkip: { skipped.append($0) })
      let (since, until) = try window.resolved()
      let pruning = Pruning(
        since: since, until: until, accounts: scope.accounts.map(Glob.init), regions: scope.regions.map(Glob.init),
        slack: input.slack)
      let plan = ScanPlan(
        limits: JSONLimits(maxRecordSize: input.maxRecordSize, maxDepth: input.maxDepth), strict: input.strict,
        pruning: input.noPrune ? nil : pruning, inputFormat: input.inputFormat)
      let summary: IngestSummary
      var ingest = TrailStore.Ingest(storePath: store, plan: plan, workers: input.source.workers, roots: input.paths)
      if input.debugStatistics {
        ingest.onPhase = { name, seconds in
          Messages.note("ingest: \(name): \((seconds * 1000).rounded() / 1000) s")
        }
      }
      // The progress line (on a terminal only): made once the files to read are known, drawn
      // from the writer's thread, cleared before every message and at the end.
      let progress = IngestProgress()
      if !input.quiet && isatty(STDERR_FILENO) == 1 {
        ingest.onPlan = { progress.line = ProgressLine($0) }
        ingest.onProgress = { files, events in progress.line?.update(done: files, events: events, prefix: "ingest: ") }
        ingest.onStage = { stage in progress.line?.show("trail-scan: ingest: \(stage)") }
      }
      let report: @Sendable (Diagnostic) -> Void = { problem in
        progress.line?.clear()
        Messages.problem(problem)
      }
      defer { progress.line?.clear() }
      if let commitEvery {
        ingest.transactionSize = commitEvery
        ingest.batchSize = min(ingest.batchSize, commitEvery)
      }
      do {
        summary = try ingest.run(objects, onProblem: report)
        progress.line?.clear()
      } catch let error as StoredEventsError {
        throw PlanError(error.message)
      } catch let error as SQLiteError {
        throw PlanError("\(store): \(error.message)")
      }
      if let first = skipped.first {
        Messages.note(
          "left out: \(skipped.count) file(s) in folders not named as log files, such as "
            + "\(TerminalText.escape(first)) (a folder walk reads *.json, *.jsonl, *.ndjson, *.log and *.gz)")
      }
      let files = summary.newFiles + summary.skippedFiles + summary.unreadableFiles + summary.prunedFiles
      var line =
        "ingest: \(files) file(s): \(summary.newFiles) new, \(summary.skippedFiles) skipped, "
        + "\(summary.damagedFiles) damaged"
      if summary.unreadableFiles > 0 { line += ", \(summary.unreadableFiles) unreadable (not stored)" }
      if summary.prunedFiles > 0 { line += ", \(summary.prunedFiles) pruned" }
      if summary.changedFiles > 0 { line += "; \(summary.changedFiles) changed, replaced" }
      if summary.resumedFiles > 0 { line += "; \(summary.resumedFiles) left incomplete by an earlier run, read again" }
      if summary.rereadFiles > 0 {
        line += "; \(summary.rereadFiles) holding repeats of a changed file's events, read again"
      }
      line +=
        "; \(summary.eventsRead) event(s) read, \(summary.eventsStored) stored, "
        + "\(summary.duplicates) already stored"
      Messages.note(line)
      let failed = problems > 0 || summary.damagedFiles > 0 || summary.unreadableFiles > 0
      throw ExitCode(failed ? ExitStatus.error : ExitStatus.matched)
    }
  }
}

extension TrailScanCommand.Ingest: ScansEvents {}

/// The progress line of an ingest, once its files are known. Used on the writer's thread only
/// (the plan, the progress and the problems all come from it).
final class IngestProgress: @unchecked Sendable {
  var line: ProgressLine?
}
