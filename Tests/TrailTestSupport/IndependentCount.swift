// Counts and reads CloudTrail events with Foundation only (gunzip by /bin/gzip, parse by
// JSONSerialization), so end-to-end tests compare trail-scan against a computation that shares
// none of its code.
import Foundation

public enum Independent {
  /// The decompressed bytes of a file (gzip detected by its magic bytes, inflated by `gzip -dc`).
  public static func contents(of url: URL) throws -> Data {
    let data = try Data(contentsOf: url)
    guard data.count >= 2, data[0] == 0x1F, data[1] == 0x8B else { return data }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", url.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return out
  }

  /// The error code of an event as docs/fields.md defines it: `errorCode`; for a failure without
  /// one, its `errorMessage`; for a sign-in whose response says `Failure`, `Failure`. Nil when
  /// the call succeeded.
  public static func errorCode(_ event: [String: Any]) -> String? {
    if let code = event["errorCode"] as? String, !code.isEmpty { return code }
    if let message = event["errorMessage"] as? String, !message.isEmpty { return message }
    let response = event["responseElements"] as? [String: Any] ?? [:]
    for key in ["ConsoleLogin", "SwitchRole", "CredentialVerification", "CredentialChallenge"]
    where response[key] as? String == "Failure" {
      return "Failure"
    }
    return nil
  }

  /// The events of a `{"Records":[…]}` file, a JSON array of events, or NDJSON.
  public static func events(in url: URL) throws -> [[String: Any]] {
    let data = try contents(of: url)
    if let whole = try? JSONSerialization.jsonObject(with: data) {
      if let envelope = whole as? [String: Any], let records = envelope["Records"] as? [[String: Any]] {
        return records
      }
      if let array = whole as? [[String: Any]] { return array }
      if let single = whole as? [String: Any] { return [single] }
    }
    return try String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty else { return nil }
      return try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any]
    }
  }

  /// Keys of a JSON object in the order written: JSONSerialization forgets order, so this reads
  /// the top-level keys from the text itself (good enough for compact single-line records).
  public static func topLevelKeys(ofCompactObject line: String) -> [String] {
    var keys: [String] = []
    var depth = 0
    var inString = false
    var escaped = false
    var current = ""
    var expectingKey = false
    for ch in line {
      if inString {
        if escaped {
          escaped = false
          current.append(ch)
          continue
        }
        if ch == "\\" {
          escaped = true
          current.append(ch)
          continue
        }
        if ch == "\"" {
          inString = false
          if depth == 1 && expectingKey {
            keys.append(current)
            expectingKey = false
          }
          continue
        }
        current.append(ch)
        continue
      }
      switch ch {
      case "\"":
        inString = true
        current = ""
      case "{", "[":
        depth += 1
        if depth == 1 && ch == "{" { expectingKey = true }
      case "}", "]": depth -= 1
      case ",": if depth == 1 { expectingKey = true }
      default: break
      }
    }
    return keys
  }
}

