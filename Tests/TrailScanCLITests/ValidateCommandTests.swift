// `trail-scan validate` through the binary on a trail signed with a test RSA key (SignedTrail):
// an untouched trail validates clean, and each kind of tampering is detected and named — a
// changed log byte, a deleted log, an added log, deleted digests (one, two in a row), a forged
// digest, bytes appended after a gzip stream — with backfill digests and both key shapes.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

struct ValidateCommandTests {
  struct Outcome {
    var status: Int32
    var entries: [[String: Any]]
    var stderr: String

    func entry(_ key: String) -> [String: Any]? {
      entries.first { ($0["key"] as? String).map { key.hasSuffix($0) || $0.hasSuffix(key) } ?? false }
    }
    func status(of key: String) -> String? { entry(key)?["status"] as? String }
    /// Status → keys, leaving out valid files.
    var problems: [String: [String]] {
      Dictionary(grouping: entries.filter { $0["status"] as? String != "valid" }) { $0["status"] as! String }
        .mapValues { $0.map { $0["key"] as! String }.sorted() }
    }
  }

  func validate(_ trail: SignedTrail, _ extra: [String] = [], keys: String? = nil) throws -> Outcome {
    let result = try TrailBinary.run(
      ["validate", trail.awsLogsPath, "--public-keys", keys ?? trail.publicKeysPath, "--format", "jsonl"] + extra)
    let entries = try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    return Outcome(status: result.status, entries: entries, stderr: result.stderr)
  }

  /// The digests' keys, from AWSLogs/ on.
  func awsKey(_ key: String) -> String { String(key[key.range(of: "AWSLogs/")!.lowerBound...]) }

