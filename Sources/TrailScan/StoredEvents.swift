// Events read again from where they were stored (the event store of `ingest`, issue 19) instead
// of from their file: the source gives each file's records as compact JSON, and the engine reads
// them through the same view, predicate, dedupe and statistics as records read from the file,
// so a stored answer is the archive's answer. The source may leave out records the plan's
// predicate cannot match (found by an index); it says how many, so the figures stay the same.
import TrailArchive
import TrailEvent
import TrailJSON

/// What a source says about one stored file before its records.
package struct StoredFile: Sendable {
  /// Events read from the file when it was stored.
  package var events: Int
  /// Of those, events without `eventTime` that the source will not pass on.
  package var untimedLeftOut: Int
  /// The problems met reading the file, in the order they were met.
  package var problems: [Diagnostic]

  package init(events: Int, untimedLeftOut: Int, problems: [Diagnostic]) {
    self.events = events
    self.untimedLeftOut = untimedLeftOut
    self.problems = problems
  }
}

/// One stored record: the event as delivered, compacted.
package struct StoredRecord {
  /// The record's JSON text (`EventView.json` when it was read).
  package var bytes: UnsafeRawBufferPointer
  /// Where the record started in its file.
  package var offset: Int
  /// Whether the record was read as a CloudTrail Lake integration event.
  package var isLakeEvent: Bool

  package init(bytes: UnsafeRawBufferPointer, offset: Int, isLakeEvent: Bool) {
    self.bytes = bytes
    self.offset = offset
    self.isLakeEvent = isLakeEvent
  }
}

/// A store of events read before, by file.
package protocol StoredEventSource: Sendable {
  /// Reads the stored events of `object` for `plan`: `file` first, then `record` for each event
  /// in the order it was read, leaving out only events that cannot match `plan.predicate`
  /// (and, when the plan has a time window, events without `eventTime`, counted in
  /// `untimedLeftOut`). May be called from several threads at once.
  func read(
    _ object: ArchiveObject, for plan: ScanPlan, file: (StoredFile) throws -> Void,
    record: (StoredRecord) throws -> Void
  ) throws
}

/// Thrown by a source whose store cannot be read.
package struct StoredEventsError: Error, Sendable {
  package var message: String
  package init(_ message: String) { self.message = message }
}

extension ScanEngine {
  /// Scans `object` from `source`: its problems are reported again where they were met (before
  /// the first record at or after their offset), its records read through the event layer.
  func scanStored(
    _ object: ArchiveObject, from source: any StoredEventSource,
    onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void
  ) throws {
    statistics.files += 1
    let path = object.path
    do {
      try read(object, from: source, onMatch: onMatch, onDiagnostic: onDiagnostic)
    } catch let error as StoredEventsError {
      try report(Diagnostic(path: path, offset: nil, reason: error.message), to: onDiagnostic)
    }
  }

  func read(
    _ object: ArchiveObject, from source: any StoredEventSource,
    onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void
  ) throws {
    var problems: ArraySlice<Diagnostic> = []
    var events = 0
    var untimed = 0
    var delivered = 0
    let path = object.path
    try source.read(
      object, for: plan,
      file: { file in
        problems = file.problems[...]
        events = file.events
        untimed = file.untimedLeftOut
      },
      record: { record in
        while let problem = problems.first, (problem.offset ?? 0) <= record.offset {
          problems.removeFirst()
          try report(problem, to: onDiagnostic)
        }
        delivered += 1
        do {
          try document.parse(record.bytes, baseOffset: record.offset, limits: plan.limits)
        } catch let error as JSONError {
          try report(
            Diagnostic(path: path, offset: record.offset, reason: "stored record is not JSON: \(error.reason)"),
            to: onDiagnostic)
          return
        }
        let view = EventView(
          reopening: document.root, asLakeEvent: record.isLakeEvent, timeField: plan.timeField, limits: plan.limits
        ).resolvingOrigin(with: plan.originResolver)
        try deliver(view, origin: EventOrigin(path: path, offset: record.offset), onMatch: onMatch)
      })
    for problem in problems { try report(problem, to: onDiagnostic) }
    statistics.events += max(0, events - delivered)
    if plan.hasTimeWindow { statistics.untimedExcluded += untimed }
  }
}
