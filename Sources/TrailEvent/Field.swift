// The field vocabulary of `--by`, `--fields` and filters (spec §3): derived names with
// CloudTrail meaning, or any dotted JSON path. Fields are data, so other backends (SQL, Athena)
// can translate the same names.
import TrailModel

/// A field of an event.
public enum Field: Hashable, Sendable, CustomStringConvertible {
  case time, date, hour
  case service, action, principal, session, actor
  case account, region, ip, error, accessKey, userAgent, category, type
  /// What the call acts on (`target`; `resource` is the same set under its older name).
  case resource, target
  /// `success` or `failure`.
  case outcome
  /// The principal that started the credential chain behind the call (TrailIdentity).
  case origin
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
    (.origin, "the principal that started the credential chain the archive proves (docs/identity.md)"),
    (.actor, "best human-readable name: sourceIdentity, Identity Center user, session name, user name, else principal"),
    (.account, "recipientAccountId, else userIdentity.accountId"),
    (.region, "awsRegion"),
    (.ip, "sourceIPAddress"),
    (
      .error, "errorCode; for a failure without one, its errorMessage (a failed console sign-in: Failed authentication)"
    ),
    (.outcome, "success or failure: failed when errorCode or errorMessage is present or a sign-in says Failure"),
    (.accessKey, "userIdentity.accessKeyId"),
    (.userAgent, "userAgent"),
    (.category, "eventCategory"),
    (.type, "userIdentity.type"),
    (.target, "what the call acts on: each resources[].ARN and the ARNs its parameters name (docs/fields.md)"),
    (.resource, "the same as target"),
    (.eventName, "eventName, as the event model reads it"),
    (.eventSource, "eventSource, as the event model reads it"),
    (.readOnly, "readOnly (true/false; strings \"true\"/\"false\" too), as the event model reads it"),
  ]

  /// Parses a field name: a derived name; a top-level record field (`eventType`); a dotted path
  /// (`requestParameters.bucketName`); or a path written as `$.key` or `$.a.b` (any key, such as
  /// `$.@timestamp`). Any other single word is a typo: an error that suggests the closest name.
  public init(parsing name: String) throws(QueryError) {
    if let derived = Field.derived.first(where: { $0.0.description == name }) {
      self = derived.0
      return
    }
    let written = name.hasPrefix("$.") ? String(name.dropFirst(2)) : name
    let segments = written.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !written.isEmpty, !segments.contains(where: \.isEmpty) else {
      throw QueryError(
        "invalid field '\(name)': expected a field name or a dotted path such as requestParameters.bucketName")
    }
    if segments.count == 1 && !name.hasPrefix("$.") && !CloudTrailEvent.recordFields.contains(name) {
      let suggestion = Self.closestName(to: name).map { " (did you mean '\($0)'?)" } ?? ""
      throw QueryError(
        "unknown field '\(name)'\(suggestion): use a field name (docs/fields.md), a record field, "
          + "or a path: a dotted path, or $.\(name) for a top-level key of that name")
    }
    self = .path(segments)
  }

  /// Every name a single word may be: the derived fields and the record's top-level fields.
  public static var knownNames: [String] { derived.map(\.0.description) + CloudTrailEvent.recordFields }

  /// The known name closest to `name` (edit distance, ignoring case), if it is close enough to
  /// be a typo of it.
  static func closestName(to name: String) -> String? {
    let typed = Array(name.lowercased())
    var best: (name: String, distance: Int)?
    for candidate in knownNames {
      let distance = editDistance(typed, Array(candidate.lowercased()))
      if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    guard let best, best.distance <= max(1, min(3, typed.count / 3)) else { return nil }
    return best.name
  }

  /// Levenshtein distance.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1] + Array(repeating: 0, count: b.count)
      for (j, y) in b.enumerated() {
        current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
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
    case .target: return "target"
    case .outcome: return "outcome"
    case .origin: return "origin"
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
