// One thing to read: a file path or standard input, with its S3 key parsed once so the
// scanner can prune by account, region and delivery time without opening the file.

/// A file (or standard input) to read, with the CloudTrail S3 key parsed from its path.
package struct ArchiveObject: Sendable, Hashable {
  /// The path to open; `"-"` means standard input.
  package var path: String
  /// The S3 key parsed from `path`, or nil when the path is not in the CloudTrail layout.
  package var key: CloudTrailObjectKey?
  /// True for standard input (`path == "-"`).
  package var isStandardInput: Bool { path == "-" }

  /// An object for `path`, parsing its key (standard input has none).
  package init(path: String) {
    self.path = path
    self.key = path == "-" ? nil : CloudTrailObjectKey(path: path)
  }

  /// An object with an explicit key.
  package init(path: String, key: CloudTrailObjectKey?) {
    self.path = path
    self.key = key
  }
}
