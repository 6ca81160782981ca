// Who made the call: `userIdentity` with all its `type` variants and the session context of
// temporary credentials (cloudtrail-formats.md §2.2, §2.3). The derived `principal` and `actor`
// fields read these (TrailEvent's FieldValues.swift and Identity.swift).
import TrailTime
import TrailJSON

/// The `userIdentity` element of an event.
public struct UserIdentity: Decodable, Sendable, Equatable {
  /// `userIdentity.type`; unknown spellings are kept as `.other`.
  public enum Kind: Sendable, Hashable, RawRepresentable {
    case root, iamUser, assumedRole, role, federatedUser, awsAccount, awsService
    case identityCenterUser, samlUser, webIdentityUser, directory, unknown
    case other(String)

    public init(rawValue: String) {
      switch rawValue {
      case "Root": self = .root
      case "IAMUser": self = .iamUser
      case "AssumedRole": self = .assumedRole
      case "Role": self = .role
      case "FederatedUser": self = .federatedUser
      case "AWSAccount": self = .awsAccount
      case "AWSService": self = .awsService
      case "IdentityCenterUser": self = .identityCenterUser
      case "SAMLUser": self = .samlUser
      case "WebIdentityUser": self = .webIdentityUser
      case "Directory": self = .directory
      case "Unknown": self = .unknown
      default: self = .other(rawValue)
      }
    }

    public var rawValue: String {
      switch self {
      case .root: return "Root"
      case .iamUser: return "IAMUser"
      case .assumedRole: return "AssumedRole"
      case .role: return "Role"
      case .federatedUser: return "FederatedUser"
      case .awsAccount: return "AWSAccount"
      case .awsService: return "AWSService"
      case .identityCenterUser: return "IdentityCenterUser"
      case .samlUser: return "SAMLUser"
      case .webIdentityUser: return "WebIdentityUser"
      case .directory: return "Directory"
      case .unknown: return "Unknown"
      case .other(let text): return text
      }
    }
  }

  public var type: Kind?
  public var principalId: String?
  public var arn: String?
  public var accountId: String?
  public var accessKeyId: String?
  public var userName: String?
  public var sessionContext: SessionContext?
  public var invokedBy: String?
  public var onBehalfOf: OnBehalfOf?
  public var inScopeOf: RawJSON?
  public var invokedByDelegate: RawJSON?
  public var credentialId: String?
  public var identityProvider: String?

  public init(type: Kind? = nil) { self.type = type }

  enum CodingKeys: String, CodingKey {
    case type, principalId, arn, accountId, accessKeyId, userName, sessionContext, invokedBy
    case onBehalfOf, inScopeOf, invokedByDelegate, credentialId, identityProvider
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = c.lenientString(.type).map(Kind.init(rawValue:))
    principalId = c.lenientString(.principalId)
    arn = c.lenientString(.arn)
    accountId = c.lenientString(.accountId)
    accessKeyId = c.lenientString(.accessKeyId)
    userName = c.lenientString(.userName)
    sessionContext = c.lenient(SessionContext.self, .sessionContext)
    invokedBy = c.lenientString(.invokedBy)
    onBehalfOf = c.lenient(OnBehalfOf.self, .onBehalfOf)
    inScopeOf = c.lenient(RawJSON.self, .inScopeOf)
    invokedByDelegate = c.lenient(RawJSON.self, .invokedByDelegate)
    credentialId = c.lenientString(.credentialId)
    identityProvider = c.lenientString(.identityProvider)
  }
}

/// `userIdentity.onBehalfOf`: the IAM Identity Center user behind the call.
public struct OnBehalfOf: Decodable, Sendable, Equatable {
  public var userId: String?
  public var identityStoreArn: String?

  public init(userId: String? = nil, identityStoreArn: String? = nil) {
    self.userId = userId
    self.identityStoreArn = identityStoreArn
  }

  enum CodingKeys: String, CodingKey { case userId, identityStoreArn }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    userId = c.lenientString(.userId)
    identityStoreArn = c.lenientString(.identityStoreArn)
  }
}

/// `userIdentity.sessionContext`: present for temporary credentials.
public struct SessionContext: Decodable, Sendable, Equatable {
  public var sessionIssuer: SessionIssuer?
  public var webIdFederationData: RawJSON?
  public var creationDate: Timestamp?
  /// `attributes.mfaAuthenticated`, written by CloudTrail as the string "true"/"false".
  public var mfaAuthenticated: Bool?
  public var sourceIdentity: String?
  public var ec2RoleDelivery: String?
  public var assumedRoot: Bool?
  public var signInSessionArn: String?

  public init() {}

  enum CodingKeys: String, CodingKey {
    case sessionIssuer, webIdFederationData, attributes, sourceIdentity, ec2RoleDelivery, assumedRoot, signInSessionArn
  }
  enum AttributeKeys: String, CodingKey { case creationDate, mfaAuthenticated }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    sessionIssuer = c.lenient(SessionIssuer.self, .sessionIssuer)
    webIdFederationData = c.lenient(RawJSON.self, .webIdFederationData)
    if let attributes = try? c.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes) {
      creationDate = attributes.lenientTimestamp(.creationDate)
      mfaAuthenticated = attributes.lenientBool(.mfaAuthenticated)
    }
    sourceIdentity = c.lenientString(.sourceIdentity)
    ec2RoleDelivery = c.lenientString(.ec2RoleDelivery)
    assumedRoot = c.lenientBool(.assumedRoot)
    signInSessionArn = c.lenientString(.signInSessionArn)
  }
}

/// `sessionContext.sessionIssuer`: the role or user that issued temporary credentials.
public struct SessionIssuer: Decodable, Sendable, Equatable {
  public var type: String?
  public var principalId: String?
  public var arn: String?
  public var accountId: String?
  public var userName: String?

  public init() {}

  enum CodingKeys: String, CodingKey { case type, principalId, arn, accountId, userName }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = c.lenientString(.type)
    principalId = c.lenientString(.principalId)
    arn = c.lenientString(.arn)
    accountId = c.lenientString(.accountId)
    userName = c.lenientString(.userName)
  }
}
