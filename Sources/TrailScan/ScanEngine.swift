// The pipeline, one file at a time: object → chunks (TrailArchive) → records (RecordFramer) →
// tape (JSONDocument) → event (CloudTrailEvent through our decoder) → predicate → the caller's
// match handler. Problems become Diagnostics and the scan goes on, keeping every good record
// before and after the damage.
import TrailArchive
import TrailJSON
import TrailModel
import TrailOutput
import TrailQuery

/// Runs a plan over archive objects.
public final class ScanEngine {
  public let plan: ScanPlan
  public private(set) var statistics = ScanStatistics()

  let document = JSONDocument()
  let decoder = JSONValueDecoder()
  /// eventIDs passed on so far, for `--dedupe` (grows with the distinct matching events).
  var seenEventIDs = Set<String>()

  /// Thrown by a match handler or the engine to end the scan early (`--limit`, `--strict`).
  public struct Stop: Error {
    public init() {}
  }

  public init(plan: ScanPlan) {
    self.plan = plan
  }

  /// Scans `objects` in order. `onMatch` receives each matching event (the view is valid only
  /// during the call); `onDiagnostic` each problem. Errors thrown by `onMatch` other than `Stop`
  /// (a closed output) end the scan and propagate; `Stop` ends it quietly.
  public func run(
    _ objects: [ArchiveObject],
    onMatch: (EventView, EventOrigin) throws -> Void,
    onDiagnostic: (Diagnostic) -> Void
  ) throws {
    do {
      for object in objects {
        if let pruning = plan.pruning, !pruning.mayMatch(object) {
          statistics.filesPruned += 1
          continue
        }
        try scan(object, onMatch: onMatch, onDiagnostic: onDiagnostic)
      }
    } catch is Stop {
      return
    }
  }

  /// Reports a problem found outside the engine (the archive walk) through the same channel,
  /// counting it and honouring `--strict`.
  public func report(_ diagnostic: Diagnostic, to onDiagnostic: (Diagnostic) -> Void) throws {
    statistics.diagnostics += 1
    onDiagnostic(diagnostic)
    if plan.strict { throw Stop() }
  }

  func scan(_ object: ArchiveObject, onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void) throws {
    statistics.files += 1
    var framer = RecordFramer(limits: plan.limits)
    let path = object.path
    do {
      let read = try ObjectReader.read(object, chunkSize: plan.chunkSize) { chunk in
        try framer.feed(chunk, onRecord: { record in
          try self.handle(record, path: path, onMatch: onMatch, onDiagnostic: onDiagnostic)
        }, onRecordError: { error in
          try self.report(Diagnostic(path: path, offset: error.offset, reason: error.reason), to: onDiagnostic)
        })
      }
      statistics.bytesRead += read.bytesRead
      statistics.bytesInflated += read.bytesInflated
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
    let root = document.root
    guard root.kind == .object else {
      try report(Diagnostic(path: path, offset: record.offset, reason: "record is not an object"), to: onDiagnostic)
      return
    }
    if Self.isDigest(root) {
      statistics.digestsSkipped += 1
      return
    }
    let event: CloudTrailEvent
    do {
      event = try decoder.decode(CloudTrailEvent.self, from: root)
    } catch {
      try report(Diagnostic(path: path, offset: record.offset, reason: "cannot read the event: \(error)"), to: onDiagnostic)
      return
    }
    statistics.events += 1
    let view = EventView(event: event, json: root)
    guard plan.predicate.evaluate(view) else { return }
    if plan.dedupe, let id = event.eventID, !seenEventIDs.insert(id).inserted {
      statistics.duplicatesDropped += 1
      return
    }
    statistics.matched += 1
    try onMatch(view, EventOrigin(path: path, offset: record.offset))
  }

  /// A CloudTrail digest document (cloudtrail-formats.md §3.1) met among records: digests are
  /// never events and never an error, wherever they turn up.
  static func isDigest(_ root: JSONValue) -> Bool {
    root["digestS3Object"] != nil && root["digestPublicKeyFingerprint"] != nil && root["eventVersion"] == nil
  }
}
