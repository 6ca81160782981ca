// Every container CloudTrail events arrive in (spec §2, cloudtrail-formats.md §5), read by
// content with no flag: each fixture in Fixtures/shapes holds the same 11 events as one sample
// archive file, so each must give exactly those events. --input-format forces a reading.

import Foundation
import Testing
import TrailEvent
import TrailTestSupport

struct InputShapeTests {
  static let shapes = Paths.fixtures.appendingPathComponent("shapes")
  static let source = Paths.fixtures.appendingPathComponent(
    "archives/sample/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T0921Z_V5gbXNlrRcgGLnlg.json.gz"
  )

  @Test(arguments: [
    "lookup-events-v2.json", "lookup-events-v1.json", "filter-log-events.json", "get-log-events.json",
    "subscription-firehose.gz", "cloudwatch-export-000000.gz", "eventbridge.ndjson",
  ])
  func shapeGivesTheOriginalEvents(_ name: String) throws {
    let expected = try Independent.events(in: Self.source)
    #expect(expected.count == 11)
    let result = try TrailBinary.run([Self.shapes.appendingPathComponent(name).path, "--format", "jsonl"])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    let got = try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! NSDictionary }
    #expect(got == expected.map { $0 as NSDictionary })
  }

  @Test func standardInputIsDetectedToo() throws {
    let data = try Data(contentsOf: Self.shapes.appendingPathComponent("subscription-firehose.gz"))
    #expect(try TrailBinary.run(["-", "--format", "jsonl"], stdin: data).lines.count == 11)
    let export = try Data(contentsOf: Self.shapes.appendingPathComponent("cloudwatch-export-000000.gz"))
    #expect(try TrailBinary.run(["-", "--format", "jsonl"], stdin: export).lines.count == 11)
  }

  @Test func lakeIntegrationEvents() throws {
    let file = Self.shapes.appendingPathComponent("lake-integration.json").path
    let all = try TrailBinary.run([file, "--format", "csv", "--fields", "eventID,time,action,principal,account,region"])
    #expect(all.status == 0 && all.stderr.isEmpty)
    #expect(
      all.lines == [
        "eventID,time,action,principal,account,region",
        "lake-0000-0000,2024-05-14T10:00:00Z,okta.example.com:UserLogin,okta|user-0,111122223333,us-east-1",
        "lake-0000-0001,2024-05-14T10:01:00Z,okta.example.com:GrantAccess,okta|user-1,111122223333,us-east-1",
        "lake-0000-0002,2024-05-14T10:02:00Z,okta.example.com:UserLogout,okta|user-2,111122223333,us-east-1",
      ])
    #expect(try TrailBinary.run([file, "--event-name", "GrantAccess", "--format", "jsonl"]).lines.count == 1)
  }

  @Test func inputFormatOverridesDetection() throws {
    let lookup = Self.shapes.appendingPathComponent("lookup-events-v2.json").path
    #expect(try TrailBinary.run([lookup, "--input-format", "lookup-events", "--format", "jsonl"]).lines.count == 11)
    let wrong = try TrailBinary.run([lookup, "--input-format", "eventbridge", "--format", "jsonl"])
    #expect(wrong.status == 2 && wrong.lines.isEmpty)
    #expect(wrong.stderr.split(separator: "\n").count == 11)
    #expect(wrong.stderr.contains(": not an EventBridge event (no detail object)"))
    // Forced plain CloudTrail reading takes the lookup entries themselves as events.
    let plain = try TrailBinary.run([
      lookup, "--input-format", "cloudtrail", "--format", "csv", "--fields", "$.EventName",
    ])
    #expect(plain.lines.count == 12)
    #expect(try TrailBinary.run([lookup, "--input-format", "xml"]).status == 2)
  }

  @Test func brokenEmbeddedEventsAreReportedOneByOne() throws {
    let dir = try TemporaryDirectory()
    let good = RecordsBuilder.event(1)
    let text =
      #"{"events":[{"timestamp":1,"message":"{\"eventName\": tru}"},{"timestamp":2,"message":"not json at all"},{"timestamp":3,"message":\#(String(decoding: try JSONSerialization.data(withJSONObject: [good], options: [.fragmentsAllowed]), as: UTF8.self).dropFirst().dropLast())}]}"#
    let path = try dir.write("cw.json", text)
    let result = try TrailBinary.run([path, "--format", "jsonl"])
    #expect(result.status == 2)
    #expect(result.lines.count == 1)
    let problems = result.stderr.split(separator: "\n")
    #expect(problems.count == 2)
    #expect(
      problems[0].hasPrefix(
        "trail-scan: \(path): byte 36: the CloudWatch Logs message is not JSON: invalid literal, expected 'true' (at byte 14 of the string)"
      ))
    #expect(problems[1].contains("the CloudWatch Logs message is not JSON"))
  }
}

