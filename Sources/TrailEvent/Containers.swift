// The shapes CloudTrail events arrive in (cloudtrail-formats.md §1, §5), detected per record by
// content, or forced with --input-format: the one place that knows containers. Each framed
// record is classified once — an event as is, an event inside a member (EventBridge `detail`,
// Lake `eventData`), events held as JSON strings (lookup-events `CloudTrailEvent`, CloudWatch
// Logs `message`s), an envelope whose array the framer could not see (its key not first), or
// nothing to read (digests, CloudWatch control messages) — and `EventReader` turns it into views.
import TrailJSON

/// Where events are read from (`--input-format`).
public enum InputFormat: String, CaseIterable, Sendable {
  /// Decide per file and per record by content.
  case auto
  /// CloudTrail records: `{"Records":[…]}`, a JSON array of events, or one event per line.
  case cloudtrail
  /// `aws cloudtrail lookup-events` output: `Events[].CloudTrailEvent` is a JSON string.
  case lookupEvents = "lookup-events"
  /// CloudWatch Logs `filter-log-events`/`get-log-events` output (`events[].message`) and
  /// subscription payloads (`messageType`, `logEvents[].message`).
  case cloudwatchLogs = "cloudwatch-logs"
  /// CloudWatch Logs export files: lines `TIMESTAMP {event}`.
  case cloudwatchExport = "cloudwatch-export"
  /// EventBridge events whose `detail` is the CloudTrail record.
  case eventbridge
  /// CloudTrail Lake integration events (`eventData`).
  case lake
}

/// What a framed record holds.
enum RecordContent {
  /// An envelope (`Records`, `Events`, `events`) whose array is not its first key, so the
  /// framer passed it whole: its elements are the records.
  case envelope([JSONValue])
  /// The event is this value (the record, or EventBridge's `detail`).
  case event(JSONValue)
  /// The usual record: an event with `eventVersion` and `eventName` at its top, so keys as
  /// written (not lower-cased) and an event for `EventReader.isEvent` — known without asking
  /// again.
  case plainEvent(JSONValue)
  /// A Lake integration event: the model comes from `data` (an object, or a JSON string),
  /// completed by the envelope's own fields; paths and output see the whole record.
  case lake(record: JSONValue, data: JSONValue)
  /// Events held as JSON text in strings, with what to call them in messages.
  case embedded([JSONValue], what: String)
  /// Nothing to read: a digest, a CloudWatch control message.
  case skip
  /// Not the shape --input-format demands.
  case unexpected(String)

  static func classify(_ root: JSONValue, as format: InputFormat) -> RecordContent {
    guard root.kind == .object else { return .unexpected("record is not an object") }
    // The usual record, an event, is nothing else: no container has both `eventVersion` and
    // `eventName` at its top (a Lake envelope has no `eventName`), so two lookups near the
    // record's start decide, instead of one search per container kind.
    if format == .auto || format == .cloudtrail || format == .cloudwatchExport, root["eventVersion"] != nil,
      root["eventName"] != nil
    {
      return .plainEvent(root)
    }
    if isDigest(root) { return .skip }
    switch format {
    case .auto:
      return envelope(root) ?? lookupEvents(root) ?? cloudwatch(root) ?? eventbridge(root) ?? lake(root) ?? .event(root)
    case .cloudtrail, .cloudwatchExport:
      return envelope(root) ?? .event(root)
    case .lookupEvents:
      return envelope(root) ?? lookupEvents(root)
        ?? .unexpected("not a lookup-events entry (no CloudTrailEvent string)")
    case .cloudwatchLogs:
      return envelope(root) ?? cloudwatch(root)
        ?? .unexpected("not a CloudWatch Logs event (no message string) or subscription payload")
    case .eventbridge:
      return eventbridge(root) ?? .unexpected("not an EventBridge event (no detail object)")
    case .lake:
      return lake(root) ?? .unexpected("not a CloudTrail Lake integration event (no eventData)")
    }
  }

