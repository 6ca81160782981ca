// Answers a responder must trust (issue 12): what a call acted on, whether it failed, who by any
// name, and no silent gaps — asked of the binary, checked against Foundation's own reading of the
// sample archive with resources[] removed (as CloudTrail leaves it out) and the Stratus captures.
import Foundation
import Testing
import TrailTestSupport

/// Reading the two corpora and the binary's answers, shared by the suites below.
enum Trust {
  static let stratus = Paths.sharedCorpus.appendingPathComponent("stratus-red-team/detonation-logs")
  static let sample = SampleArchiveTests.root

  /// Every Stratus event, read by Foundation.
  static func stratusEvents() throws -> [[String: Any]] {
    let events = try Paths.files(under: stratus).flatMap { try Independent.events(in: $0) }
    #expect(events.count == 310, "SOURCES.md: 310 Stratus events")
    return events
  }

  /// The sample archive's CloudTrail log files (not digests, not Insights).
  static func sampleLogFiles() -> [URL] {
    Paths.files(under: sample).filter { $0.lastPathComponent.contains("_CloudTrail_") }
  }

  /// The JSON objects of a run's JSON Lines output.
  static func rows(_ result: RunResult) throws -> [[String: Any]] {
    try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  /// The eventIDs of events, sorted (a multiset: the sample repeats some deliveries).
  static func ids(_ events: [[String: Any]]) -> [String] {
    events.map { $0["eventID"] as? String ?? "" }.sorted()
  }

  /// The eventIDs of the events a search printed (`--format jsonl`).
  static func ids(_ result: RunResult) throws -> [String] { ids(try rows(result)) }

  /// A field of a row as a list: a string, an array of strings, or none for null.
  static func list(_ value: Any?) -> [String] {
    if let text = value as? String { return [text] }
    return value as? [String] ?? []
  }

  /// The sample archive's log events written to a scratch folder with `resources` removed from
  /// every event, one `{"Records":[…]}` file per log file; and the ARNs removed.
  static func sampleWithoutResources() throws -> (
    dir: TemporaryDirectory, events: [[String: Any]], removed: Set<String>
  ) {
    let dir = try TemporaryDirectory()
    var all: [[String: Any]] = []
    var removed: Set<String> = []
    let files = sampleLogFiles()
    #expect(files.count > 10)
    for (index, file) in files.enumerated() {
      var events = try Independent.events(in: file)
      for i in events.indices where events[i]["resources"] != nil {
        removed.formUnion((events[i]["resources"] as? [[String: Any]] ?? []).compactMap { $0["ARN"] as? String })
        events[i]["resources"] = nil
      }
      all += events
      try dir.write("\(index).json", [UInt8](try JSONSerialization.data(withJSONObject: ["Records": events])))
    }
    return (dir, all, removed)
  }

  /// `actor` as docs/fields.md defines it: `sessionContext.sourceIdentity`; the Identity Center
  /// user; an assumed role's session name; `userName`; else the principal.
  static func actor(_ event: [String: Any]) -> String? {
    guard let id = event["userIdentity"] as? [String: Any] else { return nil }
    func s(_ v: Any?) -> String? { (v as? String).flatMap { $0.isEmpty ? nil : $0 } }
    if let source = s((id["sessionContext"] as? [String: Any])?["sourceIdentity"]) { return source }
    if let user = s((id["onBehalfOf"] as? [String: Any])?["userId"]) { return user }
    if let arn = s(id["arn"]), arn.contains(":assumed-role/") {
      let parts = arn.split(separator: "/")
      if parts.count >= 3, let last = parts.last { return String(last) }
    }
    return s(id["userName"]) ?? CorpusAgreementTests.principal(event)
  }

  /// The session name of an assumed-role event (the last part of its session ARN).
  static func sessionName(_ event: [String: Any]) -> String? {
    let id = event["userIdentity"] as? [String: Any]
    guard id?["type"] as? String == "AssumedRole", let arn = id?["arn"] as? String,
      arn.contains(":assumed-role/")
    else { return nil }
    // `…:assumed-role/ROLE/SESSION`; an ARN cut short (anonymised captures) has no session.
    let parts = arn.split(separator: "/")
    return parts.count >= 3 ? parts.last.map(String.init) : nil
  }

  /// Whether `--principal value` (no wildcard) selects the event, as the issue asks: the
  /// principal, the session ARN, the user name, the principal id, the access key or the actor
  /// is the value; or, for a bare name, the principal's or session's ARN ends in `/value` (a role
  /// or user name: the role behind all its sessions; a session name).
  static func selectedByPrincipal(_ event: [String: Any], _ value: String) -> Bool {
    let id = event["userIdentity"] as? [String: Any] ?? [:]
    let principal = CorpusAgreementTests.principal(event)
    let session = id["arn"] as? String
    let names = [
      principal, session, id["userName"] as? String, id["principalId"] as? String, id["accessKeyId"] as? String,
      actor(event),
    ]
    if names.contains(value) { return true }
    guard !value.contains(":") && !value.contains("/") else { return false }
    return [principal, session].contains { $0?.hasSuffix("/" + value) == true }
  }
}

struct TargetTrustTests {
  /// The sample's events without `resources[]`: for the most common targets, and an S3 bucket,
  /// an IAM user or role and an EC2 instance, `--resource` and `--target` select exactly the
  /// events the targets table gives them, and `stats --by target` (and `--by resource`) counts
  /// each event once per distinct target.
  @Test func targetsOfEventsWithoutResourcesEqualAnIndependentReading() throws {
    let (dir, events, removed) = try Trust.sampleWithoutResources()
    #expect(!removed.isEmpty, "the sample has events with resources[]")
    var counts: [String: Int] = [:]
    for event in events {
      let targets = Set(Independent.targets(event))
      for target in targets.isEmpty ? ["null"] : Array(targets) { counts[target, default: 0] += 1 }
    }
    let common = counts.filter { $0.key != "null" }.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }
    var chosen = common.prefix(5).map(\.key)
    let kinds: [(String, (String) -> Bool)] = [
      ("S3 bucket", { $0.hasPrefix("arn:aws:s3:::") && !$0.contains("/") }),
      ("IAM user or role", { $0.hasPrefix("arn:aws:iam::") && ($0.contains(":user/") || $0.contains(":role/")) }),
      ("EC2 instance", { $0.hasPrefix("arn:aws:ec2:") && $0.contains(":instance/") }),
    ]
    for (kind, isKind) in kinds {
      let first = common.first { isKind($0.key) }
      #expect(first != nil, "no \(kind) among the sample's targets")
      if let first, !chosen.contains(first.key) { chosen.append(first.key) }
    }
    #expect(chosen.count >= 6, "\(chosen)")
    // Some are ARNs CloudTrail had listed: the table finds them again without resources[].
    #expect(chosen.contains(where: removed.contains), "\(chosen)")
    for target in chosen {
      let expected = Trust.ids(events.filter { Independent.targets($0).contains(target) })
      #expect(!expected.isEmpty)
      for flag in ["--resource", "--target"] {
        let result = try TrailBinary.run([dir.path, flag, target, "--format", "jsonl"])
        #expect(result.status == 0, "\(flag) \(target): \(result.stderr)")
        #expect(try Trust.ids(result) == expected, "\(flag) \(target)")
      }
    }
    for field in ["target", "resource"] {
      let result = try TrailBinary.run(["stats", dir.path, "--by", field, "--format", "jsonl"])
      #expect(result.status == 0, "\(result.stderr)")
      var got: [String: Int] = [:]
      for row in try Trust.rows(result) {
        got[row[field] as? String ?? "null", default: 0] += row["count"] as? Int ?? 0
      }
      #expect(got == counts, "--by \(field)")
    }
  }

