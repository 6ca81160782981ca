// Who makes the synthetic calls: per-account IAM users and roles with stable ids, and the
// `userIdentity` variants CloudTrail records (IAMUser, AssumedRole, Root, AWSService,
// FederatedUser, IdentityCenterUser, SAMLUser, WebIdentityUser, AWSAccount), each with a
// source address and user agent that fit it.

import TrailTime

/// An AWS account as seen in the archive.
struct Account: Sendable {
  let id: String
  let users: [String]
  let buckets: [String]
  /// The trail that delivers this account's logs.
  let trailName: String
  let homeRegion: String

  static let management = Account(
    id: "111122223333", users: ["alice", "bob", "anaya", "deploy-bot", "ci-runner"],
    buckets: ["prod-exports", "app-assets-111122223333", "data-lake-raw"],
    trailName: "management-trail", homeRegion: "us-east-1")
  static let member = Account(
    id: "444455556666", users: ["carlos", "mei", "svc-backup"],
    buckets: ["member-app-data", "member-backups-444455556666"],
    trailName: "org-trail", homeRegion: "us-east-1")
  static let memberTwo = Account(
    id: "777788889999", users: ["dana", "etl-operator"],
    buckets: ["analytics-curated", "analytics-scratch"],
    trailName: "org-trail", homeRegion: "us-east-1")
  /// A partner account outside the organization that calls in (`AWSAccount` identities).
  static let externalID = "999988887777"
}

/// The userIdentity variants the generator produces.
enum IdentityKind: CaseIterable, Sendable {
  case iamUser, assumedRole, root, awsService, federatedUser, identityCenterUser, samlUser,
    webIdentityUser, awsAccount
}

/// The issuer of a temporary session (`sessionContext.sessionIssuer`).
struct SessionIssuer {
  var type: String, principalId: String, arn: String, accountId: String, userName: String
}

/// One caller of one event: its `userIdentity` plus the network details of the call.
struct Caller {
  var kind: IdentityKind
  var type: String
  var principalId: String?
  var arn: String?
  var accountId: String?
  var accessKeyId: String?
  var userName: String?
  var issuer: SessionIssuer?
  var sessionCreated: Timestamp?
  var mfaAuthenticated = false
  /// Whether sessionContext carries an (empty) `webIdFederationData`, as about 40% of real
  /// assumed-role records do.
  var webIdFederationData = false
  var sourceIdentity: String?
  var ec2RoleDelivery: String?
  var invokedBy: String?
  var onBehalfOf: (userId: String, identityStoreArn: String)?
  var credentialId: String?
  var identityProvider: String?
  /// `sourceIPAddress` and `userAgent` of the call.
  var sourceIP: String
  var userAgent: String
  /// The ARN quoted in AccessDenied messages.
  var displayArn: String { arn ?? "arn:aws:iam::\(accountId ?? Account.externalID):root" }

  /// Writes the `userIdentity` object in CloudTrail's key order.
  func write(to w: inout JSONWriter) {
    w.object("userIdentity") { w in
      w.field("type", type)
      w.field("principalId", ifPresent: principalId)
      w.field("arn", ifPresent: arn)
      w.field("accountId", ifPresent: accountId)
      w.field("accessKeyId", ifPresent: accessKeyId)
      w.field("userName", ifPresent: userName)
      if let created = sessionCreated {
        w.object("sessionContext") { w in
          if let issuer {
            w.object("sessionIssuer") { w in
              w.field("type", issuer.type)
              w.field("principalId", issuer.principalId)
              w.field("arn", issuer.arn)
              w.field("accountId", issuer.accountId)
              w.field("userName", issuer.userName)
            }
          }
          if webIdFederationData { w.object("webIdFederationData") { _ in } }
          w.object("attributes") { w in
            w.field("creationDate", created.iso8601)
            w.field("mfaAuthenticated", mfaAuthenticated ? "true" : "false")
          }
          w.field("sourceIdentity", ifPresent: sourceIdentity)
          w.field("ec2RoleDelivery", ifPresent: ec2RoleDelivery)
        }
      }
      w.field("invokedBy", ifPresent: invokedBy)
      if let onBehalfOf {
        w.object("onBehalfOf") { w in
          w.field("userId", onBehalfOf.userId)
          w.field("identityStoreArn", onBehalfOf.identityStoreArn)
        }
      }
      w.field("credentialId", ifPresent: credentialId)
      w.field("identityProvider", ifPresent: identityProvider)
    }
  }
}

