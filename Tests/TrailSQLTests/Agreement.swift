// The questions the SQL translation must answer exactly as the local engine does, and how their
// answers are compared: each case is a trail-scan command line run twice through the built
// binary, once locally (JSON output) and once with `--emit`, whose script an engine runs.
import Foundation
import Testing
import TrailTestSupport

/// One question.
struct AgreementCase: Sendable {
  enum Kind: Sendable {
    /// `stats`, `who`, `what`, `check --pattern`: the rows, in order.
    case groups
    /// `search --fields eventID`: the same events (as a multiset of eventIDs).
    case eventIDs
    /// `search --sort time --limit N --fields time,…`: the same times, in order.
    case times
    /// `timeline`: the same rows, oldest first.
    case timeline
    /// `check`: one row per rule and group with its count, first and last time.
    case rules
  }

  let name: String
  /// The command line; `ARCHIVE` stands for the archive's path.
  let arguments: [String]
  let kind: Kind

  init(_ name: String, _ kind: Kind, _ arguments: [String]) {
    self.name = name
    self.kind = kind
    self.arguments = arguments
  }

  func arguments(archive: String) -> [String] { arguments.map { $0 == "ARCHIVE" ? archive : $0 } }

  /// The local engine's answer, normalised.
  func localRows(archive: String) throws -> [String] {
    let format = kind == .rules ? ["--format", "json"] : ["--format", "jsonl"]
    let run = try TrailBinary.run(arguments(archive: archive) + format)
    try #require([0, 1].contains(run.status), "\(name): local run failed: \(run.stderr)")
    switch kind {
    case .rules:
      let report = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
      var rows: [String] = []
      for rule in report["rules"] as? [[String: Any]] ?? [] {
        for finding in rule["findings"] as? [[String: Any]] ?? [] {
          rows.append(
            canonical([
              "rule": rule["id"] ?? NSNull(), "count": finding["count"] ?? NSNull(),
              "firstSeen": finding["firstSeen"] ?? NSNull(), "lastSeen": finding["lastSeen"] ?? NSNull(),
              "group": finding["group"] ?? [String: Any](),
            ]))
        }
      }
      return rows
    default:
      let objects = try run.lines.map { line in
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      }
      return objects.map { object in
        switch kind {
        case .eventIDs: return (object["eventID"] as? String) ?? "(none)"
        case .times: return (object["eventTime"] as? String) ?? "(none)"
        default: return canonical(object)
        }
      }.sortedIf(kind == .eventIDs)
    }
  }

  /// An engine's rows (JSON objects as the oracle printed them), normalised like `localRows`.
  func engineRows(_ rows: [[String: Any]]) -> [String] {
    switch kind {
    case .eventIDs: return rows.map { ($0["eventID"] as? String) ?? "(none)" }.sorted()
    case .times: return rows.map { ($0["time"] as? String) ?? "(none)" }
    case .rules:
      return rows.map { row in
        var group: [String: Any] = [:]
        for entry in row["group"] as? [[String: Any]] ?? [] {
          if let field = entry["field"] as? String { group[field] = entry["value"] ?? NSNull() }
        }
        return canonical([
          "rule": row["rule"] ?? NSNull(), "count": row["count"] ?? NSNull(), "firstSeen": row["firstSeen"] ?? NSNull(),
          "lastSeen": row["lastSeen"] ?? NSNull(), "group": group,
        ])
      }
    case .timeline:
      // Several values are an array in SQL; the local output writes one as a string, none as null.
      return rows.map { row in
        canonical(
          row.mapValues { value in
            guard let array = value as? [Any] else { return value }
            return array.count == 0 ? NSNull() : array.count == 1 ? array[0] : array
          })
      }
    case .groups: return rows.map(canonical)
    }
  }

