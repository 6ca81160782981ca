// What a call acts on. CloudTrail fills `resources[]` for a minority of calls, so the `target`
// field also reads, per service, the request parameters and response elements that name a
// resource, and builds its ARN from the event's partition, region and account. The rules are
// one table (documented in docs/fields.md, "Targets"), so a question about a resource gets the
// same answer whether or not CloudTrail listed it.

/// How one parameter's value becomes a target.
package enum TargetForm: Sendable {
  /// The value is an ARN already (or is kept as it is: an access key id, a secret name).
  case asIs
  /// An ARN built from a template: `{p}` partition, `{r}` region, `{a}` account, `{v}` the value.
  /// A value that is already an ARN is kept as it is.
  case template(String)
  /// An instance id (`i-…`) as an EC2 instance ARN; other values (SSM managed nodes `mi-…`,
  /// documents) are not targets of this rule.
  case ec2Instance
  /// A KMS key id, alias (`alias/…`) or ARN.
  case kmsKey
  /// An SQS queue URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`).
  case sqsQueueURL
  /// An SSM parameter name (`/app/db` or `db`).
  case ssmParameter
}

/// One row of the targets table: for events of `service` (whose `eventName` contains
/// `eventNameContaining`, when given), the values at `path` (a dotted path: arrays fan out) name
/// a target in `form`.
package struct TargetRule: Sendable {
  package let service: String
  package let path: [String]
  package let form: TargetForm
  package let eventNameContaining: String?

  init(_ service: String, _ path: String, _ form: TargetForm, eventNameContaining: String? = nil) {
    self.service = service
    self.path = path.split(separator: ".").map(String.init)
    self.form = form
    self.eventNameContaining = eventNameContaining
  }
}

