// Messages for people, on standard error only (standard output carries data). Paths and other
// text from outside are escaped, as log values are in tables.

import TrailOutput
import TrailScan

#if canImport(Glibc)
  import Glibc
#endif

enum Messages {
  /// `trail-scan: PATH: byte N: reason`, with the path and reason escaped (both can hold
  /// bytes from outside: file names, values quoted from the input).
  static func problem(_ diagnostic: Diagnostic) {
    var escaped = diagnostic
    escaped.path = TerminalText.escape(diagnostic.path)
    escaped.reason = TerminalText.escape(diagnostic.reason)
    emit("trail-scan: \(escaped)")
  }

  /// A message of our own (usage errors, notes).
  static func note(_ text: String) { emit("trail-scan: \(text)") }

  static func emit(_ line: String) {
    var bytes = Array(line.utf8)
    bytes.append(0x0A)
    bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
  }
}
