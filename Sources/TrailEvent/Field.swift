// The field vocabulary of `--by`, `--fields` and filters (spec §3): derived names with
// CloudTrail meaning, or any dotted JSON path. Fields are data, so other backends (SQL, Athena)
// can translate the same names.

/// A field of an event.
public enum Field: Hashable, Sendable, CustomStringConvertible {
  case time, date, hour
  case service, action, principal, session, actor
  case account, region, ip, error, accessKey, userAgent, category, type
  case resource
  /// The model's own `eventName`, `eventSource`, `readOnly`: the same as the paths of those
  /// names for ordinary records, and right for every other shape (Lake `eventData`, records
  /// with lower-cased keys), because the model reads them wherever they are.
  case eventName, eventSource, readOnly
  /// A dotted JSON path; a segment applied to an array applies to each element, a numeric
  /// segment indexes it.
  case path([String])

  /// Every derived field, with the one-line meaning shown in help and docs/fields.md.
  public static let derived: [(Field, String)] = [
    (.time, "eventTime"),
    (.date, "eventTime's YYYY-MM-DD (UTC)"),
    (.hour, "eventTime's YYYY-MM-DDTHH (UTC)"),
    (.service, "eventSource without .amazonaws.com"),
    (.action, "IAM-style service:eventName"),
    (.principal, "the IAM entity behind the call (role for assumed-role sessions)"),
    (.session, "userIdentity.arn as recorded"),
    (.actor, "best human-readable name: sourceIdentity, Identity Center user, session name, user name, else principal"),
    (.account, "recipientAccountId, else userIdentity.accountId"),
    (.region, "awsRegion"),
    (.ip, "sourceIPAddress"),
    (.error, "errorCode"),
    (.accessKey, "userIdentity.accessKeyId"),
    (.userAgent, "userAgent"),
    (.category, "eventCategory"),
    (.type, "userIdentity.type"),
    (.resource, "each resources[].ARN"),
    (.eventName, "eventName, as the event model reads it"),
    (.eventSource, "eventSource, as the event model reads it"),
    (.readOnly, "readOnly (true/false; strings \"true\"/\"false\" too), as the event model reads it"),
  ]

  /// Parses a field name: a derived name, else a dotted path (`requestParameters.bucketName`).
  public init(parsing name: String) throws(QueryError) {
    if let derived = Field.derived.first(where: { $0.0.description == name }) {
      self = derived.0
      return
    }
    let segments = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !name.isEmpty, !segments.contains(where: \.isEmpty) else {
      throw QueryError(
        "invalid field '\(name)': expected a field name or a dotted path such as requestParameters.bucketName")
    }
    self = .path(segments)
  }

  /// Parses a comma-separated list of fields.
  public static func list(_ text: String) throws(QueryError) -> [Field] {
    var fields: [Field] = []
    for name in text.split(separator: ",", omittingEmptySubsequences: true) {
      fields.append(try Field(parsing: name.trimmingSpaces()))
    }
    guard !fields.isEmpty else { throw QueryError("expected at least one field name") }
    return fields
  }

  /// The name as `--fields` and `--by` spell it (`principal`, `accessKey`), or the path's segments
  /// joined by dots (`requestParameters.bucketName`).
  public var description: String {
    switch self {
    case .time: return "time"
    case .date: return "date"
    case .hour: return "hour"
    case .service: return "service"
    case .action: return "action"
    case .principal: return "principal"
    case .session: return "session"
    case .actor: return "actor"
    case .account: return "account"
    case .region: return "region"
    case .ip: return "ip"
    case .error: return "error"
    case .accessKey: return "accessKey"
    case .userAgent: return "userAgent"
    case .category: return "category"
    case .type: return "type"
    case .resource: return "resource"
    case .eventName: return "eventName"
    case .eventSource: return "eventSource"
    case .readOnly: return "readOnly"
    case .path(let segments): return segments.joined(separator: ".")
    }
  }
}

extension Substring {
  func trimmingSpaces() -> String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
