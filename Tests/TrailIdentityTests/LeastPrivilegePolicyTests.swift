// Least-privilege policies: the document read back with Foundation (exact actions, never a
// wildcard; resources narrowed to fitting targets, `*` otherwise; deterministic), and the fit of
// targets to the resource types of the Service Authorization Reference.
import Foundation
import Testing

@testable import TrailIdentity

@Suite struct LeastPrivilegePolicyTests {
  struct Document {
    var version: String
    /// Each statement's actions and resources (`["*"]` for a `"*"` string).
    var statements: [(actions: [String], resources: [String])]

    /// The resources of `action` in the statement that allows it.
    func resources(of action: String) -> [String]? {
      statements.first { $0.actions.contains(action) }?.resources
    }
  }

  /// The policy as Foundation reads it, with its shape checked on the way.
  func read(_ policy: LeastPrivilegePolicy) throws -> Document {
    let object = try JSONSerialization.jsonObject(with: Data(policy.json().utf8))
    let root = try #require(object as? [String: Any])
    #expect(Set(root.keys) == ["Version", "Statement"])
    let statements = try #require(root["Statement"] as? [[String: Any]])
    var out: [(actions: [String], resources: [String])] = []
    for statement in statements {
      #expect(Set(statement.keys) == ["Effect", "Action", "Resource"])
      #expect(statement["Effect"] as? String == "Allow")
      let actions = try #require(statement["Action"] as? [String])
      let resources =
        statement["Resource"] as? String == "*" ? ["*"] : try #require(statement["Resource"] as? [String])
      out.append((actions, resources))
    }
    return Document(version: try #require(root["Version"] as? String), statements: out)
  }

  @Test func anEmptyPolicyHasNoStatements() throws {
    let policy = LeastPrivilegePolicy()
    #expect(policy.isEmpty)
    let document = try read(policy)
    #expect(document.version == "2012-10-17")
    #expect(document.statements.isEmpty)
    #expect(policy.json().contains("\"Statement\": []"))
  }

  /// Calls (source without `.amazonaws.com`, name, targets) and the resources the policy gives
  /// the action each maps to (nil: the call needs no permission, so no action).
  static let narrowing: [(source: String, name: String, targets: [String], action: String?, resources: [String])] = {
    let bucket = "arn:aws:s3:::reports"
    let object = "arn:aws:s3:::reports/2024/q1.csv"
    let user = "arn:aws:iam::111122223333:user/alice"
    let group = "arn:aws:iam::111122223333:group/admins"
    let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf"
    let function = "arn:aws:lambda:us-east-1:111122223333:function:worker"
    let table = "arn:aws:dynamodb:us-east-1:111122223333:table/orders"
    let queue = "arn:aws:sqs:us-east-1:111122223333:jobs"
    let topic = "arn:aws:sns:us-east-1:111122223333:alerts"
    let role = "arn:aws:iam::444455556666:role/deploy"
    let instance = "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc"
    return [
      // An object call names the object and its bucket: GetObject takes the object only.
      ("s3", "GetObject", [bucket, object], "s3:GetObject", [object]),
      ("s3", "HeadObject", [bucket, object], "s3:GetObject", [object]),
      ("s3", "ListObjectsV2", [bucket], "s3:ListBucket", [bucket]),
      ("s3", "ListBuckets", [], "s3:ListAllMyBuckets", ["*"]),
      ("iam", "AddUserToGroup", [group, user], "iam:AddUserToGroup", [group]),
      ("iam", "CreateAccessKey", [user, "AKIAEXAMPLE"], "iam:CreateAccessKey", [user]),
      ("iam", "ListUsers", [], "iam:ListUsers", ["*"]),
      ("kms", "Decrypt", [key], "kms:Decrypt", [key]),
      ("secretsmanager", "GetSecretValue", [secret], "secretsmanager:GetSecretValue", [secret]),
      ("lambda", "UpdateFunctionCode20150331v2", [function], "lambda:UpdateFunctionCode", [function]),
      ("dynamodb", "GetItem", [table], "dynamodb:GetItem", [table]),
      ("sqs", "SendMessage", [queue], "sqs:SendMessage", [queue]),
      ("sns", "Publish", [topic], "sns:Publish", [topic]),
      ("sts", "AssumeRole", [role], "sts:AssumeRole", [role]),
      ("sts", "GetCallerIdentity", [], nil, []),
      ("ec2", "DescribeInstances", [], "ec2:DescribeInstances", ["*"]),
      ("ec2", "StopInstances", [instance], "ec2:StopInstances", [instance]),
    ]
  }()

  @Test func resourcesAreNarrowedToTargetsOfTheActionsType() throws {
    var policy = LeastPrivilegePolicy()
    for call in Self.narrowing {
      policy.add(eventSource: "\(call.source).amazonaws.com", eventName: call.name, targets: call.targets)
    }
    let document = try read(policy)
    for call in Self.narrowing {
      guard let action = call.action else { continue }
      #expect(document.resources(of: action) == call.resources, "\(call.name)")
    }
    #expect(document.resources(of: "sts:GetCallerIdentity") == nil)

    // Exactly the observed actions, each once, none a wildcard, each a real action.
    let actions = document.statements.flatMap(\.actions)
    #expect(actions.count == Set(actions).count)
    #expect(Set(actions) == Set(Self.narrowing.compactMap(\.action)))
    for action in actions {
      #expect(!action.contains("*") && !action.contains("?") && IAMActions.isKnown(action), "\(action)")
    }
    // Statements group actions by resource set: one statement per set, sorted within.
    let sets = document.statements.map(\.resources)
    #expect(sets.count == Set(sets).count)
    for statement in document.statements {
      #expect(statement.actions == statement.actions.sorted())
      #expect(statement.resources == statement.resources.sorted())
    }
    #expect(document.statements.first?.resources == ["*"])
    #expect(
      Set(document.statements.first?.actions ?? [])
        == ["s3:ListAllMyBuckets", "iam:ListUsers", "ec2:DescribeInstances"])
  }

