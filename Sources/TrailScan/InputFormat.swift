// The shapes CloudTrail events arrive in (cloudtrail-formats.md §1, §5), detected per record by
// content, or forced with --input-format. Each framed record is classified once: an event as
// is, an event inside a member (EventBridge `detail`, Lake `eventData`), events held as JSON
// strings (lookup-events `CloudTrailEvent`, CloudWatch Logs `message`s), or nothing to read
// (digests, CloudWatch control messages).
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
  /// The event is this value (the record, or EventBridge's `detail`).
  case event(JSONValue)
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
    if isDigest(root) { return .skip }
    switch format {
    case .auto:
      return lookupEvents(root) ?? cloudwatch(root) ?? eventbridge(root) ?? lake(root) ?? .event(root)
    case .cloudtrail, .cloudwatchExport:
      return .event(root)
    case .lookupEvents:
      return lookupEvents(root) ?? .unexpected("not a lookup-events entry (no CloudTrailEvent string)")
    case .cloudwatchLogs:
      return cloudwatch(root) ?? .unexpected("not a CloudWatch Logs event (no message string) or subscription payload")
    case .eventbridge:
      return eventbridge(root) ?? .unexpected("not an EventBridge event (no detail object)")
    case .lake:
      return lake(root) ?? .unexpected("not a CloudTrail Lake integration event (no eventData)")
    }
  }

  /// A digest document (cloudtrail-formats.md §3.1): never an event, never an error.
  static func isDigest(_ root: JSONValue) -> Bool {
    root["digestS3Object"] != nil && root["digestPublicKeyFingerprint"] != nil && root["eventVersion"] == nil
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
    guard let detail = root["detail"], detail.kind == .object, root["detail-type"] != nil || root["source"] != nil else { return nil }
    return .event(detail)
  }

  static func lake(_ root: JSONValue) -> RecordContent? {
    guard let data = root["eventData"], data.kind == .object || data.kind == .string, root["eventName"] == nil else { return nil }
    return .lake(record: root, data: data)
  }
}
