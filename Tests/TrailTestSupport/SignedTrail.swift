// Writes a signed CloudTrail trail for integrity tests: log files, an hourly digest chain signed
// like CloudTrail signs it (cloudtrail-formats §3), the saved `list-public-keys` output and the
// `--signatures` file, with a test RSA key made once per process. Deterministic but for the key.
import Crypto
import Foundation
import TrailGzip
import TrailJSON
import _CryptoExtras

/// A signed trail on disk, as `SignedTrail.write(to:…)` left it.
public struct SignedTrail: Sendable {
  /// One log file.
  public struct Log: Sendable {
    /// Absolute path on disk.
    public let path: String
    /// S3 key (what digests' `s3Object` holds), prefix included.
    public let key: String
    /// The uncompressed JSON (what `hashValue` covers).
    public let uncompressed: [UInt8]
    /// Lower-case hex SHA-256 of `uncompressed`.
    public let sha256: String
    public let oldestEventTime: String
    public let newestEventTime: String
    /// Listed only by the backfill digest.
    public let isBackfill: Bool
  }

  /// One digest file.
  public struct Digest: Sendable {
    public let path: String
    /// S3 key, prefix included: the digest's own `digestS3Object`.
    public let key: String
    /// The uncompressed JSON (what the signing string's hash and the next digest's
    /// `previousDigestHashValue` cover).
    public let uncompressed: [UInt8]
    public let sha256: String
    /// Lower-case hex RSA signature (what S3 metadata `x-amz-meta-signature` would hold).
    public let signature: String
    /// The exact string that was signed.
    public let signingString: String
    public let startTime: String
    public let endTime: String
    /// Keys of the log files it lists, in order (empty for an empty hour).
    public let logKeys: [String]
    public let isBackfill: Bool
  }

  /// The directory the trail was written into (holds `AWSLogs/` or `<prefix>/AWSLogs/`).
  public let root: String
  public let bucket: String
  /// `<prefix>/` or "".
  public let keyPrefix: String
  /// Every log file, by delivery time (the backfill's late log among them).
  public let logs: [Log]
  /// The regular digests, oldest first (one per hour).
  public let digests: [Digest]
  /// The backfill digest, when asked for.
  public let backfillDigest: Digest?

  /// `public-keys.json`: AWS CLI v2 shape (ISO times), base64 PKCS#1 DER values. Holds an older,
  /// unrelated key first (`SignedTrail.otherFingerprint`), then the signing key.
  public let publicKeysPath: String
  /// `public-keys-v1.json`: the same keys, CLI v1 shape (epoch seconds, fractional).
  public let publicKeysV1Path: String
  /// `public-keys-spki.json`: the same keys, values as SubjectPublicKeyInfo DER; `Fingerprint`
  /// stays the MD5 of the PKCS#1 DER (the one digests carry).
  public let publicKeysSPKIPath: String
  /// `signatures.json` (`--signatures`): newest regular digest's `digestS3Object` → signature,
  /// plus the backfill digest's when there is one (the head of its own chain).
  public let signaturesPath: String
  /// `signatures-all.json`: every digest's key → signature.
  public let allSignaturesPath: String

  /// The `AWSLogs` folder (below the prefix): what to validate, without the key and signature
  /// files beside it, which `search` would read too.
  public var awsLogsPath: String { root + "/" + keyPrefix + "AWSLogs" }
  public var logPaths: [String] { logs.map(\.path) }
  public var logKeys: [String] { logs.map(\.key) }
  /// Regular digests, then the backfill digest.
  public var allDigests: [Digest] { digests + (backfillDigest.map { [$0] } ?? []) }
  public var digestPaths: [String] { digests.map(\.path) }
  public var digestKeys: [String] { digests.map(\.key) }
  public var signatures: [String] { digests.map(\.signature) }

  // MARK: The test keys

  /// The signing key: RSA-2048, made on first use (key generation is slow) and shared by the process.
  static let signingKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
  /// A second, unrelated RSA-2048 key (listed in the key files as an older key; for wrong-key tests).
  static let otherKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

  /// PKCS#1 `RSAPublicKey` DER of the signing key (what AWS serves as `Value`).
  public static var publicKeyPKCS1DER: [UInt8] { Array(signingKey.publicKey.pkcs1DERRepresentation) }
  /// SubjectPublicKeyInfo DER of the signing key.
  public static var publicKeySPKIDER: [UInt8] { Array(signingKey.publicKey.derRepresentation) }
  /// Lower-case hex MD5 of `publicKeyPKCS1DER`: every digest's `digestPublicKeyFingerprint`.
  public static var fingerprint: String { hex(Insecure.MD5.hash(data: publicKeyPKCS1DER)) }