/// The targets table. docs/fields.md ("Targets") lists the same rows; `TrustTests` checks the
/// answers against an independent reading of that table and against hand-checked events.
package enum TargetTable {
  package static let rules: [TargetRule] = [
    // S3: buckets, and objects (the object and its bucket, as `resources[]` lists both).
    TargetRule("s3", "requestParameters.bucketName", .template("arn:{p}:s3:::{v}")),
    // IAM: users, roles, groups, policies, instance profiles, access keys (no ARN: the key id).
    TargetRule("iam", "requestParameters.userName", .template("arn:{p}:iam::{a}:user/{v}")),
    TargetRule("iam", "requestParameters.roleName", .template("arn:{p}:iam::{a}:role/{v}")),
    TargetRule("iam", "requestParameters.groupName", .template("arn:{p}:iam::{a}:group/{v}")),
    TargetRule("iam", "requestParameters.policyArn", .asIs),
    TargetRule("iam", "requestParameters.instanceProfileName", .template("arn:{p}:iam::{a}:instance-profile/{v}")),
    TargetRule("iam", "requestParameters.accessKeyId", .asIs),
    TargetRule("iam", "responseElements.user.arn", .asIs),
    TargetRule("iam", "responseElements.role.arn", .asIs),
    TargetRule("iam", "responseElements.policy.arn", .asIs),
    TargetRule("iam", "responseElements.accessKey.accessKeyId", .asIs),
    // STS: the role a session is asked for.
    TargetRule("sts", "requestParameters.roleArn", .asIs),
    // EC2: instances (either element), security groups, volumes, snapshots, images.
    TargetRule("ec2", "requestParameters.instancesSet.items.instanceId", .ec2Instance),
    TargetRule("ec2", "responseElements.instancesSet.items.instanceId", .ec2Instance),
    TargetRule("ec2", "requestParameters.instanceId", .ec2Instance),
    TargetRule("ec2", "requestParameters.groupId", .template("arn:{p}:ec2:{r}:{a}:security-group/{v}")),
    TargetRule("ec2", "responseElements.groupId", .template("arn:{p}:ec2:{r}:{a}:security-group/{v}")),
    TargetRule("ec2", "requestParameters.volumeId", .template("arn:{p}:ec2:{r}:{a}:volume/{v}")),
    TargetRule("ec2", "requestParameters.snapshotId", .template("arn:{p}:ec2:{r}::snapshot/{v}")),
    TargetRule("ec2", "requestParameters.imageId", .template("arn:{p}:ec2:{r}::image/{v}")),
    TargetRule("ec2-instance-connect", "requestParameters.instanceId", .ec2Instance),
    // SSM: the instances a command or session runs on, and parameters.
    TargetRule("ssm", "requestParameters.instanceId", .ec2Instance),
    TargetRule("ssm", "requestParameters.instanceIds", .ec2Instance),
    TargetRule("ssm", "requestParameters.target", .ec2Instance),
    TargetRule("ssm", "requestParameters.name", .ssmParameter, eventNameContaining: "Parameter"),
    TargetRule("ssm", "requestParameters.names", .ssmParameter, eventNameContaining: "Parameter"),
    // KMS keys, Secrets Manager secrets (a name stays a name: secret ARNs end in a random suffix).
    TargetRule("kms", "requestParameters.keyId", .kmsKey),
    TargetRule("secretsmanager", "requestParameters.secretId", .asIs),
    TargetRule("secretsmanager", "responseElements.arn", .asIs),
    // Lambda functions, DynamoDB tables, SNS topics, SQS queues.
    TargetRule("lambda", "requestParameters.functionName", .template("arn:{p}:lambda:{r}:{a}:function:{v}")),
    TargetRule("dynamodb", "requestParameters.tableName", .template("arn:{p}:dynamodb:{r}:{a}:table/{v}")),
    TargetRule("sns", "requestParameters.topicArn", .asIs),
    TargetRule("sns", "responseElements.topicArn", .asIs),
    TargetRule("sqs", "requestParameters.queueUrl", .sqsQueueURL),
    TargetRule("sqs", "responseElements.queueUrl", .sqsQueueURL),
    TargetRule("sqs", "requestParameters.queueName", .template("arn:{p}:sqs:{r}:{a}:{v}")),
    // CloudTrail trails (a name or an ARN), CloudWatch Logs log groups, RDS snapshots.
    TargetRule("cloudtrail", "requestParameters.name", .template("arn:{p}:cloudtrail:{r}:{a}:trail/{v}")),
    TargetRule("cloudtrail", "requestParameters.trailName", .template("arn:{p}:cloudtrail:{r}:{a}:trail/{v}")),
    TargetRule("logs", "requestParameters.logGroupName", .template("arn:{p}:logs:{r}:{a}:log-group:{v}")),
    TargetRule("rds", "requestParameters.dBSnapshotIdentifier", .template("arn:{p}:rds:{r}:{a}:snapshot:{v}")),
    TargetRule("rds", "requestParameters.dBInstanceIdentifier", .template("arn:{p}:rds:{r}:{a}:db:{v}")),
  ]

  /// The rules per service, for one lookup per event.
  static let byService: [String: [TargetRule]] = Dictionary(grouping: rules, by: \.service)
}

/// Where an event's ARNs are built: its partition, region and account.
struct TargetContext {
  let partition: String
  let region: String?
  let account: String?

