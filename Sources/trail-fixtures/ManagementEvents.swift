// Builders for management events outside STS and EC2: console sign-in, IAM user and policy
// changes, KMS Decrypt and key deletion, CloudTrail StopLogging. The IAM ones carry the
// escapes the fixtures must exercise (a policy document string, non-ASCII tag values).

import TrailTime

enum ManagementEvents {
  static func consoleLogin(_ c: inout EventContext) -> EventBody {
    var caller = c.caller
    caller.accessKeyId = caller.kind == .root ? "" : nil
    caller.sessionCreated = nil
    caller.userAgent = Principals.consoleAgent
    let failed = c.failed
    if failed && caller.kind == .iamUser && c.rng.chance(0.4) {
      caller.principalId = ""
      caller.arn = nil
      caller.accessKeyId = ""
      caller.userName = "HIDDEN_DUE_TO_SECURITY_REASONS"
    }
    let mfa = !failed && c.rng.chance(caller.kind == .root ? 0.7 : 0.5)
    let mfaDevice =
      caller.kind == .root
      ? "arn:aws:iam::\(c.account.id):mfa/root-account-mfa-device"
      : "arn:aws:iam::\(c.account.id):mfa/\(caller.userName ?? "user")"
    let state = c.rng.hex(16)
    return EventBody(
      source: "signin.amazonaws.com", name: "ConsoleLogin", eventType: "AwsConsoleSignIn", readOnly: false,
      errorMessage: failed ? "Failed authentication" : nil,
      request: nil,
      response: { w in w.field("ConsoleLogin", failed ? "Failure" : "Success") },
      additional: { w in
        w.field(
          "LoginTo",
          "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_\(state)"
        )
        w.field("MobileVersion", "No")
        if mfa { w.field("MFAIdentifier", mfaDevice) }
        w.field("MFAUsed", mfa ? "Yes" : "No")
      },
      host: "signin.aws.amazon.com", caller: caller)
  }

  static func createUser(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let name = c.rng.pick(["svc-reporting", "backdoor", "temp-admin", "contractor-eloise", "ci-runner-2"])
    let arn = "arn:aws:iam::\(acct):user/\(name)"
    let tags = ["Équipe données", "データ基盤チーム", "team \"platform\""]
    let tag = c.variant != nil || c.rng.chance(0.5) ? tags[c.choose(tags.count)] : nil
    let userID = Principals.uniqueID("AIDA", acct, name)
    let created = c.displayDate(c.time)
    let failed = c.failed
    return EventBody(
      source: "iam.amazonaws.com", name: "CreateUser", readOnly: false,
      errorCode: failed ? "AccessDenied" : nil,
      errorMessage: failed ? c.notAuthorized("iam:CreateUser", arn) : nil,
      request: { w in
        w.field("userName", name)
        if let tag {
          w.array("tags") { w in
            w.object { w in
              w.field("key", "owner")
              w.field("value", tag)
            }
          }
        }
      },
      response: failed
        ? nil
        : { w in
          w.object("user") { w in
            w.field("path", "/")
            w.field("userName", name)
            w.field("userId", userID)
            w.field("arn", arn)
            w.field("createDate", created)
          }
        },
      requestID: c.rng.uuid(), host: "iam.amazonaws.com")
  }

  static func attachRolePolicy(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let role = c.rng.pick(["ci-deploy", "EtlRole", "backend-fn-role", "partner-access-role"])
    let policy = c.rng.pick([
      "arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:iam::\(acct):policy/s3-export-writer",
    ])
    let failed = c.failed
    return EventBody(
      source: "iam.amazonaws.com", name: "AttachRolePolicy", readOnly: false,
      errorCode: failed ? "AccessDenied" : nil,
      errorMessage: failed ? c.notAuthorized("iam:AttachRolePolicy", "arn:aws:iam::\(acct):role/\(role)") : nil,
      request: { w in
        w.field("roleName", role)
        w.field("policyArn", policy)
      },
      response: nil, requestID: c.rng.uuid(), host: "iam.amazonaws.com")
  }

