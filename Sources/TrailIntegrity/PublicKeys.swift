// The public keys that verify digest signatures, read from the saved output of
// `aws cloudtrail list-public-keys` (product-spec §6 `--public-keys`, cloudtrail-formats §3.3),
// in either CLI version's shape, and looked up by a digest's `digestPublicKeyFingerprint`.
import Crypto
import TrailJSON
import TrailTime
import _CryptoExtras

/// Why a public-key file could not be read; names the file and, for a bad entry, its index.
package struct PublicKeyError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The file as the user named it.
  package var file: String
  /// The 0-based index of the offending entry in `PublicKeyList`; nil for file-level problems.
  package var entry: Int?
  package var reason: String

  package init(file: String, entry: Int? = nil, reason: String) {
    self.file = file
    self.entry = entry
    self.reason = reason
  }

  /// `keys.json: PublicKeyList[2]: Value is not base64 (…)`.
  package var description: String {
    if let entry { return "\(file): PublicKeyList[\(entry)]: \(reason)" }
    return "\(file): \(reason)"
  }
}

/// One RSA public key CloudTrail signs digests with.
package struct PublicKey: Sendable {
  /// Lower-case hex MD5 of `der`: what a digest's `digestPublicKeyFingerprint` holds for the
  /// PKCS#1 DER AWS serves.
  package let fingerprint: String
  /// The `Fingerprint` the key file gave, lower-cased, when there was one.
  package let declaredFingerprint: String?
  /// The key's DER as stored (PKCS#1 `RSAPublicKey` or SubjectPublicKeyInfo).
  package let der: [UInt8]
  package let validFrom: Timestamp?
  package let validUntil: Timestamp?
  let rsa: _RSA.Signing.PublicKey

  /// A key from its DER (PKCS#1 `RSAPublicKey` or SubjectPublicKeyInfo, RSA of 2048 bits or more).
  package init(
    der: [UInt8], declaredFingerprint: String? = nil, validFrom: Timestamp? = nil,
    validUntil: Timestamp? = nil
  ) throws(PublicKeyError) {
    do {
      rsa = try Self.parse(der)
    } catch {
      throw PublicKeyError(file: "public key", reason: error.reason)
    }
    self.der = der
    self.fingerprint = Self.md5Hex(der)
    self.declaredFingerprint = declaredFingerprint?.lowercased()
    self.validFrom = validFrom
    self.validUntil = validUntil
  }

  package var keySizeInBits: Int { rsa.keySizeInBits }

  /// The lower-case fingerprints computed for this key: MD5 of the DER as stored, then of its
  /// PKCS#1 and SubjectPublicKeyInfo re-encodings (a fingerprint taken over the other encoding
  /// still finds it).
  var computedFingerprints: [String] {
    var result = [fingerprint]
    for other in [Array(rsa.pkcs1DERRepresentation), Array(rsa.derRepresentation)] {
      let hex = Self.md5Hex(other)
      if !result.contains(hex) { result.append(hex) }
    }
    return result
  }

  /// Lower-case hex MD5 (the fingerprint function).
  static func md5Hex(_ bytes: [UInt8]) -> String { Hex.encode(Insecure.MD5.hash(data: bytes)) }

  struct ParseFailure: Error { var reason: String }

  /// Checks the DER's outer shape (one SEQUENCE; PKCS#1 starts with an INTEGER, SPKI with an
  /// rsaEncryption or RSASSA-PSS AlgorithmIdentifier), then lets swift-crypto parse it. Its
  /// BoringSSL backend tries SPKI, then PKCS#1, so both encodings go straight in.
  static func parse(_ der: [UInt8]) throws(ParseFailure) -> _RSA.Signing.PublicKey {
    var reader = DERReader(der)
    guard let outer = reader.element(), outer.tag == 0x30, reader.atEnd else {
      throw ParseFailure(reason: "not DER: expected one ASN.1 SEQUENCE (PKCS#1 RSAPublicKey or SubjectPublicKeyInfo)")
    }
    var inner = DERReader(outer.content)
    guard let first = inner.element() else { throw ParseFailure(reason: "empty ASN.1 SEQUENCE, not an RSA key") }
    if first.tag == 0x30 {
      // SubjectPublicKeyInfo: AlgorithmIdentifier { OID, parameters }.
      var algorithm = DERReader(first.content)
      guard let oid = algorithm.element(), oid.tag == 0x06 else {
        throw ParseFailure(reason: "SubjectPublicKeyInfo without an algorithm OID")
      }
      let rsaEncryption: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
      let rsaPSS: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0A]
      guard oid.content.elementsEqual(rsaEncryption) || oid.content.elementsEqual(rsaPSS) else {
        throw ParseFailure(reason: "not an RSA key (SubjectPublicKeyInfo algorithm \(DERReader.oidText(oid.content)))")
      }
    } else if first.tag != 0x02 {
      throw ParseFailure(reason: "not an RSA public key (neither PKCS#1 RSAPublicKey nor SubjectPublicKeyInfo)")
    }
    let key: _RSA.Signing.PublicKey
    do {
      key = try _RSA.Signing.PublicKey(derRepresentation: der)
    } catch {
      if let weak = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: der) {
        throw ParseFailure(reason: "RSA key of \(weak.keySizeInBits) bits; at least 2048 are required")
      }
      throw ParseFailure(reason: "not a valid RSA public key (PKCS#1 RSAPublicKey or SubjectPublicKeyInfo DER)")
    }
    return key
  }
}

