// Renders and writes CloudTrail log files: a list of event plans in a {"Records":[…]}
// envelope, compact or pretty, gzip'd as one member. Remembers what a digest needs about
// each file (key, SHA-256 of the uncompressed bytes, event-time range).

import TrailGzip
import TrailTime

/// What was written for one log file.
struct WrittenLog {
  let key: String
  let delivered: Timestamp
  let sha256: String
  let records: Int
  let oldest: Timestamp?
  let newest: Timestamp?
  let uncompressedBytes: Int
  let compressedBytes: Int
}

enum LogFiles {
  /// `{"Records":[…]}` holding the events of `plans`, in that order.
  static func render(_ plans: [EventPlan], pretty: Bool) -> [UInt8] {
    var w = JSONWriter(pretty: pretty, capacity: plans.count * 1400 + 32)
    w.beginObject()
    w.key("Records")
    w.beginArray()
    for plan in plans { EventGenerator.write(plan, to: &w) }
    w.endArray()
    w.endObject()
    return w.bytes
  }

  /// Renders, compresses and writes one log file under `root`.
  static func write(
    _ plans: [EventPlan], pretty: Bool, key: String, delivered: Timestamp,
    root: String
  ) -> WrittenLog {
    let json = render(plans, pretty: pretty)
    return writeRendered(
      json, records: plans.count, times: plans.map(\.time), key: key,
      delivered: delivered, root: root)
  }

  /// Compresses and writes already rendered JSON.
  static func writeRendered(
    _ json: [UInt8], records: Int, times: [Timestamp], key: String,
    delivered: Timestamp, root: String
  ) -> WrittenLog {
    let compressed = Gzip.compress(json)
    FileSystem.write(compressed, to: "\(root)/\(key)")
    return WrittenLog(
      key: key, delivered: delivered, sha256: SHA256.hex(json), records: records,
      oldest: times.min(), newest: times.max(),
      uncompressedBytes: json.count, compressedBytes: compressed.count)
  }

  /// Compresses and writes a non-log JSON file (digest).
  static func write(compressing json: [UInt8], key: String, root: String) {
    FileSystem.write(Gzip.compress(json), to: "\(root)/\(key)")
  }

  /// How long after an event its file is delivered: mostly within 5 minutes, some up to 20.
  static func latency(_ rng: inout SplitMix64) -> TimeSpan {
    TimeSpan(seconds: Int64(rng.chance(0.85) ? rng.int(20...300) : rng.int(300...1200)))
  }
}