  /// Timeline rows with equal times may come in any order: compare them sorted within a time.
  func comparable(_ rows: [String]) -> [String] {
    guard kind == .timeline else { return rows }
    return rows.sorted { a, b in
      let (ta, tb) = (time(of: a), time(of: b))
      return ta != tb ? ta < tb : a < b
    }
  }

  func time(of row: String) -> String {
    let object = (try? JSONSerialization.jsonObject(with: Data(row.utf8))) as? [String: Any]
    return (object?["time"] as? String) ?? ""
  }
}

/// A JSON value as text with sorted keys, so equal values compare equal.
func canonical(_ value: Any) -> String {
  guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
  else { return "\(value)" }
  return String(decoding: data, as: UTF8.self)
}

extension Array where Element == String {
  func sortedIf(_ condition: Bool) -> [String] { condition ? sorted() : self }
}

/// The cases, over any archive in CloudTrail's layout.
enum AgreementCases {
  static let common: [AgreementCase] = [
    AgreementCase("stats by principal", .groups, ["stats", "ARCHIVE", "--by", "principal"]),
    AgreementCase(
      "stats by three fields, failures", .groups, ["stats", "ARCHIVE", "--by", "account,region,action", "--error"]),
    AgreementCase(
      "stats by identity in a window and two regions", .groups,
      [
        "stats", "ARCHIVE", "--by", "type,outcome,accessKey", "--region", "us-east-1", "--region", "eu-west-1",
        "--since", "2024-05-13T06:00:00Z", "--until", "2024-05-14",
      ]),
    AgreementCase(
      "stats with exclusions and read-only", .groups,
      [
        "stats", "ARCHIVE", "--by", "service,readOnly", "--event-source", "!kms", "--event-source", "!sts",
        "--read-only",
      ]),
    AgreementCase(
      "stats by actor, distinct ips, top", .groups,
      ["stats", "ARCHIVE", "--by", "actor", "--distinct", "ip", "--top", "15"]),
    AgreementCase("stats by target", .groups, ["stats", "ARCHIVE", "--by", "target,error"]),
    AgreementCase("stats by time fields", .groups, ["stats", "ARCHIVE", "--by", "date,hour,session", "--top", "40"]),
    AgreementCase(
      "stats by dotted paths", .groups,
      [
        "stats", "ARCHIVE", "--by",
        "requestParameters.bucketName,userIdentity.sessionContext.attributes.mfaAuthenticated",
      ]),
    AgreementCase(
      "stats by paths through arrays and JSON strings", .groups,
      [
        "stats", "ARCHIVE", "--by",
        "resources.type,requestParameters.policyDocument.Version,requestParameters.list.name",
      ]),
    AgreementCase(
      "stats every hour, by time", .groups, ["stats", "ARCHIVE", "--every", "1h", "--by", "outcome", "--sort", "time"]),
    AgreementCase(
      "stats every 6h in one account", .groups,
      ["stats", "ARCHIVE", "--every", "6h", "--account", "444455556666", "--account", "123456789012"]),
    AgreementCase("stats with dedupe", .groups, ["stats", "ARCHIVE", "--by", "eventName", "--dedupe"]),
    AgreementCase("who did s3", .groups, ["who", "ARCHIVE", "--action", "s3:*"]),
    AgreementCase("who touched roles", .groups, ["who", "ARCHIVE", "--target", "arn:aws:iam::*:role/*"]),
    AgreementCase("what a principal did", .groups, ["what", "ARCHIVE", "--principal", "alice"]),
    AgreementCase(
      "metric filter per period", .groups,
      ["check", "ARCHIVE", "--pattern", #"{ $.errorCode = "AccessDenied*" || $.errorMessage = * }"#, "--every", "6h"]),
    AgreementCase("search by network", .eventIDs, ["search", "ARCHIVE", "--fields", "eventID", "--ip", "10.0.0.0/8"]),
    AgreementCase(
      "search excluding networks, by type", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--ip", "!10.0.0.0/8", "--ip", "!AWS Internal", "--type", "IAMUser",
        "--type", "Root",
      ]),
    AgreementCase(
      "search by error code", .eventIDs, ["search", "ARCHIVE", "--fields", "eventID", "--error", "AccessDenied*"]),
    AgreementCase(
      "search by other error", .eventIDs, ["search", "ARCHIVE", "--fields", "eventID", "--error", "!AccessDenied"]),
    AgreementCase(
      "search writes that succeeded", .eventIDs,
      ["search", "ARCHIVE", "--fields", "eventID", "--no-error", "--write", "--category", "Management"]),
    AgreementCase(
      "search by bare principal name", .eventIDs, ["search", "ARCHIVE", "--fields", "eventID", "--principal", "Deploy"]),
    AgreementCase(
      "search by agent and key", .eventIDs,
      ["search", "ARCHIVE", "--fields", "eventID", "--user-agent", "aws-cli/*", "--access-key", "AKIA*"]),
    AgreementCase(
      "search by resource", .eventIDs, ["search", "ARCHIVE", "--fields", "eventID", "--resource", "arn:aws:s3:::*"]),
    AgreementCase(
      "search in a window", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--since", "2024-05-14T03:00:00Z", "--until",
        "2024-05-14T09:30:00Z",
      ]),
    AgreementCase(
      "where = and != on a missing field", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes" }"#,
      ]),
    AgreementCase(
      "where with wildcards", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.errorCode = "AccessDenied*" || $.errorCode = "*UnauthorizedOperation" }"#,
      ]),
    AgreementCase(
      "where IS TRUE and IS FALSE", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ ($.readOnly IS FALSE && $.eventSource = s3.amazonaws.com) || $.additionalEventData.flag IS FALSE || $.responseElements.ok IS TRUE }"#,
      ]),
    AgreementCase(
      "where NOT EXISTS", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.userIdentity.invokedBy NOT EXISTS && $.requestParameters.roleArn NOT EXISTS }"#,
      ]),
    AgreementCase(
      "where IS NULL inside JSON", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.requestParameters.nul IS NULL || $.requestParameters.nul NOT EXISTS }"#,
      ]),
    AgreementCase(
      "where numbers", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.requestParameters.durationSeconds >= 3600 || $.additionalEventData.bytesTransferredIn > 0 || $.requestParameters.pendingWindowInDays < 10 || $.requestParameters.n = 1.50 || $.requestParameters.neg <= -2 }"#,
      ]),
    AgreementCase(
      "where numbers as text", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.recipientAccountId = 111122223333 || $.requestParameters.durationSeconds = 36* || $.requestParameters.big = "3600" || $.requestParameters.t = true }"#,
      ]),
    AgreementCase(
      "where regexes", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.eventName = %^Describe|^Get% && $.sourceIPAddress != %^10\.\d+% }"#,
      ]),
    AgreementCase(
      "where on resources", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.resources[*].ARN = "arn:aws:iam::*" || $.resources[0].type = "AWS::S3::Object" || $.resources[1].ARN NOT EXISTS }"#,
      ]),
    AgreementCase(
      "where wildcards inside JSON", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.requestParameters.instancesSet.items[*].imageId = "ami-*" || $.additionalEventData.* = "Yes" || $.requestParameters.list[*].name != "x" }"#,
      ]),
    AgreementCase(
      "where != on missing fields", .eventIDs,
      ["search", "ARCHIVE", "--fields", "eventID", "--where", #"{ $.errorCode != "AccessDenied" }"#]),
    AgreementCase(
      "where keys with colons and quotes in values", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.requestParameters.encryptionContext.['aws:s3:arn'] = "arn:aws:s3:::*" || $.requestParameters.ipPermissions.items[0].ipRanges.items[0].description = "Café office \"VPN\" — temporary" || $.requestParameters.bucketName = "b\"q'uote" }"#,
      ]),
    AgreementCase(
      "search sorted by time, limited", .times,
      ["search", "ARCHIVE", "--fields", "time,eventID", "--sort", "time", "--limit", "25"]),
    AgreementCase("timeline of sign-ins", .timeline, ["timeline", "ARCHIVE", "--event-name", "ConsoleLogin"]),
    AgreementCase(
      "timeline with fields", .timeline,
      [
        "timeline", "ARCHIVE", "--principal", "alice", "--fields",
        "time,eventName,target,requestParameters.roleArn,actor",
      ]),
    AgreementCase("check, the cis pack", .rules, ["check", "ARCHIVE", "--pack", "cis"]),
  ]

  /// The common cases that also run on the sample archive (every identity type, failures of
  /// each kind): those whose answers depend on identities, targets and missing fields.
  static let sample: [AgreementCase] = pick([
    "stats by principal", "stats by identity in a window and two regions", "stats by actor, distinct ips, top",
    "stats by target", "who did s3", "what a principal did", "search by bare principal name",
    "search by network", "where IS TRUE and IS FALSE", "where NOT EXISTS", "where != on missing fields",
    "timeline with fields", "check, the cis pack",
  ])

  /// The common cases that also run on the edge archive, beside its own.
  static let edgeCommon: [AgreementCase] = pick([
    "stats by principal", "stats by target", "who did s3", "search by network", "where IS TRUE and IS FALSE",
    "where IS NULL inside JSON", "where numbers", "where numbers as text", "where wildcards inside JSON",
    "where keys with colons and quotes in values", "stats every hour, by time", "timeline with fields",
    "check, the cis pack", "stats by dotted paths", "stats by paths through arrays and JSON strings",
  ])

  static func pick(_ names: [String]) -> [AgreementCase] {
    names.map { name in
      guard let found = common.first(where: { $0.name == name }) else { fatalError("no case \(name)") }
      return found
    }
  }

  /// Cases for the edge archive's values (backslashes, quotes, IPv4-mapped addresses).
  static let edge: [AgreementCase] = [
    AgreementCase(
      "stats by every derived field", .groups,
      ["stats", "ARCHIVE", "--by", "principal,actor,type,account,error,outcome,service,action"]),
    AgreementCase("stats by time, untimed included", .groups, ["stats", "ARCHIVE", "--by", "time"]),
    AgreementCase(
      "stats by JSON values", .groups,
      [
        "stats", "ARCHIVE", "--by",
        "requestParameters.doc.Statement.Effect,requestParameters.deep,requestParameters.names,requestParameters.n",
      ]),
    AgreementCase(
      "search agent with a backslash and a quote", .eventIDs,
      ["search", "ARCHIVE", "--fields", "eventID", "--user-agent", #"*C:\bin\tool 100%_done"#]),
    AgreementCase(
      "where a backslash, a line break, a quote", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.requestParameters.key = "C:\\logs\\a.txt" || $.requestParameters.note = "line1*" || $.userAgent = %\"5\.0\"% }"#,
      ]),
    AgreementCase(
      "where a string that says true, a boolean false", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--where",
        #"{ $.requestParameters.t IS TRUE || $.requestParameters.f = "false" || $.requestParameters.f IS FALSE }"#,
      ]),
    AgreementCase(
      "search by IPv6 networks", .eventIDs,
      [
        "search", "ARCHIVE", "--fields", "eventID", "--ip", "2001:db8::/32", "--ip", "2001:db8:0:0:0:0:0:1/128", "--ip",
        "fe80::/10",
      ]),
    AgreementCase(
      "search outside an IPv6 network", .eventIDs,
      ["search", "ARCHIVE", "--fields", "eventID", "--ip", "!2001:db8::/33", "--ip", "!10.0.0.0/8"]),
    AgreementCase(
      "where a value with a line break", .eventIDs,
      ["search", "ARCHIVE", "--fields", "eventID", "--where", "{ $.requestParameters.note = \"line1\nline2 café\" }"]),
  ]
}
