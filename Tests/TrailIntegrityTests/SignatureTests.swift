// Digest signatures end to end: saved `list-public-keys` files in both CLI shapes and both DER
// encodings, the signing string, RSA verdicts on builder-made digests and their tampered
// variants, key-file errors, and a cross-check of key, hash and signature with openssl.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport
import TrailTime

@testable import TrailIntegrity

@Suite struct SignatureTests {
  static let keyFileV2 = Array(SignedTrail.publicKeysJSON(.cliV2).utf8)
  static let keyFileV1 = Array(SignedTrail.publicKeysJSON(.cliV1).utf8)
  static let keyFileSPKI = Array(SignedTrail.publicKeysJSON(.spki).utf8)

  static func keys(_ bytes: [UInt8], _ file: String = "keys.json") throws -> PublicKeySet {
    try PublicKeySet(json: bytes, file: file)
  }

  static func signingKey(_ file: [UInt8] = keyFileV2) throws -> PublicKey {
    try #require(try keys(file).key(fingerprint: SignedTrail.fingerprint))
  }

  /// The error `body` throws.
  static func keyError(_ json: String, file: String = "saved/keys.json") -> PublicKeyError? {
    do {
      _ = try PublicKeySet(json: Array(json.utf8), file: file)
      return nil
    } catch {
      return error
    }
  }

  // MARK: Key files

  @Test func keysFromCLIv2Shape() throws {
    let set = try Self.keys(Self.keyFileV2)
    #expect(set.keys.count == 2)
    let key = try Self.signingKey()
    #expect(key.fingerprint == SignedTrail.fingerprint)
    #expect(key.der == SignedTrail.publicKeyPKCS1DER)
    #expect(key.validFrom == Timestamp(year: 2024, month: 5, day: 1))
    #expect(key.validUntil == Timestamp(year: 2025, month: 5, day: 1))
    #expect(key.keySizeInBits == 2048)
    let other = try #require(set.key(fingerprint: SignedTrail.otherFingerprint))
    #expect(other.validFrom == Timestamp(year: 2024, month: 4, day: 1))
    #expect(other.validUntil == Timestamp(year: 2024, month: 5, day: 1))
  }