  /// A digest document (cloudtrail-formats.md §3.1): never an event, never an error.
  static func isDigest(_ root: JSONValue) -> Bool {
    // Events start with `eventVersion`: one comparison rules out the usual record.
    if root["eventVersion"] != nil { return false }
    if root["digestS3Object"] != nil { return root["digestPublicKeyFingerprint"] != nil }
    // A digest whose keys a pipeline lower-cased is a digest too (never an event).
    guard root["eventName"] == nil else { return false }
    return root.member("digestS3Object", ignoringCase: true) != nil
      && root.member("digestPublicKeyFingerprint", ignoringCase: true) != nil
      && root.member("eventVersion", ignoringCase: true) == nil
  }

  /// Keys of an envelope's array of records (the framer streams them when they come first).
  static let envelopeKeys = RecordFramer.envelopeKeys

  /// Top-level fields every CloudTrail event has some of; an object with one is an event, never
  /// an envelope (compared without case, for lower-cased records).
  static let eventKeys = ["eventVersion", "eventName", "eventSource", "eventTime", "userIdentity"]

  /// An object with an envelope's array of records under any of its keys, and no event field.
  static func envelope(_ root: JSONValue) -> RecordContent? {
    // The usual record starts with `eventVersion`: one comparison decides.
    if root["eventVersion"] != nil || root["eventName"] != nil { return nil }
    guard let records = envelopeKeys.lazy.compactMap({ root[$0] }).first(where: { $0.kind == .array }) else {
      return nil
    }
    if eventKeys.contains(where: { root.member($0, ignoringCase: true) != nil }) { return nil }
    return .envelope(records.elements)
  }

  static func lookupEvents(_ root: JSONValue) -> RecordContent? {
    guard let event = root["CloudTrailEvent"], event.kind == .string else { return nil }
    return .embedded([event], what: "CloudTrailEvent string")
  }

  static func cloudwatch(_ root: JSONValue) -> RecordContent? {
    if let type = root["messageType"], type.kind == .string {
      // A subscription payload; CONTROL_MESSAGE only checks the destination is reachable.
      if type.stringEquals("CONTROL_MESSAGE") { return .skip }
      let messages = root["logEvents"]?.elements.compactMap { $0["message"] }.filter { $0.kind == .string } ?? []
      return .embedded(messages, what: "CloudWatch Logs message")
    }
    guard let message = root["message"], message.kind == .string,
      root["timestamp"] != nil || root["ingestionTime"] != nil || root["logStreamName"] != nil
    else { return nil }
    return .embedded([message], what: "CloudWatch Logs message")
  }

  static func eventbridge(_ root: JSONValue) -> RecordContent? {
    guard let detail = root["detail"], detail.kind == .object, root["detail-type"] != nil || root["source"] != nil
    else { return nil }
    return .event(detail)
  }

  static func lake(_ root: JSONValue) -> RecordContent? {
    guard let data = root["eventData"], data.kind == .object || data.kind == .string, root["eventName"] == nil else {
      return nil
    }
    return .lake(record: root, data: data)
  }
}

/// Turns framed records into events: the only reader of containers. One per scan thread (it
/// reuses a document for JSON held in strings).
public final class EventReader {
  /// The container format records are read as; `.auto` decides per record by content.
  public let format: InputFormat
  /// The limits for JSON held in strings (lookup-events, CloudWatch messages, Lake `eventData`),
  /// which the reader parses again; the framer has already bounded the records themselves.
  public let limits: JSONLimits
  /// Where an event without `eventTime` takes its time from (`--time-field`).
  public let timeField: [String]?
  /// What answers `origin` on the views read (nil: each event's own principal).
  public let originResolver: (any OriginResolving)?
  /// The event inside a JSON string of the record (lookup-events, CloudWatch messages, a Lake
  /// `eventData` string).
  let innerDocument = JSONDocument()
  /// The cache of the last plain event's view, used again for the next one when nothing kept
  /// that view (saves an allocation and a release per event).
  var spareCache = EventView.Cache()

  /// A reader of `format` records (any, by default) with `limits` for the JSON held in strings.
  public init(
    format: InputFormat = .auto, limits: JSONLimits = .default, timeField: [String]? = nil,
    originResolver: (any OriginResolving)? = nil
  ) {
    self.format = format
    self.limits = limits
    self.timeField = timeField
    self.originResolver = originResolver
  }

