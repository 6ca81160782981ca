// The built-in CIS pack: its patterns are exactly the published ones, and each rule fires on the
// events its control is about and stays silent on the near misses (a root call made by a
// service, a console sign-in with MFA, a failed sign-in, a read call, a look-alike service).

import Foundation
import Testing
import TrailCheck
import TrailEvent
import TrailJSON
import TrailQuery
import TrailTestSupport

/// Runs `rules` over events given as JSON and returns the ids of the rules with findings.
func firing(_ rules: [Rule], on events: [String]) throws -> Set<String> {
  var accumulator = CheckAccumulator(rules: rules)
  for event in events {
    let document = try JSONDocument(parsing: Array(event.utf8))
    accumulator.add(EventView(json: document.root), path: "test.json")
  }
  return Set(accumulator.results().filter { !$0.findings.isEmpty }.map(\.rule.id))
}

struct CISPackTests {
  let pack = try! RulePacks.rules("cis")!

  @Test func patternsAreThePublishedOnesInOrder() throws {
    let text = try String(
      contentsOf: Paths.fixtures.appendingPathComponent("cis/published-patterns.txt"), encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    let published = stride(from: 0, to: lines.count, by: 2).map { (label: lines[$0], pattern: lines[$0 + 1]) }
    #expect(published.count == 15)
    #expect(pack.map(\.pattern) == published.map(\.pattern))
    for (rule, entry) in zip(pack, published) {
      // The Security Hub control id of the label is among the rule's references.
      if let control = entry.label.split(separator: " ").first(where: { $0.hasPrefix("CloudWatch.") }) {
        #expect(rule.info.references.contains("AWS Security Hub \(control)"), "\(rule.id)")
      }
      #expect(rule.info.references.contains { $0.hasPrefix("CIS AWS Foundations Benchmark v1.4.0 4.") }, "\(rule.id)")
    }
    #expect(Set(pack.map(\.id)).count == 15)
  }

  /// Each case: an event and exactly the rules that must fire on it (none for near misses).
  static let cases: [(String, Set<String>)] = [
    (
      #"{"userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"eventName":"ListBuckets","eventType":"AwsApiCall"}"#,
      ["cis.root-usage"]
    ),
    (
      #"{"userIdentity":{"type":"Root","invokedBy":"support.amazonaws.com"},"eventName":"DescribeCases","eventType":"AwsApiCall"}"#,
      []
    ),
    (#"{"userIdentity":{"type":"Root"},"eventName":"Decrypt","eventType":"AwsServiceEvent"}"#, []),
    (#"{"userIdentity":{"type":"IAMUser"},"eventName":"ListBuckets","eventType":"AwsApiCall"}"#, []),

    (#"{"eventName":"RunInstances","errorCode":"Client.UnauthorizedOperation"}"#, ["cis.unauthorized-api-calls"]),
    (#"{"eventName":"GetObject","errorCode":"AccessDenied"}"#, ["cis.unauthorized-api-calls"]),
    (#"{"eventName":"Decrypt","errorCode":"AccessDeniedException"}"#, ["cis.unauthorized-api-calls"]),
    (#"{"eventName":"GetObject","errorCode":"ThrottlingException"}"#, []),
    (#"{"eventName":"GetObject","errorCode":"S3AccessDenied"}"#, []),

    (
      #"{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"}}"#,
      ["cis.console-login-no-mfa"]
    ),
    (
      #"{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"}}"#,
      []
    ),
    (
      #"{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"}}"#,
      []
    ),
    (
      #"{"eventName":"ConsoleLogin","userIdentity":{"type":"AssumedRole"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"}}"#,
      []
    ),
    // `!=` on a missing field is false, as in CloudWatch.
    (
      #"{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Success"}}"#,
      []
    ),

    (#"{"eventSource":"iam.amazonaws.com","eventName":"PutUserPolicy"}"#, ["cis.iam-policy-changes"]),
    (#"{"eventSource":"iam.amazonaws.com","eventName":"AttachRolePolicy"}"#, ["cis.iam-policy-changes"]),
    (#"{"eventSource":"iam.amazonaws.com","eventName":"GetPolicy"}"#, []),

    (#"{"eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging"}"#, ["cis.cloudtrail-changes"]),
    (#"{"eventSource":"cloudtrail.amazonaws.com","eventName":"DescribeTrails"}"#, []),

    (
      #"{"eventName":"ConsoleLogin","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"}}"#,
      ["cis.console-auth-failures"]
    ),
    (#"{"eventName":"ConsoleLogin","errorMessage":"No username found in supplied account"}"#, []),
    (#"{"eventName":"GetSigninToken","errorMessage":"Failed authentication"}"#, []),

    (#"{"eventSource":"kms.amazonaws.com","eventName":"DisableKey"}"#, ["cis.cmk-disable-or-delete"]),
    (#"{"eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion"}"#, ["cis.cmk-disable-or-delete"]),
    (#"{"eventSource":"kms.amazonaws.com","eventName":"EnableKey"}"#, []),
    (#"{"eventSource":"cloudhsm.amazonaws.com","eventName":"DisableKey"}"#, []),

    (#"{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy"}"#, ["cis.s3-bucket-policy-changes"]),
    (#"{"eventSource":"s3.amazonaws.com","eventName":"DeleteBucketReplication"}"#, ["cis.s3-bucket-policy-changes"]),
    (#"{"eventSource":"s3.amazonaws.com","eventName":"GetBucketPolicy"}"#, []),
    (#"{"eventSource":"s3-outposts.amazonaws.com","eventName":"PutBucketPolicy"}"#, []),

    (#"{"eventSource":"config.amazonaws.com","eventName":"StopConfigurationRecorder"}"#, ["cis.config-changes"]),
    (#"{"eventSource":"config.amazonaws.com","eventName":"StartConfigurationRecorder"}"#, []),

    (
      #"{"eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress"}"#,
      ["cis.security-group-changes"]
    ),
    (#"{"eventSource":"ec2.amazonaws.com","eventName":"DescribeSecurityGroups"}"#, []),

    (#"{"eventSource":"ec2.amazonaws.com","eventName":"CreateNetworkAclEntry"}"#, ["cis.nacl-changes"]),
    (#"{"eventSource":"ec2.amazonaws.com","eventName":"DescribeNetworkAcls"}"#, []),

    (#"{"eventSource":"ec2.amazonaws.com","eventName":"AttachInternetGateway"}"#, ["cis.network-gateway-changes"]),
    (#"{"eventSource":"ec2.amazonaws.com","eventName":"CreateNatGateway"}"#, []),

    (#"{"eventSource":"ec2.amazonaws.com","eventName":"ReplaceRouteTableAssociation"}"#, ["cis.route-table-changes"]),
    (#"{"eventSource":"ec2.amazonaws.com","eventName":"DescribeRouteTables"}"#, []),

    (#"{"eventSource":"ec2.amazonaws.com","eventName":"CreateVpcPeeringConnection"}"#, ["cis.vpc-changes"]),
    (#"{"eventSource":"ec2.amazonaws.com","eventName":"CreateVpcEndpoint"}"#, []),

    (#"{"eventSource":"organizations.amazonaws.com","eventName":"LeaveOrganization"}"#, ["cis.organizations-changes"]),
    (#"{"eventSource":"organizations.amazonaws.com","eventName":"DescribeOrganization"}"#, []),
    (#"{"eventSource":"account.amazonaws.com","eventName":"CreateAccount"}"#, []),
  ]

  @Test(arguments: cases.indices)
  func firesExactlyOnItsEvents(index: Int) throws {
    let (event, expected) = Self.cases[index]
    #expect(try firing(pack, on: [event]) == expected, "\(event)")
  }

  @Test func everyRuleHasAPositiveCase() {
    let covered = Self.cases.reduce(into: Set<String>()) { $0.formUnion($1.1) }
    #expect(covered == Set(pack.map(\.id)))
  }

  @Test func findingsNameTheEvents() throws {
    let events = (0..<3).map { i in
      #"{"eventID":"id-\#(i)","eventTime":"2024-05-14T10:0\#(i):00Z","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"eventName":"ListBuckets","eventType":"AwsApiCall"}"#
    }
    var accumulator = CheckAccumulator(rules: pack)
    for (i, event) in events.enumerated() {
      let document = try JSONDocument(parsing: Array(event.utf8))
      accumulator.add(EventView(json: document.root), path: "file\(i % 2).json")
    }
    let result = try #require(accumulator.results().first { $0.rule.id == "cis.root-usage" })
    let finding = try #require(result.findings.first)
    #expect(result.findings.count == 1)
    #expect(finding.count == 3)
    #expect(finding.firstSeen?.iso8601 == "2024-05-14T10:00:00Z")
    #expect(finding.lastSeen?.iso8601 == "2024-05-14T10:02:00Z")
    #expect(finding.eventIDs == ["id-0", "id-1", "id-2"])
    #expect(finding.principals == ["arn:aws:iam::111122223333:root"])
    #expect(finding.files == ["file0.json", "file1.json"])
  }
}
