// The one error TrailGzip throws: what went wrong and where, as a byte offset in the
// compressed input, so a user can find the damage in a multi-gigabyte archive.

/// A problem in gzip input, located by its byte offset in the compressed bytes.
///
/// `reason` is lower-case prose such as `"truncated gzip stream"`, `"not a gzip stream"`,
/// `"extra bytes after the gzip stream"` or `"corrupt deflate data (invalid distance too far back)"`.
public struct GzipError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Byte offset in the compressed input where the problem was detected.
  public var offset: Int
  /// What went wrong, in lower-case prose.
  public var reason: String

  /// A gzip error at compressed byte `offset`.
  public init(offset: Int, reason: String) {
    self.offset = offset
    self.reason = reason
  }

  /// `"<reason> at compressed byte <offset>"`.
  public var description: String { "\(reason) at compressed byte \(offset)" }
}

extension GzipError {
  static func truncated(at offset: Int) -> GzipError {
    GzipError(offset: offset, reason: "truncated gzip stream")
  }
  static let empty = GzipError(offset: 0, reason: "empty gzip stream")
  static func notGzip(at offset: Int) -> GzipError {
    GzipError(offset: offset, reason: "not a gzip stream")
  }
  static func extraBytes(at offset: Int) -> GzipError {
    GzipError(offset: offset, reason: "extra bytes after the gzip stream")
  }

  /// Classifies zlib's `Z_DATA_ERROR` message by the part of the member it is about.
  static func corrupt(at offset: Int, zlibMessage: String?) -> GzipError {
    let message = zlibMessage ?? "unknown error"
    let part: String
    switch message {
    case "incorrect header check", "unknown compression method", "unknown header flags set",
      "header crc mismatch":
      part = "corrupt gzip header"
    case "incorrect data check", "incorrect length check":
      part = "corrupt gzip trailer"
    default:
      part = "corrupt deflate data"
    }
    return GzipError(offset: offset, reason: "\(part) (\(message))")
  }
}