  static func putUserPolicy(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let user = c.rng.pick(c.account.users)
    let bucket = c.rng.pick(c.account.buckets)
    // The policy travels as a JSON *string*: quotes and newlines must come out escaped.
    let document = """
      {
          "Version": "2012-10-17",
          "Statement": [
              {
                  "Sid": "ExportsReadWrite",
                  "Effect": "Allow",
                  "Action": ["s3:GetObject", "s3:PutObject"],
                  "Resource": "arn:aws:s3:::\(bucket)/home/${aws:username}/*",
                  "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}
              }
          ]
      }
      """
    let failed = c.failed
    return EventBody(
      source: "iam.amazonaws.com", name: "PutUserPolicy", readOnly: false,
      errorCode: failed ? "AccessDenied" : nil,
      errorMessage: failed ? c.notAuthorized("iam:PutUserPolicy", "arn:aws:iam::\(acct):user/\(user)") : nil,
      request: { w in
        w.field("userName", user)
        w.field("policyName", "inline-s3-access")
        w.field("policyDocument", document)
      },
      response: nil, requestID: c.rng.uuid(), host: "iam.amazonaws.com")
  }

  /// A customer managed key of the account in the event's region (stable ids).
  static func keyID(_ c: inout EventContext) -> String {
    var keyRng = SplitMix64(seed: stableHash("kms/\(c.account.id)/\(c.region)/\(c.rng.int(0...2))"))
    return keyRng.uuid()
  }

  static func decrypt(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let region = c.region
    let keyArn = "arn:aws:kms:\(region):\(acct):key/\(keyID(&c))"
    let contextKey: String
    let contextValue: String
    switch c.rng.int(0...2) {
    case 0:
      contextKey = "aws:lambda:FunctionArn"
      contextValue = "arn:aws:lambda:\(region):\(acct):function:backend-fn"
    case 1:
      contextKey = "aws:s3:arn"
      contextValue = "arn:aws:s3:::\(c.rng.pick(c.account.buckets))/exports/part-\(c.rng.int(10000...99999)).csv.gz"
    default:
      contextKey = "SecretARN"
      contextValue = "arn:aws:secretsmanager:\(region):\(acct):secret:prod/db-\(c.rng.alnum(6))"
    }
    let failed = c.failed
    return EventBody(
      source: "kms.amazonaws.com", name: "Decrypt", readOnly: true,
      errorCode: failed ? "AccessDeniedException" : nil,
      errorMessage: failed ? c.notAuthorized("kms:Decrypt", keyArn, policy: "resource-based") : nil,
      request: { w in
        w.object("encryptionContext") { w in w.field(contextKey, contextValue) }
        w.field("encryptionAlgorithm", "SYMMETRIC_DEFAULT")
      },
      response: nil, requestID: c.rng.uuid(),
      resources: [("AWS::KMS::Key", keyArn, acct)], host: "kms.\(region).amazonaws.com")
  }

  static func scheduleKeyDeletion(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let region = c.region
    let key = keyID(&c)
    let keyArn = "arn:aws:kms:\(region):\(acct):key/\(key)"
    let days = c.rng.pick([7, 30])
    let deletion = (c.time + TimeSpan(seconds: Int64(days + 1) * 86_400)).truncated(to: TimeSpan(seconds: 86_400))
    let deletionText = c.displayDate(deletion)
    let failed = c.failed
    return EventBody(
      source: "kms.amazonaws.com", name: "ScheduleKeyDeletion", readOnly: false,
      errorCode: failed ? "AccessDeniedException" : nil,
      errorMessage: failed ? c.notAuthorized("kms:ScheduleKeyDeletion", keyArn) : nil,
      request: { w in
        w.field("keyId", key)
        w.field("pendingWindowInDays", days)
      },
      response: failed
        ? nil
        : { w in
          w.field("keyId", keyArn)
          w.field("deletionDate", deletionText)
          w.field("keyState", "PendingDeletion")
          w.field("pendingWindowInDays", days)
        },
      requestID: c.rng.uuid(), resources: [("AWS::KMS::Key", keyArn, acct)],
      host: "kms.\(region).amazonaws.com")
  }

  static func stopLogging(_ c: inout EventContext) -> EventBody {
    let trail = "arn:aws:cloudtrail:\(c.account.homeRegion):\(c.account.id):trail/\(c.account.trailName)"
    var code: String? = nil
    var message: String? = nil
    if c.failed {
      if c.rng.chance(0.5) {
        code = "TrailNotFoundException"
        message = "Unknown trail: \(trail) for the user: \(c.account.id)"
      } else {
        code = "AccessDenied"
        message = c.notAuthorized("cloudtrail:StopLogging", trail)
      }
    }
    return EventBody(
      source: "cloudtrail.amazonaws.com", name: "StopLogging", readOnly: false,
      errorCode: code, errorMessage: message,
      request: { w in w.field("name", trail) }, response: nil, requestID: c.rng.uuid(),
      host: "cloudtrail.\(c.region).amazonaws.com")
  }
}
