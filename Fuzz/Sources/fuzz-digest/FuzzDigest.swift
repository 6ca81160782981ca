// libFuzzer target `digest`: `validate` parses every digest file it is handed, and a digest is
// the file an attacker who forges logs writes too, so the digest reader must never trap and must
// read exactly what a `Decodable` struct would: the hand-written reader (no Codable machinery,
// no per-entry strings it does not need) is checked against `JSONValueDecoder` decoding a
// mirror of the fields. Also: the size cap refuses exactly the inputs over it, error offsets lie
// inside the input, and decoding is deterministic. Run it with scripts/fuzz.sh.

import TrailIntegrity
import TrailJSON

/// The digest as a `Decodable` struct reads it: the oracle.
struct Mirror: Decodable, Equatable {
  var awsAccountId: String?
  var digestStartTime: String
  var digestEndTime: String
  var digestS3Bucket: String
  var digestS3Object: String
  var digestPublicKeyFingerprint: String
  var digestSignatureAlgorithm: String?
  var previousDigestS3Bucket: String?
  var previousDigestS3Object: String?
  var previousDigestHashValue: String?
  var previousDigestHashAlgorithm: String?
  var previousDigestSignature: String?
  var logFiles: [Entry]

  struct Entry: Decodable, Equatable {
    var s3Bucket: String
    var s3Object: String
    var hashValue: String
  }

  init(from decoder: any Decoder) throws {
    // The same requirements in the same words as the synthesized init, written out so the
    // oracle does not depend on the order of the reader's checks.
    let c = try decoder.container(keyedBy: Keys.self)
    awsAccountId = try c.decodeIfPresent(String.self, forKey: .awsAccountId)
    digestStartTime = try c.decode(String.self, forKey: .digestStartTime)
    digestEndTime = try c.decode(String.self, forKey: .digestEndTime)
    digestS3Bucket = try c.decode(String.self, forKey: .digestS3Bucket)
    digestS3Object = try c.decode(String.self, forKey: .digestS3Object)
    digestPublicKeyFingerprint = try c.decode(String.self, forKey: .digestPublicKeyFingerprint)
    digestSignatureAlgorithm = try c.decodeIfPresent(String.self, forKey: .digestSignatureAlgorithm)
    previousDigestS3Bucket = try c.decodeIfPresent(String.self, forKey: .previousDigestS3Bucket)
    previousDigestS3Object = try c.decodeIfPresent(String.self, forKey: .previousDigestS3Object)
    previousDigestHashValue = try c.decodeIfPresent(String.self, forKey: .previousDigestHashValue)
    previousDigestHashAlgorithm = try c.decodeIfPresent(String.self, forKey: .previousDigestHashAlgorithm)
    previousDigestSignature = try c.decodeIfPresent(String.self, forKey: .previousDigestSignature)
    logFiles = try c.decode([Entry].self, forKey: .logFiles)
  }

  enum Keys: String, CodingKey {
    case awsAccountId, digestStartTime, digestEndTime, digestS3Bucket, digestS3Object, digestPublicKeyFingerprint
    case digestSignatureAlgorithm, previousDigestS3Bucket, previousDigestS3Object, previousDigestHashValue
    case previousDigestHashAlgorithm, previousDigestSignature, logFiles
  }

  /// Whether `digest` holds the same values.
  func matches(_ digest: Digest) -> Bool {
    awsAccountId == digest.awsAccountId && digestStartTime == digest.digestStartTime
      && digestEndTime == digest.digestEndTime && digestS3Bucket == digest.digestS3Bucket
      && digestS3Object == digest.digestS3Object && digestPublicKeyFingerprint == digest.digestPublicKeyFingerprint
      && digestSignatureAlgorithm == digest.digestSignatureAlgorithm
      && previousDigestS3Bucket == digest.previousDigestS3Bucket
      && previousDigestS3Object == digest.previousDigestS3Object
      && previousDigestHashValue == digest.previousDigestHashValue
      && previousDigestHashAlgorithm == digest.previousDigestHashAlgorithm
      && previousDigestSignature == digest.previousDigestSignature
      && logFiles.elementsEqual(digest.logFiles) {
        $0.s3Bucket == $1.s3Bucket && $0.s3Object == $1.s3Object && $0.hashValue == $1.hashValue
      }
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let outcome: Result<Digest, DigestError> = Result { () throws(DigestError) in try Digest.decode(bytes) }
  if case .failure(let error) = outcome, let offset = error.offset, offset < 0 || offset > size {
    fatalError("error offset \(offset) outside the \(size)-byte input: \(error)")
  }

  // The oracle: the parser, then Codable over the mirror.
  let mirror: Mirror?
  if let document = try? JSONDocument(parsing: bytes) {
    mirror = try? JSONValueDecoder().decode(Mirror.self, from: document.root)
  } else {
    mirror = nil
  }
  switch (outcome, mirror) {
  case (.success(let digest), .some(let mirror)):
    guard mirror.matches(digest) else { fatalError("the reader and Codable read different values: \(digest)") }
  case (.failure(let error), .some):
    fatalError("the reader refused what Codable reads: \(error)")
  case (.success(let digest), .none):
    fatalError("the reader read what Codable refuses: \(digest)")
  case (.failure, .none):
    break
  }

  // Deterministic, and the cap refuses exactly what is over it.
  let again = Result { () throws(DigestError) in try Digest.decode(bytes, limit: size) }
  switch (outcome, again) {
  case (.success(let a), .success(let b)) where a == b: break
  case (.failure(let a), .failure(let b)) where a == b: break
  default: fatalError("decoding the same bytes twice gave \(outcome) and \(again)")
  }
  if size > 0 {
    let capped = Result { () throws(DigestError) in try Digest.decode(bytes, limit: size - 1) }
    guard case .failure(let error) = capped, error == DigestError.tooLarge(limit: size - 1) else {
      fatalError("a \(size)-byte digest under a \(size - 1)-byte cap gave \(capped)")
    }
  }
  return 0
}
