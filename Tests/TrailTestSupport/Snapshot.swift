// Golden files for exact output: compares text with Tests/<target>/Snapshots/<name>, or writes
// it when RECORD_SNAPSHOTS=1 (then review the diff with git), as argument-parser's
// assertSnapshot does. A missing golden file is a failure, so CI never passes on nothing.
import Foundation
import Testing

public enum Snapshot {
  /// Checks `actual` against the golden file `name` beside the calling test file.
  public static func check(
    _ actual: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let url = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try? Data(actual.utf8).write(to: url)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        "no golden file \(url.path); run the tests with RECORD_SNAPSHOTS=1 to write it", sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
      let first =
        zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(expectedLines.count, actualLines.count)
      Issue.record(
        """
        \(name) differs from its golden file at line \(first + 1)
        expected: \(first < expectedLines.count ? String(expectedLines[first]) : "<end>")
        actual:   \(first < actualLines.count ? String(actualLines[first]) : "<end>")
        (RECORD_SNAPSHOTS=1 re-records it)
        """, sourceLocation: sourceLocation)
    }
  }
}