  public static var otherPublicKeyPKCS1DER: [UInt8] { Array(otherKey.publicKey.pkcs1DERRepresentation) }
  public static var otherFingerprint: String { hex(Insecure.MD5.hash(data: otherPublicKeyPKCS1DER)) }

  /// Lower-case hex RSASSA-PKCS1-v1_5 SHA-256 signature of UTF-8 `signing` by the test key.
  public static func signatureHex(signing: String) -> String {
    hex(try! signingKey.signature(for: Array(signing.utf8), padding: .insecurePKCS1v1_5).rawRepresentation)
  }

  /// Lower-case hex SHA-256 of `bytes` (as digests spell `hashValue`; for re-hashing tampered files).
  public static func sha256Hex(_ bytes: [UInt8]) -> String { hex(SHA256.hash(data: bytes)) }

  /// The signing key as PKCS#8 PEM (for cross-checks with external tools such as openssl).
  public static var privateKeyPEM: String { signingKey.pkcs8PEMRepresentation }

  /// The same, by the other key.
  public static func otherSignatureHex(signing: String) -> String {
    hex(try! otherKey.signature(for: Array(signing.utf8), padding: .insecurePKCS1v1_5).rawRepresentation)
  }

  /// The shapes of a saved `list-public-keys` output.
  public enum KeyFileShape: Sendable { case cliV2, cliV1, spki }

  /// The key file text of `shape`: the other key (valid 2024-04-01 → 2024-05-01), then the
  /// signing key (valid 2024-05-01 → 2025-05-01).
  public static func publicKeysJSON(_ shape: KeyFileShape) -> String {
    let entries: [(key: _RSA.Signing.PrivateKey, from: Int64, until: Int64)] = [
      (otherKey, 1_711_929_600, 1_714_521_600),  // 2024-04-01, 2024-05-01
      (signingKey, 1_714_521_600, 1_746_057_600),  // 2024-05-01, 2025-05-01
    ]
    var out: [UInt8] = Array("{\n    \"PublicKeyList\": [".utf8)
    for (i, entry) in entries.enumerated() {
      let pkcs1 = Array(entry.key.publicKey.pkcs1DERRepresentation)
      let value = shape == .spki ? Array(entry.key.publicKey.derRepresentation) : pkcs1
      func time(_ seconds: Int64) -> String {
        // v2 prints botocore's isoformat(); v1 prints the float epoch.
        shape == .cliV1 ? "\(seconds).0" : "\"\(iso(seconds).dropLast())+00:00\""
      }
      out += Array(((i == 0 ? "" : ",") + "\n        {\n            \"Value\": ").utf8)
      JSONWriter.appendString(Data(value).base64EncodedString(), to: &out)
      out += Array(
        ",\n            \"ValidityStartTime\": \(time(entry.from)),\n            \"ValidityEndTime\": \(time(entry.until)),\n            \"Fingerprint\": "
          .utf8)
      JSONWriter.appendString(hex(Insecure.MD5.hash(data: pkcs1)), to: &out)
      out += Array("\n        }".utf8)
    }
    out += Array("\n    ]\n}\n".utf8)
    return String(decoding: out, as: UTF8.self)
  }

  // MARK: Writing

