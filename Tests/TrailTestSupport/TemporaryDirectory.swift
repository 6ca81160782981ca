// A scratch directory for tests that need real files (walker order, symbolic links, reading
// from disk); removed when the value is released, so tests leave nothing behind.
import Foundation

/// A fresh directory under the system temporary directory, deleted on deinit.
public final class TemporaryDirectory {
  /// Absolute path of the directory (no trailing `/`).
  public let path: String

  /// Creates an empty directory named `<prefix>-<UUID>`.
  public init(prefix: String = "trail-scan-test") throws {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    path = url.path
  }

  deinit {
    // Restore permissions tests may have removed, so removal cannot fail on them.
    if let walker = FileManager.default.enumerator(atPath: path) {
      for case let relative as String in walker {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: self.path(relative))
      }
    }
    try? FileManager.default.removeItem(atPath: path)
  }

  /// The absolute path of `relative` inside the directory.
  public func path(_ relative: String) -> String { path + "/" + relative }

  /// Writes `bytes` to `relative`, creating intermediate directories; returns the absolute path.
  @discardableResult
  public func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
    let target = path(relative)
    let url = URL(fileURLWithPath: target)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return target
  }

  /// Writes `text` as UTF-8 to `relative`; returns the absolute path.
  @discardableResult
  public func write(_ relative: String, _ text: String) throws -> String {
    try write(relative, Array(text.utf8))
  }

  /// Creates the directory `relative` (and its parents); returns the absolute path.
  @discardableResult
  public func makeDirectory(_ relative: String) throws -> String {
    let target = path(relative)
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    return target
  }

  /// Creates a symbolic link at `relative` pointing to `destination` (absolute or relative
  /// to the link's folder); returns the link's absolute path.
  @discardableResult
  public func symlink(_ relative: String, to destination: String) throws -> String {
    let target = path(relative)
    try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: destination)
    return target
  }
}
