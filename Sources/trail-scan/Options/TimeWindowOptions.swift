// `--since` and `--until`, shared by every subcommand: for a scan they keep events by
// eventTime, for `validate` files by delivery time. Both are checked while the arguments are
// parsed (an impossible date such as 2024-02-30, or a duration beyond 10,000 years, is a usage
// error) and resolved against one `now` when the command runs.
import ArgumentParser
import TrailQuery
import TrailTime

struct TimeWindowOptions<Subject: OptionSubject>: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      Subject.help(
        events: "Keep events at or after this time: 2024-05-14T09:00:00Z, 2024-05-14, or 90m/24h/7d ago.",
        archive: "Check files delivered at or after this time (ISO 8601, a date, or 90m/24h/7d ago).",
        ingest: "Read files delivered at or after this time (ISO 8601, a date, or 90m/24h/7d ago)."),
      valueName: "time"))
  var since: String?

  @Option(
    help: ArgumentHelp(
      Subject.help(
        events: "Keep events before this time (a bare date includes that whole day).",
        archive: "Check files delivered before this time (a bare date includes that day).",
        ingest: "Read files delivered before this time (a bare date includes that day)."),
      valueName: "time"))
  var until: String?

  /// The window's bounds, relative times counted back from `now`.
  func resolved(now: Timestamp = .now) throws -> (since: Timestamp?, until: Timestamp?) {
    (
      try since.map { try OptionValue.time($0, edge: .since, now: now) },
      try until.map { try OptionValue.time($0, edge: .until, now: now) }
    )
  }

  func validate() throws { _ = try resolved() }
}