struct ToleranceTests {
  static let records = """
    {"Records":[
    {"eventVersion":"1.05","eventSource":"s3.amazonaws.com","eventName":"PutObject","readOnly":"false","managementEvent":"true","resources":null,"requestParameters":"{\\"bucketName\\":\\"enc-bucket\\",\\"key\\":\\"a.txt\\"}","sourceIPAddress":"AWS Internal","recipientAccountId":"12345","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::12345:user/x"},"eventTime":"2024-05-14 09:12:33.250"},
    {"eventVersion":"1.07","eventTime":"2024-05-14T09:00:00Z","eventType":"AwsCloudTrailInsight","eventCategory":"Insight","insightDetails":{"state":"Start","eventSource":"ssm.amazonaws.com","eventName":"UpdateInstanceInformation"}},
    {"eventName":"NoTimeNoIDNoIdentity","eventSource":"ec2.amazonaws.com"},
    {"eventversion":"1.08","eventtime":"20240514T101500Z","eventsource":"iam.amazonaws.com","eventname":"CreateUser","awsregion":"us-east-1","useridentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessioncontext":{"sessionissuer":{"arn":"arn:aws:iam::1:role/R"}}},"recipientaccountid":"111122223333","futureField":{"x":[1,2]}},
    {"eventName":"Typeless","userIdentity":{"arn":"arn:aws:iam::1:user/t"},"eventTime":"2024-05-14T09:30:00+02:00"}
    ]}
    """

  func csv(_ arguments: [String]) throws -> [String] {
    let dir = try TemporaryDirectory()
    let path = try dir.write("t.json", Self.records)
    let result = try TrailBinary.run([path, "--format", "csv"] + arguments)
    #expect(result.status <= 1, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    return result.lines
  }

  @Test func oddRecordsAreReadAndTheirFieldsReachable() throws {
    #expect(
      try csv(["--fields", "time,action,principal,account,ip,requestParameters.bucketName,eventID"]) == [
        "time,action,principal,account,ip,requestParameters.bucketName,eventID",
        "2024-05-14T09:12:33.250Z,s3:PutObject,arn:aws:iam::12345:user/x,12345,AWS Internal,enc-bucket,",
        "2024-05-14T09:00:00Z,,,,,,",
        ",ec2:NoTimeNoIDNoIdentity,,,,,",
        "2024-05-14T10:15:00Z,iam:CreateUser,arn:aws:iam::1:role/R,111122223333,,,",
        "2024-05-14T07:30:00Z,unknown:Typeless,arn:aws:iam::1:user/t,,,,",
      ])
  }

  @Test func stringBooleansAndLowerCaseRecordsFilter() throws {
    #expect(try csv(["--write", "--fields", "eventName"]) == ["eventName", "PutObject"])
    #expect(try csv(["--event-source", "iam", "--fields", "action"]) == ["action", "iam:CreateUser"])
    #expect(
      try csv(["--category", "Insight", "--fields", "insightDetails.eventName"]) == [
        "insightDetails.eventName", "UpdateInstanceInformation",
      ])
  }

  @Test func unknownFieldsAreKeptInJSONLines() throws {
    let dir = try TemporaryDirectory()
    let path = try dir.write("t.json", Self.records)
    let result = try TrailBinary.run([
      path, "--format", "jsonl", "--event-name", "*", "--where", #"{ $.futureField.x[1] = 2 }"#,
    ])
    #expect(
      result.lines == [
        #"{"eventversion":"1.08","eventtime":"20240514T101500Z","eventsource":"iam.amazonaws.com","eventname":"CreateUser","awsregion":"us-east-1","useridentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessioncontext":{"sessionissuer":{"arn":"arn:aws:iam::1:role/R"}}},"recipientaccountid":"111122223333","futureField":{"x":[1,2]}}"#
      ])
  }
}