  /// `template` filled in; nil when it needs a region or account the event does not have.
  /// Templates are this file's ASCII literals, so they are read as bytes: `{x}` is three bytes
  /// and three Characters alike (by Characters, as before, it cost ten times as much).
  func fill(_ template: String, _ value: String) -> String? {
    let bytes = template.utf8
    func holds(_ placeholder: StaticString) -> Bool {
      let wanted = UnsafeBufferPointer(start: placeholder.utf8Start, count: placeholder.utf8CodeUnitCount)
      var i = bytes.startIndex
      while i != bytes.endIndex {
        if bytes[i...].starts(with: wanted) { return true }
        i = bytes.index(after: i)
      }
      return false
    }
    if region == nil && holds("{r}") { return nil }
    if account == nil && holds("{a}") { return nil }
    var out = ""
    out.reserveCapacity(bytes.count + value.utf8.count + partition.utf8.count + 16)
    var literal = bytes.startIndex
    var i = bytes.startIndex
    while i != bytes.endIndex {
      guard bytes[i] == UInt8(ascii: "{") else {
        i = bytes.index(after: i)
        continue
      }
      out += template[literal..<i]
      let nameStart = bytes.index(after: i)
      let nameEnd = bytes.index(nameStart, offsetBy: 2, limitedBy: bytes.endIndex) ?? bytes.endIndex
      let name = template[nameStart..<nameEnd]
      switch name {
      case "p}": out += partition
      case "r}": out += region ?? ""
      case "a}": out += account ?? ""
      case "v}": out += value
      default: out += "{" + name
      }
      i = nameEnd
      literal = nameEnd
    }
    return out + template[literal...]
  }

  /// The target `value` names in `form` (nil: not a target); the raw value when no ARN can be
  /// built.
  func target(_ value: String, _ form: TargetForm) -> String? {
    guard !value.isEmpty else { return nil }
    if value.hasPrefix("arn:") { return value }
    switch form {
    case .asIs:
      return value
    case .template(let template):
      return fill(template, value) ?? value
    case .ec2Instance:
      guard value.hasPrefix("i-") else { return nil }
      return fill("arn:{p}:ec2:{r}:{a}:instance/{v}", value) ?? value
    case .kmsKey:
      return fill(value.hasPrefix("alias/") ? "arn:{p}:kms:{r}:{a}:{v}" : "arn:{p}:kms:{r}:{a}:key/{v}", value) ?? value
    case .sqsQueueURL:
      // https://sqs.us-east-1.amazonaws.com/111122223333/queue-name (or the legacy
      // https://queue.amazonaws.com/…, which is us-east-1).
      let parts = value.split(separator: "/", omittingEmptySubsequences: true)
      guard parts.count >= 4, parts[0].hasPrefix("http") else { return value }
      let host = parts[1].split(separator: ".")
      let region = host.count >= 4 && host[0] == "sqs" ? String(host[1]) : (region ?? "us-east-1")
      return "arn:\(Derived.partition(ofRegion: region)):sqs:\(region):\(parts[2]):\(parts[3])"
    case .ssmParameter:
      return fill(
        value.hasPrefix("/") ? "arn:{p}:ssm:{r}:{a}:parameter{v}" : "arn:{p}:ssm:{r}:{a}:parameter/{v}", value) ?? value
    }
  }
}

extension EventView {
  /// The ARNs (or, where none can be built, the ids) of what the call acts on: every
  /// `resources[].ARN`, then what the targets table reads from the request and response, each
  /// once, in that order.
  public var targets: [String] {
    var out = resourceARNs
    guard let service, let rules = TargetTable.byService[service] else { return unique(out) }
    let region = scalar("awsRegion")
    let context = TargetContext(partition: Derived.partition(ofRegion: region), region: region, account: account)
    let name = eventName ?? ""
    for rule in rules where rule.eventNameContaining.map(name.contains) ?? true {
      for value in values(atPath: rule.path) {
        guard let text = JSONText.scalar(value), let target = context.target(text, rule.form) else { continue }
        out.append(target)
      }
    }
    // An S3 object call acts on the object and its bucket.
    if service == "s3",
      let bucket = values(atPath: ["requestParameters", "bucketName"]).first.flatMap(JSONText.scalar),
      let key = values(atPath: ["requestParameters", "key"]).first.flatMap(JSONText.scalar), !bucket.isEmpty,
      !key.isEmpty
    {
      out.append("arn:\(context.partition):s3:::\(bucket)/\(key)")
    }
    return unique(out)
  }

  private func unique(_ values: [String]) -> [String] {
    guard values.count > 1 else { return values }
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
  }
}
