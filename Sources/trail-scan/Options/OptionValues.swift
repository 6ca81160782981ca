// The rules for the values of numeric, duration and time options, each in one place. Numbers
// and durations are parsed by these functions while the arguments are parsed (argument-parser
// `transform:`), times by `time` from TimeWindowOptions.validate(), so a subcommand only ever
// sees a value its code can handle; a value that breaks a rule is a usage error (exit 2,
// `trail-scan: The value '-1' is invalid for '--limit <limit>': …`), never a trap further on.
import ArgumentParser
import TrailQuery
import TrailTime

enum OptionValue {
  /// The longest duration any option accepts, relative `--since`/`--until` included: 10,000
  /// years, far from where time arithmetic could overflow.
  static let longestSpan = TimeSpan(seconds: 10_000 * 31_556_952)

  /// A whole number of at least `minimum`, and at most `maximum` when there is one (`--limit`,
  /// `--top`, `--threads`, `--threshold`, `--max-depth`, `--max-record-size`).
  static func whole(atLeast minimum: Int, atMost maximum: Int? = nil) -> @Sendable (String) throws -> Int {
    { text in
      guard let value = Int(text), value >= minimum, value <= maximum ?? .max else {
        throw ValidationError(
          maximum.map { "expected a whole number from \(minimum) to \($0)." }
            ?? "expected a whole number of at least \(minimum).")
      }
      return value
    }
  }

  /// A duration such as 30s, 15m, 1h, 1d or 1h30m, of at most `longestSpan`: positive
  /// (`--every`), or zero or more with `allowsZero` (`--delivery-slack`).
  static func duration(allowsZero: Bool = false) -> @Sendable (String) throws -> TimeSpan {
    { text in
      guard let span = TimeSpan.parse(text), allowsZero ? span.seconds >= 0 : span.seconds > 0, span <= longestSpan
      else {
        throw ValidationError(
          (allowsZero
            ? "expected a duration of zero or more, such as 0s, 15m, 1h or 1d"
            : "expected a positive duration such as 30s, 15m, 1h or 1d")
            + ", of at most 10000 years.")
      }
      return span
    }
  }

  /// The instant a `--since` or `--until` value names, relative durations counted back from
  /// `now` (and at most `longestSpan` either way).
  static func time(_ text: String, edge: TimeBound.Edge, now: Timestamp) throws -> Timestamp {
    let option = edge == .since ? "--since" : "--until"
    if let span = TimeSpan.parse(text), span.seconds.magnitude > longestSpan.seconds.magnitude {
      throw ValidationError("invalid time '\(text)' for \(option): a duration before now is at most 10000 years.")
    }
    do { return try TimeBound.parse(text, edge: edge, now: now) } catch { throw ValidationError(error.message) }
  }
}
