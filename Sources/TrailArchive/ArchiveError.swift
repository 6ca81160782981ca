// The one error TrailArchive reports: which path, what went wrong in lower-case prose, and a
// byte offset when there is one. Per-file problems are reported and the scan goes on.
import Glibc

/// A problem finding, opening or reading one archive object.
///
/// `reason` is lower-case prose: `"no such file or directory"`, `"permission denied"`,
/// `"gzip: truncated gzip stream"`, `"directory loop through a symbolic link"`.
package struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The path the problem is about (`"-"` for standard input).
  package var path: String
  /// Byte offset when meaningful; for gzip errors, the offset in the compressed bytes.
  package var offset: Int?
  /// What went wrong, in lower-case prose.
  package var reason: String

  /// An error about `path`.
  package init(path: String, offset: Int? = nil, reason: String) {
    self.path = path
    self.offset = offset
    self.reason = reason
  }

  /// `"<path>: <reason>"`, plus `" at byte N"` (`" at compressed byte N"` for gzip errors).
  package var description: String {
    let name = path == "-" ? "<stdin>" : path
    guard let offset else { return "\(name): \(reason)" }
    let unit = reason.hasPrefix("gzip: ") ? "compressed byte" : "byte"
    return "\(name): \(reason) at \(unit) \(offset)"
  }
}

extension ArchiveError {
  /// The error for a failed system call on `path`, from `errno`'s text in lower case
  /// (`ENOENT` → "no such file or directory").
  static func system(_ path: String, _ code: Int32) -> ArchiveError {
    ArchiveError(path: path, reason: String(cString: strerror(code)).lowercased())
  }

  static func directoryLoop(_ path: String) -> ArchiveError {
    ArchiveError(path: path, reason: "directory loop through a symbolic link")
  }
}
