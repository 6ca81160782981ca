// `validate` against the attacks of issue 13, through the binary on signed trails (SignedTrail):
// forged logs wherever search would read them, files outside the layout, tail truncation and
// forged chains (what --signatures and --until see), pending only within the hour, keys only
// inside their validity, nothing to validate, and digest bombs (generated here by
// scripts/digest-bombs.py, never committed) that must cost the cap, not their size.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

struct ValidateHardeningTests {
  typealias Outcome = ValidateCommandTests.Outcome

  func run(_ arguments: [String]) throws -> Outcome {
    let result = try TrailBinary.run(["validate"] + arguments + ["--format", "jsonl"])
    let entries = try result.lines.map {
      try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    return Outcome(status: result.status, entries: entries, stderr: result.stderr)
  }

  /// `validate AWSLogs --public-keys … [--signatures …] extra…`.
  func validate(_ trail: SignedTrail, signatures: String? = nil, _ extra: [String] = []) throws -> Outcome {
    try run(
      [trail.awsLogsPath, "--public-keys", trail.publicKeysPath] + (signatures.map { ["--signatures", $0] } ?? [])
        + extra)
  }

  func awsKey(_ path: String) -> String {
    guard let range = path.range(of: "AWSLogs/") else { return path }
    return String(path[range.lowerBound...])
  }

  func write(_ path: String, _ bytes: [UInt8]) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// A log file of one forged `DeleteTrail`, gzip.
  static let forgedLog = Gzip.compress(
    Array(
      #"{"Records":[{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333","userName":"mallory"},"eventTime":"2024-05-14T00:25:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"DeleteTrail","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","eventID":"f0f0f0f0-0000-4000-8000-000000000001","eventType":"AwsApiCall","recipientAccountId":"111122223333"}]}"#
        .utf8))

  // MARK: What validate vouches for

  @Test func forgedLogsWhereverSearchReadsThemAreNotCovered() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 2)
    let day = (trail.logs[0].path as NSString).deletingLastPathComponent
    let month = (day as NSString).deletingLastPathComponent
    let account = trail.awsLogsPath + "/111122223333"
    let forged = [
      day + "/sub/111122223333_CloudTrail_us-east-1_20240514T0030Z_ForgedSubfolder0.json.gz",
      account + "/Evil/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T0030Z_ForgedEvilFolder.json.gz",
      month + "/111122223333_CloudTrail_us-east-1_20240514T0030Z_ForgedMonthFolder.json.gz",
      account + "/forged.json",
    ]
    for path in forged { try write(path, Self.forgedLog) }
    // search and check read every one of them…
    let search = try TrailBinary.run(["search", trail.awsLogsPath, "--event-name", "DeleteTrail", "--format", "jsonl"])
    #expect(search.lines.count == forged.count, "\(search.stderr)")
    // …so validate names every one of them, whatever the scope, and nothing else fails.
    for scope in [[], ["--account", "111122223333", "--region", "us-east-1"], ["--since", "2024-05-14"]] {
      let outcome = try validate(trail, signatures: trail.signaturesPath, scope)
      #expect(outcome.status == 1, "\(scope)")
      #expect(outcome.problems == ["not-covered": forged.map(awsKey).sorted()], "\(scope)")
      #expect(outcome.stderr.contains("\(forged.count) not-covered"), "\(outcome.stderr)")
    }
    // A changed copy of a listed log under another copy of AWSLogs/ (same key): each copy is
    // checked, not only the first.
    let original = trail.logs[1]
    let copy = dir.path("copy/" + awsKey(original.path))
    try write(copy, Gzip.compress(original.uncompressed + Array(" ".utf8)))
    let both = try run([
      trail.awsLogsPath, dir.path("copy/AWSLogs"), "--public-keys", trail.publicKeysPath, "--signatures",
      trail.signaturesPath,
    ])
    let copies = both.entries.filter { $0["key"] as? String == awsKey(original.key) }
    #expect(copies.count == 2)
    #expect(copies.first { $0["path"] as? String == copy }?["status"] as? String == "modified")
    #expect(copies.first { $0["path"] as? String == original.path }?["status"] as? String == "valid")
  }

  @Test func filesOutsideTheLayoutFailUnlessIgnored() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 2)
    // The trail's root holds AWSLogs/ and, beside it, the key and signature files: JSON that
    // search reads as events, and that no digest can list.
    let beside = [
      trail.publicKeysPath, trail.publicKeysV1Path, trail.publicKeysSPKIPath, trail.signaturesPath,
      trail.allSignaturesPath,
    ].sorted()
    let arguments = [trail.root, "--public-keys", trail.publicKeysPath, "--signatures", trail.signaturesPath]
    let strict = try run(arguments)
    #expect(strict.status == 1)
    #expect(strict.problems == ["outside-layout": beside])
    let ignored = try run(arguments + ["--ignore-outside-layout"])
    #expect(ignored.status == 0, "\(ignored.stderr)")
    #expect(ignored.problems == ["ignored": beside])
    #expect(ignored.stderr.contains("5 ignored"), "\(ignored.stderr)")
  }

  // MARK: Tail truncation and forged chains

  @Test func newestDigestDeletedWithItsLogs() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 4)
    let newest = trail.digests[3]
    try FileManager.default.removeItem(atPath: newest.path)
    for log in trail.logs where newest.logKeys.contains(log.key) {
      try FileManager.default.removeItem(atPath: log.path)
    }
    // Without --signatures nothing shows it: the chain is an hour shorter (docs/validate.md).
    #expect(try validate(trail).status == 0)
    // The signature saved at download time names a digest that is gone.
    let signed = try validate(trail, signatures: trail.signaturesPath)
    #expect(signed.status == 1)
    let missing = try #require(signed.entry(awsKey(newest.key)))
    #expect(missing["status"] as? String == "missing")
    #expect((missing["detail"] as? String ?? "").contains("named in --signatures"))
    // The digest before it is no longer the newest, and its signature went with the deleted one.
    #expect(signed.status(of: awsKey(trail.digests[2].key)) == "unverifiable")
    #expect(signed.problems.keys.sorted() == ["missing", "unverifiable"], "\(signed.problems)")

    // Two hours gone: --until at the end of the audited period sees the chain end too early.
    try FileManager.default.removeItem(atPath: trail.digests[2].path)
    let early = try validate(trail, ["--until", newest.endTime])
    #expect(early.status == 1)
    let head = try #require(early.entry(awsKey(trail.digests[1].key)))
    #expect(head["status"] as? String == "chain-broken")
    #expect((head["detail"] as? String ?? "").contains("--until"), "\(head)")
    // Within one digest period of --until, the next digest may not be written yet.
    #expect(try validate(trail, ["--until", trail.digests[1].endTime]).status == 0)
  }

  @Test func untilTakesTheSignatureOfItsNewestDigestFromTheNextOne() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 4)
    // --until 02:00 checks the digests delivered before 03:00 (01:00, 02:00); the 03:00 digest,
    // after the range, holds the signature of the 02:00 one; --signatures names the archive's
    // newest (04:00), which is there.
    let outcome = try validate(trail, signatures: trail.signaturesPath, ["--until", trail.digests[1].endTime])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.problems.isEmpty, "\(outcome.problems)")
    #expect(outcome.entries.filter { $0["kind"] as? String == "digest" }.count == 2)
    #expect(outcome.entry(awsKey(trail.digests[1].key))?["signatureSource"] as? String == "next digest")
  }

  @Test func aForgedChainIsSeenWithSignatures() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 3)
    let heads = try dir.write(
      "heads.json", #"{"\#(trail.digests[2].key)":"\#(trail.digests[2].signature)"}"#)
    // A chain of another trail name, half an hour later: logs and a digest listing them, none
    // of it named by the saved signatures.
    let forged = try SignedTrail.write(to: dir.path, hours: 1, trailName: "forged-trail", start: 1_715_646_600)
    let forgedHead = awsKey(forged.digests[0].key)
    // Without --signatures its digest is a chain's newest, unverifiable by nature.
    let blind = try validate(trail)
    #expect(blind.status == 0)
    #expect(blind.status(of: forgedHead) == "unverifiable")
    // With them, every chain's newest digest must be there.
    let signed = try validate(trail, signatures: heads)
    #expect(signed.status == 1)
    #expect(signed.problems == ["unverifiable": [forgedHead]], "\(signed.problems)")
    #expect(signed.entry(forgedHead)?["signatureSource"] as? String == "not in --signatures")
  }

  // MARK: Pending, keys

  @Test func pendingOnlyWithinTheHourAfterTheNewestDigest() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 3)  // digests at 01:00, 02:00, 03:00
    let day = (trail.logs[0].path as NSString).deletingLastPathComponent
    let pending = day + "/111122223333_CloudTrail_us-east-1_20240514T0330Z_PendingPending00.json.gz"
    try write(pending, Self.forgedLog)
    let outcome = try validate(trail, signatures: trail.signaturesPath)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.problems == ["pending": [awsKey(pending)]])
    #expect(outcome.stderr.contains("1 pending"))
    // Later than an hour after the newest digest (the next one would list it), or a name from
    // the future: not covered.
    let late = day + "/111122223333_CloudTrail_us-east-1_20240514T0530Z_LateLateLateLate.json.gz"
    let future =
      trail.awsLogsPath
      + "/111122223333/CloudTrail/us-east-1/2099/01/01/111122223333_CloudTrail_us-east-1_20990101T0000Z_FutureFuture0000.json.gz"
    try write(late, Self.forgedLog)
    try write(future, Self.forgedLog)
    let failing = try validate(trail, signatures: trail.signaturesPath)
    #expect(failing.status == 1)
    #expect(
      failing.problems == ["pending": [awsKey(pending)], "not-covered": [awsKey(future), awsKey(late)].sorted()])
  }

  @Test func keysAreUsedOnlyInsideTheirValidity() throws {
    let dir = try TemporaryDirectory()
    // The signing key is valid 2024-05-01 to 2025-05-01; these digests are signed in June 2025.
    let trail = try SignedTrail.write(to: dir.path, hours: 2, start: 1_748_736_000)
    let outcome = try validate(trail, signatures: trail.signaturesPath)
    #expect(outcome.status == 1)
    #expect(outcome.problems == ["signature-invalid": trail.digestKeys.map(awsKey)], "\(outcome.problems)")
    for digest in trail.digests {
      #expect((outcome.entry(awsKey(digest.key))?["detail"] as? String ?? "").contains("outside the validity"))
    }
    // The same key without an end: the signatures verify.
    let open = try dir.write(
      "open-keys.json",
      SignedTrail.publicKeysJSON(.cliV2).replacingOccurrences(
        of: #""ValidityEndTime": "2025-05-01T00:00:00+00:00""#, with: #""ValidityEndTime": null"#))
    let opened = try run([
      trail.awsLogsPath, "--public-keys", open, "--signatures", trail.signaturesPath,
    ])
    #expect(opened.status == 0, "\(opened.stderr)")
    #expect(opened.problems.isEmpty, "\(opened.problems)")
  }

  // MARK: Nothing to validate

  @Test func nothingToValidateIsAnError() throws {
    let dir = try TemporaryDirectory()
    let empty = try dir.makeDirectory("empty")
    let plain = try dir.write("plain/events.json", #"{"Records":[]}"#)
    let trail = try SignedTrail.write(to: dir.path("trail"), hours: 1)
    let cases: [([String], String)] = [
      ([empty], "nothing to validate"),
      ([dir.path("plain")], "nothing to validate"),
      ([dir.path("plain"), "--ignore-outside-layout"], "nothing to validate"),
      (["-"], "standard input"),
      ([trail.awsLogsPath, "--since", "2030-01-01"], "in the accounts, regions and time range asked for"),
      ([trail.awsLogsPath, "--account", "999999999999"], "nothing to validate"),
    ]
    for (arguments, message) in cases {
      let result = try TrailBinary.run(["validate"] + arguments + ["--format", "jsonl"], stdin: Data("{}".utf8))
      #expect(result.status == 2, "\(arguments): \(result.stderr)")
      #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
    }
    // The files that were there are still listed.
    let listed = try run([dir.path("plain")])
    #expect(listed.problems == ["outside-layout": [plain]])
  }

  // MARK: Bounded memory

  /// The peak RSS (KiB) and exit status of `trail-scan arguments…`, measured by the kernel for
  /// that process alone.
  func peakMemory(_ arguments: [String]) throws -> (kib: Int, status: Int, stderr: String) {
    let output = try Python.runScript("peak-rss.py", [TrailBinary.url.path] + arguments)
    #expect(output.status == 0, "\(output.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any])
    return (report["maxrss_kib"] as? Int ?? 0, report["status"] as? Int ?? -1, report["stderr"] as? String ?? "")
  }

  @Test(arguments: [["inflate", "512"], ["entries", "1000000"]])
  func aDigestBombCostsTheCapAndCountsOnce(bomb: [String]) throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 3)
    let victim = trail.digests[1]
    // 512 MiB of padding in 0.5 MB, or a million entries (355 MB) in 3.4 MB.
    let made = try Python.runScript("digest-bombs.py", [bomb[0], victim.path, bomb[1]])
    #expect(made.status == 0, "\(made.stderr)")
    let arguments = [
      "validate", trail.awsLogsPath, "--public-keys", trail.publicKeysPath, "--signatures", trail.signaturesPath,
      "--format", "jsonl",
    ]
    let peak = try peakMemory(arguments)
    #expect(peak.status == 1, "\(peak.stderr)")
    // Read whole, either would take well over 512 MiB; capped, the digest costs 32 MiB or so.
    #expect(peak.kib < 256 * 1024, "peak RSS \(peak.kib) KiB")

    let outcome = try validate(trail, signatures: trail.signaturesPath)
    let entries = outcome.entries.filter { $0["key"] as? String == awsKey(victim.key) }
    #expect(entries.count == 1)
    #expect(entries.first?["status"] as? String == "invalid")
    #expect((entries.first?["detail"] as? String ?? "").contains("larger than 32 MiB uncompressed"), "\(entries)")
    // Invalid, not also missing; the next digest's link to it is not reported again; the one
    // before it lost its signature (held by the bombed digest); its logs are in no digest.
    #expect(
      outcome.problems
        == [
          "invalid": [awsKey(victim.key)], "unverifiable": [awsKey(trail.digests[0].key)],
          "not-covered": victim.logKeys.map(awsKey).sorted(),
        ], "\(outcome.problems)")
  }

  @Test func duplicateEntriesCountOnce() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 2)
    let digest = trail.digests[0]
    var json = try #require(try JSONSerialization.jsonObject(with: Data(digest.uncompressed)) as? [String: Any])
    let files = try #require(json["logFiles"] as? [Any])
    json["logFiles"] = Array(repeating: files, count: 500).flatMap { $0 }
    try write(digest.path, Gzip.compress(Array(try JSONSerialization.data(withJSONObject: json))))
    let outcome = try validate(trail, signatures: trail.signaturesPath)
    // The rewritten digest no longer matches its signature, nor the next digest's link…
    #expect(outcome.status == 1)
    #expect(
      outcome.problems
        == ["signature-invalid": [awsKey(digest.key)], "chain-broken": [awsKey(trail.digests[1].key)]],
      "\(outcome.problems)")
    // …but each log file it lists 500 times is one entry.
    let logs = outcome.entries.filter { $0["kind"] as? String == "log" }
    #expect(logs.count == trail.logs.count)
    #expect(outcome.stderr.contains("\(trail.logs.count)/\(trail.logs.count) log files valid"), "\(outcome.stderr)")
  }

  @Test func keyAndSignatureFilesAreCapped() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 1)
    for option in ["--public-keys", "--signatures"] {
      let arguments =
        ["validate", trail.awsLogsPath, option, "/dev/zero"]
        + (option == "--signatures" ? ["--public-keys", trail.publicKeysPath] : [])
      let peak = try peakMemory(arguments)
      #expect(peak.status == 2)
      #expect(peak.stderr.contains("/dev/zero: larger than"), "\(peak.stderr)")
      #expect(peak.kib < 128 * 1024, "\(option): peak RSS \(peak.kib) KiB")
    }
  }
}
