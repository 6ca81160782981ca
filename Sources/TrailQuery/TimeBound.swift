// Parses the values of `--since` and `--until`: ISO 8601 instants, bare dates, and durations
// relative to now (`90m`, `24h`, `7d`). A bare date given to `--until` means the end of that day,
// so `--since 2024-05-14 --until 2024-05-14` is that whole day.
import TrailEvent
import TrailTime

/// The values of `--since` and `--until`: ISO 8601 instants, bare dates (a whole day through
/// `--until`), and durations before now (`90m`, `24h`, `7d`).
public enum TimeBound {
  /// Which flag a value belongs to: a bare date means its midnight for `since`, the next midnight
  /// for `until`.
  public enum Edge { case since, until }

  /// The instant `text` names. `now` anchors relative durations (`7d` = seven days before now).
  public static func parse(_ text: String, edge: Edge, now: Timestamp) throws(QueryError) -> Timestamp {
    if let span = TimeSpan.parse(text) { return now - span }
    guard let time = Timestamp.parse(text) else {
      throw QueryError(
        "invalid time '\(text)' for --\(edge == .since ? "since" : "until"): expected ISO 8601 (2024-05-14T09:00:00Z), a date (2024-05-14) or a duration before now (90m, 24h, 7d)"
      )
    }
    if edge == .until && isBareDate(text) { return time + TimeSpan(seconds: 86_400) }
    return time
  }

  static func isBareDate(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    return bytes.count == 10 && bytes[4] == 0x2D && bytes[7] == 0x2D
  }
}