  @Test func oneCallWithoutAFittingTargetMakesTheActionStar() throws {
    var policy = LeastPrivilegePolicy()
    let secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf"
    policy.add(action: "secretsmanager:GetSecretValue", targets: [secret])
    #expect(policy.resources(of: "secretsmanager:GetSecretValue") == [secret])
    // A secret named by its name only: no ARN, so the action needs `*`, whatever came before or after.
    policy.add(action: "secretsmanager:GetSecretValue", targets: ["app"])
    policy.add(action: "secretsmanager:GetSecretValue", targets: [secret])
    #expect(policy.resources(of: "secretsmanager:GetSecretValue") == ["*"])
    // KMS actions on keys are not narrowed to an alias.
    policy.add(action: "kms:Decrypt", targets: ["arn:aws:kms:us-east-1:111122223333:alias/app"])
    #expect(policy.resources(of: "kms:Decrypt") == ["*"])
    // An action that also requires a type no target names (RunInstances needs subnets, images…).
    policy.add(action: "ec2:RunInstances", targets: ["arn:aws:ec2:us-east-1:111122223333:instance/i-1"])
    #expect(policy.resources(of: "ec2:RunInstances") == ["*"])
    // The source of a copy is not a target: GetObject stays `*`, PutObject takes the target.
    policy.add(
      eventSource: "s3.amazonaws.com", eventName: "CopyObject",
      targets: ["arn:aws:s3:::dst", "arn:aws:s3:::dst/copy.txt"])
    #expect(policy.resources(of: "s3:PutObject") == ["arn:aws:s3:::dst/copy.txt"])
    #expect(policy.resources(of: "s3:GetObject") == ["*"])
    let document = try read(policy)
    #expect(document.statements.count == 2)
  }