  /// Whether an object read as an event is one: it has some of CloudTrail's top-level event
  /// fields (`RecordContent.eventKeys`, in any case). Anything else — a `Package.resolved`, a
  /// test case `{rule, name, expect, log}` — is not counted as an event.
  public static func isEvent(_ object: JSONValue) -> Bool {
    if object["eventVersion"] != nil || object["eventName"] != nil { return true }
    return RecordContent.eventKeys.contains { object.member($0, ignoringCase: true) != nil }
  }

  /// Reads the record `root`: calls `onEvent` with each event it holds and the absolute offset
  /// of its bytes (the view is valid only during the call), `onSkip` for a record that holds
  /// nothing to read (a digest, a control message), `onNotAnEvent` with the offset of an object
  /// that is not a CloudTrail event (`isEvent`), and `onProblem` with an offset and a reason for
  /// what cannot be read. Errors thrown by the callbacks propagate.
  public func read(
    _ root: JSONValue,
    onEvent: (EventView, Int) throws -> Void,
    onSkip: () -> Void,
    onNotAnEvent: (Int) throws -> Void = { _ in },
    onProblem: (Int, String) throws -> Void
  ) throws {
    let content = RecordContent.classify(root, as: format)
    if case .envelope(let records) = content {
      for record in records {
        try read(
          RecordContent.classify(record, as: format), at: record.offset, onEvent: onEvent, onSkip: onSkip,
          onNotAnEvent: onNotAnEvent, onProblem: onProblem)
      }
    } else {
      try read(
        content, at: root.offset, onEvent: onEvent, onSkip: onSkip, onNotAnEvent: onNotAnEvent, onProblem: onProblem)
    }
  }

  func read(
    _ content: RecordContent, at offset: Int,
    onEvent: (EventView, Int) throws -> Void, onSkip: () -> Void, onNotAnEvent: (Int) throws -> Void,
    onProblem: (Int, String) throws -> Void
  ) throws {
    switch content {
    case .skip:
      onSkip()
    case .unexpected(let reason):
      try onProblem(offset, reason)
    case .plainEvent(let json):
      if isKnownUniquelyReferenced(&spareCache) {
        spareCache.clear()
      } else {
        spareCache = EventView.Cache()
      }
      let view = EventView(json: json, foldsKeyCase: false, timeField: timeField, cache: spareCache)
      if originResolver == nil {
        try onEvent(view, offset)
      } else {
        try onEvent(view.resolvingOrigin(with: originResolver), offset)
      }
    case .event(let json):
      guard Self.isEvent(json) else { return try onNotAnEvent(offset) }
      try onEvent(EventView(json: json, timeField: timeField).resolvingOrigin(with: originResolver), offset)
    case .envelope:
      // Elements of an envelope are records; an envelope inside one is not a CloudTrail shape.
      try onProblem(offset, "record is an envelope of records inside an envelope")
    case .lake(let envelope, let data):
      if data.kind == .string {
        guard let inner = try parseEmbedded(data, what: "eventData string", onProblem: onProblem) else { return }
        try onEvent(
          EventView(lakeEnvelope: envelope, data: inner, timeField: timeField).resolvingOrigin(with: originResolver),
          offset)
      } else {
        try onEvent(
          EventView(lakeEnvelope: envelope, data: data, timeField: timeField).resolvingOrigin(with: originResolver),
          offset)
      }
    case .embedded(let strings, let what):
      for string in strings {
        guard let inner = try parseEmbedded(string, what: what, onProblem: onProblem) else { continue }
        if RecordContent.isDigest(inner) {
          onSkip()
          continue
        }
        guard Self.isEvent(inner) else {
          try onNotAnEvent(string.offset)
          continue
        }
        try onEvent(EventView(json: inner, timeField: timeField).resolvingOrigin(with: originResolver), string.offset)
      }
    }
  }

  /// Parses a JSON string's text into `innerDocument`; reports and returns nil when it is not an
  /// object.
  func parseEmbedded(_ string: JSONValue, what: String, onProblem: (Int, String) throws -> Void) throws -> JSONValue? {
    let text = string.string ?? ""
    do {
      try innerDocument.parse(text.utf8, limits: limits)
    } catch {
      try onProblem(string.offset, "the \(what) is not JSON: \(error.reason) (at byte \(error.offset) of the string)")
      return nil
    }
    guard innerDocument.root.kind == .object else {
      try onProblem(string.offset, "the \(what) does not hold a JSON object")
      return nil
    }
    return innerDocument.root
  }
}