extension Independent {
  /// The targets of an event as docs/fields.md ("Targets") defines them, written again from
  /// that table with Foundation: `resources[].ARN`, then the ARNs the request and response name,
  /// each once.
  public static func targets(_ event: [String: Any]) -> [String] {
    var out = ((event["resources"] as? [[String: Any]]) ?? []).compactMap { $0["ARN"] as? String }
    let source = (event["eventSource"] as? String ?? "").replacingOccurrences(of: ".amazonaws.com", with: "")
    let region = event["awsRegion"] as? String
    let account =
      event["recipientAccountId"] as? String ?? (event["userIdentity"] as? [String: Any])?["accountId"] as? String
    let partition =
      region.map { $0.hasPrefix("cn-") ? "aws-cn" : $0.hasPrefix("us-gov-") ? "aws-us-gov" : "aws" } ?? "aws"
    let name = event["eventName"] as? String ?? ""
    func values(_ path: String) -> [String] {
      var current: [Any] = [event]
      for key in path.split(separator: ".").map(String.init) {
        current = current.flatMap { value -> [Any] in
          if let object = value as? [String: Any] { return object[key].map { [$0] } ?? [] }
          if let array = value as? [Any] {
            return array.compactMap { ($0 as? [String: Any])?[key] }
          }
          return []
        }
      }
      return current.flatMap { value -> [String] in
        if let array = value as? [Any] { return array.compactMap { $0 as? String } }
        return [value as? String].compactMap { $0 }
      }
    }
    func build(_ template: String, _ value: String) -> String {
      if value.hasPrefix("arn:") { return value }
      if template.contains("{r}") && region == nil || template.contains("{a}") && account == nil { return value }
      return template.replacingOccurrences(of: "{p}", with: partition).replacingOccurrences(
        of: "{r}", with: region ?? ""
      )
      .replacingOccurrences(of: "{a}", with: account ?? "").replacingOccurrences(of: "{v}", with: value)
    }
    let instance = "arn:{p}:ec2:{r}:{a}:instance/{v}"
    let table: [(String, String, String?)] = [
      ("s3", "requestParameters.bucketName", "arn:{p}:s3:::{v}"),
      ("iam", "requestParameters.userName", "arn:{p}:iam::{a}:user/{v}"),
      ("iam", "requestParameters.roleName", "arn:{p}:iam::{a}:role/{v}"),
      ("iam", "requestParameters.groupName", "arn:{p}:iam::{a}:group/{v}"),
      ("iam", "requestParameters.policyArn", nil),
      ("iam", "requestParameters.instanceProfileName", "arn:{p}:iam::{a}:instance-profile/{v}"),
      ("iam", "requestParameters.accessKeyId", nil),
      ("iam", "responseElements.user.arn", nil), ("iam", "responseElements.role.arn", nil),
      ("iam", "responseElements.policy.arn", nil), ("iam", "responseElements.accessKey.accessKeyId", nil),
      ("sts", "requestParameters.roleArn", nil),
      ("ec2", "requestParameters.instancesSet.items.instanceId", instance),
      ("ec2", "responseElements.instancesSet.items.instanceId", instance),
      ("ec2", "requestParameters.instanceId", instance),
      ("ec2", "requestParameters.groupId", "arn:{p}:ec2:{r}:{a}:security-group/{v}"),
      ("ec2", "responseElements.groupId", "arn:{p}:ec2:{r}:{a}:security-group/{v}"),
      ("ec2", "requestParameters.volumeId", "arn:{p}:ec2:{r}:{a}:volume/{v}"),
      ("ec2", "requestParameters.snapshotId", "arn:{p}:ec2:{r}::snapshot/{v}"),
      ("ec2", "requestParameters.imageId", "arn:{p}:ec2:{r}::image/{v}"),
      ("ec2-instance-connect", "requestParameters.instanceId", instance),
      ("ssm", "requestParameters.instanceId", instance), ("ssm", "requestParameters.instanceIds", instance),
      ("ssm", "requestParameters.target", instance),
      ("kms", "requestParameters.keyId", "kms"),
      ("secretsmanager", "requestParameters.secretId", nil), ("secretsmanager", "responseElements.arn", nil),
      ("lambda", "requestParameters.functionName", "arn:{p}:lambda:{r}:{a}:function:{v}"),
      ("dynamodb", "requestParameters.tableName", "arn:{p}:dynamodb:{r}:{a}:table/{v}"),
      ("sns", "requestParameters.topicArn", nil), ("sns", "responseElements.topicArn", nil),
      ("sqs", "requestParameters.queueUrl", "sqs"), ("sqs", "responseElements.queueUrl", "sqs"),
      ("sqs", "requestParameters.queueName", "arn:{p}:sqs:{r}:{a}:{v}"),
      ("cloudtrail", "requestParameters.name", "arn:{p}:cloudtrail:{r}:{a}:trail/{v}"),
      ("cloudtrail", "requestParameters.trailName", "arn:{p}:cloudtrail:{r}:{a}:trail/{v}"),
      ("logs", "requestParameters.logGroupName", "arn:{p}:logs:{r}:{a}:log-group:{v}"),
      ("rds", "requestParameters.dBSnapshotIdentifier", "arn:{p}:rds:{r}:{a}:snapshot:{v}"),
      ("rds", "requestParameters.dBInstanceIdentifier", "arn:{p}:rds:{r}:{a}:db:{v}"),
    ]
    for (service, path, template) in table where service == source {
      for value in values(path) where !value.isEmpty {
        switch template {
        case nil: out.append(value)
        case "kms"?:
          out.append(
            build(value.hasPrefix("alias/") ? "arn:{p}:kms:{r}:{a}:{v}" : "arn:{p}:kms:{r}:{a}:key/{v}", value))
        case "sqs"?:
          let parts = value.split(separator: "/")
          if parts.count >= 4, parts[0].hasPrefix("http") {
            let host = parts[1].split(separator: ".")
            let queueRegion = host.count >= 4 && host[0] == "sqs" ? String(host[1]) : region ?? "us-east-1"
            out.append("arn:aws:sqs:\(queueRegion):\(parts[2]):\(parts[3])")
          } else {
            out.append(value)
          }
        case let template?:
          if template == instance && !value.hasPrefix("i-") && !value.hasPrefix("arn:") { continue }
          out.append(build(template, value))
        }
      }
    }
    if source == "ssm" && name.contains("Parameter") {
      for value in values("requestParameters.name") + values("requestParameters.names") where !value.isEmpty {
        out.append(
          build(value.hasPrefix("/") ? "arn:{p}:ssm:{r}:{a}:parameter{v}" : "arn:{p}:ssm:{r}:{a}:parameter/{v}", value))
      }
    }
    if source == "s3", let bucket = values("requestParameters.bucketName").first,
      let key = values("requestParameters.key").first,
      !bucket.isEmpty, !key.isEmpty
    {
      out.append("arn:\(partition):s3:::\(bucket)/\(key)")
    }
    var seen = Set<String>()
    return out.filter { seen.insert($0).inserted }
  }
}
