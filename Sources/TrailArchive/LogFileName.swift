// Which file names the walker takes below a directory, and which are CloudTrail digests
// (never events, never an error). Decided by name only, so no file is opened to decide.

/// Name rules shared by the walker and the key parser.
enum LogFileName {
  /// Extensions of files taken below directories (ASCII case-insensitive). `.gz` covers
  /// `.json.gz`, `.jsonl.gz`, `.ndjson.gz` and `.log.gz`.
  static let logExtensions = [".json", ".jsonl", ".ndjson", ".log", ".gz"]

  /// The folder CloudTrail delivers digest files to.
  static let digestFolder = "CloudTrail-Digest"

  /// True when `name` ends in one of ``logExtensions``.
  static func isLog<S: StringProtocol>(_ name: S) -> Bool {
    let lower = name.lowercased()
    return logExtensions.contains { lower.hasSuffix($0) }
  }

  /// True when `name` is a digest file name (`…_CloudTrail-Digest_…`).
  static func isDigest<S: StringProtocol>(_ name: S) -> Bool {
    name.contains("_CloudTrail-Digest_")
  }

  /// True when `path` is a digest: a name containing `_CloudTrail-Digest_`, or a file below a
  /// `CloudTrail-Digest` folder.
  static func isDigestPath(_ path: String) -> Bool {
    let parts = path.split(separator: "/")
    guard let name = parts.last else { return false }
    return isDigest(name) || parts.dropLast().contains { $0 == digestFolder }
  }

  /// True when the directory `path` is a `CloudTrail-Digest` folder or lies below one.
  static func isInDigestFolder(_ path: String) -> Bool {
    path.split(separator: "/").contains { $0 == digestFolder }
  }
}
