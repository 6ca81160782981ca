// The CIS AWS Foundations metric-filter patterns, pasted verbatim from cloudtrail-formats.md §6.4:
// each parses unchanged, selects a matching event and none of its near misses, and agrees on every
// corpus event with a plain-Swift reading of the same rule over Foundation's JSONSerialization.

import Foundation
import Testing
import TrailEvent
import TrailJSON
import TrailModel
import TrailQuery
import TrailTestSupport

/// CloudWatch.1–14 and CIS 1.4.0 4.15, in the order of §6.4: the published patterns as copied
/// into Fixtures/cis/published-patterns.txt (label lines, each followed by its pattern), the
/// same file the built-in `cis` pack is compared with.
let cisPatterns: [String] = {
  let url = Paths.fixtures.appendingPathComponent("cis/published-patterns.txt")
  let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
  return text.split(separator: "\n").filter { $0.hasPrefix("{") }.map(String.init)
}()

/// The same rules written out by hand over JSONSerialization's dictionaries, sharing no code
/// with the parser: CloudWatch's meaning of each pattern in plain Swift.
enum IndependentCIS {
  static let eventNameRules: [Int: (source: String?, names: Set<String>)] = [
    3: (
      nil,
      [
        "DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy", "PutRolePolicy", "PutUserPolicy",
        "CreatePolicy", "DeletePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy",
        "DetachRolePolicy",
        "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy", "DetachGroupPolicy",
      ]
    ),
    4: (nil, ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]),
    6: ("kms.amazonaws.com", ["DisableKey", "ScheduleKeyDeletion"]),
    7: (
      "s3.amazonaws.com",
      [
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
        "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication",
      ]
    ),
    8: (
      "config.amazonaws.com",
      ["StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel", "PutConfigurationRecorder"]
    ),
    9: (
      nil,
      [
        "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
        "RevokeSecurityGroupEgress",
        "CreateSecurityGroup", "DeleteSecurityGroup",
      ]
    ),
    10: (
      nil,
      [
        "CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl", "DeleteNetworkAclEntry",
        "ReplaceNetworkAclEntry",
        "ReplaceNetworkAclAssociation",
      ]
    ),
    11: (
      nil,
      [
        "CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway", "CreateInternetGateway",
        "DeleteInternetGateway",
        "DetachInternetGateway",
      ]
    ),
    12: (
      nil,
      [
        "CreateRoute", "CreateRouteTable", "ReplaceRoute", "ReplaceRouteTableAssociation", "DeleteRouteTable",
        "DeleteRoute",
        "DisassociateRouteTable",
      ]
    ),
    13: (
      nil,
      [
        "CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection", "CreateVpcPeeringConnection",
        "DeleteVpcPeeringConnection", "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
        "DisableVpcClassicLink", "EnableVpcClassicLink",
      ]
    ),
    14: (
      "organizations.amazonaws.com",
      [
        "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit", "CreatePolicy",
        "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit", "DeletePolicy", "DetachPolicy",
        "DisablePolicyType", "EnablePolicyType", "InviteAccountToOrganization", "LeaveOrganization",
        "MoveAccount", "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit",
      ]
    ),
  ]

  /// The value at `path`, nil when some step is missing or not an object (NSNull for null).
  static func value(_ record: Any, _ path: String...) -> Any? {
    var current: Any = record
    for key in path {
      guard let object = current as? [String: Any], let next = object[key] else { return nil }
      current = next
    }
    return current
  }

  /// A string value at `path` (nil for any other kind).
  static func string(_ record: Any, _ path: String...) -> String? {
    var current: Any = record
    for key in path {
      guard let object = current as? [String: Any], let next = object[key] else { return nil }
      current = next
    }
    return current as? String
  }

  /// `!=` in CloudWatch: the value is a string or a number and is not `text`.
  static func differs(_ value: Any?, from text: String) -> Bool {
    if let string = value as? String { return string != text }
    if let number = value as? NSNumber { return String(cString: number.objCType) != "c" }  // numbers, not booleans
    return false
  }

  static func matches(_ index: Int, _ record: Any) -> Bool {
    switch index {
    case 0:
      return string(record, "userIdentity", "type") == "Root" && value(record, "userIdentity", "invokedBy") == nil
        && differs(value(record, "eventType"), from: "AwsServiceEvent")
    case 1:
      guard let code = string(record, "errorCode") else { return false }
      return code.hasSuffix("UnauthorizedOperation") || code.hasPrefix("AccessDenied")
    case 2:
      return string(record, "eventName") == "ConsoleLogin"
        && differs(value(record, "additionalEventData", "MFAUsed"), from: "Yes")
        && string(record, "userIdentity", "type") == "IAMUser"
        && string(record, "responseElements", "ConsoleLogin") == "Success"
    case 5:
      return string(record, "eventName") == "ConsoleLogin" && string(record, "errorMessage") == "Failed authentication"
    default:
      let rule = eventNameRules[index]!
      if let source = rule.source, string(record, "eventSource") != source { return false }
      return string(record, "eventName").map(rule.names.contains) ?? false
    }
  }
}

