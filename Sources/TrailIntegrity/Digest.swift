// A CloudTrail digest file (cloudtrail-formats.md §3.1) as read for validation: the fields that
// the chain, the signature and the log hashes need, read by our own JSON parser from the
// digest's uncompressed bytes, which are also what its hash and signature cover. A digest is
// read whole, so its size is capped (`Digest.maxSize`): a real one lists one hour of log files,
// a few hundred bytes each; a bomb is refused at the cap instead of filling memory. Public for
// the fuzz target (Fuzz/Sources/fuzz-digest).
import TrailJSON

/// The parts of a digest file that validation uses.
///
/// Read like a `Decodable` struct would be: the required fields must be strings, the optional
/// ones strings, null or absent; a repeated key counts at its first occurrence; other members
/// are ignored.
public struct Digest: Sendable, Equatable {
  /// The account the digest was delivered for.
  public var awsAccountId: String?
  /// Copied verbatim into the signing string.
  public var digestStartTime: String
  /// Copied verbatim into the signing string; the time the digest was signed.
  public var digestEndTime: String
  /// Where the digest was written: bucket.
  public var digestS3Bucket: String
  /// Where the digest was written: key (must be where it was read from).
  public var digestS3Object: String
  /// Hex MD5 of the signing key's DER.
  public var digestPublicKeyFingerprint: String
  /// `SHA256withRSA`.
  public var digestSignatureAlgorithm: String?
  /// The previous digest's bucket; nil in a starting digest.
  public var previousDigestS3Bucket: String?
  /// The previous digest's key; nil in a starting digest.
  public var previousDigestS3Object: String?
  /// Hex SHA-256 of the previous digest's uncompressed bytes.
  public var previousDigestHashValue: String?
  /// `SHA-256`.
  public var previousDigestHashAlgorithm: String?
  /// Hex signature of the previous digest.
  public var previousDigestSignature: String?
  /// The log files it lists, in file order (duplicates kept: the validator counts each key once).
  public var logFiles: [LogFileEntry]

  /// One `logFiles` entry.
  public struct LogFileEntry: Sendable, Equatable {
    /// The log file's bucket.
    public var s3Bucket: String
    /// The log file's key.
    public var s3Object: String
    /// Hex SHA-256 of the log file's uncompressed bytes.
    public var hashValue: String

    /// An entry with these values.
    public init(s3Bucket: String, s3Object: String, hashValue: String) {
      self.s3Bucket = s3Bucket
      self.s3Object = s3Object
      self.hashValue = hashValue
    }
  }

  /// The largest digest read, uncompressed: 32 MiB, about 100,000 log files in one hour (a
  /// real digest lists a few to a few thousand, about 330 bytes each).
  public static let maxSize = 32 << 20

  /// Decodes a digest from its uncompressed JSON, refusing more than `limit` bytes.
  public static func decode(_ bytes: [UInt8], limit: Int = Digest.maxSize) throws(DigestError) -> Digest {
    guard bytes.count <= limit else { throw DigestError.tooLarge(limit: limit) }
    let document: JSONDocument
    do {
      document = try JSONDocument(parsing: bytes)
    } catch {
      throw DigestError(offset: error.offset, reason: "not JSON: \(error.reason)")
    }
    return try decode(document.root)
  }

  /// Decodes a digest from a parsed JSON value.
  public static func decode(_ root: JSONValue) throws(DigestError) -> Digest {
    guard root.kind == .object else { throw DigestError(reason: "not a JSON object") }
    let files = try required(root, "logFiles", kind: .array, "an array")
    var entries: [LogFileEntry] = []
    entries.reserveCapacity(files.count)
    for (i, file) in files.elements.enumerated() {
      guard file.kind == .object else { throw DigestError(reason: "logFiles[\(i)] is not an object") }
      func field(_ name: String) throws(DigestError) -> String {
        do { return try requiredString(file, name) } catch {
          throw DigestError(offset: error.offset, reason: "logFiles[\(i)]: " + error.reason)
        }
      }
      entries.append(
        LogFileEntry(
          s3Bucket: try field("s3Bucket"), s3Object: try field("s3Object"), hashValue: try field("hashValue")))
    }
    return Digest(
      awsAccountId: try optionalString(root, "awsAccountId"),
      digestStartTime: try requiredString(root, "digestStartTime"),
      digestEndTime: try requiredString(root, "digestEndTime"),
      digestS3Bucket: try requiredString(root, "digestS3Bucket"),
      digestS3Object: try requiredString(root, "digestS3Object"),
      digestPublicKeyFingerprint: try requiredString(root, "digestPublicKeyFingerprint"),
      digestSignatureAlgorithm: try optionalString(root, "digestSignatureAlgorithm"),
      previousDigestS3Bucket: try optionalString(root, "previousDigestS3Bucket"),
      previousDigestS3Object: try optionalString(root, "previousDigestS3Object"),
      previousDigestHashValue: try optionalString(root, "previousDigestHashValue"),
      previousDigestHashAlgorithm: try optionalString(root, "previousDigestHashAlgorithm"),
      previousDigestSignature: try optionalString(root, "previousDigestSignature"),
      logFiles: entries)
  }

  private static func required(_ object: JSONValue, _ name: String, kind: JSONNode.Kind, _ what: String)
    throws(DigestError) -> JSONValue
  {
    guard let value = object[name] else { throw DigestError(reason: "no \(name)") }
    guard value.kind == kind else { throw DigestError(offset: value.offset, reason: "\(name) is not \(what)") }
    return value
  }

  private static func requiredString(_ object: JSONValue, _ name: String) throws(DigestError) -> String {
    let value = try required(object, name, kind: .string, "a string")
    return value.string ?? ""
  }

  private static func optionalString(_ object: JSONValue, _ name: String) throws(DigestError) -> String? {
    guard let value = object[name], !value.isNull else { return nil }
    guard let text = value.string else { throw DigestError(offset: value.offset, reason: "\(name) is not a string") }
    return text
  }
}

/// Why a digest file could not be read as one.
public struct DigestError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Byte offset in the uncompressed digest, when known.
  public var offset: Int?
  /// What is wrong.
  public var reason: String

  /// An error at `offset` (nil: the file as a whole).
  public init(offset: Int? = nil, reason: String) {
    self.offset = offset
    self.reason = reason
  }

  /// The error for a digest over `limit` uncompressed bytes.
  public static func tooLarge(limit: Int) -> DigestError {
    DigestError(
      reason: "larger than \(limit >> 20) MiB uncompressed, not read (a digest lists one hour of log files; "
        + "this is not one, or a decompression bomb)")
  }

  /// `byte N: reason`, or the reason alone.
  public var description: String { offset.map { "byte \($0): \(reason)" } ?? reason }
}
