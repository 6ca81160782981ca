// The progress line of long scans: files, data read, events per second and an estimate of the
// time left, redrawn in place on standard error at most ten times a second — and only when
// standard error is a terminal, so pipes and CI logs never see it. Messages clear it first.

import TrailArchive
import TrailScan

#if canImport(Glibc)
  import Glibc
#endif

final class ProgressLine {
  let totalFiles: Int
  /// Bytes of the files to read (compressed, as on disk), for the time estimate.
  let totalBytes: Int
  let sizes: [Int]
  let started = ProgressLine.now()
  var lastDraw = 0.0
  var visible = false

  /// nil unless standard error is a terminal and progress is wanted.
  static func make(for objects: [ArchiveObject], quiet: Bool) -> ProgressLine? {
    guard !quiet, isatty(STDERR_FILENO) == 1 else { return nil }
    return ProgressLine(objects)
  }

  init(_ objects: [ArchiveObject]) {
    sizes = objects.map { object in
      var info = stat()
      return object.isStandardInput || stat(object.path, &info) != 0 ? 0 : Int(info.st_size)
    }
    totalFiles = objects.count
    totalBytes = sizes.reduce(0, +)
  }

  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  func update(_ statistics: ScanStatistics) {
    update(
      done: max(0, statistics.files - 1) + statistics.filesPruned, events: statistics.events,
      detail: "\(statistics.bytesInflated / 1_000_000) MB, ")
  }

  /// `done` files of the list finished (in about the list's order: the estimate takes their
  /// sizes from its start), `events` read so far.
  func update(done: Int, events: Int, prefix: String = "", detail: String = "") {
    let now = Self.now()
    guard now - lastDraw >= 0.1, now - started >= 0.5 else { return }
    lastDraw = now
    let elapsed = now - started
    let doneBytes = sizes.prefix(done).reduce(0, +)
    var line = "trail-scan: \(prefix)\(done)/\(totalFiles) files, \(detail)\(Int(Double(events) / elapsed)) events/s"
    if doneBytes > 0 && totalBytes > doneBytes {
      let left = elapsed * Double(totalBytes - doneBytes) / Double(doneBytes)
      line += ", about \(Int(left.rounded(.up)))s left"
    }
    draw("\r\u{1B}[K" + line)
    visible = true
  }

  /// Draws `text` now, in place of the line (a stage after reading, such as indexing).
  func show(_ text: String) {
    draw("\r\u{1B}[K" + text)
    visible = true
  }

  /// Removes the line (before a message, and at the end).
  func clear() {
    guard visible else { return }
    draw("\r\u{1B}[K")
    visible = false
  }

  func draw(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
  }
}
