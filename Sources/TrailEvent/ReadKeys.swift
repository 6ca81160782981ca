// Which top-level members of a record a field reads, so a scan that knows every field it will
// read can have the parser leave the other members' objects and arrays off the tape
// (`JSONKeySet`, the validating fast skip of docs/json-decoder.md). A hint for speed only.
import TrailJSON

extension Field {
  /// The top-level event members this field reads (compared without case), or nil when it may
  /// read any (`origin`, `target`). A member missed here is still read right, only slower.
  public var topLevelKeys: [String]? {
    switch self {
    case .time, .date, .hour: return ["eventTime"]
    case .service, .action: return ["eventSource", "eventName"]
    case .principal, .session, .actor, .accessKey, .type: return ["userIdentity"]
    case .account: return ["recipientAccountId", "userIdentity"]
    case .region: return ["awsRegion"]
    case .ip: return ["sourceIPAddress"]
    case .userAgent: return ["userAgent"]
    case .category: return ["eventCategory"]
    case .error, .outcome: return ["errorCode", "errorMessage", "responseElements"]
    case .eventName: return ["eventName"]
    case .eventSource: return ["eventSource"]
    case .readOnly: return ["readOnly"]
    case .origin, .resource, .target: return nil
    case .path(let segments): return segments.first.map { [$0] }
    }
  }
}

extension EventReader {
  /// Top-level members that hold events or decide a record's container (`RecordContent`):
  /// always kept on the tape, so reading a record's shape never parses a member twice.
  public static let containerKeys = [
    "Records", "Events", "events", "detail", "detail-type", "eventData", "logEvents", "message", "messageType",
    "CloudTrailEvent",
  ]
}