  /// One Stratus event, the values it records, and its targets written by hand from the
  /// documented templates.
  struct Case: CustomStringConvertible, Sendable {
    var file: String
    var eventID: String
    /// Dotted paths and the values the event must hold there (checked with Foundation first, so
    /// the expectation is about this very event).
    var recorded: [String: String]
    var targets: [String]
    var description: String { "\(recorded["eventName"] ?? "?") \(eventID)" }
  }

  static let cases: [Case] = [
    Case(
      file: "aws.credential-access.secretsmanager-retrieve-secrets.json",
      eventID: "b9c3d881-1e77-426c-abd3-5ca20d903380",
      recorded: [
        "eventName": "GetSecretValue",
        "requestParameters.secretId":
          "arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:stratus-red-team-retrieve-secret-18-4Rzn83",
      ],
      // secretId is an ARN already: kept as it is.
      targets: [
        "arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:stratus-red-team-retrieve-secret-18-4Rzn83"
      ]
    ),
    Case(
      file: "aws.persistence.iam-create-admin-user.json", eventID: "3346344c-5a3e-429e-8405-420f98f75d6e",
      recorded: [
        "eventName": "CreateUser", "recipientAccountId": "229654561268", "awsRegion": "ap-isob-central-3r",
        "requestParameters.userName": "malicious-iam-user",
        "responseElements.user.arn": "arn:aws:iam::229654561268:user/malicious-iam-user",
      ],
      // arn:{p}:iam::{a}:user/{v}; the response names the same user.
      targets: ["arn:aws:iam::229654561268:user/malicious-iam-user"]),
    Case(
      file: "aws.persistence.iam-create-admin-user.json", eventID: "94faedcc-0fa4-46e6-9322-022e8e934f04",
      recorded: [
        "eventName": "CreateAccessKey", "recipientAccountId": "229654561268",
        "requestParameters.userName": "malicious-iam-user",
        "responseElements.accessKey.accessKeyId": "AKIAXAFZN8JEPF6L682H",
      ],
      // The user, and the new access key (an id: no ARN).
      targets: ["arn:aws:iam::229654561268:user/malicious-iam-user", "AKIAXAFZN8JEPF6L682H"]),
    Case(
      file: "aws.persistence.iam-create-user-login-profile.json", eventID: "d3906a7d-604b-407f-acb6-fc425742821e",
      recorded: [
        "eventName": "CreateLoginProfile", "recipientAccountId": "070411556318",
        "requestParameters.userName": "stratus-red-team-login-profile-user",
      ],
      targets: ["arn:aws:iam::070411556318:user/stratus-red-team-login-profile-user"]),
    Case(
      file: "aws.persistence.iam-create-backdoor-role.json", eventID: "39480357-0a1d-4531-a3f2-71be4c041c25",
      recorded: [
        "eventName": "AttachRolePolicy", "recipientAccountId": "609418236337", "awsRegion": "sagov-west-2r",
        "requestParameters.roleName": "stratus-red-team-malicious-iam-role",
        "requestParameters.policyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
      ],
      targets: [
        "arn:aws:iam::609418236337:role/stratus-red-team-malicious-iam-role",
        "arn:aws:iam::aws:policy/AdministratorAccess",
      ]),
    Case(
      file: "aws.defense-evasion.cloudtrail-stop.json", eventID: "10163ed2-2253-469d-a5ee-cbc6651f8934",
      recorded: [
        "eventName": "StopLogging", "recipientAccountId": "143434273843", "awsRegion": "apiso-centralnorth-2r",
        "requestParameters.name": "stratus-red-team-ct-stop-trail-buykxbqejv",
      ],
      // arn:{p}:cloudtrail:{r}:{a}:trail/{v}
      targets: ["arn:aws:cloudtrail:apiso-centralnorth-2r:143434273843:trail/stratus-red-team-ct-stop-trail-buykxbqejv"]
    ),
    Case(
      file: "aws.defense-evasion.cloudtrail-delete.json", eventID: "ee73c230-44bc-4492-8542-cfb189eae287",
      recorded: [
        "eventName": "DeleteTrail", "recipientAccountId": "847129010505", "awsRegion": "megov-westwest-1r",
        "requestParameters.name": "stratus-red-team-cloudtraild-trail-kvrwohmiai",
      ],
      targets: ["arn:aws:cloudtrail:megov-westwest-1r:847129010505:trail/stratus-red-team-cloudtraild-trail-kvrwohmiai"]
    ),
    Case(
      file: "aws.exfiltration.ec2-share-ebs-snapshot.json", eventID: "6897ff63-d738-445c-9e86-43e5b1f8e12f",
      recorded: [
        "eventName": "ModifySnapshotAttribute", "awsRegion": "me-central-3r",
        "requestParameters.snapshotId": "snap-041993b54a9b3af6f",
      ],
      // arn:{p}:ec2:{r}::snapshot/{v} (no account in snapshot ARNs)
      targets: ["arn:aws:ec2:me-central-3r::snapshot/snap-041993b54a9b3af6f"]),
    Case(
      file: "aws.exfiltration.ec2-share-ami.json", eventID: "1f00bcfa-e050-4c2e-b99b-768ebe3a3dd3",
      recorded: [
        "eventName": "ModifyImageAttribute", "awsRegion": "me-south-1r",
        "requestParameters.imageId": "ami-de1fbCab6ccB03e6D",
      ],
      targets: ["arn:aws:ec2:me-south-1r::image/ami-de1fbCab6ccB03e6D"]),
    Case(
      file: "aws.exfiltration.ec2-security-group-open-port-22-ingress.json",
      eventID: "9fd68588-ecbf-4528-a345-199fa6bb0821",
      recorded: [
        "eventName": "AuthorizeSecurityGroupIngress", "recipientAccountId": "032092706103",
        "awsRegion": "us-northeast-1r", "requestParameters.groupId": "sg-003dc7f1f1c686164",
      ],
      targets: ["arn:aws:ec2:us-northeast-1r:032092706103:security-group/sg-003dc7f1f1c686164"]),
    Case(
      file: "aws.credential-access.ec2-get-password-data.json", eventID: "450230d4-b39e-4a18-a6a0-d07a6e2105cb",
      recorded: [
        "eventName": "GetPasswordData", "recipientAccountId": "457448411975", "awsRegion": "apiso-northsouth-3r",
        "requestParameters.instanceId": "i-i2jnm5swa59p4fxg", "errorCode": "Client.UnauthorizedOperation",
      ],
      // A denied call still names what it tried to act on.
      targets: ["arn:aws:ec2:apiso-northsouth-3r:457448411975:instance/i-i2jnm5swa59p4fxg"]),
    Case(
      file: "aws.lateral-movement.ec2-instance-connect.json", eventID: "0968cbec-f8df-43f3-94ba-b451aad083ed",
      recorded: [
        "eventName": "SendSSHPublicKey", "eventSource": "ec2-instance-connect.amazonaws.com",
        "recipientAccountId": "572910899909", "awsRegion": "eu-south-1r",
        "requestParameters.instanceId": "i-fDb357cB7e99ad973",
      ],
      targets: ["arn:aws:ec2:eu-south-1r:572910899909:instance/i-fDb357cB7e99ad973"]),
    Case(
      file: "aws.persistence.lambda-overwrite-code.json", eventID: "4672b74f-2466-4784-b3fb-5b4db904a995",
      recorded: [
        "eventName": "UpdateFunctionCode20150331v2",
        "requestParameters.functionName":
          "arn:aws:lambda:ap-westeast-2r:266106314375:function:stratus-red-team-olc-func-vayhjqkdav",
      ],
      targets: ["arn:aws:lambda:ap-westeast-2r:266106314375:function:stratus-red-team-olc-func-vayhjqkdav"]),
    Case(
      file: "aws.persistence.lambda-backdoor-function.json", eventID: "b67a9bba-d9da-4980-bf74-baed881b117d",
      recorded: [
        "eventName": "AddPermission20150331v2", "recipientAccountId": "880896431042",
        "awsRegion": "ca-centralnorth-1r", "requestParameters.functionName": "stratus-red-team-backdoor-f-func",
      ],
      // A bare name: arn:{p}:lambda:{r}:{a}:function:{v}
      targets: ["arn:aws:lambda:ca-centralnorth-1r:880896431042:function:stratus-red-team-backdoor-f-func"]),
    Case(
      file: "aws.exfiltration.rds-share-snapshot.json", eventID: "fef2bf02-bbea-4d0f-a91c-e6ccfe3fba46",
      recorded: [
        "eventName": "ModifyDBSnapshotAttribute", "recipientAccountId": "171471557522",
        "awsRegion": "meiso-eastwest-2r", "requestParameters.dBSnapshotIdentifier": "exfiltration",
      ],
      // arn:{p}:rds:{r}:{a}:snapshot:{v}
      targets: ["arn:aws:rds:meiso-eastwest-2r:171471557522:snapshot:exfiltration"]),
  ]

