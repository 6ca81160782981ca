// The derived fields' rules per identity type (spec §3) and the names derived from the event
// (`service`, `action`, `account`, `resource`), read through the event layer's one door.
import Testing
import TrailEvent
import TrailJSON

/// A view of one event written as JSON text (the document is kept alive by the view).
func event(_ json: String) throws -> EventView {
  EventView(json: try JSONDocument(parsing: Array(json.utf8)).root)
}

struct DerivedFieldTests {
  @Test(arguments: [
    (#"{"type":"Root","arn":"arn:aws:iam::1:root","accountId":"1"}"#, "arn:aws:iam::1:root", "arn:aws:iam::1:root"),
    (#"{"type":"IAMUser","arn":"arn:aws:iam::1:user/anaya","userName":"anaya"}"#, "arn:aws:iam::1:user/anaya", "anaya"),
    (
      #"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/EtlRole/etl-job-42","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/EtlRole","userName":"EtlRole"}}}"#,
      "arn:aws:iam::1:role/EtlRole", "etl-job-42"
    ),
    (
      #"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"sourceIdentity":"alice@example.com","sessionIssuer":{"arn":"arn:aws:iam::1:role/R"}}}"#,
      "arn:aws:iam::1:role/R", "alice@example.com"
    ),
    (
      #"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"sessionIssuer":{}}}"#,
      "arn:aws:sts::1:assumed-role/R/s", "s"
    ),
    (
      #"{"type":"FederatedUser","arn":"arn:aws:sts::1:federated-user/bob","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:user/fed"}}}"#,
      "arn:aws:iam::1:user/fed", "arn:aws:iam::1:user/fed"
    ),
    (#"{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}"#, "lambda.amazonaws.com", "lambda.amazonaws.com"),
    (#"{"type":"AWSAccount","accountId":"222233334444","principalId":"AIDAX"}"#, "222233334444", "222233334444"),
    (
      #"{"type":"IdentityCenterUser","accountId":"1","onBehalfOf":{"userId":"u-123","identityStoreArn":"arn:x"}}"#,
      "u-123", "u-123"
    ),
    (#"{"type":"SAMLUser","userName":"jane","identityProvider":"saml-idp"}"#, "saml-idp:jane", "jane"),
    (
      #"{"type":"WebIdentityUser","userName":"sub-1","identityProvider":"accounts.google.com"}"#,
      "accounts.google.com:sub-1", "sub-1"
    ),
    (#"{"type":"Unknown","principalId":"anonymous"}"#, "anonymous", "anonymous"),
    (#"{"type":"Directory"}"#, "unknown", "unknown"),
  ])
  func principalAndActorPerIdentityType(_ identity: String, _ principal: String, _ actor: String) throws {
    let e = try event(#"{"userIdentity":\#(identity)}"#)
    #expect(e.identity?.principal == principal)
    #expect(e.identity?.actor == actor)
  }

  @Test func derivedNames() throws {
    let e = try event(
      """
      {"eventSource":"s3.amazonaws.com","eventName":"GetObject","recipientAccountId":"111122223333",
       "userIdentity":{"type":"IAMUser","accountId":"999"},"resources":[{"ARN":"arn:aws:s3:::b/k"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]}
      """)
    #expect(e.service == "s3" && e.action == "s3:GetObject" && e.account == "111122223333")
    #expect(e.resourceARNs == ["arn:aws:s3:::b/k", "arn:aws:s3:::b"])
    #expect(try event(#"{"userIdentity":{"accountId":"999"}}"#).account == "999")
    #expect(try event(#"{"eventTime":"2024-05-14T09:12:33Z"}"#).value(of: .principal) == nil)  // Insights: no identity
    #expect(
      try event(#"{"eventSource":"monitoring.amazonaws.com","eventName":"PutMetricData"}"#).action
        == "monitoring:PutMetricData")
  }
}

/// `actor` of an assumed role is the session name, the third part of the ARN's resource
/// (`assumed-role/ROLE/SESSION`), split at the fifth `:` (or its last) and at `/` as Characters:
/// ASCII ARNs take a path of bytes, others a path of Characters; both must split alike.
struct SessionNameTests {
  static let issuer = "arn:aws:iam::1:role/R"

  @Test(arguments: [
    ("arn:aws:sts::1:assumed-role/EtlRole/etl-job-42", "etl-job-42"),
    ("arn:aws:sts::1:assumed-role/R/s/extra", "s/extra"),
    ("arn:aws:sts::1:assumed-role//s", "s"),
    ("arn:aws:sts::1:assumed-role/R/", issuer),
    ("arn:aws:sts::1:assumed-role/R", issuer),
    ("arn:aws:sts::1:assumed-role/", issuer),
    ("arn:aws:sts::1:Assumed-role/R/s", issuer),
    ("assumed-role/R/s", "s"),
    ("a:assumed-role/R/s", "s"),
    ("a:b:c:d:e:assumed-role/R/s:x", "s:x"),
    ("a:b:c:d:e:f:assumed-role/R/s", issuer),
    ("arn:aws:sts::1:assumed-role/R/s\\r\\nx", "s\r\nx"),
    ("arn:aws:sts::1:assumed-role/Rö/sé", "sé"),
    ("arn:aws:sts::1:assumed-role/R/:\\u0301x", ":\u{301}x"),
    ("arn:aws:sts::1:\\u0301assumed-role/R/s", issuer),
  ])
  func sessionNameSplitsAsCharacters(_ arn: String, _ actor: String) throws {
    let e = try event(
      #"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"\#(arn)","#
        + #""sessionContext":{"sessionIssuer":{"type":"Role","arn":"\#(Self.issuer)"}}}}"#)
    #expect(e.identity?.actor == actor)
    #expect(e.value(of: .actor) == actor)
  }
}
