// `trail-fixtures sample OUTDIR`: the small archive committed under Fixtures/archives/sample.
// Every file is declared in the table below (account, region, delivery time, size, layout,
// forced events) so the archive is sure to contain each identity type, each escape case,
// a failed call of each kind, a duplicate delivery, an Insights pair and a digest.

import TrailTime

enum SampleCommand {
  static let seed: UInt64 = 2024_0514
  static let day = Timestamp(seconds: 1_715_644_800, nanoseconds: 0)  // 2024-05-14T00:00:00Z

  static let management = TrailDelivery(
    bucket: "example-cloudtrail-logs", keyPrefix: nil, orgID: nil,
    account: .management, region: "us-east-1")
  static let managementEU = TrailDelivery(
    bucket: "example-cloudtrail-logs", keyPrefix: nil, orgID: nil,
    account: .management, region: "eu-west-1")
  static let member = TrailDelivery(
    bucket: "example-org-trail-logs", keyPrefix: "org-trail",
    orgID: "o-exampleorgid", account: .member, region: "us-east-1")

  /// One forced event: its kind, who makes it, whether it fails, which payload variant.
  struct Forced {
    var kind: EventKind
    var identity: IdentityKind? = nil
    var failed: Bool? = nil
    var variant: Int? = nil
  }

  struct FileSpec {
    let delivery: TrailDelivery
    let hhmm: Int
    let count: Int
    let pretty: Bool
    var forced: [Forced] = []
  }

  static let files: [FileSpec] = [
    FileSpec(
      delivery: management, hhmm: 0012, count: 14, pretty: false,
      forced: [
        Forced(kind: .consoleLogin, identity: .iamUser, failed: true),
        Forced(kind: .consoleLogin, identity: .iamUser, failed: true),
      ]),
    FileSpec(
      delivery: management, hhmm: 0407, count: 10, pretty: true,
      forced: [
        Forced(kind: .consoleLogin, identity: .root, failed: false),
        Forced(kind: .stsAssumeRoleWithSAML, identity: .samlUser, failed: false),
      ]),
    FileSpec(
      delivery: management, hhmm: 0916, count: 22, pretty: false,
      forced: [
        Forced(kind: .iamCreateUser, identity: .assumedRole, failed: true, variant: 1),
        Forced(kind: .iamPutUserPolicy, identity: .iamUser, failed: false),
        Forced(kind: .stsAssumeRole, identity: .awsService, failed: false),
      ]),
    FileSpec(
      delivery: management, hhmm: 0921, count: 11, pretty: true,
      forced: [
        Forced(kind: .iamAttachRolePolicy, identity: .assumedRole, failed: false),
        Forced(kind: .consoleLogin, identity: .iamUser, failed: false),
      ]),
    FileSpec(
      delivery: management, hhmm: 1348, count: 25, pretty: false,
      forced: [
        Forced(kind: .ec2AuthorizeSecurityGroupIngress, identity: .assumedRole, failed: false, variant: 0),
        Forced(kind: .ec2RunInstances, identity: .iamUser, failed: true),
        Forced(kind: .s3GetObject, identity: .awsAccount, failed: false, variant: 4),
        Forced(kind: .s3GetObject, identity: .identityCenterUser, failed: false, variant: 3),
        Forced(kind: .s3GetObject, identity: .assumedRole, failed: true, variant: 6),
      ]),
    FileSpec(
      delivery: management, hhmm: 1805, count: 18, pretty: false,
      forced: [
        Forced(kind: .kmsScheduleKeyDeletion, identity: .assumedRole, failed: false),
        Forced(kind: .cloudTrailStopLogging, identity: .assumedRole, failed: false),
        Forced(kind: .stsAssumeRoleWithWebIdentity, identity: .webIdentityUser, failed: false),
        Forced(kind: .ec2RunInstances, identity: .assumedRole, failed: false),
      ]),
    FileSpec(
      delivery: management, hhmm: 2251, count: 9, pretty: true,
      forced: [
        Forced(kind: .s3PutObject, identity: .federatedUser, failed: false, variant: 5),
        Forced(kind: .lambdaInvoke, identity: .awsService, failed: false),
      ]),
    FileSpec(
      delivery: managementEU, hhmm: 0233, count: 16, pretty: false,
      forced: [
        Forced(kind: .ec2DescribeInstances, identity: .federatedUser, failed: false),
        Forced(kind: .kmsDecrypt, identity: .assumedRole, failed: true),
      ]),
    FileSpec(delivery: managementEU, hhmm: 0829, count: 11, pretty: true),
    FileSpec(
      delivery: managementEU, hhmm: 1502, count: 20, pretty: false,
      forced: [
        Forced(kind: .ec2AuthorizeSecurityGroupIngress, identity: .iamUser, failed: false, variant: 1),
        Forced(kind: .lambdaInvoke, identity: .assumedRole, failed: true),
      ]),
    FileSpec(delivery: managementEU, hhmm: 2117, count: 14, pretty: false),
    FileSpec(
      delivery: member, hhmm: 0644, count: 12, pretty: false,
      forced: [
        Forced(kind: .consoleLogin, identity: .iamUser, failed: false)
      ]),
    FileSpec(
      delivery: member, hhmm: 1240, count: 8, pretty: true,
      forced: [
        Forced(kind: .iamCreateUser, identity: .iamUser, failed: false, variant: 0),
        Forced(kind: .iamAttachRolePolicy, identity: .root, failed: true),
      ]),
    FileSpec(
      delivery: member, hhmm: 1930, count: 15, pretty: false,
      forced: [
        Forced(kind: .stsAssumeRole, identity: .awsAccount, failed: false)
      ]),
  ]