  @Test func untouchedTrailValidates() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 4, emptyHours: [2])
    let outcome = try validate(trail)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    // Only the newest digest is not fully checked: its signature lived in S3 metadata.
    #expect(outcome.problems == ["unverifiable": [awsKey(trail.digests.last!.key)]])
    #expect(outcome.entries.filter { $0["kind"] as? String == "log" }.count == trail.logs.count)
    #expect(outcome.stderr.contains("4/4 digest files valid") == false)
    #expect(outcome.stderr.contains("3/4 digest files valid, 1 unverifiable (newest)"), "\(outcome.stderr)")
    #expect(outcome.stderr.contains("\(trail.logs.count)/\(trail.logs.count) log files valid"))
    #expect(outcome.stderr.hasSuffix("PASS\n"))
    // With the saved signature of the newest digest, every digest is valid.
    let signed = try validate(trail, ["--signatures", trail.signaturesPath])
    #expect(signed.status == 0)
    #expect(signed.problems.isEmpty, "\(signed.problems)")
  }

  @Test(arguments: [0, 1, 2])
  func keyFileShapes(shape: Int) throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(
      to: dir.path, hours: 2, prefix: shape == 1 ? "some/prefix" : nil, organization: shape == 2 ? "o-abc123def4" : nil)
    let keys = [trail.publicKeysPath, trail.publicKeysV1Path, trail.publicKeysSPKIPath][shape]
    let outcome = try validate(trail, ["--signatures", trail.signaturesPath], keys: keys)
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.problems.isEmpty, "\(outcome.problems)")
  }

  @Test func oneLogByteChanged() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path)
    let victim = trail.logs[3]
    var text = victim.uncompressed
    let at = text.firstIndex(of: UInt8(ascii: "1"))!
    text[at] = UInt8(ascii: "2")
    try Data(Gzip.compress(text)).write(to: URL(fileURLWithPath: victim.path))
    let outcome = try validate(trail)
    #expect(outcome.status == 1)
    #expect(outcome.status(of: awsKey(victim.key)) == "modified")
    #expect(outcome.problems["modified"]?.count == 1)
    #expect(outcome.stderr.contains("1 modified"))
  }

  @Test func logDeleted() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path)
    try FileManager.default.removeItem(atPath: trail.logs[0].path)
    let outcome = try validate(trail)
    #expect(outcome.status == 1)
    let entry = try #require(outcome.entry(awsKey(trail.logs[0].key)))
    #expect(entry["status"] as? String == "missing")
    #expect(entry["path"] is NSNull)
  }

  @Test func logAddedThatNoDigestLists() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path)
    let original = trail.logs[1]
    let forged = original.path.replacingOccurrences(of: ".json.gz", with: "").dropLast(16) + "ForgedForgedForg.json.gz"
    try FileManager.default.copyItem(atPath: original.path, toPath: String(forged))
    let outcome = try validate(trail)
    #expect(outcome.status == 1)
    #expect(outcome.problems["not-covered"] == [awsKey(String(forged))])
  }

  @Test func digestDeleted() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 4)
    try FileManager.default.removeItem(atPath: trail.digests[1].path)
    let outcome = try validate(trail)
    #expect(outcome.status == 1)
    #expect(outcome.status(of: awsKey(trail.digests[1].key)) == "missing")
    #expect(outcome.status(of: awsKey(trail.digests[2].key)) == "chain-broken")
    // Its logs are now in no digest, and the digest before it lost its signature.
    #expect(
      Set(outcome.problems["not-covered"] ?? [])
        == Set(trail.logs.filter { trail.digests[1].logKeys.contains($0.key) }.map { awsKey($0.key) }))
    #expect(outcome.status(of: awsKey(trail.digests[0].key)) == "unverifiable")
    #expect(outcome.stderr.contains("FAIL"))
  }

  @Test func twoConsecutiveDigestsDeleted() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 5)
    try FileManager.default.removeItem(atPath: trail.digests[1].path)
    try FileManager.default.removeItem(atPath: trail.digests[2].path)
    let outcome = try validate(trail)
    #expect(outcome.status == 1)
    // The one named by its successor is missing; the successor's chain is broken, and the gap it
    // reports spans both deleted digests' hours.
    #expect(outcome.status(of: awsKey(trail.digests[2].key)) == "missing")
    let broken = try #require(outcome.entry(awsKey(trail.digests[3].key)))
    #expect(broken["status"] as? String == "chain-broken")
    let detail = broken["detail"] as? String ?? ""
    #expect(
      detail.contains("no digest covers \(trail.digests[0].endTime) to \(trail.digests[3].startTime)"), "\(detail)")
    #expect(
      trail.digests[1].startTime >= trail.digests[0].endTime && trail.digests[2].endTime <= trail.digests[3].startTime)
    #expect(
      (outcome.problems["not-covered"] ?? []).count == trail.digests[1].logKeys.count + trail.digests[2].logKeys.count)
  }

  @Test func forgedDigestWithABadSignature() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 3)
    // Tamper with a log and rewrite its digest to record the new hash: the digest's own hash no
    // longer matches its signature (held by the next digest) nor the next digest's link.
    let victim = trail.logs[0]
    let tampered = victim.uncompressed + Array(" ".utf8)
    try Data(Gzip.compress(tampered)).write(to: URL(fileURLWithPath: victim.path))
    let digest = trail.digests[0]
    let forgedText = String(decoding: digest.uncompressed, as: UTF8.self)
      .replacingOccurrences(of: victim.sha256, with: SignedTrail.sha256Hex(tampered))
    try Data(Gzip.compress(Array(forgedText.utf8))).write(to: URL(fileURLWithPath: digest.path))
    let outcome = try validate(trail)
    #expect(outcome.status == 1)
    #expect(outcome.status(of: awsKey(digest.key)) == "signature-invalid")
    #expect(outcome.status(of: awsKey(trail.digests[1].key)) == "chain-broken")
    // The log now matches the forged digest, so only the digest reveals it.
    #expect(outcome.status(of: awsKey(victim.key)) == "valid")

    // A forged newest digest, signed by a key that is not the trail's: invalid too.
    let newest = trail.digests.last!
    let sigs = try dir.write(
      "forged-sigs.json", #"{"\#(newest.key)":"\#(SignedTrail.otherSignatureHex(signing: newest.signingString))"}"#)
    let other = try validate(trail, ["--signatures", sigs])
    #expect(other.status(of: awsKey(newest.key)) == "signature-invalid")
  }

  @Test(arguments: [true, false])
  func bytesAppendedAfterTheGzipStream(asMember: Bool) throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path)
    let victim = trail.logs[2]
    let size = try FileManager.default.attributesOfItem(atPath: victim.path)[.size] as! Int
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: victim.path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(asMember ? Gzip.compress(Array(#"{"Records":[]}"#.utf8)) : Array("junk".utf8)))
    try handle.close()
    let outcome = try validate(trail)
    #expect(outcome.status == 1)
    let entry = try #require(outcome.entry(awsKey(victim.key)))
    #expect(entry["status"] as? String == "extra-data")
    #expect((entry["detail"] as? String ?? "").contains("at byte \(size)"), "\(entry)")
  }

  @Test func backfillDigest() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, backfill: true)
    let outcome = try validate(trail, ["--signatures", trail.allSignaturesPath])
    #expect(outcome.status == 0, "\(outcome.stderr)")
    #expect(outcome.problems.isEmpty, "\(outcome.problems)")
    let backfilled = try #require(trail.logs.first { $0.isBackfill })
    #expect(outcome.entry(awsKey(backfilled.key))?["backfill"] as? Bool == true)
    #expect(outcome.stderr.contains("backfill digest files valid"))
    // The log only the backfill digest lists, deleted: missing.
    try FileManager.default.removeItem(atPath: backfilled.path)
    let missing = try validate(trail, ["--signatures", trail.allSignaturesPath])
    #expect(missing.status == 1)
    #expect(missing.status(of: awsKey(backfilled.key)) == "missing")
  }

  @Test func keysAndSignatureFilesMatter() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path)
    // No key for the fingerprint: unverifiable, which fails.
    let otherKeys = try dir.write("other-keys.json", #"{"PublicKeyList":[]}"#)
    let noKey = try validate(trail, keys: otherKeys)
    #expect(noKey.status == 1)
    #expect((noKey.problems["unverifiable"] ?? []).count == trail.digests.count)
    // A key file that is not one: an error, 2.
    let broken = try dir.write("broken.json", "{\"PublicKeyList\":[{\"Value\":\"not base64!\"}]}")
    let result = try TrailBinary.run(["validate", trail.root, "--public-keys", broken])
    #expect(result.status == 2)
    #expect(result.stderr.contains("broken.json"))
    #expect(try TrailBinary.run(["validate", trail.root, "--public-keys", dir.path("nope.json")]).status == 2)
    #expect(try TrailBinary.run(["validate"]).status == 2)
  }

  @Test func timeRangeLimitsWhatIsChecked() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 4)
    // A log of the first hour deleted; checking what was delivered from the second hour's end
    // on (digests 1, 2, 3: a digest is delivered at its end time) does not see it.
    try FileManager.default.removeItem(atPath: trail.logs[0].path)
    #expect(try validate(trail).status == 1)
    let later = try validate(trail, ["--since", trail.digests[1].endTime])
    #expect(later.status == 0, "\(later.problems)")
    #expect(later.entries.filter { $0["kind"] as? String == "digest" }.count == 3)
    let earlier = try validate(trail, ["--until", trail.digests[0].endTime])
    #expect(earlier.status == 1)
    #expect(earlier.problems["missing"] == [awsKey(trail.logs[0].key)])
  }

  @Test func accountRegionAndTheFullTable() throws {
    let dir = try TemporaryDirectory()
    let a = try SignedTrail.write(to: dir.path, hours: 2)
    let b = try SignedTrail.write(to: dir.path, hours: 2, account: "444455556666", region: "eu-west-1")
    try FileManager.default.removeItem(atPath: b.logs[0].path)
    #expect(try validate(a).status == 1)
    // Only account A (or only its region): B's missing log is out of scope.
    for scope in [["--account", "111122223333"], ["--region", "us-east-1"]] {
      let scoped = try validate(a, scope)
      #expect(scoped.status == 0, "\(scope): \(scoped.problems)")
      #expect(!scoped.entries.contains { ($0["key"] as? String ?? "").contains("444455556666") })
    }
    // The table lists what is not valid (the missing log, and the newest digest, unverifiable
    // without --signatures); --all lists every file. Key files may also be gzip.
    let table = try TrailBinary.run([
      "validate", a.awsLogsPath, "--public-keys", a.publicKeysPath, "--account", "444455556666", "--format", "table",
    ])
    #expect(table.status == 1)
    #expect(
      table.lines.dropFirst().map { String($0.prefix(while: { $0 != " " })) }.sorted() == ["missing", "unverifiable"],
      "\(table.out)")
    let gzippedKeys = try dir.write(
      "keys.json.gz", Gzip.compress(Array(try Data(contentsOf: URL(fileURLWithPath: a.publicKeysPath)))))
    let full = try TrailBinary.run([
      "validate", a.awsLogsPath, "--public-keys", gzippedKeys, "--account", "444455556666", "--format", "table",
      "--all",
    ])
    #expect(full.lines.count == 1 + b.logs.count + b.digests.count, "\(full.out)")
  }

  @Test func reportsForCI() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path)
    try FileManager.default.removeItem(atPath: trail.logs[0].path)
    let sarif = dir.path("integrity.sarif")
    let result = try TrailBinary.run([
      "validate", trail.awsLogsPath, "--public-keys", trail.publicKeysPath, "--format", "sarif", "--output", sarif,
    ])
    #expect(result.status == 1)
    #expect(result.out.contains("missing"))
    let check = try Python.runScript("validate-sarif.py", ["Fixtures/schemas/sarif-schema-2.1.0.json", sarif])
    #expect(check.status == 0, "\(check.stderr)")
    let junit = dir.path("integrity.xml")
    _ = try TrailBinary.run([
      "validate", trail.awsLogsPath, "--public-keys", trail.publicKeysPath, "--format", "junit", "--output", junit,
    ])
    let parsed = try Python.runScript("parse-junit.py", [junit])
    #expect(parsed.status == 0, "\(parsed.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: parsed.stdout) as? [String: Any])
    let failing = ((summary["cases"] as? [[String: Any]]) ?? []).filter { $0["result"] as? String == "failure" }
    #expect(failing.compactMap { $0["name"] as? String }.contains { $0.hasPrefix("integrity.log-missing") })
    #expect(failing.count == 1)
  }
}
