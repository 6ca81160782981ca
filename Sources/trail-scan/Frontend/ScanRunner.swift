// From parsed options to a finished scan: resolves the inputs and the plan, runs the engine,
// prints its diagnostics, and turns the outcome into an exit status. Subcommands differ only in
// what they do with each matching event and at the end.

import ArgumentParser
import Synchronization
import TrailArchive
import TrailEvent
import TrailIdentity
import TrailJSON
import TrailOutput
import TrailQuery
import TrailScan
import TrailStore
import TrailTime

#if canImport(Glibc)
  import Glibc
#endif

struct ScanRunner {
  let engine: ScanEngine
  let objects: [ArchiveObject]
  var walkProblems: [Diagnostic]
  /// Files below folder arguments that were not read because of their names.
  let skippedByName: [String]
  let slack: TimeSpan
  var debugStatistics = false
  let progress: ProgressLine?
  let workers: Int

  /// The filters as one predicate (what `observingAll` leaves for the caller to apply).
  private(set) var filter: Predicate
  /// The paths read: the arguments, or for `--store` the paths `ingest` was given.
  let inputPaths: [String]
  /// `--store`: the store read in place of paths.
  let store: StoreSource?
  /// `--from-records`: the store answers from its records only.
  let fromRecords: Bool

  /// `also` is ANDed with the filters (`check --pattern`). `reading` names the fields the
  /// command reads besides the filters (output columns, grouping): when any of them, or a
  /// filter, is `origin`, a first pass indexes the archive's credentials (`docs/identity.md`).
  /// `observingAll` passes every event to the caller, unfiltered and unpruned, leaving `filter`
  /// to it (a one-pass `stats --by origin` indexes every event and counts the matching ones).
  /// `readingOnly` says the command reads nothing of an event beyond the filters and these
  /// fields (event output writes the record's bytes): the parser then only validates the
  /// values of other top-level members (`ScanPlan.keptKeys`).
  init(
    input: InputOptions, filters: FilterOptions, also extra: Predicate = .always, reading fields: [Field] = [],
    observingAll: Bool = false, readingOnly: [Field]? = nil
  ) throws {
    // Checked here, not in InputOptions.validate, so that `check --list-rules` needs no path.
    guard !input.paths.isEmpty || input.store.path != nil else {
      throw PlanError("give at least one file or folder to read ('-' for standard input).")
    }
    guard input.paths.isEmpty || input.store.path == nil else {
      throw PlanError("--store reads the events of a store in place of paths: give one or the other.")
    }
    let set = try Self.filterSet(filters)
    filter = .all([set.predicate, extra])
    var plan = ScanPlan(
      predicate: observingAll ? .always : filter,
      limits: JSONLimits(maxRecordSize: input.maxRecordSize, maxDepth: input.maxDepth),
      strict: input.strict,
      dedupe: filters.dedupe,
      pruning: input.noPrune || observingAll ? nil : Pruning(set, slack: input.slack),
      inputFormat: input.inputFormat, timeField: input.timeField,
      hasTimeWindow: !observingAll && (set.since != nil || set.until != nil))
    // One large gzip file or standard input uses two cores: inflate on one, parse on the other.
    if input.source.workers > 1 { plan.inflateAheadFrom = input.inflateAheadFrom }
    var problems: [Diagnostic] = []
    var skipped: [String] = []
    let objects: [ArchiveObject]
    var store: StoreSource?
    if let path = input.store.path {
      // The store's files stand for the archive's; the engine reads their stored events.
      do { store = try StoreSource(path: path) } catch let error as StoredEventsError { throw PlanError(error.message) }
      objects = store?.objects ?? []
      plan.storedEvents = store
      inputPaths = store?.roots ?? []
    } else {
      objects = ArchiveWalker(paths: input.paths).objects(
        onError: { error in problems.append(Diagnostic(path: error.path, offset: error.offset, reason: error.reason)) },
        onSkip: { skipped.append($0) })
      inputPaths = input.paths
    }
    self.objects = objects
    self.store = store
    fromRecords = input.store.fromRecords
    // `--rule-file`/`--rule`: the events of the rules' findings (RuleFilter.swift).
    if let rules = try RuleFilter(filters) {
      filter = .all([filter, rules.predicate(over: objects, like: plan, workers: input.source.workers)])
      if !observingAll { plan.predicate = filter }
    }
    if !observingAll && (filter.reads(.origin) || fields.contains(.origin)) {
      if let store {
        // The credentials come from the stored events that issue them, not from every event.
        do { plan.originResolver = CredentialResolver(try store.credentialIndex()) } catch {
          throw PlanError("\(store.path): \(error)")
        }
      } else {
        let (resolver, unseen) = OriginIndex.build(objects, like: plan, workers: input.source.workers)
        plan.originResolver = resolver
        problems += unseen
      }
    }
    if let readingOnly, !observingAll, !input.parsesEverything {
      plan.keptKeys = plan.keysToKeep(reading: readingOnly + fields)
    }
    engine = ScanEngine(plan: plan)
    walkProblems = problems
    skippedByName = skipped
    slack = input.slack
    debugStatistics = input.debugStatistics
    progress = store == nil ? ProgressLine.make(for: objects, quiet: input.quiet) : nil
    workers = input.source.workers
    if let progress { engine.onProgress = { progress.update($0) } }
  }