  /// Writes a trail under `root`:
  /// `[<prefix>/]AWSLogs/[<organization>/]<account>/CloudTrail/<region>/YYYY/MM/DD/…json.gz` log
  /// files and `…/CloudTrail-Digest/<region>/…` digests, beside the key and signature files.
  ///
  /// - Hour `h` in `0..<hours` spans `start + h·1h` to `start + (h+1)·1h`; it delivers
  ///   `logsPerHour` log files (none for hours in `emptyHours`) of `eventsPerLog` events each, and
  ///   one digest named by its end time. The first digest starts the chain (`previousDigest*`
  ///   null); each next one links to the previous.
  /// - `backfill`: one more log file, delivered in hour 0 but listed by no regular digest, and a
  ///   `_backfill` digest (its own chain start) that lists it.
  /// - `start` defaults to 2024-05-14T00:00:00Z (epoch seconds; should be a whole hour).
  @discardableResult
  public static func write(
    to root: String,
    hours: Int = 3,
    logsPerHour: Int = 2,
    eventsPerLog: Int = 3,
    emptyHours: Set<Int> = [],
    backfill: Bool = false,
    account: String = "111122223333",
    region: String = "us-east-1",
    homeRegion: String = "us-east-1",
    trailName: String = "management-events",
    bucket: String = "trail-bucket",
    prefix: String? = nil,
    organization: String? = nil,
    start: Int64 = 1_715_644_800
  ) throws -> SignedTrail {
    let keyPrefix = prefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
    let base = keyPrefix + "AWSLogs/" + (organization.map { $0 + "/" } ?? "") + account + "/"
    var names = NameSource()
    var eventNumber = 0

    func folder(_ kind: String, _ seconds: Int64) -> String {
      let c = civil(seconds)
      return base + "\(kind)/\(region)/\(pad(c.year, 4))/\(pad(c.month, 2))/\(pad(c.day, 2))/"
    }

    func makeLog(deliveredAt delivery: Int64, backfill: Bool) throws -> Log {
      let c = civil(delivery)
      let stamp = "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))T\(pad(c.hour, 2))\(pad(c.minute, 2))Z"
      let key = folder("CloudTrail", delivery) + "\(account)_CloudTrail_\(region)_\(stamp)_\(names.next()).json.gz"
      var times: [Int64] = []
      var records: [String] = []
      for j in 0..<eventsPerLog {
        let time = delivery - 300 + Int64(j % 290)
        times.append(time)
        records.append(event(eventNumber, time: time, account: account, region: region))
        eventNumber += 1
      }
      let json = Array((#"{"Records":["# + records.joined(separator: ",") + "]}").utf8)
      let path = try writeFile(root, key, Gzip.compress(json))
      return Log(
        path: path, key: key, uncompressed: json, sha256: hex(SHA256.hash(data: json)),
        oldestEventTime: iso(times.min() ?? delivery), newestEventTime: iso(times.max() ?? delivery),
        isBackfill: backfill)
    }

    func makeDigest(from: Int64, until: Int64, logs: [Log], previous: Digest?, backfill: Bool) throws -> Digest {
      let c = civil(until)
      let stamp =
        "\(pad(c.year, 4))\(pad(c.month, 2))\(pad(c.day, 2))T\(pad(c.hour, 2))\(pad(c.minute, 2))\(pad(c.second, 2))Z"
      let key =
        folder("CloudTrail-Digest", until)
        + "\(account)_CloudTrail-Digest_\(region)_\(trailName)_\(homeRegion)_\(stamp)\(backfill ? "_backfill" : "").json.gz"
      var out: [UInt8] = []
      func field(_ name: String, _ value: String?, first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        JSONWriter.appendString(name, to: &out)
        out.append(UInt8(ascii: ":"))
        if let value { JSONWriter.appendString(value, to: &out) } else { out += Array("null".utf8) }
      }
      out.append(UInt8(ascii: "{"))
      field("awsAccountId", account, first: true)
      field("digestStartTime", iso(from))
      field("digestEndTime", iso(until))
      field("digestS3Bucket", bucket)
      field("digestS3Object", key)
      field("digestPublicKeyFingerprint", fingerprint)
      field("digestSignatureAlgorithm", "SHA256withRSA")
      field("newestEventTime", logs.map(\.newestEventTime).max())
      field("oldestEventTime", logs.map(\.oldestEventTime).min())
      field("previousDigestS3Bucket", previous.map { _ in bucket })
      field("previousDigestS3Object", previous?.key)
      field("previousDigestHashValue", previous?.sha256)
      field("previousDigestHashAlgorithm", previous.map { _ in "SHA-256" })
      field("previousDigestSignature", previous?.signature)
      out += Array(#","logFiles":["#.utf8)
      for (i, log) in logs.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "{"))
        field("s3Bucket", bucket, first: true)
        field("s3Object", log.key)
        field("hashValue", log.sha256)
        field("hashAlgorithm", "SHA-256")
        field("newestEventTime", log.newestEventTime)
        field("oldestEventTime", log.oldestEventTime)
        out.append(UInt8(ascii: "}"))
      }
      out += Array("]}".utf8)
      let sha = hex(SHA256.hash(data: out))
      let signing = "\(iso(until))\n\(bucket)/\(key)\n\(sha)\n\(previous?.signature ?? "null")"
      let path = try writeFile(root, key, Gzip.compress(out))
      return Digest(
        path: path, key: key, uncompressed: out, sha256: sha, signature: signatureHex(signing: signing),
        signingString: signing, startTime: iso(from), endTime: iso(until),
        logKeys: logs.map(\.key), isBackfill: backfill)
    }

    var logs: [Log] = []
    var digests: [Digest] = []
    var lateLog: Log?
    for h in 0..<hours {
      let from = start + Int64(h) * 3600
      let until = from + 3600
      var hourLogs: [Log] = []
      if !emptyHours.contains(h) {
        for k in 0..<logsPerHour {
          hourLogs.append(
            try makeLog(deliveredAt: from + Int64(k + 1) * (3600 / Int64(logsPerHour + 1)), backfill: false))
        }
      }
      if backfill && h == 0 {
        lateLog = try makeLog(deliveredAt: from + 3540, backfill: true)  // HH:59, missed by the digest
      }
      logs += hourLogs
      if let lateLog, h == 0 { logs.append(lateLog) }
      digests.append(try makeDigest(from: from, until: until, logs: hourLogs, previous: digests.last, backfill: false))
    }
    var backfillDigest: Digest?
    if let lateLog {
      backfillDigest = try makeDigest(from: start, until: start + 3600, logs: [lateLog], previous: nil, backfill: true)
    }

    let publicKeysPath = try writeFile(root, "public-keys.json", Array(publicKeysJSON(.cliV2).utf8))
    let publicKeysV1Path = try writeFile(root, "public-keys-v1.json", Array(publicKeysJSON(.cliV1).utf8))
    let publicKeysSPKIPath = try writeFile(root, "public-keys-spki.json", Array(publicKeysJSON(.spki).utf8))
    func signatureFile(_ list: [Digest]) -> [UInt8] {
      var out: [UInt8] = Array("{".utf8)
      for (i, digest) in list.enumerated() {
        out += Array((i == 0 ? "\n  " : ",\n  ").utf8)
        JSONWriter.appendString(digest.key, to: &out)
        out += Array(": ".utf8)
        JSONWriter.appendString(digest.signature, to: &out)
      }
      out += Array("\n}\n".utf8)
      return out
    }
    let heads = (digests.last.map { [$0] } ?? []) + (backfillDigest.map { [$0] } ?? [])
    let signaturesPath = try writeFile(root, "signatures.json", signatureFile(heads))
    let allSignaturesPath = try writeFile(
      root, "signatures-all.json",
      signatureFile(digests + (backfillDigest.map { [$0] } ?? [])))
    return SignedTrail(
      root: root, bucket: bucket, keyPrefix: keyPrefix, logs: logs, digests: digests,
      backfillDigest: backfillDigest, publicKeysPath: publicKeysPath,
      publicKeysV1Path: publicKeysV1Path, publicKeysSPKIPath: publicKeysSPKIPath,
      signaturesPath: signaturesPath, allSignaturesPath: allSignaturesPath)
  }

