// The `threats` pack against Panther's own expectations: for the Panther rule tests of the shared
// corpus whose technique a pack rule covers, the rule fires exactly when Panther expects an alert,
// except for the disagreements listed here, each explained in docs/detections.md. A new
// disagreement, or one that goes away, fails the test.
import Foundation
import Testing
import TrailTestSupport

struct ThreatsPackPantherTests {
  /// Panther rule → the pack rule (by title) that covers the same technique.
  static let covering: [String: String] = [
    "AWS.CloudTrail.AMIModifiedForPublicAccess": "AMI shared with another account",
    "AWS.CloudTrail.AttemptToLeaveOrg": "Account leaving its organization",
    "AWS.CloudTrail.DNSLogsDeleted": "DNS query logging removed",
    "AWS.CloudTrail.EventSelectorsDisabled": "CloudTrail event selectors narrowed",
    "AWS.CloudTrail.IMDSCredentialExfiltration": "Instance role credentials used away from their instance",
    "AWS.CloudTrail.LoginProfileCreatedOrModified": "Console password set for a user",
    "AWS.CloudTrail.SnapshotMadePublic": "EBS snapshot shared with another account",
    "AWS.CloudTrail.Stopped": "CloudTrail trail stopped or deleted",
    "AWS.ConfigService.DisabledDeleted": "GuardDuty or AWS Config disabled",
    "AWS.Console.LoginWithoutMFA": "Console sign-in without MFA",
    "AWS.EC2.DownloadInstanceUserData": "Instance user data downloaded",
    "AWS.EC2.LaunchUnusualEC2Instances": "Unusual EC2 instance types launched",
    "AWS.EC2.ManyPasswordReadAttempts": "EC2 Windows password data retrieved",
    "AWS.EC2.MultiInstanceConnect": "SSH key pushed with EC2 Instance Connect",
    "AWS.EC2.Startup.Script.Change": "EC2 instance user data modified",
    "AWS.IAM.AttachAdminRolePolicy": "Administrator policy attached",
    "AWS.IAM.AttachAdminUserPolicy": "Administrator policy attached",
    "AWS.IAM.Backdoor.User.Keys": "Access key created for another user",
    "AWS.IAM.BackdoorRole": "Role trust policy opened to an AWS account",
    "AWS.KMS.CustomerManagedKeyLoss": "KMS key scheduled for deletion or disabled",
    "AWS.Lambda.UpdateFunctionCode": "Lambda function opened, backdoored or given a layer",
    "AWS.Lambda.UpdateFunctionConfiguration": "Lambda function opened, backdoored or given a layer",
    "AWS.Potential.Backdoor.Lambda": "Lambda function opened, backdoored or given a layer",
    "AWS.RDS.SnapshotShared": "RDS snapshot shared with another account",
    "AWS.Root.Activity": "Root account used",
    "AWS.SSM.DecryptSSMParams": "SSM SecureString parameters decrypted",
    "AWS.SSM.DistributedCommand": "SSM command run on instances",
    "AWS.SecretsManager.BatchRetrieveSecrets": "Secrets Manager secrets retrieved in bulk",
    "AWS.SecretsManager.BatchRetrieveSecretsCatchAll": "Secrets Manager secrets retrieved in bulk",
    "AWS.User.Login.Profile.Modified": "Console password set for a user",
    "AWS.VPCFlow.LogsDeleted": "VPC flow logs deleted",
  ]

  struct Disagreement: Hashable {
    var panther: String
    var test: String
    var expect: Bool
  }

