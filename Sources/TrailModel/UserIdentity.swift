// Who made the call: `userIdentity` with all its `type` variants and the session context of
// temporary credentials (cloudtrail-formats.md §2.2, §2.3). The derived `principal` and `actor`
// fields read these (TrailEvent's FieldValues.swift and Identity.swift).

import TrailJSON
import TrailTime

/// The `userIdentity` element of an event.
public struct UserIdentity: Decodable, Sendable, Equatable {
  /// `userIdentity.type`; unknown spellings are kept as `.other`.
  public enum Kind: Sendable, Hashable, RawRepresentable {
    case root, iamUser, assumedRole, role, federatedUser, awsAccount, awsService
    case identityCenterUser, samlUser, webIdentityUser, directory, unknown
    case other(String)

    /// Maps CloudTrail's spelling (`IAMUser`, `AssumedRole`, …, compared with case) to its case;
    /// any other text becomes `.other(text)`, so it never fails.
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

    /// CloudTrail's spelling of the type (`.iamUser` is `IAMUser`); `.other` gives back its text.
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

  /// The kind of identity; it decides which other fields are present.
  public var type: Kind?
  /// The principal's unique id: `AIDA…` for an IAM user, `AROA…:<session name>` for a role
  /// session.
  public var principalId: String?
  /// The caller's ARN (a role session's is `arn:aws:sts::<account>:assumed-role/<role>/<session>`);
  /// absent for some types, such as `AWSService` and `IdentityCenterUser`.
  public var arn: String?
  /// The account that owns the entity whose credentials made the call.
  public var accountId: String?
  /// The access key used: `AKIA…` long-term, `ASIA…` temporary; may be absent or empty.
  public var accessKeyId: String?
  /// The friendly name: the IAM user's name, root's account alias, a SAML subject;
  /// `HIDDEN_DUE_TO_SECURITY_REASONS` for a console sign-in with an unknown user name.
  public var userName: String?
  /// The session of temporary credentials (role sessions, federated users, console sessions).
  public var sessionContext: SessionContext?
  /// The AWS service that made the call on the caller's behalf (`lambda.amazonaws.com`,
  /// `AWS Internal`).
  public var invokedBy: String?
  /// The IAM Identity Center user behind the call.
  public var onBehalfOf: OnBehalfOf?
  /// The resource the credentials were issued to (`sourceArn`, `issuerType` such as
  /// `AWS::Lambda::Function`, …), as JSON.
  public var inScopeOf: RawJSON?
  /// The product provider acting through delegated access (`{"accountId": …}`), as JSON.
  public var invokedByDelegate: RawJSON?
  /// The id of the bearer-token credential (Identity Center access tokens).
  public var credentialId: String?
  /// The identity provider of a `SAMLUser` (its name qualifier) or a `WebIdentityUser` (its
  /// issuer, e.g. `accounts.google.com`).
  public var identityProvider: String?

  /// An identity of the given type with every other field nil (for building events in code).
  public init(type: Kind? = nil) { self.type = type }

  enum CodingKeys: String, CodingKey {
    case type, principalId, arn, accountId, accessKeyId, userName, sessionContext, invokedBy
    case onBehalfOf, inScopeOf, invokedByDelegate, credentialId, identityProvider
  }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
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
  /// The user's id in the Identity Center identity store.
  public var userId: String?
  /// The ARN of the identity store that holds the user.
  public var identityStoreArn: String?

  /// A value with the given fields (for building events in code).
  public init(userId: String? = nil, identityStoreArn: String? = nil) {
    self.userId = userId
    self.identityStoreArn = identityStoreArn
  }

  enum CodingKeys: String, CodingKey { case userId, identityStoreArn }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    userId = c.lenientString(.userId)
    identityStoreArn = c.lenientString(.identityStoreArn)
  }
}

/// `userIdentity.sessionContext`: present for temporary credentials.
public struct SessionContext: Decodable, Sendable, Equatable {
  /// Who issued the temporary credentials (a role, an IAM user or root); may have every field nil.
  public var sessionIssuer: SessionIssuer?
  /// The web identity provider and its claims (`federatedProvider`, `attributes`), as JSON; nil
  /// or empty without one.
  public var webIdFederationData: RawJSON?
  /// `attributes.creationDate`: when the credentials were issued (basic and extended ISO 8601 are
  /// both read).
  public var creationDate: Timestamp?
  /// `attributes.mfaAuthenticated`, written by CloudTrail as the string "true"/"false".
  public var mfaAuthenticated: Bool?
  /// The source identity set on the role session (`sts:SetSourceIdentity`), which carries over to
  /// chained role sessions.
  public var sourceIdentity: String?
  /// How an EC2 instance got its role credentials: `1.0` through IMDSv1, `2.0` through IMDSv2.
  public var ec2RoleDelivery: String?
  /// True for a session of root for a privileged task (`sts:AssumeRoot`).
  public var assumedRoot: Bool?
  /// The ARN of the console sign-in session (`arn:aws:signin:<region>:<account>:session/<id>`).
  public var signInSessionArn: String?

  /// A context with every field nil (for building events in code).
  public init() {}

  enum CodingKeys: String, CodingKey {
    case sessionIssuer, webIdFederationData, attributes, sourceIdentity, ec2RoleDelivery, assumedRoot, signInSessionArn
  }
  enum AttributeKeys: String, CodingKey { case creationDate, mfaAuthenticated }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
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
  /// The issuer's kind as written: `Root`, `IAMUser` or `Role`.
  public var type: String?
  /// The issuer's unique id (`AROA…` for a role).
  public var principalId: String?
  /// The issuer's ARN, e.g. a role's `arn:aws:iam::<account>:role/<name>`.
  public var arn: String?
  /// The account that owns the issuer.
  public var accountId: String?
  /// The issuer's friendly name (the role's or user's name).
  public var userName: String?

  /// An issuer with every field nil (for building events in code).
  public init() {}

  enum CodingKeys: String, CodingKey { case type, principalId, arn, accountId, userName }

  /// Fails only when the value is not a JSON object; a field of another JSON type than expected
  /// reads as nil (a number or boolean in a string field as its text).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = c.lenientString(.type)
    principalId = c.lenientString(.principalId)
    arn = c.lenientString(.arn)
    accountId = c.lenientString(.accountId)
    userName = c.lenientString(.userName)
  }
}