/// Stable identifiers and network details shared by the identity builders.
enum Principals {
  /// `AIDA…`/`AROA…`: a 21-character IAM unique id, stable for (account, name).
  static func uniqueID(_ prefix: String, _ account: String, _ name: String) -> String {
    var rng = SplitMix64(seed: stableHash("\(prefix)/\(account)/\(name)"))
    return prefix + rng.string(17, from: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8))
  }

  /// `AKIA…`: a user's long-term access key, stable for (account, name).
  static func longTermKey(_ account: String, _ name: String) -> String {
    var rng = SplitMix64(seed: stableHash("key/\(account)/\(name)"))
    return "AKIA" + rng.string(16, from: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8))
  }

  /// `ASIA…`: a temporary key (new per session).
  static func temporaryKey(_ rng: inout SplitMix64) -> String {
    "ASIA" + rng.string(16, from: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8))
  }

  /// A public address of a person or a CI runner: mostly documentation IPv4 ranges, some IPv6.
  static func humanIP(_ rng: inout SplitMix64) -> String {
    switch rng.int(0...9) {
    case 0...3: return "198.51.100.\(rng.int(1...254))"
    case 4...6: return "203.0.113.\(rng.int(1...254))"
    case 7: return "192.0.2.\(rng.int(1...254))"
    default:
      return
        "2001:db8:\(String(rng.int(0x10...0xffff), radix: 16)):\(String(rng.int(0...0xff), radix: 16))::\(String(rng.int(1...0xfff), radix: 16))"
    }
  }

  static let consoleAgent =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
  static let cliAgent =
    "aws-cli/2.15.30 Python/3.11.8 Linux/5.15.0-1057-aws exe/x86_64.ubuntu.22 prompt/off command/s3.cp"
  static let terraformAgent =
    "APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.49.0 aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2"
  static let boto3LambdaAgent =
    "Boto3/1.34.98 md/Botocore#1.34.98 ua/2.0 os/linux#5.10.215 lang/python#3.12.3 exec-env/AWS_Lambda_python3.12 Botocore/1.34.98"
  static let javaAgent =
    "aws-sdk-java/2.25.1 Linux/5.10.214-202.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10"
  static let githubAgent =
    "aws-sdk-js/3.569.0 ua/2.0 os/linux lang/js md/nodejs#20.12.2 configure-aws-credentials-for-github-actions"

  static func humanAgent(_ rng: inout SplitMix64) -> String {
    rng.weighted([(cliAgent, 4), (terraformAgent, 2), ("console.amazonaws.com", 2), (javaAgent, 1)])
  }
}

/// Builds callers for one account at one instant.
struct IdentityFactory {
  let account: Account