  // MARK: Helpers

  /// A CloudTrail record with a distinct eventID, name and source address.
  static func event(_ i: Int, time: Int64, account: String, region: String) -> String {
    let names = ["GetObject", "PutObject", "DescribeInstances", "AssumeRole", "ConsoleLogin", "ListBuckets"]
    let sources = [
      "s3.amazonaws.com", "s3.amazonaws.com", "ec2.amazonaws.com", "sts.amazonaws.com", "signin.amazonaws.com",
      "s3.amazonaws.com",
    ]
    let n = i % names.count
    return
      #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE\#(i % 7)","arn":"arn:aws:iam::\#(account):user/u\#(i % 3)","accountId":"\#(account)","userName":"u\#(i % 3)"},"eventTime":"\#(iso(time))","eventSource":"\#(sources[n])","eventName":"\#(names[n])","awsRegion":"\#(region)","sourceIPAddress":"198.51.100.\#(i % 250)","userAgent":"aws-cli/2.15.0","requestParameters":{"n":\#(i)},"responseElements":null,"requestID":"REQ\#(pad(i, 12))","eventID":"00000000-0000-4000-8000-\#(pad(i, 12))","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"\#(account)","eventCategory":"Management"}"#
  }

  /// Deterministic 16-character alphanumeric names (xorshift from a fixed seed).
  struct NameSource {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next() -> String {
      let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
      var name = ""
      for _ in 0..<16 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        name.append(alphabet[Int(state % UInt64(alphabet.count))])
      }
      return name
    }
  }

  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String($0, radix: 16).leftPad(2) }.joined()
  }

  static func pad(_ value: Int, _ width: Int) -> String { String(value).leftPad(width) }

  /// UTC calendar fields of epoch `seconds` (Howard Hinnant's civil_from_days).
  static func civil(_ seconds: Int64) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let secondOfDay = Int(seconds - days * 86_400)
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = Int(doy - (153 * mp + 2) / 5 + 1)
    let month = Int(mp < 10 ? mp + 3 : mp - 9)
    let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
    return (year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
  }

  /// `YYYY-MM-DDTHH:MM:SSZ`.
  static func iso(_ seconds: Int64) -> String {
    let c = civil(seconds)
    return
      "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
  }

  /// Writes `bytes` to `root/relative`, creating folders; returns the path.
  static func writeFile(_ root: String, _ relative: String, _ bytes: [UInt8]) throws -> String {
    let path = root + "/" + relative
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return path
  }
}