  @Test func resourcesAccumulateSortedWithoutRepeats() {
    var policy = LeastPrivilegePolicy()
    for name in ["c", "a", "b", "a"] {
      policy.add(action: "s3:GetObject", targets: ["arn:aws:s3:::bucket", "arn:aws:s3:::bucket/\(name)"])
    }
    #expect(
      policy.resources(of: "s3:GetObject") == [
        "arn:aws:s3:::bucket/a", "arn:aws:s3:::bucket/b", "arn:aws:s3:::bucket/c",
      ])
  }

  @Test func wildcardsAndUnknownActionsAreRefused() {
    var policy = LeastPrivilegePolicy()
    for action in ["s3:*", "*", "s3:Get*", "s3:ListBuckets", "S3:GetObject"] {
      let added = policy.add(action: action, targets: [])
      #expect(!added, "\(action)")
    }
    #expect(policy.isEmpty)
    let signIn = policy.add(eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", targets: [])
    #expect(signIn == .noPermission("console sign-in event, not an API call"))
    let unknown = policy.add(eventSource: "iam.amazonaws.com", eventName: "NotCreateUser", targets: [])
    #expect(unknown == .unknown)
    #expect(policy.isEmpty)
  }

  @Test func keysThatLookLikeWildcardsAreEscaped() throws {
    var policy = LeastPrivilegePolicy()
    policy.add(action: "s3:GetObject", targets: ["arn:aws:s3:::b/price-$5?*.txt"])
    #expect(policy.resources(of: "s3:GetObject") == ["arn:aws:s3:::b/price-${$}5${?}${*}.txt"])
    let document = try read(policy)
    #expect(document.resources(of: "s3:GetObject") == ["arn:aws:s3:::b/price-${$}5${?}${*}.txt"])
    // JSON escapes in a key survive the round trip.
    var quoted = LeastPrivilegePolicy()
    quoted.add(action: "s3:GetObject", targets: ["arn:aws:s3:::b/say \"hi\"\\\n"])
    #expect(try read(quoted).resources(of: "s3:GetObject") == ["arn:aws:s3:::b/say \"hi\"\\\n"])
  }

  @Test func theSameCallsInAnyOrderGiveTheSameBytes() {
    let calls: [(String, String, [String])] = [
      ("s3.amazonaws.com", "GetObject", ["arn:aws:s3:::b", "arn:aws:s3:::b/k1"]),
      ("s3.amazonaws.com", "GetObject", ["arn:aws:s3:::b", "arn:aws:s3:::b/k2"]),
      ("s3.amazonaws.com", "PutObject", ["arn:aws:s3:::b", "arn:aws:s3:::b/k1"]),
      ("s3.amazonaws.com", "PutObject", ["arn:aws:s3:::b", "arn:aws:s3:::b/k2"]),
      ("iam.amazonaws.com", "ListRoles", []),
      ("ec2.amazonaws.com", "DescribeRegions", []),
      ("lambda.amazonaws.com", "ListFunctions20150331", []),
      ("kms.amazonaws.com", "Decrypt", ["arn:aws:kms:eu-west-1:111122223333:key/k"]),
    ]
    func policy(_ calls: [(String, String, [String])]) -> String {
      var policy = LeastPrivilegePolicy()
      for (source, name, targets) in calls { policy.add(eventSource: source, eventName: name, targets: targets) }
      return policy.json()
    }
    let expected = policy(calls)
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<20 {
      #expect(policy(calls.shuffled(using: &generator)) == expected)
    }
    // GetObject and PutObject share their resource set, so they share a statement.
    #expect(
      expected == """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": [
                "ec2:DescribeRegions",
                "iam:ListRoles",
                "lambda:ListFunctions"
              ],
              "Resource": "*"
            },
            {
              "Effect": "Allow",
              "Action": [
                "kms:Decrypt"
              ],
              "Resource": [
                "arn:aws:kms:eu-west-1:111122223333:key/k"
              ]
            },
            {
              "Effect": "Allow",
              "Action": [
                "s3:GetObject",
                "s3:PutObject"
              ],
              "Resource": [
                "arn:aws:s3:::b/k1",
                "arn:aws:s3:::b/k2"
              ]
            }
          ]
        }

        """)
  }
}

@Suite struct IAMResourcesTests {
  /// The reference's template with sample values: `${Partition}` → aws, and so on.
  func instance(_ template: String) -> String {
    var out = template
    let values = ["Partition": "aws", "Region": "us-east-1", "Account": "111122223333"]
    while let start = out.range(of: "${"), let end = out.range(of: "}", range: start.upperBound..<out.endIndex) {
      let name = String(out[start.upperBound..<end.lowerBound])
      out.replaceSubrange(start.lowerBound..<end.upperBound, with: values[name] ?? "sample-\(name.lowercased())")
    }
    return out
  }

  @Test func everyNarrowableTypeHasAPatternThatTheReferencesARNsFit() {
    #expect(Set(IAMCatalog.templates.keys) == Set(IAMResources.patterns.keys))
    for (type, template) in IAMCatalog.templates {
      let arn = instance(template)
      #expect(IAMResources.fits(arn, type: type), "\(type): \(arn)")
      // No ARN of another type of the same service fits (a bucket is not an object, a key not an alias).
      let service = type.split(separator: " ")[0]
      for (other, otherTemplate) in IAMCatalog.templates where other != type && other.hasPrefix("\(service) ") {
        guard otherTemplate != template else { continue }
        #expect(!IAMResources.fits(arn, type: other), "\(arn) fits \(other)")
      }
    }
  }

  @Test func shapesOfRealTargets() {
    #expect(IAMResources.fits("arn:aws:s3:::b/dir/key:with:colons", type: "s3 object"))
    #expect(!IAMResources.fits("arn:aws:s3:::b/", type: "s3 object"))
    #expect(!IAMResources.fits("arn:aws:s3:::b/k", type: "s3 bucket"))
    #expect(IAMResources.fits("arn:aws:iam::111122223333:role/service-role/path/name", type: "iam role"))
    #expect(!IAMResources.fits("arn:aws:iam::111122223333:user/alice", type: "iam role"))
    #expect(!IAMResources.fits("AKIAEXAMPLE", type: "iam user"))
    #expect(IAMResources.fits("arn:aws:ssm:us-east-1:111122223333:parameter/app/db", type: "ssm parameter"))
    #expect(!IAMResources.fits("arn:aws:lambda:us-east-1:111122223333:function:f:prod", type: "lambda function"))
    #expect(!IAMResources.fits("arn:aws:dynamodb:us-east-1:1:table/t/index/i", type: "dynamodb table"))
    #expect(IAMResources.fits("arn:aws-cn:ec2:cn-north-1:111122223333:instance/i-1", type: "ec2 instance"))
    #expect(!IAMResources.fits("arn:aws:logs:us-east-1:1:log-group:g:log-stream:s", type: "logs log-group"))
    #expect(!IAMResources.fits("arn:aws:s3:::b", type: "no such type"))
  }
}
