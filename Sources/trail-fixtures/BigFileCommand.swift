// `trail-fixtures big-file PATH`: one huge CloudTrail log file for memory tests. The JSON is
// produced and compressed in ~8 MiB pieces, each its own gzip member (a valid multi-member
// gzip file), so memory stays bounded whatever --bytes asks for.

import TrailGzip
import TrailTime

enum BigFileCommand {
  static let pieceSize = 8 << 20

  static func run(path: String, bytes target: Int, seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let file = OutputFile(path: path)
    var w = JSONWriter(pretty: false, capacity: pieceSize + 64 * 1024)
    var time = Timestamp(seconds: 1_715_644_800, nanoseconds: 0)  // 2024-05-14T00:00:00Z
    var json = 0
    var compressed = 0
    var records = 0
    var members = 0

    func flush(_ w: inout JSONWriter) {
      let piece = w.take()
      let gz = Gzip.compress(piece)
      file.append(gz)
      json += piece.count
      compressed += gz.count
      members += 1
    }

    w.beginObject()
    w.key("Records")
    w.beginArray()
    while json + w.bytes.count < target {
      time = time + TimeSpan(seconds: Int64(rng.int(0...1)))
      let plan = EventPlan(
        seed: rng.next(), time: time - LogFiles.latency(&rng), account: .management,
        region: rng.chance(0.7) ? "us-east-1" : "eu-west-1")
      EventGenerator.write(plan, to: &w)
      records += 1
      if w.bytes.count >= pieceSize { flush(&w) }
    }
    w.endArray()
    w.endObject()
    flush(&w)
    file.close()
    print("\(path): \(records) records, \(json) bytes of JSON, \(compressed) bytes in \(members) gzip members")
  }
}
