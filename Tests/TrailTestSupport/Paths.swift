// Locates the project's Fixtures/ and the shared corpus from this file's path, so tests and
// tools read the same files without SwiftPM resource bundles (argument-parser's approach).
import Foundation

public enum Paths {
  /// The package root (the folder holding Package.swift).
  public static let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/TrailTestSupport/Paths.swift
    return url
  }()

  /// `Fixtures/` at the package root.
  public static let fixtures = packageRoot.appendingPathComponent("Fixtures")

  /// `../shared/corpus` beside the project root (read-only third-party samples).
  public static let sharedCorpus = packageRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/corpus")

  /// Every regular file below `root`, sorted by path.
  public static func files(under root: URL) -> [URL] {
    guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
      return []
    }
    var result: [URL] = []
    for case let url as URL in walker {
      if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { result.append(url) }
    }
    return result.sorted { $0.path < $1.path }
  }

  public static func bytes(_ url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
  }
}