  /// A caller of `kind` at `time` (session creation dates fall before it).
  func caller(_ kind: IdentityKind, at time: Timestamp, rng: inout SplitMix64) -> Caller {
    let acct = account.id
    switch kind {
    case .iamUser:
      let name = rng.pick(account.users)
      let bot = name.hasSuffix("-bot") || name.hasPrefix("ci-") || name.hasPrefix("svc-")
      return Caller(
        kind: kind, type: "IAMUser", principalId: Principals.uniqueID("AIDA", acct, name),
        arn: "arn:aws:iam::\(acct):user/\(name)", accountId: acct,
        accessKeyId: Principals.longTermKey(acct, name), userName: name,
        sourceIP: Principals.humanIP(&rng),
        userAgent: bot ? Principals.terraformAgent : Principals.humanAgent(&rng))

    case .assumedRole:
      return assumedRole(at: time, rng: &rng)

    case .root:
      return Caller(
        kind: kind, type: "Root", principalId: acct, arn: "arn:aws:iam::\(acct):root",
        accountId: acct, accessKeyId: rng.chance(0.5) ? Principals.temporaryKey(&rng) : nil,
        sessionCreated: rng.chance(0.5) ? time - TimeSpan(seconds: Int64(rng.int(60...5400))) : nil,
        mfaAuthenticated: rng.chance(0.7),
        sourceIP: Principals.humanIP(&rng), userAgent: Principals.consoleAgent)

    case .awsService:
      let service = rng.weighted([
        ("lambda.amazonaws.com", 3.0), ("cloudtrail.amazonaws.com", 1),
        ("config.amazonaws.com", 1), ("ec2.amazonaws.com", 1),
        ("apigateway.amazonaws.com", 1),
      ])
      return Caller(
        kind: kind, type: "AWSService", invokedBy: service,
        sourceIP: rng.chance(0.8) ? service : "AWS Internal", userAgent: service)

    case .federatedUser:
      let name = rng.pick(["Bob", "reporting-portal", "jdoe"])
      let broker = "federation-broker"
      return Caller(
        kind: kind, type: "FederatedUser", principalId: "\(acct):\(name)",
        arn: "arn:aws:sts::\(acct):federated-user/\(name)", accountId: acct,
        accessKeyId: Principals.temporaryKey(&rng),
        issuer: SessionIssuer(
          type: "IAMUser", principalId: Principals.uniqueID("AIDA", acct, broker),
          arn: "arn:aws:iam::\(acct):user/\(broker)", accountId: acct,
          userName: broker),
        sessionCreated: time - TimeSpan(seconds: Int64(rng.int(60...3000))),
        sourceIP: Principals.humanIP(&rng), userAgent: Principals.javaAgent)

    case .identityCenterUser:
      var idRng = SplitMix64(seed: stableHash("idc/\(acct)/\(rng.int(0...3))"))
      let userId = "\(idRng.hex(8))-\(idRng.hex(4))-70\(idRng.hex(2))-\(idRng.hex(4))-\(idRng.hex(12))"
      return Caller(
        kind: kind, type: "IdentityCenterUser", accountId: acct,
        onBehalfOf: (userId, "arn:aws:identitystore::\(acct):identitystore/d-9067230ab1"),
        credentialId: rng.base64(43).replacingOccurrences("+", "-").replacingOccurrences("/", "_"),
        sourceIP: Principals.humanIP(&rng), userAgent: Principals.javaAgent)

    case .samlUser:
      let email = rng.pick(["maria.garcia@example.com", "li.wei@example.com", "o.brien@example.com"])
      let provider = "bdGOnTesti4+ExamplexL/jEvDtJr0="
      return Caller(
        kind: kind, type: "SAMLUser", principalId: "\(provider):\(email)", userName: email,
        identityProvider: provider, sourceIP: Principals.humanIP(&rng),
        userAgent: Principals.consoleAgent)

    case .webIdentityUser:
      if rng.chance(0.6) {
        let subject = rng.pick([
          "repo:example-org/infra:ref:refs/heads/main",
          "repo:example-org/web:environment:production",
        ])
        let provider = "arn:aws:iam::\(acct):oidc-provider/token.actions.githubusercontent.com"
        return Caller(
          kind: kind, type: "WebIdentityUser",
          principalId: "\(provider):sts.amazonaws.com:\(subject)", userName: subject,
          identityProvider: provider, sourceIP: Principals.humanIP(&rng),
          userAgent: Principals.githubAgent)
      }
      let subject = "10876543210\(rng.int(1_000_000_000...9_999_999_999))"
      return Caller(
        kind: kind, type: "WebIdentityUser",
        principalId: "accounts.google.com:804227061231-example.apps.googleusercontent.com:\(subject)",
        userName: subject, identityProvider: "accounts.google.com",
        sourceIP: Principals.humanIP(&rng), userAgent: Principals.javaAgent)

    case .awsAccount:
      return Caller(
        kind: kind, type: "AWSAccount",
        principalId: Principals.uniqueID("AROA", Account.externalID, "partner-reader")
          + ":partner-sync-\(rng.int(100...999))",
        accountId: Account.externalID, sourceIP: Principals.humanIP(&rng),
        userAgent: Principals.javaAgent)
    }
  }

