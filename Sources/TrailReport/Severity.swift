// How much a finding matters, in the five levels of spec §5. `--fail-on` compares against it,
// and each report format maps it to its own scale (SARIF level and security-severity).

/// A rule's severity, ordered `info < low < medium < high < critical`.
package enum Severity: String, CaseIterable, Comparable, Sendable, CustomStringConvertible {
  case info, low, medium, high, critical

  package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

  var rank: Int { Severity.allCases.firstIndex(of: self) ?? 0 }

  package var description: String { rawValue }
}