/// A CloudTrail-shaped record with the given fields (JSON fragments keyed by top-level name).
func record(_ fields: [(String, String)]) -> String {
  "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
}

struct FilterPatternCISTests {
  @Test func patternsAreVerbatimCopiesOfTheReference() throws {
    #expect(cisPatterns.count == 15)
    let reference = Paths.packageRoot.deletingLastPathComponent().appendingPathComponent(
      "shared/docs/cloudtrail-formats.md")
    let text = try String(contentsOf: reference, encoding: .utf8)
    let section = text.components(separatedBy: "### 6.4")[1].components(separatedBy: "```text")[1].components(
      separatedBy: "```")[0]
    let lines = section.split(separator: "\n").filter { $0.hasPrefix("{") }.map(String.init)
    #expect(lines == cisPatterns)
  }

  @Test(arguments: cisPatterns.indices)
  func parsesUnchanged(_ index: Int) throws {
    let predicate = try FilterPattern.parse(cisPatterns[index])
    #expect(predicate != .always)
  }

  @Test func rootAccountUsage() throws {
    let p = cisPatterns[0]
    #expect(
      try selects(
        p,
        record([
          ("userIdentity", #"{"type":"Root","arn":"arn:aws:iam::111122223333:root"}"#), ("eventType", #""AwsApiCall""#),
          ("eventName", #""ListBuckets""#),
        ])))
    #expect(try selects(p, record([("userIdentity", #"{"type":"Root"}"#), ("eventType", #""AwsConsoleSignIn""#)])))
    // A call made for root by a service carries invokedBy.
    #expect(
      try !selects(
        p,
        record([
          ("userIdentity", #"{"type":"Root","invokedBy":"support.amazonaws.com"}"#), ("eventType", #""AwsApiCall""#),
        ])))
    // invokedBy present but null still exists.
    #expect(
      try !selects(
        p, record([("userIdentity", #"{"type":"Root","invokedBy":null}"#), ("eventType", #""AwsApiCall""#)])))
    #expect(try !selects(p, record([("userIdentity", #"{"type":"Root"}"#), ("eventType", #""AwsServiceEvent""#)])))
    #expect(try !selects(p, record([("userIdentity", #"{"type":"IAMUser"}"#), ("eventType", #""AwsApiCall""#)])))
    #expect(try !selects(p, record([("userIdentity", #"{"type":"root"}"#), ("eventType", #""AwsApiCall""#)])))
    // `!=` needs the field: a record without eventType is not selected.
    #expect(try !selects(p, record([("userIdentity", #"{"type":"Root"}"#)])))
  }

  @Test func unauthorizedApiCalls() throws {
    let p = cisPatterns[1]
    for code in ["Client.UnauthorizedOperation", "UnauthorizedOperation", "AccessDenied", "AccessDeniedException"] {
      #expect(try selects(p, record([("errorCode", "\"\(code)\""), ("eventName", #""RunInstances""#)])), "\(code)")
    }
    for code in ["ThrottlingException", "Client.UnauthorizedOperation.Extra", "accessdenied", "NotAccessDenied", ""] {
      #expect(try !selects(p, record([("errorCode", "\"\(code)\"")])), "\(code)")
    }
    #expect(try !selects(p, record([("eventName", #""RunInstances""#)])))
  }

  @Test func consoleSignInWithoutMFA() throws {
    let p = cisPatterns[2]
    func login(mfa: String?, type: String = "IAMUser", result: String = "Success", name: String = "ConsoleLogin")
      -> String
    {
      var fields = [
        ("eventName", "\"\(name)\""), ("userIdentity", "{\"type\":\"\(type)\"}"),
        ("responseElements", "{\"ConsoleLogin\":\"\(result)\"}"),
      ]
      if let mfa {
        fields.append(
          ("additionalEventData", "{\"MFAUsed\":\"\(mfa)\",\"LoginTo\":\"https://console.aws.amazon.com\"}"))
      }
      return record(fields)
    }
    #expect(try selects(p, login(mfa: "No")))
    #expect(try !selects(p, login(mfa: "Yes")))  // with MFA
    #expect(try !selects(p, login(mfa: "No", result: "Failure")))  // failed login
    #expect(try !selects(p, login(mfa: "No", type: "Root")))  // root, not an IAM user
    #expect(try !selects(p, login(mfa: "No", name: "ConsoleLogout")))
    #expect(try !selects(p, login(mfa: nil)))  // MFAUsed missing: `!=` does not hold
  }

  @Test func consoleAuthenticationFailures() throws {
    let p = cisPatterns[5]
    #expect(
      try selects(
        p,
        record([
          ("eventName", #""ConsoleLogin""#), ("errorMessage", #""Failed authentication""#),
          ("responseElements", #"{"ConsoleLogin":"Failure"}"#),
        ])))
    #expect(
      try !selects(
        p, record([("eventName", #""ConsoleLogin""#), ("responseElements", #"{"ConsoleLogin":"Success"}"#)])))
    #expect(
      try !selects(p, record([("eventName", #""ConsoleLogin""#), ("errorMessage", #""failed authentication""#)])))
    #expect(
      try !selects(p, record([("eventName", #""ConsoleLogin""#), ("errorMessage", #""Failed authentication.""#)])))
    #expect(try !selects(p, record([("eventName", #""CheckMfa""#), ("errorMessage", #""Failed authentication""#)])))
  }

  /// The event-name patterns: every listed name selects (with its source when one is required),
  /// and a different name, a different case, a longer name or the wrong source do not.
  @Test(arguments: [3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14])
  func eventNameLists(_ index: Int) throws {
    let p = cisPatterns[index]
    let rule = IndependentCIS.eventNameRules[index]!
    let source = rule.source ?? "ec2.amazonaws.com"
    for name in rule.names {
      #expect(try selects(p, record([("eventSource", "\"\(source)\""), ("eventName", "\"\(name)\"")])), "\(name)")
      #expect(
        try !selects(p, record([("eventSource", "\"\(source)\""), ("eventName", "\"\(name.lowercased())\"")])),
        "\(name)")
      #expect(try !selects(p, record([("eventSource", "\"\(source)\""), ("eventName", "\"\(name)X\"")])), "\(name)")
      if rule.source != nil {
        #expect(
          try !selects(p, record([("eventSource", #""iam.amazonaws.com""#), ("eventName", "\"\(name)\"")])), "\(name)")
        #expect(try !selects(p, record([("eventName", "\"\(name)\"")])), "\(name)")
      }
    }
    #expect(try !selects(p, record([("eventSource", "\"\(source)\""), ("eventName", #""DescribeEverything""#)])))
    #expect(try !selects(p, record([("eventSource", "\"\(source)\"")])))
  }

  @Test func laterEditionVariantsShowPrecedence() throws {
    // `A || B && C && D` is `A || (B && C && D)`: an AccessDenied HeadBucket still counts.
    let variant =
      #"{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }"#
    #expect(
      try selects(
        variant,
        record([
          ("errorCode", #""Client.UnauthorizedOperation""#), ("eventName", #""HeadBucket""#),
          ("sourceIPAddress", #""1.2.3.4""#),
        ])))
    #expect(
      try !selects(
        variant,
        record([("errorCode", #""AccessDenied""#), ("eventName", #""HeadBucket""#), ("sourceIPAddress", #""1.2.3.4""#)])
      ))
    #expect(
      try selects(
        variant,
        record([("errorCode", #""AccessDenied""#), ("eventName", #""GetObject""#), ("sourceIPAddress", #""1.2.3.4""#)]))
    )
    // The all-`||` variant selects almost everything.
    let loose =
      #"{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }"#
    #expect(try selects(loose, record([("eventName", #""ListBuckets""#), ("sourceIPAddress", #""1.2.3.4""#)])))
  }

  @Test func corpusAgreesWithAnIndependentReading() throws {
    let events = try CorpusEvents.all()
    #expect(events.count == CorpusEvents.expectedCount)
    let predicates = try cisPatterns.map(FilterPattern.parse)
    var counts = [Int](repeating: 0, count: cisPatterns.count)
    for event in events {
      let document = try JSONDocument(parsing: event.bytes)
      let view = EventView(json: document.root)
      let object = event.object
      for (index, predicate) in predicates.enumerated() {
        let ours = predicate.evaluate(view)
        #expect(ours == IndependentCIS.matches(index, object), "CIS pattern \(index + 1) on \(event.file)")
        if ours { counts[index] += 1 }
      }
    }
    #expect(counts == FilterPatternCISTests.corpusCounts)
  }

  /// Events of the shared corpus each pattern selects, pinned once they agreed with the
  /// independent reading: mostly Panther's rule tests and Stratus Red Team detonations.
  static let corpusCounts = [13, 88, 6, 16, 10, 3, 4, 15, 7, 8, 6, 2, 2, 2, 2]
}