  /// The value at a dotted path of a Foundation object, as text.
  static func value(_ event: [String: Any], _ path: String) -> String? {
    var current: Any? = event
    for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
    return current as? String
  }

  /// Hand-checked targets of specific Stratus events, through `timeline --fields target` (and
  /// the independent reading agrees).
  @Test func stratusEventsHaveTheHandCheckedTargets() throws {
    let result = try TrailBinary.run([
      "timeline", Trust.stratus.path, "--fields", "eventID,target", "--format", "jsonl",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    var got: [String: [String]] = [:]
    for row in try Trust.rows(result) { got[row["eventID"] as? String ?? ""] = Trust.list(row["target"]) }
    #expect(got.count == 310)
    // Every Stratus event, resources[] included: the targets the table gives, each once.
    let events = try Trust.stratusEvents()
    #expect(events.filter { $0["resources"] != nil }.count == 13)
    for event in events {
      let id = event["eventID"] as? String ?? ""
      #expect(Set(got[id] ?? []) == Set(Independent.targets(event)), "\(id)")
      #expect(got[id]?.count == Set(got[id] ?? []).count, "\(id): a target twice")
    }
    #expect(events.filter { !Independent.targets($0).isEmpty }.count > 100)
    #expect(Self.cases.count == 15)
    for c in Self.cases {
      let events = try Independent.events(in: Trust.stratus.appendingPathComponent(c.file))
      let matching = events.filter { $0["eventID"] as? String == c.eventID }
      #expect(matching.count == 1, "\(c)")
      guard let event = matching.first else { continue }
      for (path, expected) in c.recorded { #expect(Self.value(event, path) == expected, "\(c): \(path)") }
      #expect(event["resources"] == nil, "\(c): CloudTrail left resources[] out")
      #expect(Set(got[c.eventID] ?? []) == Set(c.targets), "\(c)")
      #expect(got[c.eventID]?.count == c.targets.count, "\(c): each target once")
      #expect(Set(Independent.targets(event)) == Set(c.targets), "\(c): the independent table")
    }
  }

  /// `who --resource X` without `--action`: the principals that acted on X, with counts,
  /// failures and their targets, as Foundation groups the events that target X.
  @Test(arguments: [
    "arn:aws:secretsmanager:cn-centraleast-1r:903144391865:secret:stratus-red-team-retrieve-secret-18-4Rzn83",
    "arn:aws:iam::229654561268:user/malicious-iam-user",
    "arn:aws:ec2:apiso-northsouth-3r:457448411975:instance/i-i2jnm5swa59p4fxg",
  ])
  func whoTouchedAResource(_ arn: String) throws {
    var expected: [String: (count: Int, failed: Int, targets: Set<String>)] = [:]
    for event in try Trust.stratusEvents() where Independent.targets(event).contains(arn) {
      var entry = expected[CorpusAgreementTests.principal(event) ?? "null"] ?? (0, 0, [])
      entry.count += 1
      entry.failed += Independent.errorCode(event) == nil ? 0 : 1
      entry.targets.formUnion(Independent.targets(event))
      expected[CorpusAgreementTests.principal(event) ?? "null"] = entry
    }
    #expect(!expected.isEmpty)
    let result = try TrailBinary.run(["who", Trust.stratus.path, "--resource", arn, "--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try Trust.rows(result)
    #expect(rows.count == expected.count)
    for row in rows {
      let principal = row["principal"] as? String ?? "null"
      let want = expected[principal]
      #expect(want != nil, "unexpected principal \(principal)")
      #expect(row["count"] as? Int == want?.count, "\(principal)")
      #expect(row["failed"] as? Int == want?.failed, "\(principal)")
      #expect(Set(Trust.list(row["targets"])) == want?.targets, "\(principal)")
      #expect(Trust.list(row["targets"]).contains(arn))
    }
    let table = try TrailBinary.run(["who", Trust.stratus.path, "--resource", arn, "--format", "table"])
    #expect(table.lines.first?.split(separator: " ").contains("FAILED") == true, "\(table.out)")
    #expect(table.lines.first?.split(separator: " ").contains("TARGETS") == true, "\(table.out)")
  }

  /// `what --principal P`: rows by action and target (an event once per distinct target, under
  /// null when it has none), with counts and failures.
  @Test func whatAPrincipalDidNamesItsTargets() throws {
    let principal = "arn:aws:iam::229654561268:user/christophe"
    var expected: [String: (count: Int, failed: Int)] = [:]
    for event in try Trust.stratusEvents() where Trust.selectedByPrincipal(event, principal) {
      let action =
        "\((event["eventSource"] as? String ?? "").replacingOccurrences(of: ".amazonaws.com", with: ""))"
        + ":\(event["eventName"] as? String ?? "")"
      let targets = Set(Independent.targets(event))
      for target in targets.isEmpty ? ["null"] : Array(targets) {
        var entry = expected["\(action) \(target)"] ?? (0, 0)
        entry.count += 1
        entry.failed += Independent.errorCode(event) == nil ? 0 : 1
        expected["\(action) \(target)"] = entry
      }
    }
    #expect(expected.keys.contains("iam:CreateUser arn:aws:iam::229654561268:user/malicious-iam-user"))
    let result = try TrailBinary.run(["what", Trust.stratus.path, "--principal", principal, "--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try Trust.rows(result)
    #expect(rows.count == expected.count)
    for row in rows {
      #expect(row.keys.contains("target"))
      let key = "\(row["action"] as? String ?? "null") \(row["target"] as? String ?? "null")"
      #expect(row["count"] as? Int == expected[key]?.count, "\(key)")
      #expect(row["failed"] as? Int == expected[key]?.failed, "\(key)")
    }
  }
}

struct OutcomeTrustTests {
  static func corpus(_ name: String) throws -> (path: String, events: [[String: Any]]) {
    name == "stratus"
      ? (Trust.stratus.path, try Trust.stratusEvents())
      : (Trust.sample.path, try SampleArchiveTests.independentEvents())
  }

  /// `--error`, `--error CODE`, `--error '!CODE'`, `--no-error` and a sign-in failure's code
  /// select exactly the events Foundation finds failed (or not) with that code.
  @Test(arguments: ["stratus", "sample"])
  func errorFiltersEqualAnIndependentReading(_ name: String) throws {
    let (path, events) = try Self.corpus(name)
    let filters: [([String], (String?) -> Bool)] = [
      (["--error"], { $0 != nil }),
      (["--error", "AccessDenied"], { $0 == "AccessDenied" }),
      (["--error", "!AccessDenied"], { $0 != nil && $0 != "AccessDenied" }),
      (["--no-error"], { $0 == nil }),
      (["--error", "Failed authentication"], { $0 == "Failed authentication" }),
    ]
    for (arguments, keep) in filters {
      let expected = Trust.ids(events.filter { keep(Independent.errorCode($0)) })
      let result = try TrailBinary.run([path] + arguments + ["--format", "jsonl"])
      #expect(result.status == (expected.isEmpty ? 1 : 0), "\(arguments): \(result.stderr)")
      #expect(try Trust.ids(result) == expected, "\(name) \(arguments)")
    }
    let codes = events.compactMap(Independent.errorCode)
    #expect(codes.contains("AccessDenied") && codes.contains { $0 != "AccessDenied" })
    #expect(events.contains { Independent.errorCode($0) == nil })
    if name == "sample" {
      // Failed console sign-ins: an errorMessage and no errorCode.
      #expect(events.contains { Independent.errorCode($0) == "Failed authentication" && $0["errorCode"] == nil })
    }
  }

  /// `stats --by principal` and `who` rows carry `failed`: per principal, the number of the
  /// counted events that failed.
  @Test(arguments: ["stratus", "sample"])
  func failedPerPrincipalEqualsAnIndependentCount(_ name: String) throws {
    let (path, events) = try Self.corpus(name)
    var expected: [String: [Int]] = [:]
    var errors: [String: Set<String>] = [:]
    for event in events {
      let principal = CorpusAgreementTests.principal(event) ?? "null"
      let code = Independent.errorCode(event)
      var entry = expected[principal] ?? [0, 0]
      entry[0] += 1
      entry[1] += code == nil ? 0 : 1
      expected[principal] = entry
      if let code { errors[principal, default: []].insert(code) }
    }
    #expect(expected.values.map { $0[1] }.reduce(0, +) > 0)
    let stats = try TrailBinary.run(["stats", path, "--by", "principal", "--format", "jsonl"])
    #expect(stats.status == 0, "\(stats.stderr)")
    var got: [String: [Int]] = [:]
    for row in try Trust.rows(stats) {
      got[row["principal"] as? String ?? "null"] = [row["count"] as? Int ?? -1, row["failed"] as? Int ?? -1]
    }
    #expect(got == expected)

    // `who` over every named call: the same counts, and `errors` lists the codes.
    let who = try TrailBinary.run(["who", path, "--event-name", "*", "--format", "jsonl"])
    #expect(who.status == 0, "\(who.stderr)")
    let named = events.filter { $0["eventName"] != nil }
    #expect(!named.isEmpty)
    var whoGot: [String: [Int]] = [:]
    for row in try Trust.rows(who) {
      let principal = row["principal"] as? String ?? "null"
      whoGot[principal] = [row["count"] as? Int ?? -1, row["failed"] as? Int ?? -1]
      #expect(Set(Trust.list(row["errors"])) == errors[principal] ?? [], "\(principal)")
    }
    var whoExpected: [String: [Int]] = [:]
    for event in named {
      var entry = whoExpected[CorpusAgreementTests.principal(event) ?? "null"] ?? [0, 0]
      entry[0] += 1
      entry[1] += Independent.errorCode(event) == nil ? 0 : 1
      whoExpected[CorpusAgreementTests.principal(event) ?? "null"] = entry
    }
    #expect(whoGot == whoExpected)
  }

  /// `what` rows carry `failed` too: the principal with the most failures in the sample.
  @Test func whatRowsCarryFailed() throws {
    let events = try SampleArchiveTests.independentEvents()
    var failures: [String: Int] = [:]
    for event in events where Independent.errorCode(event) != nil {
      failures[CorpusAgreementTests.principal(event) ?? "null", default: 0] += 1
    }
    let top = failures.filter { $0.key != "null" }.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
    }
    .first
    #expect(top != nil)
    guard let principal = top?.key else { return }
    var expected = 0
    for event in events where Trust.selectedByPrincipal(event, principal) && Independent.errorCode(event) != nil {
      expected += max(1, Set(Independent.targets(event)).count)
    }
    let result = try TrailBinary.run(["what", Trust.sample.path, "--principal", principal, "--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    let failed = try Trust.rows(result).map { $0["failed"] as? Int ?? -1 }
    #expect(failed.allSatisfy { $0 >= 0 })
    #expect(failed.reduce(0, +) == expected)
    #expect(expected > 0)
  }
}

struct PrincipalTrustTests {
  /// `--principal` with a bare role name (the role behind its sessions), a session name, and an
  /// actor as tables show it (a sourceIdentity, else a user name) selects what an independent
  /// filter selects.
  @Test(arguments: ["stratus", "sample"])
  func principalByAnyName(_ name: String) throws {
    let (path, events) = try OutcomeTrustTests.corpus(name)
    let assumed = events.filter { Trust.sessionName($0) != nil }
    func mostCommon(_ values: [String]) -> String? {
      var counts: [String: Int] = [:]
      for value in values { counts[value, default: 0] += 1 }
      let order = counts.sorted { (a: (key: String, value: Int), b: (key: String, value: Int)) -> Bool in
        a.value != b.value ? a.value > b.value : a.key < b.key
      }
      return order.first?.key
    }
    let issuers = assumed.compactMap { CorpusAgreementTests.principal($0) }
    let role = mostCommon(issuers).flatMap { $0.split(separator: "/").last.map(String.init) }
    let sessions = assumed.compactMap(Trust.sessionName)
    // A session name that is not the SDK's default: an email or an instance id, as the issue saw.
    let session = mostCommon(sessions.filter { $0.contains("@") || $0.hasPrefix("i-") }) ?? mostCommon(sessions)
    let identities = events.compactMap {
      (($0["userIdentity"] as? [String: Any])?["sessionContext"] as? [String: Any])?["sourceIdentity"] as? String
    }
    let userNames = events.compactMap { ($0["userIdentity"] as? [String: Any])?["userName"] as? String }
    let actor = mostCommon(identities) ?? mostCommon(userNames)
    let values = [role, session, actor].compactMap { $0 }
    #expect(values.count == 3, "\(name): a role, a session and an actor")

    // The bare role name stands for every session of the role.
    if let role {
      let ofRole = events.filter { CorpusAgreementTests.principal($0)?.hasSuffix("/" + role) == true }
      #expect(ofRole.count >= 2 && ofRole.allSatisfy { Trust.selectedByPrincipal($0, role) })
    }
    // The actor value is what the binary's `actor` field (the ACTOR column) shows.
    let shown = try TrailBinary.run(["timeline", path, "--fields", "actor", "--format", "jsonl"])
    let actors = Set(try Trust.rows(shown).flatMap { Trust.list($0["actor"]) })
    #expect(actor.map(actors.contains) == true, "\(name): \(actor ?? "-") shown as an actor")
    if let session { #expect(actors.contains(session), "\(name): \(session) shown as an actor") }

    for value in values {
      let expected = Trust.ids(events.filter { Trust.selectedByPrincipal($0, value) })
      #expect(!expected.isEmpty, "\(value)")
      let result = try TrailBinary.run([path, "--principal", value, "--format", "jsonl"])
      #expect(result.status == 0, "\(value): \(result.stderr)")
      #expect(try Trust.ids(result) == expected, "\(name) --principal \(value)")
    }
  }
}

struct GapTrustTests {
  /// How many times `text` occurs in `string`.
  func occurrences(_ text: String, in string: String) -> Int { string.components(separatedBy: text).count - 1 }

  /// An ISO 8601 time, with or without fractional seconds.
  static func date(_ text: String?) -> Date? {
    guard let text else { return nil }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: text) ?? ISO8601DateFormatter().date(from: text)
  }

  /// Events without eventTime (a Logstash re-export keeps the time in `@timestamp`): `--since`
  /// leaves them out and says how many; `--time-field @timestamp` places them.
  @Test func untimedEventsAreReportedAndPlacedByTimeField() throws {
    var events = try Trust.sampleLogFiles().flatMap { try Independent.events(in: $0) }
    for i in events.indices where i % 3 == 0 {
      let time = events[i]["eventTime"] as? String
      events[i]["eventTime"] = nil
      // Logstash writes milliseconds.
      events[i]["@timestamp"] = time.map { $0.replacingOccurrences(of: "Z", with: ".000Z") }
    }
    let dir = try TemporaryDirectory()
    let lines = try events.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
    let path = try dir.write("export.jsonl", lines.joined(separator: "\n") + "\n")
    let since = "2024-05-14T12:00:00Z"
    let bound = try #require(Self.date(since))
    let untimed = events.filter { $0["eventTime"] == nil }.count
    #expect(untimed > 10)

    let plain = try TrailBinary.run([path, "--since", since, "--format", "jsonl"])
    let timed = events.filter { Self.date($0["eventTime"] as? String).map { $0 >= bound } ?? false }
    #expect(!timed.isEmpty)
    #expect(try Trust.ids(plain) == Trust.ids(timed))
    #expect(plain.status == 0)
    let note = "left out: \(untimed) event(s) without an eventTime"
    #expect(occurrences(note, in: plain.stderr) == 1, "\(plain.stderr)")

    let placed = try TrailBinary.run([path, "--since", since, "--time-field", "@timestamp", "--format", "jsonl"])
    let expected = events.filter {
      Self.date(($0["eventTime"] ?? $0["@timestamp"]) as? String).map { $0 >= bound } ?? false
    }
    #expect(expected.count > timed.count)
    #expect(try Trust.ids(placed) == Trust.ids(expected))
    #expect(placed.status == 0 && placed.stderr == "", "\(placed.stderr)")

    // The timeline places them too: oldest first, each with its time.
    let timeline = try TrailBinary.run([
      "timeline", path, "--since", since, "--time-field", "@timestamp", "--fields", "eventID,time", "--format", "jsonl",
    ])
    #expect(timeline.status == 0, "\(timeline.stderr)")
    let rows = try Trust.rows(timeline)
    let times = Dictionary(
      expected.map { ($0["eventID"] as? String ?? "", Self.date(($0["eventTime"] ?? $0["@timestamp"]) as? String)) },
      uniquingKeysWith: { a, _ in a })
    #expect(rows.map { $0["eventID"] as? String ?? "" }.sorted() == Trust.ids(expected))
    let order = rows.compactMap { times[$0["eventID"] as? String ?? ""] ?? nil }
    #expect(order.count == rows.count && order == order.sorted(), "oldest first")
    let wrong = rows.filter { Self.date($0["time"] as? String) != times[$0["eventID"] as? String ?? ""] ?? nil }
    #expect(wrong.isEmpty, "\(wrong.count) of \(rows.count) rows without their time")
  }

  /// Files a folder walk skips by name are counted on stderr, with how to read them.
  @Test func filesSkippedByNameAreReported() throws {
    let dir = try TemporaryDirectory()
    try dir.write("logs/a.json", RecordsBuilder.envelope(0..<5))
    try dir.write("logs/notes.txt", "exported by hand\n")
    try dir.write("logs/more/b.json.bak", RecordsBuilder.envelope(5..<7))
    let skipped = Paths.files(under: URL(fileURLWithPath: dir.path)).filter {
      !["json", "jsonl", "ndjson", "log", "gz"].contains($0.pathExtension)
    }
    #expect(skipped.count == 2)
    let result = try TrailBinary.run([dir.path("logs"), "--format", "jsonl"])
    #expect(result.status == 0)
    #expect(result.lines.count == 5)
    #expect(occurrences("left out: \(skipped.count) file(s) in folders not named as log files", in: result.stderr) == 1)
    #expect(result.stderr.contains("name a file to read it"))
    // Named, the file is read.
    let named = try TrailBinary.run([dir.path("logs/more/b.json.bak"), "--format", "jsonl"])
    #expect(named.status == 0 && named.lines.count == 2 && named.stderr == "")
  }

  /// `--until` skips files delivered more than the slack (1 h) after it, by their names; the
  /// run says how many, computed here from the file names alone.
  @Test func filesPrunedByDeliveryTimeAreReported() throws {
    let until = "2024-05-14T12:00:00Z"
    let bound = try #require(Self.date(until))
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmm'Z'"
    var late: [URL] = []
    let logs = Paths.files(under: Trust.sample).filter { !$0.path.contains("/CloudTrail-Digest/") }
    for file in logs {
      let stamp = file.lastPathComponent.split(separator: "_").first { $0.count == 14 && $0.hasSuffix("Z") }
      let delivered = try #require(stamp.flatMap { formatter.date(from: String($0)) }, "\(file.lastPathComponent)")
      if delivered >= bound.addingTimeInterval(3600) { late.append(file) }
    }
    #expect(late.count > 0 && late.count < logs.count)
    let kept = try logs.filter { !late.contains($0) }.flatMap { try Independent.events(in: $0) }
    let all = try logs.flatMap { try Independent.events(in: $0) }
    func before(_ events: [[String: Any]]) -> [String] {
      Trust.ids(events.filter { Self.date($0["eventTime"] as? String).map { $0 < bound } ?? false })
    }

    let pruned = try TrailBinary.run([Trust.sample.path, "--until", until, "--format", "jsonl"])
    #expect(pruned.status == 0)
    #expect(try Trust.ids(pruned) == before(kept))
    #expect(occurrences("left out: \(late.count) file(s) delivered more than 1h after --until", in: pruned.stderr) == 1)

    let everything = try TrailBinary.run([Trust.sample.path, "--until", until, "--no-prune", "--format", "jsonl"])
    #expect(everything.status == 0 && everything.stderr == "", "\(everything.stderr)")
    #expect(try Trust.ids(everything) == before(all))
  }

  /// JSON that is not CloudTrail (a `Package.resolved`, a rule test wrapper) is reported per
  /// file with its count, exit 2, and never counted as events.
  @Test func recordsThatAreNotEventsAreReportedNotCounted() throws {
    let dir = try TemporaryDirectory()
    try dir.write("events.json", RecordsBuilder.envelope(0..<4))
    let resolved = try dir.write(
      "Package.resolved.json",
      #"{"pins":[{"identity":"swift-argument-parser","kind":"remoteSourceControl","location":"https://github.com/apple/swift-argument-parser","state":{"revision":"41982a3656a71c768319979febd796c6fd111d5c","version":"1.5.0"}}],"version":2}"#
    )
    let wrapper = try dir.write(
      "rule-tests.json",
      "["
        + (0..<3).map { #"{"rule":"r","name":"case \#($0)","expect":true,"log":\#(RecordsBuilder.event(10 + $0))}"# }
        .joined(separator: ",") + "]")
    for command in [["search"], ["stats", "--by", "eventName"]] {
      let result = try TrailBinary.run(command + [dir.path, "--format", "jsonl"])
      #expect(result.status == 2, "\(command)")
      let messages = result.stderr.split(separator: "\n").map(String.init)
      #expect(messages.count == 2, "\(result.stderr)")
      #expect(
        messages.contains {
          $0.hasPrefix("trail-scan: \(resolved): ") && $0.contains("a record that is not a CloudTrail event")
        })
      #expect(
        messages.contains {
          $0.hasPrefix("trail-scan: \(wrapper): ") && $0.contains("3 records that are not a CloudTrail event")
        })
      if command == ["search"] {
        #expect(
          try Trust.ids(result)
            == (0..<4).map { "00000000-0000-4000-8000-" + String(repeating: "0", count: 11) + "\($0)" })
      } else {
        let total = try Trust.rows(result).map { $0["count"] as? Int ?? 0 }.reduce(0, +)
        #expect(total == 4)
      }
    }
  }

  /// A field name that is neither a known field nor a path is an error with a suggestion; one
  /// too far from any name is still an error.
  @Test(
    arguments: [
      (["stats", "--by", "princpal"], "principal"), (["search", "--fields", "tim", "--format", "csv"], "time"),
      (["timeline", "--fields", "time,sevice"], "service"),
      (["stats", "--by", "region", "--distinct", "regoin"], "region"),
      (["stats", "--by", "region", "--distinct", "x"], nil),
    ] as [([String], String?)])
  func unknownFieldNamesAreErrors(_ arguments: [String], _ suggestion: String?) throws {
    let result = try TrailBinary.run([arguments[0], Trust.sample.path] + arguments.dropFirst())
    #expect(result.status == 2, "\(arguments)")
    #expect(result.out == "", "\(arguments)")
    #expect(result.stderr.contains("unknown field '"), "\(arguments): \(result.stderr)")
    if let suggestion {
      #expect(result.stderr.contains("did you mean '\(suggestion)'?"), "\(arguments): \(result.stderr)")
    }
  }

  /// Paths written as `$.key` and top-level record fields (`eventType`) are not typos: they are
  /// read as paths, with the answers Foundation gives.
  @Test func pathsAndRecordFieldsAreAccepted() throws {
    let events = try SampleArchiveTests.independentEvents()
    var expected: [String: Int] = [:]
    var addresses: [String: Set<String>] = [:]
    for event in events {
      let type = event["eventType"] as? String ?? "null"
      expected[type, default: 0] += 1
      if let ip = event["sourceIPAddress"] as? String { addresses[type, default: []].insert(ip) }
    }
    #expect(expected.count >= 2)
    for field in ["eventType", "$.eventType"] {
      let result = try TrailBinary.run([
        "stats", Trust.sample.path, "--by", field, "--distinct", "$.sourceIPAddress", "--format", "jsonl",
      ])
      #expect(result.status == 0, "\(field): \(result.stderr)")
      let rows = try Trust.rows(result)
      var got: [String: Int] = [:]
      var distinct: [String: Int] = [:]
      // A `$.` path is named without its `$.` in output.
      for row in rows {
        got[row["eventType"] as? String ?? "null", default: 0] += row["count"] as? Int ?? 0
        distinct[row["eventType"] as? String ?? "null"] = row["distinct"] as? Int
      }
      #expect(got == expected, "\(field)")
      #expect(
        distinct == Dictionary(uniqueKeysWithValues: expected.keys.map { ($0, addresses[$0]?.count ?? 0) }), "\(field)")
    }
    let timeline = try TrailBinary.run([
      "timeline", Trust.sample.path, "--fields", "$.eventID,requestID,userIdentity.type", "--format", "jsonl",
    ])
    #expect(timeline.status == 0, "\(timeline.stderr)")
    let rows = try Trust.rows(timeline)
    #expect(rows.map { $0["eventID"] as? String ?? "" }.sorted() == Trust.ids(events))
    #expect(rows.contains { $0["userIdentity.type"] as? String == "AssumedRole" })
  }

  /// docs/output.md: stats rows name the grouping fields "as given to --by" (CSV headers "as
  /// given"); a `$.` path loses its `$.`.
  @Test func dollarPathsAreNamedAsGiven() throws {
    let stats = try TrailBinary.run(["stats", Trust.sample.path, "--by", "$.eventType", "--format", "jsonl"])
    let csv = try TrailBinary.run(["timeline", Trust.sample.path, "--fields", "$.eventID", "--format", "csv"])
    #expect(stats.status == 0 && csv.status == 0)
    let keys = try Trust.rows(stats).first.map { Set($0.keys) } ?? []
    #expect(!keys.isEmpty)
    // A `$.` path is named by its path, without the `$.` (docs/output.md).
    #expect(keys.contains("eventType"))
    #expect(csv.lines.first == "eventID")
  }

  /// IP values that look like addresses or blocks but are not valid are errors.
  @Test(arguments: ["300.1.1.1", "10.0.0.0/33", "!300.1.1.1", "2001:db8::/129"])
  func invalidIPsAreErrors(_ ip: String) throws {
    let result = try TrailBinary.run([Trust.sample.path, "--ip", ip, "--format", "jsonl"])
    #expect(result.status == 2, "\(ip)")
    #expect(result.out == "")
    #expect(result.stderr.contains("not a valid IP address or CIDR block"), "\(ip): \(result.stderr)")
  }

  /// A folder with no log files says so (exit 2), whether it is empty or holds other files.
  @Test func foldersWithoutLogFilesSaySo() throws {
    let dir = try TemporaryDirectory()
    let empty = try dir.makeDirectory("empty")
    try dir.write("other/readme.txt", "not a log\n")
    for (folder, detail) in [(empty, "it holds none"), (dir.path("other"), "1 other file(s) skipped by name")] {
      let result = try TrailBinary.run([folder, "--format", "jsonl"])
      #expect(result.status == 2, "\(folder)")
      #expect(result.out == "")
      #expect(result.stderr.contains("trail-scan: \(folder): no log files in this folder"), "\(result.stderr)")
      #expect(result.stderr.contains(detail), "\(result.stderr)")
    }
  }
}
