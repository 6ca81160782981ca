// A small archive in the S3 layout whose records sit on the corners the SQL translation must get
// right: every identity type's principal and actor, sign-in failures without an error code,
// JSON nulls beside missing keys, booleans beside the strings "true"/"false", numbers, strings
// holding JSON, quotes, backslashes, line breaks and non-ASCII text in values, IPv4-mapped
// addresses, fractions of a second, an event without a time, and each target form.
import Foundation
import TrailTestSupport

enum EdgeArchive {
  static let account = "123456789012"

  /// Writes the archive into `folder` (two accounts: a plain trail and an organisation trail).
  static func write(into folder: TemporaryDirectory) throws {
    let day = "2024/05/14"
    let plain =
      "AWSLogs/\(account)/CloudTrail/us-east-1/\(day)/\(account)_CloudTrail_us-east-1_20240514T1005Z_edge000000000001.json.gz"
    try folder.write("edge/" + plain, RecordsBuilder.gzip(#"{"Records":["# + first.joined(separator: ",") + "]}"))
    let org =
      "org/AWSLogs/o-edge123456/210987654321/CloudTrail/eu-west-1/\(day)/210987654321_CloudTrail_eu-west-1_20240514T2355Z_edge000000000002.json.gz"
    try folder.write("edge/" + org, RecordsBuilder.gzip(#"{"Records":["# + second.joined(separator: ",") + "]}"))
    // A digest, which Spark must not read as events (it has no Records).
    let digest =
      "AWSLogs/\(account)/CloudTrail-Digest/us-east-1/\(day)/\(account)_CloudTrail-Digest_us-east-1_t_us-east-1_20240514T110000Z.json.gz"
    try folder.write(
      "edge/" + digest,
      RecordsBuilder.gzip(#"{"awsAccountId":"123456789012","digestStartTime":"2024-05-14T10:00:00Z","logFiles":[]}"#))
  }

  static func event(
    _ id: Int, time: String? = "2024-05-14T09:00:00Z", source: String = "s3.amazonaws.com", name: String = "GetObject",
    identity: String? =
      #"{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::123456789012:user/alice","accountId":"123456789012","accessKeyId":"AKIAEXAMPLE","userName":"alice"}"#,
    region: String = "us-east-1", ip: String = "198.51.100.7", agent: String = "aws-cli/2.15",
    request: String = "null", response: String = "null", extra: String = "", readOnly: Bool = true
  ) -> String {
    var fields = [#""eventVersion":"1.10""#]
    if let identity { fields.append(#""userIdentity":"# + identity) }
    if let time { fields.append(#""eventTime":"\#(time)""#) }
    fields += [
      #""eventSource":"\#(source)""#, #""eventName":"\#(name)""#, #""awsRegion":"\#(region)""#,
      #""sourceIPAddress":"\#(ip)""#, #""userAgent":"\#(agent)""#, #""requestParameters":"# + request,
      #""responseElements":"# + response, #""eventID":"edge-\#(id)""#, #""readOnly":\#(readOnly)"#,
      #""eventType":"AwsApiCall""#, #""managementEvent":true"#, #""eventCategory":"Management""#,
    ]
    if !extra.isEmpty { fields.append(extra) }
    return "{" + fields.joined(separator: ",") + "}"
  }

  static let first: [String] = [
    // JSON null beside missing keys, numbers, a string holding JSON, quotes, backslashes, a
    // line break, non-ASCII, a key with a dot, nested arrays.
    event(
      1,
      request:
        #"{"bucketName":"b\"q'uote","key":"C:\\logs\\a.txt","n":1.5,"big":3600,"neg":-2,"nul":null,"t":"true","f":false,"doc":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}","list":[{"name":"x"},{"name":"y"},{"other":1}],"deep":[[1,2],[3]],"dotted.key":"v","note":"line1\nline2 caf\u00e9"}"#,
      response: #"{"ok":true,"items":[]}"#,
      extra: #""additionalEventData":{"MFAUsed":"No","flag":false,"count":0}"#),
    // An IPv4-mapped address; an assumed role with a source identity; KMS alias and key ids.
    event(
      2, source: "kms.amazonaws.com", name: "Decrypt",
      identity:
        #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:build","arn":"arn:aws:sts::123456789012:assumed-role/Deploy/build-7","accountId":"123456789012","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::123456789012:role/Deploy","accountId":"123456789012","userName":"Deploy"},"attributes":{"creationDate":"2024-05-14T08:00:00Z","mfaAuthenticated":"false"}}}"#,
      ip: "::ffff:10.1.2.3", request: #"{"keyId":"alias/app","encryptionContext":{"aws:s3:arn":"arn:aws:s3:::b/k"}}"#,
      extra:
        #""resources":[{"ARN":"arn:aws:kms:us-east-1:123456789012:key/1","accountId":"123456789012","type":"AWS::KMS::Key"},{"accountId":"123456789012"}]"#
    ),
    // The same role with a source identity (actor), a fraction of a second, a failure code.
    event(
      3, time: "2024-05-14T09:00:00.250Z", source: "sqs.amazonaws.com", name: "SendMessage",
      identity:
        #"{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/Deploy/ci","accountId":"123456789012","sessionContext":{"sourceIdentity":"dana","sessionIssuer":{"arn":"arn:aws:iam::123456789012:role/Deploy"}}}"#,
      ip: "10.0.0.5",
      request: #"{"queueUrl":"https://sqs.eu-west-1.amazonaws.com/210987654321/jobs","messageBody":"x"}"#,
      extra: #""errorCode":"AccessDenied","errorMessage":"User is not authorized""#, readOnly: false),
    // A console sign-in that failed without an error code; MFA key missing.
    event(
      4, source: "signin.amazonaws.com", name: "ConsoleLogin", ip: "2001:db8::1",
      response: #"{"ConsoleLogin":"Failure"}"#,
      extra: #""additionalEventData":{"LoginTo":"https://console.aws.amazon.com","MobileVersion":"No"}"#,
      readOnly: false),
    // A failure with only an error message; SAML identity.
    event(
      5, source: "sts.amazonaws.com", name: "AssumeRoleWithSAML",
      identity:
        #"{"type":"SAMLUser","principalId":"SAML:x","userName":"li.wei@example.com","identityProvider":"Okta"}"#,
      request:
        #"{"roleArn":"arn:aws:iam::123456789012:role/Admin","principalArn":"arn:aws:iam::123456789012:saml-provider/Okta"}"#,
      extra: #""errorMessage":"Invalid SAML assertion""#),
    // An identity type the engine does not know: the fallback order.
    event(
      6, source: "ds.amazonaws.com", name: "DescribeDirectories",
      identity: #"{"type":"Directory","principalId":"d-123"}"#,
      ip: "AWS Internal"),
    // No userIdentity at all, no time (an untimed event counts in stats, never in a window).
    event(
      7, time: nil, source: "ssm.amazonaws.com", name: "GetParameter", identity: nil, request: #"{"name":"/app/db"}"#),
    // SSM names and instances; Identity Center user; an agent with a backslash and a quote.
    event(
      8, source: "ssm.amazonaws.com", name: "GetParameters",
      identity:
        #"{"type":"IdentityCenterUser","accountId":"123456789012","onBehalfOf":{"userId":"3659afc9","identityStoreArn":"arn:aws:identitystore::123456789012:identitystore/d-1"},"credentialId":"c1"}"#,
      agent: #"Mozilla \"5.0\" C:\\bin\\tool 100%_done"#,
      request: #"{"names":["db","/app/key"],"instanceIds":["i-0abc","mi-0def"]}"#),
    // EC2 instances in request and response, and a security group.
    event(
      9, source: "ec2.amazonaws.com", name: "RunInstances",
      identity:
        #"{"type":"Root","principalId":"123456789012","arn":"arn:aws:iam::123456789012:root","accountId":"123456789012"}"#,
      request: #"{"instancesSet":{"items":[{"imageId":"ami-1","minCount":1}]},"groupId":"sg-1"}"#,
      response: #"{"instancesSet":{"items":[{"instanceId":"i-111"},{"instanceId":"i-222"}]}}"#, readOnly: false),
    // A service principal; an AWS account principal; an empty access key.
    event(
      10, name: "PutObject", identity: #"{"type":"AWSService","invokedBy":"lambda.amazonaws.com"}"#,
      request: #"{"bucketName":"logs","key":"a/b.gz"}"#, readOnly: false),
    event(
      11, source: "iam.amazonaws.com", name: "CreateUser",
      identity: #"{"type":"AWSAccount","principalId":"AIDA:x","accountId":"999988887777","accessKeyId":""}"#,
      request: #"{"userName":"bob"}"#,
      response: #"{"user":{"arn":"arn:aws:iam::123456789012:user/bob","userName":"bob"}}"#,
      readOnly: false),
  ]

  static let second: [String] = [
    // In another account and region, from an organisation trail; web identity; no recipient.
    event(
      21, time: "2024-05-14T23:50:00Z", source: "sts.amazonaws.com", name: "AssumeRoleWithWebIdentity",
      identity:
        #"{"type":"WebIdentityUser","principalId":"accounts.google.com:1","userName":"1087","identityProvider":"accounts.google.com"}"#,
      region: "eu-west-1", ip: "2001:DB8:8000::5", request: #"{"roleArn":"arn:aws:iam::210987654321:role/ci"}"#),
    event(
      22, time: "2024-05-14T23:51:00Z", source: "cloudtrail.amazonaws.com", name: "StopLogging",
      identity:
        #"{"type":"IAMUser","arn":"arn:aws:iam::210987654321:user/ops","accountId":"210987654321","userName":"ops"}"#,
      region: "eu-west-1", ip: "fe80::abcd%en0", request: #"{"name":"main"}"#,
      extra: #""recipientAccountId":"210987654321""#, readOnly: false),
    event(
      23, time: "2024-05-14T23:52:00Z", source: "rds.amazonaws.com", name: "ModifyDBSnapshotAttribute",
      identity:
        #"{"type":"FederatedUser","arn":"arn:aws:sts::210987654321:federated-user/eve","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::210987654321:user/eve"}}}"#,
      region: "cn-north-1",
      request: #"{"dBSnapshotIdentifier":"snap-1","attributeName":"restore","valuesToAdd":["all"]}"#,
      extra: #""recipientAccountId":"210987654321""#, readOnly: false),
  ]
}
