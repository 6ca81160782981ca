// The model's tolerance of real-log type traps and the derived fields' rules per identity type
// (spec §3, cloudtrail-formats.md §2.2).
import Testing
import TrailJSON
import TrailModel
import TrailTime

func event(_ json: String) throws -> CloudTrailEvent {
  try JSONValueDecoder().decode(CloudTrailEvent.self, from: JSONDocument(parsing: Array(json.utf8)).root)
}

struct ModelTests {
  @Test func toleratesTypeTraps() throws {
    let e = try event("""
      {"eventVersion":1.08,"readOnly":"true","managementEvent":"False","recipientAccountId":123456789012,
       "resources":null,"eventTime":"2024-05-14 09:12:33","sessionCredentialFromConsole":"true",
       "requestParameters":"{\\"a\\":1}","tlsDetails":"oops","unknownField":{"x":1},
       "userIdentity":{"type":"NewKindOfIdentity","sessionContext":{"attributes":{"mfaAuthenticated":"true","creationDate":"20131102T010628Z"}}}}
      """)
    #expect(e.eventVersion == "1.08")
    #expect(e.readOnly == true && e.managementEvent == false)
    #expect(e.recipientAccountId == "123456789012")
    #expect(e.resources == nil && e.tlsDetails == nil)
    #expect(e.eventTime == Timestamp(year: 2024, month: 5, day: 14, hour: 9, minute: 12, second: 33))
    #expect(e.sessionCredentialFromConsole == true)
    #expect(e.requestParameters == RawJSON(bytes: Array(#""{\"a\":1}""#.utf8)))
    #expect(e.userIdentity?.type == .other("NewKindOfIdentity"))
    #expect(e.userIdentity?.sessionContext?.mfaAuthenticated == true)
    #expect(e.userIdentity?.sessionContext?.creationDate == Timestamp(year: 2013, month: 11, day: 2, hour: 1, minute: 6, second: 28))
  }

  @Test func badTimestampReadsAsAbsent() throws {
    #expect(try event(#"{"eventTime":"yesterday"}"#).eventTime == nil)
    #expect(try event(#"{"eventTime":"2024-05-14T09:12:33.250Z"}"#).eventTime?.nanoseconds == 250_000_000)
  }

  @Test(arguments: [
    (#"{"type":"Root","arn":"arn:aws:iam::1:root","accountId":"1"}"#, "arn:aws:iam::1:root", "arn:aws:iam::1:root"),
    (#"{"type":"IAMUser","arn":"arn:aws:iam::1:user/anaya","userName":"anaya"}"#, "arn:aws:iam::1:user/anaya", "anaya"),
    (#"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/EtlRole/etl-job-42","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/EtlRole","userName":"EtlRole"}}}"#,
     "arn:aws:iam::1:role/EtlRole", "etl-job-42"),
    (#"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"sourceIdentity":"alice@example.com","sessionIssuer":{"arn":"arn:aws:iam::1:role/R"}}}"#,
     "arn:aws:iam::1:role/R", "alice@example.com"),
    (#"{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"sessionIssuer":{}}}"#, "arn:aws:sts::1:assumed-role/R/s", "s"),
    (#"{"type":"FederatedUser","arn":"arn:aws:sts::1:federated-user/bob","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:user/fed"}}}"#,
     "arn:aws:iam::1:user/fed", "arn:aws:iam::1:user/fed"),
    (#"{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}"#, "lambda.amazonaws.com", "lambda.amazonaws.com"),
    (#"{"type":"AWSAccount","accountId":"222233334444","principalId":"AIDAX"}"#, "222233334444", "222233334444"),
    (#"{"type":"IdentityCenterUser","accountId":"1","onBehalfOf":{"userId":"u-123","identityStoreArn":"arn:x"}}"#, "u-123", "u-123"),
    (#"{"type":"SAMLUser","userName":"jane","identityProvider":"saml-idp"}"#, "saml-idp:jane", "jane"),
    (#"{"type":"WebIdentityUser","userName":"sub-1","identityProvider":"accounts.google.com"}"#, "accounts.google.com:sub-1", "sub-1"),
    (#"{"type":"Unknown","principalId":"anonymous"}"#, "anonymous", "anonymous"),
    (#"{"type":"Directory"}"#, "unknown", "unknown"),
  ])
  func principalAndActorPerIdentityType(_ identity: String, _ principal: String, _ actor: String) throws {
    let e = try event(#"{"userIdentity":\#(identity)}"#)
    #expect(e.principal == principal)
    #expect(e.actor == actor)
  }

  @Test func derivedNames() throws {
    let e = try event("""
      {"eventSource":"s3.amazonaws.com","eventName":"GetObject","recipientAccountId":"111122223333",
       "userIdentity":{"type":"IAMUser","accountId":"999"},"resources":[{"ARN":"arn:aws:s3:::b/k"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::b"}]}
      """)
    #expect(e.service == "s3" && e.action == "s3:GetObject" && e.account == "111122223333")
    #expect(e.resourceARNs == ["arn:aws:s3:::b/k", "arn:aws:s3:::b"])
    #expect(try event(#"{"userIdentity":{"accountId":"999"}}"#).account == "999")
    #expect(try event(#"{"eventTime":"2024-05-14T09:12:33Z"}"#).principal == nil)  // Insights: no identity
    #expect(try event(#"{"eventSource":"monitoring.amazonaws.com","eventName":"PutMetricData"}"#).action == "monitoring:PutMetricData")
  }
}
