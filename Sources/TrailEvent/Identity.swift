// Who made a call, by CloudTrail's rules (spec §3): the principal for each identity type and
// the best human-readable actor. `FieldValues.swift` names these fields; the rules live here.
import TrailModel

/// Derivations that read no event, only a value.
public enum Derived {
  /// An event source without `.amazonaws.com`.
  public static func service(of eventSource: String) -> String {
    let suffix = ".amazonaws.com"
    return eventSource.hasSuffix(suffix) ? String(eventSource.dropLast(suffix.count)) : eventSource
  }

  /// The AWS partition of a region (`aws` when the region is unknown).
  public static func partition(ofRegion region: String?) -> String {
    guard let region else { return "aws" }
    if region.hasPrefix("cn-") { return "aws-cn" }
    if region.hasPrefix("us-gov-") { return "aws-us-gov" }
    if region.hasPrefix("us-isob-") { return "aws-iso-b" }
    if region.hasPrefix("us-iso-") { return "aws-iso" }
    return "aws"
  }
}

extension UserIdentity {
  /// The IAM entity behind the call (spec §3): user, role (the issuer of an assumed-role
  /// session), root, the invoking service, the Identity Center or federated identity.
  public var principal: String {
    Self.principal(type: type) { field in
      switch field {
      case .arn: return arn
      case .principalId: return principalId
      case .invokedBy: return invokedBy
      case .accountId: return accountId
      case .userName: return userName
      case .identityProvider: return identityProvider
      case .onBehalfOfUserId: return onBehalfOf?.userId
      case .sessionIssuerArn: return sessionContext?.sessionIssuer?.arn
      }
    }
  }

  /// The fields of `userIdentity` the principal may read.
  enum PrincipalField {
    case arn, principalId, invokedBy, accountId, userName, identityProvider, onBehalfOfUserId, sessionIssuerArn
  }

  /// The principal rules, reading each field through `field` only when the identity's type
  /// needs it: the decoded model and `EventView.principal` (straight from the tape) share them.
  static func principal(type: Kind?, _ field: (PrincipalField) -> String?) -> String {
    switch principalChoice(type: type, field, isEmpty: \.isEmpty) {
    case .field(let text): return text
    case .unknown: return "unknown"
    case .joined(let provider, let user): return "\(provider):\(user)"
    }
  }

  /// What the principal is made of: one field's text, `unknown`, or `provider:user`.
  enum PrincipalChoice<Text> {
    case field(Text)
    case unknown
    case joined(Text, Text)
  }

  /// The principal rules over any reading of the fields (`Text` is a `String`, or a value on
  /// the tape for grouping by bytes); `isEmpty` says a text is empty (CloudTrail writes `""`
  /// for some absent values).
  static func principalChoice<Text>(
    type: Kind?, _ field: (PrincipalField) -> Text?, isEmpty: (Text) -> Bool
  ) -> PrincipalChoice<Text> {
    func nonEmpty(_ which: PrincipalField) -> Text? {
      guard let text = field(which), !isEmpty(text) else { return nil }
      return text
    }
    var fallback: PrincipalChoice<Text> {
      (nonEmpty(.arn) ?? nonEmpty(.principalId) ?? nonEmpty(.invokedBy)).map { .field($0) } ?? .unknown
    }
    switch type {
    case .root?, .iamUser?, .role?:
      return nonEmpty(.arn).map { .field($0) } ?? fallback
    case .assumedRole?, .federatedUser?:
      return (nonEmpty(.sessionIssuerArn) ?? nonEmpty(.arn)).map { .field($0) } ?? fallback
    case .awsService?:
      return nonEmpty(.invokedBy).map { .field($0) } ?? fallback
    case .awsAccount?:
      return nonEmpty(.accountId).map { .field($0) } ?? fallback
    case .identityCenterUser?:
      return nonEmpty(.onBehalfOfUserId).map { .field($0) } ?? fallback
    case .samlUser?, .webIdentityUser?:
      if let provider = nonEmpty(.identityProvider), let user = nonEmpty(.userName) { return .joined(provider, user) }
      return fallback
    default:
      return fallback
    }
  }

  /// The best human-readable name: `sourceIdentity`, the Identity Center user, the session
  /// name of an assumed role, the user name, else the principal.
  public var actor: String {
    if let source = sessionContext?.sourceIdentity.nonEmpty { return source }
    if let user = onBehalfOf?.userId.nonEmpty { return user }
    if type == .assumedRole, let session = arn.flatMap(Self.sessionName) { return session }
    if let name = userName.nonEmpty { return name }
    return principal
  }

  /// The session name of `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
  static func sessionName(_ arn: String) -> String? {
    let bytes = arn.utf8
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return sessionNameOfCharacters(arn) }
    // ASCII (nearly every ARN): ':' and '/' are whole Characters wherever they are, so the bytes
    // split as the Characters do, at a tenth of the cost (`actor` asks for every assumed role).
    var resource = bytes.startIndex
    var colons = 0
    var i = bytes.startIndex
    while i != bytes.endIndex && colons < 5 {
      if bytes[i] == UInt8(ascii: ":") {
        colons += 1
        resource = bytes.index(after: i)
      }
      i = bytes.index(after: i)
    }
    let prefix = "assumed-role/".utf8
    guard bytes[resource...].starts(with: prefix) else { return nil }
    let role = bytes.index(resource, offsetBy: prefix.count)
    guard let slash = bytes[role...].firstIndex(of: UInt8(ascii: "/")) else { return nil }
    let session = bytes.index(after: slash)
    guard session != bytes.endIndex else { return nil }
    return String(arn[session...])
  }

  /// `sessionName` by Characters (an ARN with a byte beyond ASCII).
  static func sessionNameOfCharacters(_ arn: String) -> String? {
    // ARN fields are separated by ':'; the resource part is `assumed-role/ROLE/SESSION`.
    guard let resource = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last,
      resource.hasPrefix("assumed-role/")
    else { return nil }
    let parts = resource.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[2].isEmpty else { return nil }
    return String(parts[2])
  }

  /// `arn`, else `principalId`, else `invokedBy`, else `unknown`.
  var fallbackPrincipal: String {
    arn.nonEmpty ?? principalId.nonEmpty ?? invokedBy.nonEmpty ?? "unknown"
  }
}

extension Optional where Wrapped == String {
  /// nil for nil and for the empty string (CloudTrail writes `""` for some absent values).
  var nonEmpty: String? {
    guard let s = self, !s.isEmpty else { return nil }
    return s
  }
}