  /// Where the pack and Panther disagree on purpose (docs/detections.md, "Against Panther").
  static let disagreements: Set<Disagreement> = [
    Disagreement(
      panther: "AWS.Lambda.UpdateFunctionConfiguration", test: "IAM User Updates Lambda Configuration with Layers",
      expect: true),
    Disagreement(
      panther: "AWS.Lambda.UpdateFunctionConfiguration",
      test: "SSO AssumedRole Updates Lambda Configuration with Layers", expect: true),
    Disagreement(
      panther: "AWS.Lambda.UpdateFunctionConfiguration", test: "FederatedUser Updates Lambda Configuration with Layers",
      expect: true),
    Disagreement(panther: "AWS.CloudTrail.AMIModifiedForPublicAccess", test: "AMI Not Made Public", expect: false),
    Disagreement(panther: "AWS.CloudTrail.AMIModifiedForPublicAccess", test: "AMI Added to User", expect: false),
    Disagreement(panther: "AWS.CloudTrail.AMIModifiedForPublicAccess", test: "Error Making AMI Public", expect: false),
    Disagreement(panther: "AWS.Potential.Backdoor.Lambda", test: "Lambda Add Permission Event", expect: true),
    Disagreement(panther: "AWS.Potential.Backdoor.Lambda", test: "Lambda Add Permission Event v2", expect: true),
    Disagreement(panther: "AWS.CloudTrail.EventSelectorsDisabled", test: "Event Selector Enabled", expect: false),
    Disagreement(panther: "AWS.CloudTrail.LoginProfileCreatedOrModified", test: "ChangeOwnPassword", expect: false),
    Disagreement(panther: "AWS.CloudTrail.Stopped", test: "Error Stopping CloudTrail", expect: false),
    Disagreement(panther: "AWS.ConfigService.DisabledDeleted", test: "Error Deleting Config Recorder", expect: false),
    Disagreement(panther: "AWS.Console.LoginWithoutMFA", test: "MFA Login - SAML", expect: false),
    Disagreement(panther: "AWS.Console.LoginWithoutMFA", test: "No MFA Login - New User", expect: false),
    Disagreement(panther: "AWS.EC2.DownloadInstanceUserData", test: "Panther Cloud Security Scanning", expect: false),
    Disagreement(panther: "AWS.EC2.MultiInstanceConnect", test: "Public SSH Key Not Sent Successfully", expect: false),
    Disagreement(panther: "AWS.KMS.CustomerManagedKeyLoss", test: "KMS Disable Key Error", expect: false),
    Disagreement(
      panther: "AWS.Lambda.UpdateFunctionCode", test: "AssumedRole Updates Lambda Code (Normal CI/CD)", expect: false),
    Disagreement(
      panther: "AWS.Lambda.UpdateFunctionCode", test: "AssumedRole Updates Lambda Code v2 (Normal CI/CD)", expect: false
    ),
    Disagreement(panther: "AWS.Root.Activity", test: "Root Activity - CreateServiceLinkedRole", expect: false),
    Disagreement(panther: "AWS.Root.Activity", test: "Root User Failed Activity", expect: false),
    Disagreement(panther: "AWS.Root.Activity", test: "Root Read-Only Enumeration", expect: false),
    Disagreement(
      panther: "AWS.SecretsManager.BatchRetrieveSecretsCatchAll",
      test: "BatchGetSecretValue Catch-All with other filters", expect: false),
    Disagreement(
      panther: "AWS.CloudTrail.SnapshotMadePublic", test: "Snapshot Not Made Publicly Accessible", expect: false),
    Disagreement(
      panther: "AWS.CloudTrail.SnapshotMadePublic", test: "Error Making Snapshot Publicly Accessible", expect: false),
    Disagreement(panther: "AWS.SSM.DistributedCommand", test: "Single Command Send, No Cached IDs", expect: false),
    Disagreement(panther: "AWS.User.Login.Profile.Modified", test: "ChangeOwnPassword", expect: false),
    Disagreement(
      panther: "AWS.User.Login.Profile.Modified", test: "User changed password for other reset required", expect: false),
  ]

  @Test func packRulesAgreeWithPantherExceptWhereDocumented() throws {
    let list = try TrailBinary.run(["check", "--list-rules", "--pack", "threats", "--format", "json"])
    let rules = try #require(try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]])
    let idByTitle = Dictionary(
      rules.map { ($0["title"] as! String, $0["id"] as! String) }, uniquingKeysWith: { a, _ in a })
    let cases = try String(
      contentsOf: Paths.sharedCorpus.appendingPathComponent("panther-analysis/aws_cloudtrail_rules_tests.ndjson"),
      encoding: .utf8
    ).split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    let dir = try TemporaryDirectory()
    var found = Set<Disagreement>()
    var compared = 0
    for (index, test) in cases.enumerated() {
      guard let panther = test["rule"] as? String, let title = Self.covering[panther],
        var event = test["event"] as? [String: Any], let expect = test["expect"] as? Bool
      else { continue }
      let id = try #require(idByTitle[title], "\(title)")
      event["eventID"] = "panther-\(index)"
      let file = try dir.write("case-\(index).json", Array(try JSONSerialization.data(withJSONObject: event)))
      let result = try TrailBinary.run([file, "--rule", id, "--format", "jsonl"])
      #expect(result.status == 0 || result.status == 1, "\(panther) / \(test["name"] ?? ""): \(result.stderr)")
      let fired = !result.lines.isEmpty
      if fired != expect {
        found.insert(Disagreement(panther: panther, test: test["name"] as? String ?? "", expect: expect))
      }
      compared += 1
    }
    #expect(compared == 115)
    #expect(
      found == Self.disagreements,
      "new: \(found.subtracting(Self.disagreements)), gone: \(Self.disagreements.subtracting(found))")
  }
}