  /// A role session: SSO users, admins with MFA, ETL jobs, Lambda and EC2 roles.
  private func assumedRole(at time: Timestamp, rng: inout SplitMix64) -> Caller {
    let acct = account.id
    let ssoRole = "AWSReservedSSO_AdministratorAccess_5e3c4d2a1b0f9e8d"
    let role: String
    let path: String
    let session: String
    let agent: String
    switch rng.weighted([(0, 2.0), (1, 1.5), (2, 1), (3, 3), (4, 3), (5, 2), (6, 1)]) {
    case 0:
      (role, path, session) = (
        ssoRole, "aws-reserved/sso.amazonaws.com/", rng.pick(["maria.garcia@example.com", "li.wei@example.com"])
      )
      agent = Principals.humanAgent(&rng)
    case 1: (role, path, session, agent) = ("Admin", "", rng.pick(["alice", "bob"]), Principals.humanAgent(&rng))
    case 2: (role, path, session, agent) = ("ReadOnly", "", rng.pick(["anaya", "auditor"]), Principals.cliAgent)
    case 3:
      (role, path, session, agent) = ("EtlRole", "service-role/", "etl-job-\(rng.int(1...60))", Principals.javaAgent)
    case 4:
      (role, path, session, agent) = ("backend-fn-role", "service-role/", "backend-fn", Principals.boto3LambdaAgent)
    case 5: (role, path, session, agent) = ("ec2-app-role", "", "i-0\(rng.hex(16))", Principals.javaAgent)
    default:
      (role, path, session, agent) = (
        "OrganizationAccountAccessRole", "", "terraform-\(rng.int(100_000...999_999))",
        Principals.terraformAgent
      )
    }
    let roleID = Principals.uniqueID("AROA", acct, role)
    var caller = Caller(
      kind: .assumedRole, type: "AssumedRole", principalId: "\(roleID):\(session)",
      arn: "arn:aws:sts::\(acct):assumed-role/\(role)/\(session)", accountId: acct,
      accessKeyId: Principals.temporaryKey(&rng),
      issuer: SessionIssuer(
        type: "Role", principalId: roleID, arn: "arn:aws:iam::\(acct):role/\(path)\(role)",
        accountId: acct, userName: role),
      sessionCreated: time - TimeSpan(seconds: Int64(rng.int(30...3500))),
      mfaAuthenticated: role == "Admin", webIdFederationData: rng.chance(0.4),
      sourceIP: Principals.humanIP(&rng), userAgent: agent)
    if role == "Admin" && rng.chance(0.5) { caller.sourceIdentity = session }
    if role == "ec2-app-role" {
      caller.ec2RoleDelivery = "2.0"
      caller.sourceIP = "10.0.\(rng.int(0...15)).\(rng.int(4...250))"
    }
    if role == "backend-fn-role" { caller.sourceIP = "203.0.113.\(rng.int(1...254))" }
    return caller
  }
}

extension String {
  /// Every occurrence of `target` replaced by `replacement` (no Foundation).
  func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
    String(map { $0 == target ? replacement : $0 })
  }
}