  static func filterSet(_ options: FilterOptions) throws -> FilterSet {
    var set = FilterSet()
    set.eventNames = options.eventNames
    set.eventSources = options.eventSources
    set.principals = options.principals
    set.regions = options.scope.regions
    set.accounts = options.scope.accounts
    set.errors = options.errors
    set.actions = options.actions
    set.accessKeys = options.accessKeys
    set.ips = options.ips
    set.resources = options.resources
    set.targets = options.targets
    set.origins = options.origins
    for ip in options.ips {
      do { try IPNetwork.check(ip) } catch { throw PlanError("--ip: \(error.message)") }
    }
    set.noError = options.noError
    set.readOnly = options.readOnly ? true : options.write ? false : nil
    set.categories = options.categories
    set.userAgents = options.userAgents
    set.identityTypes = options.identityTypes
    for pattern in options.patterns {
      do {
        set.patterns.append(try FilterPattern.parse(pattern))
      } catch {
        throw PlanError("invalid --where pattern:\n" + error.rendered(pattern: pattern))
      }
    }
    (set.since, set.until) = try options.window.resolved()
    return set
  }

  /// Runs the scan for a result that does not depend on event order: on every core when the
  /// plan allows (`ParallelScan`), one partial accumulator per worker; else sequentially.
  /// Returns the partial results, the exit status and the scan's figures (its `diagnostics`
  /// count every problem, the archive walk's included).
  func runAccumulating<Accumulator>(
    make: @escaping () -> Accumulator, add: @escaping (inout Accumulator, EventView, EventOrigin) -> Void
  ) throws -> ([Accumulator], Int32, ScanStatistics) {
    guard canRunInParallel else {
      var accumulator = make()
      let status = try run { view, origin in add(&accumulator, view, origin) }
      return ([accumulator], status, engine.statistics)
    }
    for problem in walkProblems { Messages.problem(problem) }
    let result = ParallelScan.run(
      objects, plan: engine.plan, workers: workers, make: make, add: add,
      onProgress: progress.map { line in { line.update($0) } })
    progress?.clear()
    for problem in result.diagnostics { Messages.problem(problem) }
    if debugStatistics { Messages.note("statistics: \(result.statistics)") }
    summarize(result.statistics)
    var statistics = result.statistics
    statistics.diagnostics += walkProblems.count
    return (result.accumulators, status(problems: statistics.diagnostics, matched: statistics.matched), statistics)
  }

  /// `--store`: the groups of `aggregation` answered from the store's columns when they answer
  /// the whole question exactly (docs/store.md), with the stored files' problems and the notes a
  /// scan prints; nil when the records answer. `--debug-statistics` says which did.
  func groupsFromStore(_ aggregation: Aggregation) -> ([GroupRow], Int32)? {
    guard let store else { return nil }
    var answer: StoreGroups?
    var failure = ""
    if !fromRecords {
      // Any error (a store from another schema) leaves the question to the records.
      do { answer = try store.groups(aggregation, plan: engine.plan) } catch { failure = " (\(error))" }
    }
    guard let answer else {
      if debugStatistics { Messages.note("store: answered from the stored records\(failure)") }
      return nil
    }
    for problem in answer.problems { Messages.problem(problem) }
    if debugStatistics {
      Messages.note("store: answered from columns by SQL")
      Messages.note("statistics: \(answer.statistics)")
    }
    summarize(answer.statistics)
    return (answer.rows, status(problems: answer.statistics.diagnostics, matched: answer.statistics.matched))
  }

  /// Whether the scan can use several threads with the same result: the plan is order-free and
  /// there is more than one thread and file, or one large file to share.
  var canRunInParallel: Bool {
    ParallelScan.isOrderFree(engine.plan) && workers > 1
      && ParallelScan.usefulWorkers(objects, plan: engine.plan, workers: workers) > 1
  }

