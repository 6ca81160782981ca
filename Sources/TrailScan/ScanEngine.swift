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
  package private(set) var statistics = ScanStatistics()

  let document = JSONDocument()
  /// Turns each parsed record into its events (containers, JSON held in strings).
  let reader: EventReader
  /// eventIDs passed on so far, for `--dedupe` (grows with the distinct matching events).
  var seenEventIDs = Set<String>()

  /// Called after each chunk with the statistics so far (for a progress line); files finished
  /// are `statistics.files - 1` while a file is being read.
  package var onProgress: ((ScanStatistics) -> Void)?

  /// Thrown by a match handler or the engine to end the scan early (`--limit`, `--strict`).
  package struct Stop: Error {
    package init() {}
  }

  package init(plan: ScanPlan) {
    self.plan = plan
    reader = EventReader(format: plan.inputFormat, limits: plan.limits)
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
    if let pruning = plan.pruning, !pruning.mayMatch(object) {
      statistics.filesPruned += 1
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
    statistics.files += 1
    var framer = RecordFramer(limits: plan.limits)
    let path = object.path
    // CloudWatch Logs export lines (`TIMESTAMP {json}`): forced, or seen in auto mode when the
    // content starts with a digit (JSON containers start with `{` or `[`).
    var exportLines: ExportLinePrefix? = plan.inputFormat == .cloudwatchExport ? ExportLinePrefix() : nil
    var sniffing = plan.inputFormat == .auto
    func frame(_ chunk: UnsafeRawBufferPointer) throws {
      try framer.feed(
        chunk,
        onRecord: { record in
          try self.handle(record, path: path, onMatch: onMatch, onDiagnostic: onDiagnostic)
        },
        onRecordError: { error in
          try self.report(Diagnostic(path: path, offset: error.offset, reason: error.reason), to: onDiagnostic)
        })
    }
    do {
      let read = try ObjectReader.read(object, chunkSize: plan.chunkSize) { chunk in
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
      try framer.finish()
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
      try document.parse(record.bytes, baseOffset: record.offset, limits: plan.limits)
    } catch {
      try report(Diagnostic(path: path, offset: error.offset, reason: error.reason), to: onDiagnostic)
      return
    }
    try reader.read(
      document.root,
      onEvent: { view, offset in
        try deliver(view, origin: EventOrigin(path: path, offset: offset), onMatch: onMatch)
      },
      onSkip: {
        statistics.recordsSkipped += 1
      },
      onProblem: { offset, reason in
        try report(Diagnostic(path: path, offset: offset, reason: reason), to: onDiagnostic)
      })
  }

  /// Filters, dedupes and passes on one event.
  func deliver(_ view: EventView, origin: EventOrigin, onMatch: (EventView, EventOrigin) throws -> Void) throws {
    statistics.events += 1
    guard plan.predicate.evaluate(view) else { return }
    if plan.dedupe, let id = view.eventID, !seenEventIDs.insert(id).inserted {
      statistics.duplicatesDropped += 1
      return
    }
    statistics.matched += 1
    try onMatch(view, origin)
  }
}