  /// Index of the file whose one event is delivered again in `duplicateInto`.
  static let duplicateFrom = 2, duplicateInto = 3

  static func run(outdir: String, corpus: String) {
    var rng = SplitMix64(seed: seed)
    var written: [WrittenLog] = []
    var plansByFile: [[EventPlan]] = []

    for (index, spec) in files.enumerated() {
      let delivered = day + TimeSpan(seconds: Int64(spec.hhmm / 100 * 3600 + spec.hhmm % 100 * 60))
      var plans: [EventPlan] = []
      let own = spec.count - (index == duplicateInto ? 1 : 0)
      for slot in 0..<own {
        let time = delivered - LogFiles.latency(&rng)
        var plan = EventPlan(
          seed: rng.next(), time: time, account: spec.delivery.account,
          region: spec.delivery.region)
        if slot < spec.forced.count {
          let forced = spec.forced[slot]
          plan.kind = forced.kind
          plan.identity = forced.identity
          plan.failed = forced.failed
          plan.variant = forced.variant
        }
        plans.append(plan)
      }
      rng.shuffle(&plans)  // forced events land anywhere in the file
      if index == duplicateInto {
        // The same event (same seed, so same eventID and content) delivered a second time.
        plans.insert(plansByFile[duplicateFrom][0], at: rng.int(0...plans.count))
      }
      plansByFile.append(plans)
      let key = spec.delivery.logKey(delivered: delivered, unique: rng.alnum(16))
      written.append(LogFiles.write(plans, pretty: spec.pretty, key: key, delivered: delivered, root: outdir))
    }

    // Insights: one Start/End pair delivered in one file.
    let insightDelivered = day + TimeSpan(seconds: 16 * 3600 + 5 * 60)
    var w = JSONWriter(pretty: true)
    w.beginObject()
    w.key("Records")
    w.beginArray()
    Insights.writePair(
      start: day + TimeSpan(seconds: 15 * 3600 + 31 * 60), end: day + TimeSpan(seconds: 15 * 3600 + 37 * 60),
      account: .management, region: "us-east-1", rng: &rng, to: &w)
    w.endArray()
    w.endObject()
    let insightKey = management.insightKey(delivered: insightDelivered, unique: rng.alnum(16))
    let insight = LogFiles.writeRendered(
      w.bytes, records: 2, times: [], key: insightKey,
      delivered: insightDelivered, root: outdir)

    // A starting digest for management/us-east-1 covering 09:05:12–10:05:12.
    let digestEnd = day + TimeSpan(seconds: 10 * 3600 + 5 * 60 + 12)
    let digestStart = digestEnd - TimeSpan(seconds: 3600)
    let covered = written.filter {
      $0.key.hasPrefix("AWSLogs/\(Account.management.id)/CloudTrail/us-east-1/")
        && $0.delivered > digestStart && $0.delivered <= digestEnd
    }
    let digestKey = management.digestKey(delivered: digestEnd)
    let digest = Digests.render(
      delivery: management, start: digestStart, end: digestEnd, key: digestKey,
      logs: covered, previous: nil)
    LogFiles.write(compressing: digest, key: digestKey, root: outdir)

    // A real third-party log file, byte for byte.
    let name = "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz"
    let source = "\(corpus)/trailscraper/\(name)"
    guard FileSystem.exists(source) else { FileSystem.fail("missing corpus file \(source) (use --corpus DIR)") }
    let copyKey = "AWSLogs/111111111111/CloudTrail/eu-central-1/2017/12/11/\(name)"
    FileSystem.write(FileSystem.read(source), to: "\(outdir)/\(copyKey)")

    for log in written + [insight] { print("\(log.records)\t\(log.key)") }
    print("-\t\(digestKey)")
    print("2\t\(copyKey)")
    let events = written.reduce(0) { $0 + $1.records }
    print("\(events) generated records (1 duplicate delivery), 2 Insights records, 2 copied records")
  }
}