  @Test func keysFromCLIv1Shape() throws {
    let key = try Self.signingKey(Self.keyFileV1)
    #expect(key.der == SignedTrail.publicKeyPKCS1DER)
    #expect(key.validFrom == Timestamp(year: 2024, month: 5, day: 1))
    #expect(key.validUntil == Timestamp(year: 2025, month: 5, day: 1))
    // Fractional, integral, exponent and numeric-string epochs; null and absent mean unbounded.
    let value = Data(SignedTrail.publicKeyPKCS1DER).base64EncodedString()
    let json =
      #"{"PublicKeyList":[{"Value":"\#(value)","ValidityStartTime":1715644800.25,"ValidityEndTime":1.7156448E9},"#
      + #"{"Value":"\#(value)","ValidityStartTime":"1715644800","ValidityEndTime":null},{"Value":"\#(value)"}]}"#
    let set = try Self.keys(Array(json.utf8))
    #expect(
      set.keys.map(\.validFrom) == [
        Timestamp(seconds: 1_715_644_800, nanoseconds: 250_000_000), Timestamp(seconds: 1_715_644_800), nil,
      ])
    #expect(set.keys.map(\.validUntil) == [Timestamp(seconds: 1_715_644_800), nil, nil])
    #expect(set.keys.allSatisfy { $0.declaredFingerprint == nil && $0.fingerprint == SignedTrail.fingerprint })
  }

  @Test func bareArrayOfEntriesAndEmptyList() throws {
    let value = Data(SignedTrail.publicKeyPKCS1DER).base64EncodedString()
    let set = try Self.keys(Array(#"[{"Value":"\#(value)"}]"#.utf8))
    #expect(set.key(fingerprint: SignedTrail.fingerprint) != nil)
    #expect(try Self.keys(Array(#"{"PublicKeyList":[]}"#.utf8)).keys.isEmpty)
  }

  @Test func pkcs1AndSPKIKeysBothVerify() throws {
    let signing =
      "2024-05-14T01:00:00Z\ntrail-bucket/AWSLogs/x.json.gz\n" + String(repeating: "ab", count: 32) + "\nnull"
    let signature = SignedTrail.signatureHex(signing: signing)
    let pkcs1 = try Self.signingKey(Self.keyFileV2)
    // The SPKI entry is found by the digest's fingerprint (MD5 of the PKCS#1 form), though its own
    // fingerprint is the MD5 of the SPKI bytes it was given.
    let spki = try Self.signingKey(Self.keyFileSPKI)
    #expect(spki.der == SignedTrail.publicKeySPKIDER)
    #expect(spki.der.starts(with: [0x30, 0x82, 0x01, 0x22, 0x30, 0x0D, 0x06, 0x09]))  // MIIBIjANBgkq…
    #expect(pkcs1.der.starts(with: [0x30, 0x82, 0x01, 0x0A, 0x02, 0x82, 0x01, 0x01]))  // MIIBCgKCAQEA…
    #expect(spki.fingerprint != SignedTrail.fingerprint)
    #expect(spki.declaredFingerprint == SignedTrail.fingerprint)
    for key in [pkcs1, spki] {
      #expect(DigestSignature.verify(signatureHex: signature, signingString: signing, key: key) == .valid)
      #expect(DigestSignature.verify(signatureHex: signature, signingString: signing + " ", key: key) == .invalid)
    }
    // Built straight from DER, without a file.
    let direct = try PublicKey(der: SignedTrail.publicKeySPKIDER)
    #expect(DigestSignature.verify(signatureHex: signature, signingString: signing, key: direct) == .valid)
    // A set indexes each key under both encodings' MD5 even without a declared fingerprint.
    let set = PublicKeySet(keys: [direct])
    #expect(set.key(fingerprint: SignedTrail.fingerprint)?.der == SignedTrail.publicKeySPKIDER)
  }

  @Test func fingerprintLookupIgnoresCase() throws {
    let set = try Self.keys(Self.keyFileV2)
    #expect(set.key(fingerprint: SignedTrail.fingerprint.uppercased())?.fingerprint == SignedTrail.fingerprint)
    #expect(
      set.key(fingerprint: SignedTrail.otherFingerprint.uppercased())?.fingerprint == SignedTrail.otherFingerprint)
    #expect(set.key(fingerprint: String(repeating: "0", count: 32)) == nil)
    #expect(set.key(fingerprint: "") == nil)
  }

  @Test func declaredFingerprintThatDiffersIndexesToo() throws {
    let value = Data(SignedTrail.publicKeyPKCS1DER).base64EncodedString()
    let declared = "DEADBEEFDEADBEEFDEADBEEFDEADBEEF"
    let set = try Self.keys(Array(#"{"PublicKeyList":[{"Value":"\#(value)","Fingerprint":"\#(declared)"}]}"#.utf8))
    let key = try #require(set.key(fingerprint: declared))
    #expect(key.fingerprint == SignedTrail.fingerprint)  // the computed one is the key's fingerprint
    #expect(key.declaredFingerprint == declared.lowercased())
    #expect(set.key(fingerprint: SignedTrail.fingerprint) != nil)
    // A declared fingerprint never takes over another key's computed one.
    let other = Data(SignedTrail.otherPublicKeyPKCS1DER).base64EncodedString()
    let clash = try Self.keys(
      Array(
        #"{"PublicKeyList":[{"Value":"\#(other)","Fingerprint":"\#(SignedTrail.fingerprint)"},{"Value":"\#(value)"}]}"#
          .utf8))
    #expect(clash.key(fingerprint: SignedTrail.fingerprint)?.der == SignedTrail.publicKeyPKCS1DER)
    #expect(clash.key(fingerprint: SignedTrail.otherFingerprint)?.der == SignedTrail.otherPublicKeyPKCS1DER)
  }

  @Test func publishedFingerprintIsMD5OfDER() throws {
    let set = try Self.keys(Self.keyFileV2)
    #expect(!set.keys.isEmpty)
    for key in set.keys {
      #expect(key.declaredFingerprint == key.fingerprint)
    }
    #expect(set.keys.allSatisfy { $0.fingerprint == PublicKey.md5Hex($0.der) })
    // The MD5 the fingerprint is taken with, on RFC 1321 test vectors (openssl checks a key below).
    #expect(PublicKey.md5Hex(Array("".utf8)) == "d41d8cd98f00b204e9800998ecf8427e")
    #expect(PublicKey.md5Hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
  }

  @Test(arguments: [
    (#"{"PublicKeyList": [}"#, "not JSON"),
    (#"{"Keys": []}"#, "no PublicKeyList"),
    (#""PublicKeyList""#, "no PublicKeyList"),
    (#"{"PublicKeyList": {}}"#, "PublicKeyList is not an array"),
    (#"{"PublicKeyList": [{"Fingerprint": "00"}]}"#, "PublicKeyList[0]: no Value"),
    (#"{"PublicKeyList": [{"Value": 12}]}"#, "PublicKeyList[0]: Value is not a string"),
    (
      #"{"PublicKeyList": [{"Value": "MIIB*gKCAQEA"}]}"#,
      "PublicKeyList[0]: Value is not base64 (character \"*\" at offset 4)"
    ),
    (#"{"PublicKeyList": [{"Value": "MIIBC"}]}"#, "PublicKeyList[0]: Value is not base64 (length"),
    (#"{"PublicKeyList": [{"Value": "MA=A"}]}"#, "PublicKeyList[0]: Value is not base64 (misplaced"),
    (#"{"PublicKeyList": [{"Value": ""}]}"#, "PublicKeyList[0]: Value is empty"),
    (#"{"PublicKeyList": [{"Value": "aGVsbG8gd29ybGQ="}]}"#, "PublicKeyList[0]: Value: not DER"),
    (#"{"PublicKeyList": [{"Value": "MAA="}]}"#, "PublicKeyList[0]: Value: empty ASN.1 SEQUENCE"),
    (#"{"PublicKeyList": [{"Value": "MAMCAQE="}]}"#, "PublicKeyList[0]: Value: not a valid RSA public key"),
  ])
  func badKeyFilesNameTheFile(json: String, expected: String) {
    let error = Self.keyError(json)
    #expect(error?.file == "saved/keys.json")
    #expect(error?.description.hasPrefix("saved/keys.json: ") == true)
    #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
  }

  @Test func nonRSAAndWeakKeysAreRejectedWithTheirEntry() throws {
    let good = Data(SignedTrail.publicKeyPKCS1DER).base64EncodedString()
    // An EC P-256 SubjectPublicKeyInfo (openssl ecparam -name prime256v1 -genkey | openssl ec -pubout).
    let ec =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWn9aQ/HRINYhl5wlEWq21IBN7WxaCDuRglcNKl+HvcO6mTF/i0GGa+TCUv1Y8iMfUoaUnCbWQl1PRma5axhShw=="
    let ecError = Self.keyError(#"{"PublicKeyList":[{"Value":"\#(good)"},{"Value":"\#(ec)"}]}"#, file: "k.json")
    #expect(ecError?.entry == 1)
    #expect(
      ecError?.description
        == "k.json: PublicKeyList[1]: Value: not an RSA key (SubjectPublicKeyInfo algorithm 1.2.840.10045.2.1)")
    // A 1024-bit RSA key (PKCS#1).
    let weak =
      "MIGJAoGBAJt06m+A+CI5QrK76rvZU9xTHGbTEdvM/wVDZFhvzcBaX2Ls9DPMwA3UVJNs98QDcAqHK8USQRpwxAuVvXWsbfHyPds8zx7gqCLiEOOKJcUoDSxaX7MdvSiS+3X7sD8Ci3px6rg0SLxVQZjL0puiLO4xEoaP68Y5gBGFgRyvQvRXAgMBAAE="
    let weakError = Self.keyError(#"{"PublicKeyList":[{"Value":"\#(weak)"}]}"#, file: "k.json")
    #expect(
      weakError?.description == "k.json: PublicKeyList[0]: Value: RSA key of 1024 bits; at least 2048 are required")
    // Trailing bytes after the key's SEQUENCE.
    let trailing = Data(SignedTrail.publicKeyPKCS1DER + [0]).base64EncodedString()
    #expect(Self.keyError(#"{"PublicKeyList":[{"Value":"\#(trailing)"}]}"#)?.reason.hasPrefix("Value: not DER") == true)
    // A bad time.
    let badTime = Self.keyError(#"{"PublicKeyList":[{"Value":"\#(good)","ValidityEndTime":"yesterday"}]}"#)
    #expect(
      badTime?.description
        == #"saved/keys.json: PublicKeyList[0]: ValidityEndTime "yesterday" is neither an ISO 8601 time nor epoch seconds"#
    )
  }

  // MARK: Signing string and verdicts

  @Test func signingStringIsFourLinesWithoutTrailingNewline() {
    let text = DigestSignature.signingString(
      digestEndTime: "2024-05-14T01:00:00Z", bucket: "b", object: "p/AWSLogs/d.json.gz",
      digestSHA256Hex: "00ff", previousSignature: nil)
    #expect(text == "2024-05-14T01:00:00Z\nb/p/AWSLogs/d.json.gz\n00ff\nnull")
    let chained = DigestSignature.signingString(
      digestEndTime: "E", bucket: "b", object: "o", digestSHA256Hex: "h", previousSignature: "5ig")
    #expect(chained == "E\nb/o\nh\n5ig")
  }

  @Test func malformedSignatures() throws {
    let key = try Self.signingKey()
    let signing = "x"
    let good = SignedTrail.signatureHex(signing: signing)
    #expect(DigestSignature.verify(signatureHex: good, signingString: signing, key: key) == .valid)
    #expect(DigestSignature.verify(signatureHex: good.uppercased(), signingString: signing, key: key) == .valid)
    func verdict(_ hex: String) -> SignatureVerdict {
      DigestSignature.verify(signatureHex: hex, signingString: signing, key: key)
    }
    #expect(verdict("") == .malformedSignature("empty signature"))
    #expect(verdict(String(good.dropLast())) == .malformedSignature("odd number of hex digits (511)"))
    #expect(verdict("zz" + good.dropFirst(2)) == .malformedSignature(#"not hex (character "z")"#))
    #expect(verdict(String(good.dropLast(2))) == .malformedSignature("255 bytes; a 2048-bit key signs 256"))
    #expect(verdict(" " + good + " ") == .malformedSignature(#"not hex (character " ")"#))
    // Well-formed but wrong: every byte flipped, or all zeros.
    #expect(verdict(String(repeating: "00", count: 256)) == .invalid)
    let flipped = Hex.encode(Hex.decode(good)!.map { $0 ^ 0x01 })
    #expect(verdict(flipped) == .invalid)
  }

  @Test func sha256HexAndStream() {
    let abc = Array("abc".utf8)
    #expect(DigestSignature.sha256Hex(abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(DigestSignature.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let big = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    var stream = SHA256Stream()
    for chunk in stride(from: 0, to: big.count, by: 7_777) {
      big[chunk..<min(chunk + 7_777, big.count)].withUnsafeBytes { stream.update($0) }
    }
    #expect(stream.byteCount == big.count)
    #expect(stream.finalizeHex() == DigestSignature.sha256Hex(big))
    #expect(stream.finalizeHex() == big.withUnsafeBytes { DigestSignature.sha256Hex($0) })
  }

  @Test func base64Decoder() throws {
    #expect(try Base64.decode("") == [])
    #expect(try Base64.decode("Zg==") == Array("f".utf8))
    #expect(try Base64.decode("Zm8=") == Array("fo".utf8))
    #expect(try Base64.decode("Zm9v") == Array("foo".utf8))
    #expect(try Base64.decode("Zm9v\nYmFy\r\n") == Array("foobar".utf8))
    #expect(try Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
    #expect(throws: Base64.Failure.badLength) { try Base64.decode("Zg=") }
    #expect(throws: Base64.Failure.badPadding) { try Base64.decode("Zg==Zg==") }
    #expect(throws: Base64.Failure.badPadding) { try Base64.decode("Zm9v====") }
    #expect(throws: Base64.Failure.badLength) { try Base64.decode("Zm9vY") }
    #expect(throws: Base64.Failure.badCharacter("-", offset: 2)) { try Base64.decode("Zm-v") }
    let random = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    for n in 0..<40 {
      let slice = Array(random[0..<n * 7])
      #expect(try Base64.decode(Data(slice).base64EncodedString()) == slice)
    }
  }

  // MARK: Builder-made trails

  /// The digest at `path`: its uncompressed bytes and decoded fields.
  static func readDigest(_ path: String) throws -> (bytes: [UInt8], digest: TrailIntegrity.Digest) {
    let bytes = try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    return (bytes, try TrailIntegrity.Digest.decode(bytes))
  }

  /// `{key: signature}` of a signatures file.
  static func signatureMap(_ path: String) throws -> [String: String] {
    try JSONDecoder().decode([String: String].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  @Test func builderDigestsVerifyThroughTheChain() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 4, logsPerHour: 2, emptyHours: [2], backfill: true)
    let key = try #require(
      try PublicKeySet(
        json: Array(try Data(contentsOf: URL(fileURLWithPath: trail.publicKeysPath))),
        file: trail.publicKeysPath
      ).key(fingerprint: SignedTrail.fingerprint))
    let heads = try Self.signatureMap(trail.signaturesPath)
    #expect(heads.count == 2)
    #expect(try Self.signatureMap(trail.allSignaturesPath).count == 5)
    let decoded = try trail.digests.map { try Self.readDigest($0.path) }
    for (i, (bytes, digest)) in decoded.enumerated() {
      let sha = DigestSignature.sha256Hex(bytes)
      let signing = DigestSignature.signingString(for: digest, digestSHA256Hex: sha)
      // Every signature but the newest comes from the next digest; the newest from signatures.json.
      let signature =
        i + 1 < decoded.count
        ? try #require(decoded[i + 1].digest.previousDigestSignature) : try #require(heads[digest.digestS3Object])
      #expect(DigestSignature.verify(signatureHex: signature, signingString: signing, key: key) == .valid)
      #expect(signature == trail.digests[i].signature)
      #expect(digest.digestPublicKeyFingerprint == SignedTrail.fingerprint)
      #expect(digest.digestS3Object == trail.digests[i].key)
      #expect(trail.digests[i].path == dir.path + "/" + digest.digestS3Object)
      if i == 0 {
        #expect(
          digest.previousDigestS3Object == nil && digest.previousDigestHashValue == nil
            && digest.previousDigestSignature == nil)
      } else {
        #expect(digest.previousDigestS3Bucket == "trail-bucket")
        #expect(digest.previousDigestS3Object == decoded[i - 1].digest.digestS3Object)
        #expect(digest.previousDigestHashValue == DigestSignature.sha256Hex(decoded[i - 1].bytes))
        #expect(digest.previousDigestHashAlgorithm == "SHA-256")
      }
      // Log hashes cover the uncompressed files.
      for entry in digest.logFiles {
        let log = try Gzip.decompress(
          Array(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/" + entry.s3Object))))
        #expect(DigestSignature.sha256Hex(log) == entry.hashValue)
      }
    }
    #expect(decoded.map(\.digest.logFiles.count) == [2, 2, 0, 2])
    let empty = try #require(try JSONSerialization.jsonObject(with: Data(decoded[2].bytes)) as? [String: Any])
    #expect(empty["newestEventTime"] is NSNull && empty["oldestEventTime"] is NSNull)

    // The backfill digest starts its own chain and lists the one log no regular digest lists.
    let backfill = try #require(trail.backfillDigest)
    let (bytes, digest) = try Self.readDigest(backfill.path)
    #expect(digest.digestS3Object.hasSuffix("_20240514T010000Z_backfill.json.gz"))
    #expect(digest.previousDigestSignature == nil)
    let signing = DigestSignature.signingString(for: digest, digestSHA256Hex: DigestSignature.sha256Hex(bytes))
    #expect(
      DigestSignature.verify(signatureHex: try #require(heads[digest.digestS3Object]), signingString: signing, key: key)
        == .valid)
    let listed = Set(decoded.flatMap { $0.digest.logFiles.map(\.s3Object) })
    #expect(digest.logFiles.map(\.s3Object) == trail.logs.filter(\.isBackfill).map(\.key))
    #expect(listed.union(digest.logFiles.map(\.s3Object)) == Set(trail.logKeys))
    #expect(listed.isDisjoint(with: digest.logFiles.map(\.s3Object)))
  }

  @Test func tamperedDigestWrongPreviousAndWrongKeyAreInvalid() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path, hours: 2)
    let key = try Self.signingKey()
    let other = try #require(try Self.keys(Self.keyFileV2).key(fingerprint: SignedTrail.otherFingerprint))
    let (bytes, digest) = try Self.readDigest(trail.digests[1].path)
    let signature = trail.digests[1].signature
    func verdict(_ bytes: [UInt8], previous: String?, key: PublicKey, signature: String = signature) -> SignatureVerdict
    {
      let signing = DigestSignature.signingString(
        digestEndTime: digest.digestEndTime, bucket: digest.digestS3Bucket,
        object: digest.digestS3Object, digestSHA256Hex: DigestSignature.sha256Hex(bytes),
        previousSignature: previous)
      return DigestSignature.verify(signatureHex: signature, signingString: signing, key: key)
    }
    #expect(verdict(bytes, previous: digest.previousDigestSignature, key: key) == .valid)
    // One byte of the uncompressed digest changed (a log hash digit).
    var tampered = bytes
    let marker = Array(#""hashValue":""#.utf8)
    let at =
      try #require((0..<bytes.count - marker.count).first { bytes[$0..<$0 + marker.count].elementsEqual(marker) })
      + marker.count
    tampered[at] = tampered[at] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    #expect(verdict(tampered, previous: digest.previousDigestSignature, key: key) == .invalid)
    // Re-serialized (same JSON, different bytes) is different too.
    #expect(verdict(bytes + [UInt8(ascii: "\n")], previous: digest.previousDigestSignature, key: key) == .invalid)
    // Wrong or missing previous signature in the signing string.
    #expect(verdict(bytes, previous: trail.digests[1].signature, key: key) == .invalid)
    #expect(verdict(bytes, previous: nil, key: key) == .invalid)
    // The other key, and a signature by the other key.
    #expect(verdict(bytes, previous: digest.previousDigestSignature, key: other) == .invalid)
    let forged = SignedTrail.otherSignatureHex(signing: trail.digests[1].signingString)
    #expect(verdict(bytes, previous: digest.previousDigestSignature, key: key, signature: forged) == .invalid)
    #expect(verdict(bytes, previous: digest.previousDigestSignature, key: other, signature: forged) == .valid)
    // A re-signed tampered digest verifies: the signature covers exactly the signing string.
    let resigned = DigestSignature.signingString(for: digest, digestSHA256Hex: DigestSignature.sha256Hex(tampered))
    #expect(
      verdict(
        tampered, previous: digest.previousDigestSignature, key: key,
        signature: SignedTrail.signatureHex(signing: resigned)) == .valid)
  }

  @Test func builderLayoutPrefixOrganizationAndNames() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(
      to: dir.path, hours: 26, logsPerHour: 1, eventsPerLog: 1, trailName: "org_trail.v-2",
      bucket: "org-bucket", prefix: "logs/p", organization: "o-abc123")
    #expect(trail.keyPrefix == "logs/p/")
    #expect(trail.logs.count == 26 && trail.digests.count >= 24)
    let logPattern =
      #/logs/p/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/(\d{4})/(\d{2})/(\d{2})/111122223333_CloudTrail_us-east-1_(\d{8})T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz/#
    for log in trail.logs {
      let match = try #require(try logPattern.wholeMatch(in: log.key))
      #expect(match.4 == match.1 + match.2 + match.3)
      #expect(FileManager.default.fileExists(atPath: dir.path + "/" + log.key))
    }
    #expect(Set(trail.logs.map { $0.key.suffix(24) }).count == trail.logs.count)
    let digestPattern =
      #/logs/p/AWSLogs/o-abc123/111122223333/CloudTrail-Digest/us-east-1/\d{4}/\d{2}/\d{2}/111122223333_CloudTrail-Digest_us-east-1_org_trail\.v-2_us-east-1_\d{8}T\d{6}Z\.json\.gz/#
    #expect(trail.digests.allSatisfy { (try? digestPattern.wholeMatch(in: $0.key)) != nil })
    // Named by end time; the day rolls over at hour 24.
    #expect(
      trail.digests[0].key.hasSuffix(
        "/2024/05/14/111122223333_CloudTrail-Digest_us-east-1_org_trail.v-2_us-east-1_20240514T010000Z.json.gz"))
    #expect(
      trail.digests[23].key.contains("/2024/05/15/") && trail.digests[23].key.hasSuffix("_20240515T000000Z.json.gz"))
    #expect(trail.digests[0].startTime == "2024-05-14T00:00:00Z" && trail.digests[0].endTime == "2024-05-14T01:00:00Z")
    let (_, first) = try Self.readDigest(trail.digests[0].path)
    #expect(first.digestS3Bucket == "org-bucket" && first.logFiles.allSatisfy { $0.s3Bucket == "org-bucket" })
    #expect(first.digestSignatureAlgorithm == "SHA256withRSA" && first.awsAccountId == "111122223333")
    #expect(first.logFiles.map(\.s3Object) == [trail.logs[0].key])
    let firstJSON = try #require(
      try JSONSerialization.jsonObject(with: Data(Self.readDigest(trail.digests[0].path).bytes)) as? [String: Any])
    #expect(firstJSON["oldestEventTime"] as? String == trail.logs[0].oldestEventTime)
    #expect(firstJSON["newestEventTime"] as? String == trail.logs[0].newestEventTime)
    #expect(trail.digests[0].signingString.hasPrefix("2024-05-14T01:00:00Z\norg-bucket/logs/p/AWSLogs/"))
    // signatures.json holds the newest digest under its full digestS3Object.
    #expect(try Self.signatureMap(trail.signaturesPath) == [trail.digests[25].key: trail.digests[25].signature])
    // Same options, same trail (only the key differs between processes).
    let again = try TemporaryDirectory()
    let second = try SignedTrail.write(
      to: again.path, hours: 26, logsPerHour: 1, eventsPerLog: 1, trailName: "org_trail.v-2",
      bucket: "org-bucket", prefix: "logs/p", organization: "o-abc123")
    #expect(second.logKeys == trail.logKeys && second.signatures == trail.signatures)
    #expect(second.logs.map(\.uncompressed) == trail.logs.map(\.uncompressed))
    #expect(Set(trail.logs.map(\.sha256)).count == trail.logs.count)
  }

  // MARK: Cross-check with openssl

  static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  @discardableResult
  static func run(_ arguments: [String], in dir: TemporaryDirectory) throws -> (status: Int32, out: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(openssl))
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// openssl reads our DER as PKCS#1 and SPKI, verifies our signatures and signs what we verify;
  /// its MD5 of the PKCS#1 DER is the published fingerprint.
  @Test(.enabled(if: openssl != nil)) func opensslAgrees() throws {
    let dir = try TemporaryDirectory()
    try dir.write("key.pem", SignedTrail.privateKeyPEM)
    try dir.write("pkcs1.der", SignedTrail.publicKeyPKCS1DER)
    try dir.write("spki.der", SignedTrail.publicKeySPKIDER)
    let modulus = try Self.run(
      ["rsa", "-RSAPublicKey_in", "-inform", "DER", "-in", "pkcs1.der", "-noout", "-modulus"], in: dir)
    #expect(modulus.status == 0, "\(modulus.out)")
    let spkiModulus = try Self.run(
      ["rsa", "-pubin", "-inform", "DER", "-in", "spki.der", "-noout", "-modulus"], in: dir)
    #expect(spkiModulus.status == 0 && spkiModulus.out == modulus.out, "\(spkiModulus.out)")
    let md5 = try Self.run(["dgst", "-md5", "-r", "pkcs1.der"], in: dir)
    #expect(md5.out.hasPrefix(SignedTrail.fingerprint + " "), "\(md5.out)")

    let signing =
      "2024-05-14T01:00:00Z\ntrail-bucket/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/14/d.json.gz\n"
      + DigestSignature.sha256Hex(Array("{}".utf8)) + "\nnull"
    try dir.write("message", signing)
    // Ours → openssl.
    try dir.write("ours.sig", Hex.decode(SignedTrail.signatureHex(signing: signing))!)
    let verified = try Self.run(
      ["dgst", "-sha256", "-verify", "spki.der", "-keyform", "DER", "-signature", "ours.sig", "message"], in: dir)
    #expect(verified.status == 0 && verified.out.contains("Verified OK"), "\(verified.out)")
    // openssl → ours.
    let signed = try Self.run(["dgst", "-sha256", "-sign", "key.pem", "-out", "theirs.sig", "message"], in: dir)
    #expect(signed.status == 0, "\(signed.out)")
    let theirs = Hex.encode(Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("theirs.sig")))))
    let key = try Self.signingKey()
    #expect(DigestSignature.verify(signatureHex: theirs, signingString: signing, key: key) == .valid)
    #expect(DigestSignature.verify(signatureHex: theirs, signingString: signing + "\n", key: key) == .invalid)
  }
}
