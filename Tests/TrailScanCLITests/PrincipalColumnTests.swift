// The columns people look for (issue 17): search and timeline tables name the principal, and
// the actor only where it says more (a role session's name); `who` answers for a resource or a
// filter pattern without an action. The archive is built here, so every answer is known.
import Foundation
import Testing
import TrailTestSupport

struct PrincipalColumnTests {
  static let account = "111122223333"
  static let bucket = "arn:aws:s3:::secret-bucket"
  static let alice = "arn:aws:iam::\(account):user/alice"
  static let admin = "arn:aws:iam::\(account):role/Admin"

  static func user(_ name: String) -> String {
    #"{"type":"IAMUser","arn":"arn:aws:iam::\#(account):user/\#(name)","accountId":"\#(account)","userName":"\#(name)"}"#
  }

  static func session(_ name: String) -> String {
    #"{"type":"AssumedRole","arn":"arn:aws:sts::\#(account):assumed-role/Admin/\#(name)","accountId":"\#(account)","sessionContext":{"sessionIssuer":{"type":"Role","arn":"\#(admin)","accountId":"\#(account)","userName":"Admin"}}}"#
  }

  static func event(_ n: Int, _ identity: String, _ name: String, bucket: String, error: String? = nil) -> String {
    let failure = error.map { #","errorCode":"\#($0)""# } ?? ""
    return
      #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"2024-05-14T10:00:0\#(n)Z","eventSource":"s3.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.\#(n)","requestParameters":{"bucketName":"\#(bucket)"},"resources":[{"ARN":"arn:aws:s3:::\#(bucket)","type":"AWS::S3::Bucket"}],"eventID":"00000000-0000-4000-8000-00000000000\#(n)","eventType":"AwsApiCall","recipientAccountId":"\#(account)"\#(failure)}"#
  }

  /// alice and a session of Admin (bob) use the secret bucket; carol another, and dave is denied.
  static func archive(_ dir: TemporaryDirectory) throws -> String {
    let records = [
      event(1, user("alice"), "GetObject", bucket: "secret-bucket"),
      event(2, session("bob"), "PutObject", bucket: "secret-bucket"),
      event(3, user("carol"), "GetObject", bucket: "public-bucket"),
      event(4, user("dave"), "GetObject", bucket: "public-bucket", error: "AccessDenied"),
    ]
    return try dir.write("logs.json", #"{"Records":["# + records.joined(separator: ",") + "]}")
  }

  func principals(_ result: RunResult) throws -> Set<String> {
    Set(
      try result.lines.map { line in
        let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return row?["principal"] as? String ?? ""
      })
  }

  @Test func whoAnswersForAResourceWithoutAnAction() throws {
    let dir = try TemporaryDirectory()
    let logs = try Self.archive(dir)
    let result = try TrailBinary.run(["who", logs, "--resource", Self.bucket, "--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try principals(result) == [Self.alice, Self.admin])
  }

  @Test func whoAnswersForAPatternWithoutAnAction() throws {
    let dir = try TemporaryDirectory()
    let logs = try Self.archive(dir)
    let result = try TrailBinary.run([
      "who", logs, "--where", #"{ $.errorCode = "AccessDenied" }"#, "--format", "jsonl",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try principals(result) == ["arn:aws:iam::\(Self.account):user/dave"])
    // Nothing to look for at all is still a usage error, which says what to give.
    let bare = try TrailBinary.run(["who", logs])
    #expect(bare.status == 2 && bare.stderr.contains("--resource ARN") && bare.stderr.contains("--where PATTERN"))
  }

  @Test func searchTableNamesThePrincipalAndTheActorWhereItSaysMore() throws {
    let dir = try TemporaryDirectory()
    let logs = try Self.archive(dir)
    let table = try TrailBinary.run([logs, "--format", "table"])
    #expect(
      table.lines.first?.split(separator: " ") == [
        "TIME", "ACCOUNT", "REGION", "PRINCIPAL", "ACTOR", "ACTION", "IP", "ERROR",
      ])
    let bob = table.lines.first { $0.contains("PutObject") } ?? ""
    #expect(bob.contains(Self.admin) && bob.contains(" bob "), "\(bob)")
    // An IAM user's name is the end of its ARN: no actor shown.
    let alice = table.lines.first { $0.contains(Self.alice) } ?? ""
    #expect(alice.contains("\(Self.alice)  -  "), "\(alice)")
    // Without a session among the rows the actor column says nothing and is left out.
    let users = try TrailBinary.run([logs, "--type", "IAMUser", "--format", "table"])
    #expect(users.lines.first?.contains("PRINCIPAL") == true && users.lines.first?.contains("ACTOR") == false)
    // CSV is data: both columns, always filled.
    let csv = try TrailBinary.run([logs, "--format", "csv"])
    #expect(csv.lines.first == "time,account,region,principal,actor,action,ip,error")
    #expect(csv.lines.contains { $0.contains(",\(Self.alice),alice,") })
    // The timeline too.
    let timeline = try TrailBinary.run(["timeline", logs, "--format", "table"])
    #expect(
      timeline.lines.first?.split(separator: " ") == [
        "TIME", "PRINCIPAL", "ACTOR", "ACTION", "RESOURCE", "IP", "ERROR",
      ])
  }
}
