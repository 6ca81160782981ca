// A CloudTrail digest file (cloudtrail-formats.md §3.1) as read for validation: the fields that
// the chain, the signature and the log hashes need, decoded by our own JSON decoder from the
// digest's uncompressed bytes, which are also what its hash and signature cover.
import TrailJSON

/// The parts of a digest file that validation uses.
package struct Digest: Decodable, Sendable, Equatable {
  package var awsAccountId: String?
  /// Copied verbatim into the signing string.
  package var digestStartTime: String
  package var digestEndTime: String
  package var digestS3Bucket: String
  package var digestS3Object: String
  package var digestPublicKeyFingerprint: String
  package var digestSignatureAlgorithm: String?
  package var previousDigestS3Bucket: String?
  package var previousDigestS3Object: String?
  /// Hex SHA-256 of the previous digest's uncompressed bytes.
  package var previousDigestHashValue: String?
  package var previousDigestHashAlgorithm: String?
  /// Hex signature of the previous digest.
  package var previousDigestSignature: String?
  package var logFiles: [LogFileEntry]

  package struct LogFileEntry: Decodable, Sendable, Equatable {
    package var s3Bucket: String
    package var s3Object: String
    /// Hex SHA-256 of the log file's uncompressed bytes.
    package var hashValue: String
    package var hashAlgorithm: String?
    package var newestEventTime: String?
    package var oldestEventTime: String?
  }

  /// Decodes a digest from its uncompressed JSON.
  package static func decode(_ bytes: [UInt8]) throws -> Digest {
    let document = try JSONDocument(parsing: bytes)
    return try JSONValueDecoder().decode(Digest.self, from: document.root)
  }
}
