// Builders for STS: AssumeRole (by people, by services for their execution roles,
// cross-account by a partner account), the federated AssumeRoleWithSAML and
// AssumeRoleWithWebIdentity calls that carry SAMLUser and WebIdentityUser identities, and
// the small, frequent GetCallerIdentity.

import TrailTime

enum STSEvents {
  /// The `credentials` object of a successful STS response.
  static func credentials(_ c: inout EventContext, hours: Int) -> EventBody.Writer {
    let key = Principals.temporaryKey(&c.rng)
    let token = "IQoJb3JpZ2luX2VjE" + c.rng.base64(c.rng.int(160...280))
    let expiration = c.displayDate(c.time + TimeSpan(seconds: Int64(hours) * 3600))
    return { w in
      w.object("credentials") { w in
        w.field("accessKeyId", key)
        w.field("sessionToken", token)
        w.field("expiration", expiration)
      }
    }
  }

  static func assumedRoleUser(_ acct: String, role: String, session: String) -> EventBody.Writer {
    let id = "\(Principals.uniqueID("AROA", acct, role)):\(session)"
    return { w in
      w.object("assumedRoleUser") { w in
        w.field("assumedRoleId", id)
        w.field("arn", "arn:aws:sts::\(acct):assumed-role/\(role)/\(session)")
      }
    }
  }

  static func assumeRole(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let caller = c.caller
    var role: String
    var session: String
    var shared: String? = nil
    var sourceIdentity: String? = nil
    switch caller.kind {
    case .awsService:
      if caller.invokedBy == "ec2.amazonaws.com" {
        role = "ec2-app-role"
        session = "i-0\(c.rng.hex(16))"
      } else if caller.invokedBy == "config.amazonaws.com" {
        role = "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
        session = "AWSConfig-Describe"
      } else {
        role = "service-role/backend-fn-role"
        session = "backend-fn"
      }
    case .awsAccount:
      role = "partner-access-role"
      session = "partner-sync-\(c.rng.int(100...999))"
      shared = c.rng.uuid()
    default:
      role = c.rng.pick(["Admin", "ReadOnly", "deploy-role"])
      session = caller.userName ?? (caller.arn.map { String($0.split(separator: "/").last ?? "session") } ?? "session")
      if role == "Admin" && c.rng.chance(0.4) { sourceIdentity = session }
    }
    let roleArn = "arn:aws:iam::\(acct):role/\(role)"
    let roleName = String(role.split(separator: "/").last ?? Substring(role))
    let failed = c.failed
    let creds = credentials(&c, hours: 1)
    let user = assumedRoleUser(acct, role: roleName, session: session)
    let duration = c.rng.chance(0.5) ? 3600 : nil
    return EventBody(
      source: "sts.amazonaws.com", name: "AssumeRole", readOnly: true,
      errorCode: failed ? "AccessDenied" : nil,
      errorMessage: failed ? c.notAuthorized("sts:AssumeRole", roleArn) : nil,
      request: { w in
        w.field("roleArn", roleArn)
        w.field("roleSessionName", session)
        if let duration { w.field("durationSeconds", duration) }
        w.field("sourceIdentity", ifPresent: sourceIdentity)
      },
      response: failed
        ? nil
        : { w in
          creds(&w)
          user(&w)
          w.field("sourceIdentity", ifPresent: sourceIdentity)
        },
      requestID: c.rng.uuid(), resources: [("AWS::IAM::Role", roleArn, acct)],
      host: c.region == "us-east-1" ? "sts.amazonaws.com" : "sts.\(c.region).amazonaws.com",
      sharedEventID: shared)
  }

  static func assumeRoleWithSAML(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let subject = c.caller.userName ?? "user@example.com"
    let provider = "arn:aws:iam::\(acct):saml-provider/Okta"
    let roleArn = "arn:aws:iam::\(acct):role/Okta-Admin"
    let assertion = "_" + c.rng.hex(32)
    let nameQualifier = c.caller.identityProvider ?? ""
    let failed = c.failed
    let creds = credentials(&c, hours: 1)
    let user = assumedRoleUser(acct, role: "Okta-Admin", session: subject)
    return EventBody(
      source: "sts.amazonaws.com", name: "AssumeRoleWithSAML", readOnly: true,
      errorCode: failed ? "AccessDenied" : nil,
      errorMessage: failed ? "Not authorized to perform sts:AssumeRoleWithSAML" : nil,
      request: { w in
        w.field("sAMLAssertionID", assertion)
        w.field("roleSessionName", subject)
        w.field("principalArn", provider)
        w.field("roleArn", roleArn)
        w.field("durationSeconds", 3600)
      },
      response: failed
        ? nil
        : { w in
          creds(&w)
          user(&w)
          w.field("subject", subject)
          w.field("subjectType", "persistent")
          w.field("issuer", "http://www.okta.com/exk4example0Abc123")
          w.field("audience", "https://signin.aws.amazon.com/saml")
          w.field("nameQualifier", nameQualifier)
        },
      requestID: c.rng.uuid(),
      resources: [("AWS::IAM::Role", roleArn, acct), ("AWS::IAM::SAMLProvider", provider, acct)],
      host: "sts.amazonaws.com")
  }

  static func assumeRoleWithWebIdentity(_ c: inout EventContext) -> EventBody {
    let acct = c.account.id
    let github = c.caller.identityProvider?.hasSuffix("githubusercontent.com") ?? false
    let role = github ? "github-actions-deploy" : "mobile-app-user"
    let roleArn = "arn:aws:iam::\(acct):role/\(role)"
    let session = github ? "GitHubActions" : "app-\(c.rng.int(100_000...999_999))"
    let subject = c.caller.userName ?? ""
    let provider = c.caller.identityProvider ?? ""
    let audience = github ? "sts.amazonaws.com" : "804227061231-example.apps.googleusercontent.com"
    let failed = c.failed
    let creds = credentials(&c, hours: 1)
    let user = assumedRoleUser(acct, role: role, session: session)
    return EventBody(
      source: "sts.amazonaws.com", name: "AssumeRoleWithWebIdentity", readOnly: true,
      errorCode: failed ? "AccessDenied" : nil,
      errorMessage: failed ? "Not authorized to perform sts:AssumeRoleWithWebIdentity" : nil,
      request: { w in
        w.field("roleArn", roleArn)
        w.field("roleSessionName", session)
        w.field("durationSeconds", 3600)
      },
      response: failed
        ? nil
        : { w in
          creds(&w)
          w.field("subjectFromWebIdentityToken", subject)
          user(&w)
          w.field("provider", provider)
          w.field("audience", audience)
        },
      requestID: c.rng.uuid(), resources: [("AWS::IAM::Role", roleArn, acct)],
      host: c.region == "us-east-1" ? "sts.amazonaws.com" : "sts.\(c.region).amazonaws.com")
  }

  /// `aws sts get-caller-identity`: small, frequent, no parameters.
  static func getCallerIdentity(_ c: inout EventContext) -> EventBody {
    EventBody(
      source: "sts.amazonaws.com", name: "GetCallerIdentity", readOnly: true,
      request: nil, response: nil, requestID: c.rng.uuid(),
      host: c.region == "us-east-1" ? "sts.amazonaws.com" : "sts.\(c.region).amazonaws.com")
  }
}
