// The pipeline, one file at a time: object → chunks (TrailArchive) → records (RecordFramer) →
// tape (JSONDocument) → event (EventView, decoded as far as asked) → predicate → the caller's
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
  /// The event inside a JSON string of the record (lookup-events, CloudWatch messages).
  let innerDocument = JSONDocument()
  /// eventIDs passed on so far, for `--dedupe` (grows with the distinct matching events).
  var seenEventIDs = Set<String>()

  /// Called after each chunk with the statistics so far (for a progress line); files finished
  /// are `statistics.files - 1` while a file is being read.
  public var onProgress: ((ScanStatistics) -> Void)?

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
        try scanOne(object, onMatch: onMatch, onDiagnostic: onDiagnostic)
      }
    } catch is Stop {
      return
    }
  }

  /// Scans one object (skipping it when pruning rules it out). Errors as for `run`, `Stop`
  /// included.
  public func scanOne(
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
  public func report(_ diagnostic: Diagnostic, to onDiagnostic: (Diagnostic) -> Void) throws {
    statistics.diagnostics += 1
    onDiagnostic(diagnostic)
    if plan.strict { throw Stop() }
  }

  func scan(_ object: ArchiveObject, onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void) throws {
    statistics.files += 1
    var framer = RecordFramer(limits: plan.limits)
    let path = object.path
    // CloudWatch Logs export lines (`TIMESTAMP {json}`): forced, or seen in auto mode when the
    // content starts with a digit (JSON containers start with `{` or `[`).
    var exportLines: ExportLinePrefix? = plan.inputFormat == .cloudwatchExport ? ExportLinePrefix() : nil
    var sniffing = plan.inputFormat == .auto
    func frame(_ chunk: UnsafeRawBufferPointer) throws {
      try framer.feed(chunk, onRecord: { record in
        try self.handle(record, path: path, onMatch: onMatch, onDiagnostic: onDiagnostic)
      }, onRecordError: { error in
        try self.report(Diagnostic(path: path, offset: error.offset, reason: error.reason), to: onDiagnostic)
      })
    }
    do {
      let read = try ObjectReader.read(object, chunkSize: plan.chunkSize) { chunk in
        if sniffing, let first = chunk.first(where: { !(0x09...0x0D).contains($0) && $0 != 0x20 }) {
          sniffing = false
          if first >= 0x30 && first <= 0x39 { exportLines = ExportLinePrefix() }
        }
        if exportLines != nil { try exportLines!.process(chunk, emit: frame) } else { try frame(chunk) }
        statistics.bytesInflated += chunk.count
        onProgress?(statistics)
      }
      statistics.bytesRead += read.bytesRead
      if exportLines != nil { try exportLines!.finish(emit: frame) }
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
    let origin = EventOrigin(path: path, offset: record.offset)
    switch RecordContent.classify(document.root, as: plan.inputFormat) {
    case .skip:
      statistics.recordsSkipped += 1
    case .unexpected(let reason):
      try report(Diagnostic(path: path, offset: record.offset, reason: reason), to: onDiagnostic)
    case .event(let json):
      try deliver(json, origin: origin, onMatch: onMatch, onDiagnostic: onDiagnostic)
    case .lake(let outer, let data):
      try deliverLake(outer, data: data, origin: origin, onMatch: onMatch, onDiagnostic: onDiagnostic)
    case .embedded(let strings, let what):
      for string in strings {
        guard let inner = try parseEmbedded(string, what: what, path: path, onDiagnostic: onDiagnostic) else { continue }
        try deliver(inner, origin: EventOrigin(path: path, offset: string.offset), onMatch: onMatch, onDiagnostic: onDiagnostic)
      }
    }
  }

  /// Parses a JSON string's text (a lookup-events `CloudTrailEvent`, a CloudWatch `message`)
  /// into `innerDocument`; reports and returns nil when it is not an object.
  func parseEmbedded(_ string: JSONValue, what: String, path: String, onDiagnostic: (Diagnostic) -> Void) throws -> JSONValue? {
    let text = string.string ?? ""
    do {
      try innerDocument.parse(text.utf8, limits: plan.limits)
    } catch {
      try report(Diagnostic(path: path, offset: string.offset, reason: "the \(what) is not JSON: \(error.reason) (at byte \(error.offset) of the string)"), to: onDiagnostic)
      return nil
    }
    guard innerDocument.root.kind == .object else {
      try report(Diagnostic(path: path, offset: string.offset, reason: "the \(what) does not hold a JSON object"), to: onDiagnostic)
      return nil
    }
    return innerDocument.root
  }

  /// Filters, dedupes and passes on the event in `json`; its model is decoded only as far as
  /// the query reads it (`EventView`), unless given (`model`, for merged Lake events).
  func deliver(_ json: JSONValue, model: CloudTrailEvent? = nil, origin: EventOrigin, onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void) throws {
    statistics.events += 1
    let view = model.map { EventView(event: $0, json: json) } ?? EventView(json: json)
    guard plan.predicate.evaluate(view) else { return }
    if plan.dedupe, let id = view.eventID, !seenEventIDs.insert(id).inserted {
      statistics.duplicatesDropped += 1
      return
    }
    statistics.matched += 1
    try onMatch(view, origin)
  }

  /// A Lake integration event: the model from `eventData` (an object, or JSON in a string),
  /// completed by the envelope's own fields; paths and output see the whole record.
  func deliverLake(_ outer: JSONValue, data: JSONValue, origin: EventOrigin, onMatch: (EventView, EventOrigin) throws -> Void, onDiagnostic: (Diagnostic) -> Void) throws {
    let inner: JSONValue
    if data.kind == .string {
      guard let parsed = try parseEmbedded(data, what: "eventData string", path: origin.path, onDiagnostic: onDiagnostic) else { return }
      inner = parsed
    } else {
      inner = data
    }
    var event = EventView(json: inner).event
    let envelope = EventView(json: outer).event
    event.eventID = envelope.eventID ?? event.eventID
    event.eventTime = envelope.eventTime ?? event.eventTime
    event.awsRegion = envelope.awsRegion ?? event.awsRegion
    event.recipientAccountId = event.recipientAccountId ?? envelope.recipientAccountId
    event.eventCategory = envelope.eventCategory ?? event.eventCategory
    event.eventType = envelope.eventType ?? event.eventType
    event.eventVersion = envelope.eventVersion ?? event.eventVersion
    event.addendum = envelope.addendum ?? event.addendum
    try deliver(outer, model: event, origin: origin, onMatch: onMatch, onDiagnostic: onDiagnostic)
  }
}