  /// Says on standard error, once per run, what the answer leaves out without it being an
  /// error: events without a time that a time window could not place, files skipped by name in
  /// folders, files not opened because of a delivery time after --until, and from a store the
  /// files an ingest has not finished and, without --dedupe, the repeated deliveries it keeps
  /// once (docs/output.md).
  func summarize(_ statistics: ScanStatistics) {
    if statistics.untimedExcluded > 0 {
      Messages.note(
        "left out: \(statistics.untimedExcluded) event(s) without an eventTime, which --since/--until cannot place "
          + "(--time-field PATH takes the time from another field, such as @timestamp)")
    }
    if let first = skippedByName.first {
      Messages.note(
        "left out: \(skippedByName.count) file(s) in folders not named as log files, such as "
          + "\(TerminalText.escape(first)) (a folder walk reads *.json, *.jsonl, *.ndjson, *.log and *.gz; name a file to read it)"
      )
    }
    if statistics.filesPrunedLate > 0 {
      Messages.note(
        "left out: \(statistics.filesPrunedLate) file(s) delivered more than \(slack) after --until, not opened; "
          + "a late delivery would hold earlier events (--delivery-slack 1d, or --no-prune, reads them)")
    }
    if let store, store.incompleteFiles > 0 {
      Messages.note(
        "left out: \(store.incompleteFiles) file(s) an ingest has not finished storing (one is writing them, or "
          + "stopped first; trail-scan ingest --store \(TerminalText.escape(store.path)) completes them)")
    }
    if let store, !engine.plan.dedupe {
      do {
        let repeated = try store.repeatedDeliveries()
        if repeated > 0 {
          Messages.note(
            "left out: \(repeated) repeated \(repeated == 1 ? "delivery" : "deliveries") in the store "
              + "(an event delivered again with the same eventID and account is stored once, "
              + "so counts are those of --dedupe; docs/store.md)")
        }
      } catch {
        Messages.note(
          "\(TerminalText.escape(store.path)): cannot count the repeated deliveries the store keeps once: \(error)")
      }
    }
  }

  /// 2 when anything was wrong with the input, else 0 when something matched, else 1.
  func status(problems: Int, matched: Int) -> Int32 {
    problems > 0 ? ExitStatus.error : matched > 0 ? ExitStatus.matched : ExitStatus.noMatch
  }

  /// Runs the scan on every core, writing each event's JSON line in input order.
  func runWritingLines(to output: OutputBuffer) throws -> Int32 {
    for problem in walkProblems { Messages.problem(problem) }
    let reported = ProblemTally()
    let statistics: ScanStatistics
    do {
      statistics = try OrderedParallelScan.run(
        objects, plan: engine.plan, workers: workers,
        render: { view, buffer in JSONLinesPrinter.appendLine(view, to: &buffer) },
        write: { bytes in try output.record { $0.append(contentsOf: bytes) } },
        report: { problem in
          reported.add()
          Messages.problem(problem)
        })
      try output.flush()
    } catch is OutputClosed {
      return ExitStatus.afterOutputClosed(problems: walkProblems.count + reported.count)
    }
    if debugStatistics { Messages.note("statistics: \(statistics)") }
    summarize(statistics)
    return status(problems: walkProblems.count + statistics.diagnostics, matched: statistics.matched)
  }

  /// The sink of `--sort time` and `timeline`: sorts through `printer` (holding at most `limit`
  /// events), reading held events again with the scan's limits; one that does not read again is
  /// reported like any input problem and counted in `reported`.
  func sortingSink(passingTo printer: any EventSink, limit: Int?, reported: ProblemTally) -> SortingSink {
    SortingSink(passingTo: printer, limit: limit, limits: engine.plan.limits) { [progress] origin, error in
      progress?.clear()
      reported.add()
      Messages.problem(Diagnostic(path: origin.path, offset: origin.offset, reason: error.reason))
    }
  }

  /// Finishes `sink` after a scan that ended with `status`; returns the exit status (2 when a
  /// problem was `reported` while finishing, and a closed pipe as everywhere).
  func finish(_ sink: any EventSink, after status: Int32, reported: ProblemTally) throws -> Int32 {
    var status = status
    do { try sink.finish() } catch is OutputClosed { status = ExitStatus.afterOutputClosed(status) }
    return reported.count > 0 ? ExitStatus.error : status
  }

  /// Runs the scan; returns the exit status (matches decide 0 or 1, any problem makes it 2).
  func run(onMatch: (EventView, EventOrigin) throws -> Void) throws -> Int32 {
    defer { if debugStatistics { Messages.note("statistics: \(engine.statistics)") } }
    let printProblem: (Diagnostic) -> Void = { [progress] diagnostic in
      progress?.clear()
      Messages.problem(diagnostic)
    }
    defer { progress?.clear() }
    do {
      for problem in walkProblems { try engine.report(problem, to: printProblem) }
      try engine.run(objects, onMatch: onMatch, onDiagnostic: printProblem)
    } catch is ScanEngine.Stop {
      // --strict: the problem is already reported.
    } catch is OutputClosed {
      return ExitStatus.afterOutputClosed(problems: engine.statistics.diagnostics)
    }
    let stats = engine.statistics
    summarize(stats)
    return status(problems: stats.diagnostics, matched: stats.matched)
  }

}

/// Problems reported by the workers of a parallel scan (one at a time, in input order), counted
/// so that a run stopped by a closed pipe still exits 2 after one.
final class ProblemTally: Sendable {
  let reported = Mutex(0)
  func add() { reported.withLock { $0 += 1 } }
  var count: Int { reported.withLock { $0 } }
}

extension Timestamp {
  /// The current time (for relative `--since`/`--until`).
  static var now: Timestamp {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int32(spec.tv_nsec))
  }
}
