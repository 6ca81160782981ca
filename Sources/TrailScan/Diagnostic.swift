// A problem met while scanning (an unreadable file, a corrupt gzip stream, a record that is not
// JSON): reported, counted, and the scan goes on. The command turns each into a line
// `trail-scan: PATH: byte N: reason` on stderr and exits 2 at the end.

/// One non-fatal problem with the input.
package struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  package var path: String
  /// The byte offset the problem was found at: in the decompressed data for JSON problems, in
  /// the file itself for gzip problems; nil when no byte is involved (a missing file).
  package var offset: Int?
  package var reason: String

  package init(path: String, offset: Int?, reason: String) {
    self.path = path
    self.offset = offset
    self.reason = reason
  }

  /// `PATH: byte N: reason`, or `PATH: reason`.
  package var description: String {
    if let offset { return "\(path): byte \(offset): \(reason)" }
    return "\(path): \(reason)"
  }
}