/// The keys of one saved `list-public-keys` output, looked up by fingerprint.
package struct PublicKeySet: Sendable {
  /// In file order.
  package var keys: [PublicKey] { storage }
  private var storage: [PublicKey] = []
  /// Lower-case computed fingerprint → index in `storage`.
  private var index: [String: Int] = [:]
  /// Lower-case declared `Fingerprint` → index in `storage`; consulted after `index`.
  private var declaredIndex: [String: Int] = [:]

  /// Keys built elsewhere (several files merged, tests).
  package init(keys: [PublicKey]) {
    for key in keys { add(key) }
  }

  /// Reads the JSON that `aws cloudtrail list-public-keys` prints, saved as is:
  /// `{"PublicKeyList":[{"Value", "ValidityStartTime", "ValidityEndTime", "Fingerprint"}]}`.
  ///
  /// - `Value`: base64 of the key's DER, PKCS#1 `RSAPublicKey` (what AWS serves) or
  ///   SubjectPublicKeyInfo; RSA of at least 2048 bits.
  /// - Validity times: ISO 8601 strings (CLI v2) or epoch seconds, possibly fractional (CLI v1);
  ///   null or absent means unbounded.
  /// - `Fingerprint`: optional. Each key is found by the hex MD5 of its DER (the `fingerprint`
  ///   it reports), by the MD5 of its other encoding (PKCS#1 ↔ SPKI), and by the declared
  ///   `Fingerprint` when that differs. Computed fingerprints win: a declared one is used only
  ///   when no key computes to it; among equals the earlier key wins. Lookups ignore case.
  /// - A bare array of entries (`--query PublicKeyList`) is accepted too; an empty list gives an
  ///   empty set (the validator reports that no key matched).
  package init(json bytes: [UInt8], file: String) throws(PublicKeyError) {
    let document: JSONDocument
    do {
      document = try JSONDocument(parsing: bytes)
    } catch {
      throw PublicKeyError(file: file, reason: "not JSON (\(error))")
    }
    let root = document.root
    let list: JSONValue
    if root.kind == .array {
      list = root
    } else if root.kind == .object {
      guard let value = root["PublicKeyList"] else {
        throw PublicKeyError(
          file: file, reason: "no PublicKeyList (expected the output of `aws cloudtrail list-public-keys`)")
      }
      guard value.kind == .array else { throw PublicKeyError(file: file, reason: "PublicKeyList is not an array") }
      list = value
    } else {
      throw PublicKeyError(
        file: file, reason: "no PublicKeyList (expected a JSON object from `aws cloudtrail list-public-keys`)")
    }
    for (i, entry) in list.elements.enumerated() {
      add(try Self.key(entry, file: file, entry: i))
    }
  }

  /// The key whose fingerprint is `fingerprint` (any case); nil when none.
  package func key(fingerprint: String) -> PublicKey? {
    let wanted = fingerprint.lowercased()
    return (index[wanted] ?? declaredIndex[wanted]).map { storage[$0] }
  }

  private mutating func add(_ key: PublicKey) {
    storage.append(key)
    for fingerprint in key.computedFingerprints where index[fingerprint] == nil {
      index[fingerprint] = storage.count - 1
    }
    if let declared = key.declaredFingerprint, declaredIndex[declared] == nil {
      declaredIndex[declared] = storage.count - 1
    }
  }

  private static func key(_ entry: JSONValue, file: String, entry i: Int) throws(PublicKeyError) -> PublicKey {
    func fail(_ reason: String) -> PublicKeyError { PublicKeyError(file: file, entry: i, reason: reason) }
    guard entry.kind == .object else { throw fail("not a JSON object") }
    guard let value = entry["Value"], !value.isNull else { throw fail("no Value") }
    guard let text = value.string else { throw fail("Value is not a string") }
    let der: [UInt8]
    do {
      der = try Base64.decode(text)
    } catch {
      switch error {
      case .badCharacter(let c, let offset):
        throw fail("Value is not base64 (character \(c.debugDescription) at offset \(offset))")
      case .badLength: throw fail("Value is not base64 (length is not a multiple of 4)")
      case .badPadding: throw fail("Value is not base64 (misplaced '=' padding)")
      }
    }
    guard !der.isEmpty else { throw fail("Value is empty") }
    let declared: String?
    if let fingerprint = entry["Fingerprint"], !fingerprint.isNull {
      guard let text = fingerprint.string else { throw fail("Fingerprint is not a string") }
      declared = text
    } else {
      declared = nil
    }
    let from = try time(entry["ValidityStartTime"], "ValidityStartTime", fail)
    let until = try time(entry["ValidityEndTime"], "ValidityEndTime", fail)
    do {
      return try PublicKey(der: der, declaredFingerprint: declared, validFrom: from, validUntil: until)
    } catch {
      throw fail("Value: " + error.reason)
    }
  }

  /// An ISO 8601 string (CLI v2), epoch seconds as a number or numeric string (CLI v1), or
  /// null/absent (nil).
  private static func time(_ value: JSONValue?, _ name: String, _ fail: (String) -> PublicKeyError)
    throws(PublicKeyError) -> Timestamp?
  {
    guard let value, !value.isNull else { return nil }
    if let text = value.numberText ?? value.string {
      if value.kind == .string, let parsed = Timestamp.parse(text) { return parsed }
      if let epoch = epochSeconds(text) { return epoch }
      throw fail("\(name) \(text.debugDescription) is neither an ISO 8601 time nor epoch seconds")
    }
    throw fail("\(name) is neither a string nor a number")
  }

  /// `1715644800`, `1715644800.25`, `1.7156448E9` as an instant.
  static func epochSeconds(_ text: String) -> Timestamp? {
    let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    if parts.count <= 2, let whole = Int64(parts[0]),
      parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber))
    {
      var nanos: Int32 = 0
      if parts.count == 2 {
        let digits = String(parts[1].prefix(9)).padding9()
        nanos = Int32(digits) ?? 0
        if whole < 0 || parts[0].hasPrefix("-") { nanos = -nanos }
      }
      return Timestamp(seconds: whole, nanoseconds: nanos)
    }
    guard let double = Double(text), double.isFinite, abs(double) < 1e15 else { return nil }
    let whole = double.rounded(.down)
    return Timestamp(seconds: Int64(whole), nanoseconds: Int32(((double - whole) * 1e9).rounded()))
  }
}

extension String {
  fileprivate func padding9() -> String { self + String(repeating: "0", count: max(0, 9 - count)) }
}
