// The pipeline, one file at a time: object → chunks (TrailArchive) → records (RecordFramer) →
// tape (JSONDocument) → events (EventReader, TrailEvent) → predicate → the caller's match
// handler. Problems become Diagnostics and the scan goes on, keeping every good record
// before and after the damage.
import TrailArchive
import TrailEvent
import TrailJSON
import TrailQuery

/// Runs a plan over archive objects.
package final class ScanEngine {
  package let plan: ScanPlan
  package internal(set) var statistics = ScanStatistics()

  let document = JSONDocument()
  /// Turns each parsed record into its events (containers, JSON held in strings).
  let reader: EventReader
  /// Records of the file being read that were not CloudTrail events: how many, and the first's
  /// offset (reported once per file).
  var notEvents = (count: 0, first: 0)
  /// The key records start with in this scan (learned from the first one), to find records
  /// again after damage.
  var recordFirstKey: [UInt8]?
  /// eventIDs passed on so far, for `--dedupe` (grows with the distinct matching events).
  var seenEventIDs = Set<String>()

  /// Called after each chunk with the statistics so far (for a progress line); files finished
  /// are `statistics.files - 1` while a file is being read.
  package var onProgress: ((ScanStatistics) -> Void)?
  /// When set, framed records go here instead of being parsed (a parallel scan reading one
  /// large file on several workers, `RecordBatches`).
  var divert: ((RecordFramer.Record) throws -> Void)?

  /// Thrown by a match handler or the engine to end the scan early (`--limit`, `--strict`).
  package struct Stop: Error {
    package init() {}
  }

  package init(plan: ScanPlan) {
    self.plan = plan
    reader = EventReader(
      format: plan.inputFormat, limits: plan.limits, timeField: plan.timeField, originResolver: plan.originResolver)
  }

  /// Scans `objects` in order. `onMatch` receives each matching event (the view is valid only
  /// during the call); `onDiagnostic` each problem. Errors thrown by `onMatch` other than `Stop`
  /// (a closed output) end the scan and propagate; `Stop` ends it quietly.
  package func run(
    _ objects: [ArchiveObject],
    onMatch: (EventView, EventOrigin) throws -> Void,
    onDiagnostic: (Diagnostic) -> Void
  ) throws {
    do {
      for object in objects {
        try scanOne(object, onMatch: onMatch, onDiagnostic: onDiagnostic)
      }
    } catch is Stop {
      return
    }
  }

  /// Scans one object (skipping it when pruning rules it out). Errors as for `run`, `Stop`
  /// included.
  package func scanOne(
    _ object: ArchiveObject,
    onMatch: (EventView, EventOrigin) throws -> Void,
    onDiagnostic: (Diagnostic) -> Void
  ) throws {
    if let pruning = plan.pruning, let reason = pruning.reason(toSkip: object) {
      statistics.filesPruned += 1
      if reason == .deliveredAfter { statistics.filesPrunedLate += 1 }
      return
    }
    try scan(object, onMatch: onMatch, onDiagnostic: onDiagnostic)
  }

  /// Reports a problem found outside the engine (the archive walk) through the same channel,
  /// counting it and honouring `--strict`.
  package func report(_ diagnostic: Diagnostic, to onDiagnostic: (Diagnostic) -> Void) throws {
    statistics.diagnostics += 1
    onDiagnostic(diagnostic)
    if plan.strict { throw Stop() }
  }

  func scan(
    _ object: ArchiveObject, onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void
  ) throws {
    if let source = plan.storedEvents {
      return try scanStored(object, from: source, onMatch: onMatch, onDiagnostic: onDiagnostic)
    }
    statistics.files += 1
    var framer = RecordFramer(limits: plan.limits)
    // Records copied into batches for other workers are parsed from their bytes alone.
    framer.indexesRecords = divert == nil
    let path = object.path
    // CloudWatch Logs export lines (`TIMESTAMP {json}`): forced, or seen in auto mode when the
    // content starts with a digit (JSON containers start with `{` or `[`).
    var exportLines: ExportLinePrefix? = plan.inputFormat == .cloudwatchExport ? ExportLinePrefix() : nil
    var sniffing = plan.inputFormat == .auto
    notEvents = (0, 0)
    func onRecord(_ record: RecordFramer.Record) throws {
      if let divert { return try divert(record) }
      try handle(record, path: path, onMatch: onMatch, onDiagnostic: onDiagnostic)
    }
    func onRecordError(_ error: JSONError) throws {
      try report(Diagnostic(path: path, offset: error.offset, reason: error.reason), to: onDiagnostic)
    }
    func frame(_ chunk: UnsafeRawBufferPointer) throws {
      try framer.feed(chunk, onRecord: onRecord, onRecordError: onRecordError)
    }
    defer { reportNotEvents(path: path, onDiagnostic: onDiagnostic) }
    do {
      let read = try ObjectReader.read(object, chunkSize: plan.chunkSize, inflateAheadFrom: plan.inflateAheadFrom) {
        chunk in
        if sniffing, let first = chunk.first(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) {
          sniffing = false
          if first >= 0x30 && first <= 0x39 { exportLines = ExportLinePrefix() }
        }
        if var lines = exportLines {
          try lines.process(chunk, emit: frame)
          exportLines = lines
        } else {
          try frame(chunk)
        }
        statistics.bytesInflated += chunk.count
        onProgress?(statistics)
      }
      statistics.bytesRead += read.bytesRead
      if var lines = exportLines { try lines.finish(emit: frame) }
      try framer.finish(onRecord: onRecord, onRecordError: onRecordError)
    } catch let error as JSONError {
      try report(Diagnostic(path: path, offset: error.offset, reason: error.reason), to: onDiagnostic)
    } catch let error as ArchiveError {
      try report(Diagnostic(path: error.path, offset: error.offset, reason: error.reason), to: onDiagnostic)
    }
  }

  func handle(
    _ record: RecordFramer.Record, path: String,
    onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void
  ) throws {
    do {
      try document.parse(record, limits: plan.limits, keeping: plan.keptKeys)
    } catch {
      try recover(record, error: error, path: path, onMatch: onMatch, onDiagnostic: onDiagnostic)
      return
    }
    if recordFirstKey == nil, let first = document.root.members.first?.key { recordFirstKey = Array(first.utf8) }
    try readRecord(path: path, onMatch: onMatch, onDiagnostic: onDiagnostic)
  }

  /// Parses and reads records another engine framed (one large file read by several workers),
  /// counting into `statistics` instead of the engine's own figures. Stops at the first record
  /// with any problem, or that is not an event, and returns false: the caller then reads the
  /// whole file again sequentially, which reports it exactly as a sequential scan does.
  func readFramed(
    _ batch: RecordBatch, path: String, statistics: inout ScanStatistics,
    onMatch: (EventView, EventOrigin) throws -> Void
  ) -> Bool {
    let saved = self.statistics
    self.statistics = statistics
    defer {
      statistics = self.statistics
      self.statistics = saved
      notEvents = (0, 0)
    }
    var clean = true
    do {
      try batch.withEachRecord { record in
        try document.parse(record.bytes, baseOffset: record.offset, limits: plan.limits, keeping: plan.keptKeys)
        if recordFirstKey == nil, let first = document.root.members.first?.key { recordFirstKey = Array(first.utf8) }
        try readRecord(path: path, onMatch: onMatch, onDiagnostic: { _ in clean = false })
        if !clean || notEvents.count > 0 { throw Stop() }
      }
    } catch {
      return false
    }
    return true
  }

  /// Reads the events of the record in `document`.
  func readRecord(path: String, onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void)
    throws
  {
    try reader.read(
      document.root,
      onEvent: { view, offset in
        try deliver(view, origin: EventOrigin(path: path, offset: offset), onMatch: onMatch)
      },
      onSkip: {
        statistics.recordsSkipped += 1
      },
      onNotAnEvent: { offset in
        statistics.recordsNotEvents += 1
        if notEvents.count == 0 { notEvents.first = offset }
        notEvents.count += 1
      },
      onProblem: { offset, reason in
        try report(Diagnostic(path: path, offset: offset, reason: reason), to: onDiagnostic)
      })
  }

  /// A record that does not parse may be a damaged record that swallowed whole records after
  /// it (a record cut short, a stray quote in a string): when a record start follows inside its
  /// bytes, the framer is asked to frame again from there (it reports the damage); otherwise the
  /// parse error is the problem.
  func recover(
    _ record: RecordFramer.Record, error: JSONError, path: String,
    onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void
  ) throws {
    let firstKey = recordFirstKey ?? RecordRecovery.defaultFirstKey
    if RecordRecovery.nextStart(record.bytes, after: 0, firstKey: firstKey) != nil {
      throw RecordFramer.Resynchronize(error: error, firstKey: firstKey)
    }
    try report(Diagnostic(path: path, offset: error.offset, reason: error.reason), to: onDiagnostic)
  }

  /// Reports the records of the file just read that were not CloudTrail events, as one problem.
  func reportNotEvents(path: String, onDiagnostic: (Diagnostic) -> Void) {
    guard notEvents.count > 0 else { return }
    let (count, first) = notEvents
    notEvents = (0, 0)
    let what = count == 1 ? "a record that is not" : "\(count) records that are not"
    // Counted like any problem (exit 2); --strict has stopped at the first problem already.
    statistics.diagnostics += 1
    onDiagnostic(
      Diagnostic(
        path: path, offset: first,
        reason:
          "\(what) a CloudTrail event (none of eventVersion, eventName, eventSource, eventTime, userIdentity), first here; not counted as events"
      ))
  }

  /// Filters, dedupes and passes on one event.
  func deliver(_ view: EventView, origin: EventOrigin, onMatch: (EventView, EventOrigin) throws -> Void) throws {
    statistics.events += 1
    if plan.hasTimeWindow && view.eventTime == nil {
      // A time window never holds an event without a time; the run says how many it left out.
      statistics.untimedExcluded += 1
      return
    }
    guard plan.predicate.evaluate(view) else { return }
    if plan.dedupe, let id = view.eventID, !seenEventIDs.insert(id).inserted {
      statistics.duplicatesDropped += 1
      return
    }
    statistics.matched += 1
    try onMatch(view, origin)
  }
}
