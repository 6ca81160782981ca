// A CloudTrail digest file (cloudtrail-formats.md §3.1) as read for validation: the fields that
// the chain, the signature and the log hashes need, decoded by our own JSON decoder from the
// digest's uncompressed bytes, which are also what its hash and signature cover.
import TrailJSON

/// The parts of a digest file that validation uses.
public struct Digest: Decodable, Sendable, Equatable {
  public var awsAccountId: String?
  /// Copied verbatim into the signing string.
  public var digestStartTime: String
  public var digestEndTime: String
  public var digestS3Bucket: String
  public var digestS3Object: String
  public var digestPublicKeyFingerprint: String
  public var digestSignatureAlgorithm: String?
  public var previousDigestS3Bucket: String?
  public var previousDigestS3Object: String?
  /// Hex SHA-256 of the previous digest's uncompressed bytes.
  public var previousDigestHashValue: String?
  public var previousDigestHashAlgorithm: String?
  /// Hex signature of the previous digest.
  public var previousDigestSignature: String?
  public var logFiles: [LogFileEntry]

  public struct LogFileEntry: Decodable, Sendable, Equatable {
    public var s3Bucket: String
    public var s3Object: String
    /// Hex SHA-256 of the log file's uncompressed bytes.
    public var hashValue: String
    public var hashAlgorithm: String?
    public var newestEventTime: String?
    public var oldestEventTime: String?
  }

  /// Decodes a digest from its uncompressed JSON.
  public static func decode(_ bytes: [UInt8]) throws -> Digest {
    let document = try JSONDocument(parsing: bytes)
    return try JSONValueDecoder().decode(Digest.self, from: document.root)
  }
}
