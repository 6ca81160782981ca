// `trail-fixtures archive OUTDIR`: a large deterministic archive for benchmarks, in the real
// S3 layout: a management account trail over three regions and two member accounts under an
// organization trail with a key prefix, files every few minutes over several days, hourly
// chained digests with real SHA-256 hashes, daily Insights pairs, rare duplicate deliveries.

import TrailTime

enum ArchiveCommand {
  static let start = Timestamp(seconds: 1_715_558_400, nanoseconds: 0)  // 2024-05-13T00:00:00Z

  /// One delivery stream (trail × account × region) and its share of the traffic.
  static let streams: [(TrailDelivery, Double)] = {
    let trail = "example-cloudtrail-logs"
    let org = "example-org-trail-logs"
    func own(_ region: String) -> TrailDelivery {
      TrailDelivery(bucket: trail, keyPrefix: nil, orgID: nil, account: .management, region: region)
    }
    func member(_ account: Account, _ region: String) -> TrailDelivery {
      TrailDelivery(bucket: org, keyPrefix: "org-trail", orgID: "o-exampleorgid", account: account, region: region)
    }
    return [
      (own("us-east-1"), 5), (own("us-west-2"), 2), (own("eu-west-1"), 2),
      (member(.member, "us-east-1"), 3), (member(.member, "eu-central-1"), 1),
      (member(.memberTwo, "us-east-1"), 2), (member(.memberTwo, "ap-southeast-2"), 1),
    ]
  }()

  static func run(outdir: String, events: Int, seed: UInt64, perFile: Int, days: Int) {
    var rng = SplitMix64(seed: seed)
    let span = Int64(days) * 86_400

    // File sizes around `perFile` (half to one and a half times), summing to `events`.
    var sizes: [Int] = []
    var remaining = events
    while remaining > 0 {
      let size = min(remaining, rng.int(max(1, perFile / 2)...max(1, perFile * 3 / 2)))
      sizes.append(size)
      remaining -= size
    }
    var sizesByStream = [[Int]](repeating: [], count: streams.count)
    let streamWeights = streams.indices.map { ($0, streams[$0].1) }
    for size in sizes { sizesByStream[rng.weighted(streamWeights)].append(size) }

    var totals = (logs: 0, records: 0, json: 0, gzip: 0, digests: 0)
    for (index, (delivery, _)) in streams.enumerated() {
      var streamRng = SplitMix64(seed: rng.next())
      let sizes = sizesByStream[index]
      var written: [WrittenLog] = []
      var previous: [EventPlan] = []
      for (i, size) in sizes.enumerated() {
        // Spread deliveries evenly over the span, jittered, on whole minutes.
        let slot = span * Int64(i) / Int64(sizes.count)
        let width = max(60, span / Int64(sizes.count))
        let offset = (slot + streamRng.int64(0...(width - 1))) / 60 * 60
        let delivered = start + TimeSpan(seconds: max(60, offset))
        var plans: [EventPlan] = []
        plans.reserveCapacity(size)
        for _ in 0..<size {
          if !previous.isEmpty && streamRng.chance(0.001) {
            plans.append(streamRng.pick(previous))  // a repeated delivery, same eventID
            continue
          }
          plans.append(
            EventPlan(
              seed: streamRng.next(), time: delivered - LogFiles.latency(&streamRng),
              account: delivery.account, region: delivery.region))
        }
        previous = plans
        let key = delivery.logKey(delivered: delivered, unique: streamRng.alnum(16))
        let log = LogFiles.write(plans, pretty: streamRng.chance(0.05), key: key, delivered: delivered, root: outdir)
        written.append(log)
        totals.logs += 1
        totals.records += log.records
        totals.json += log.uncompressedBytes
        totals.gzip += log.compressedBytes
      }
      totals.digests += writeDigests(for: delivery, logs: written, span: span, rng: &streamRng, root: outdir)
      if index == 0 { writeInsights(for: delivery, days: days, rng: &streamRng, root: outdir) }
    }
    print(
      "\(totals.logs) log files, \(totals.records) records, \(totals.json) bytes of JSON, \(totals.gzip) bytes gzip'd; \(totals.digests) digest files, \(days) Insights files"
    )
  }

  /// Hourly digests from the start of the span until every log file is covered, chained.
  static func writeDigests(
    for delivery: TrailDelivery, logs: [WrittenLog], span: Int64,
    rng: inout SplitMix64, root: String
  ) -> Int {
    let offset = TimeSpan(seconds: Int64(rng.int(0...3599)))
    let lastDelivery = logs.map(\.delivered).max() ?? start
    var end = start + offset + TimeSpan(seconds: 3600)
    var previous: DigestLink? = nil
    var count = 0
    var pending = logs.sorted { $0.delivered < $1.delivered }[...]
    while end - TimeSpan(seconds: 3600) < max(lastDelivery, start + TimeSpan(seconds: span)) {
      var covered: [WrittenLog] = []
      while let next = pending.first, next.delivered <= end {
        covered.append(next)
        pending = pending.dropFirst()
      }
      let key = delivery.digestKey(delivered: end)
      let json = Digests.render(
        delivery: delivery, start: end - TimeSpan(seconds: 3600), end: end, key: key,
        logs: covered, previous: previous)
      LogFiles.write(compressing: json, key: key, root: root)
      previous = DigestLink(bucket: delivery.bucket, key: key, sha256: SHA256.hex(json), signature: rng.hex(512))
      count += 1
      end = end + TimeSpan(seconds: 3600)
    }
    return count
  }

  /// One Insights Start/End pair per day, in its own file.
  static func writeInsights(for delivery: TrailDelivery, days: Int, rng: inout SplitMix64, root: String) {
    for day in 0..<days {
      let begin = start + TimeSpan(seconds: Int64(day) * 86_400 + Int64(rng.int(8 * 60...20 * 60)) * 60)
      let end = begin + TimeSpan(seconds: Int64(rng.int(3...45)) * 60)
      var w = JSONWriter(pretty: false)
      w.beginObject()
      w.key("Records")
      w.beginArray()
      Insights.writePair(start: begin, end: end, account: delivery.account, region: delivery.region, rng: &rng, to: &w)
      w.endArray()
      w.endObject()
      let delivered = (end + TimeSpan(seconds: Int64(rng.int(20...35)) * 60)).truncated(to: TimeSpan(seconds: 60))
      let key = delivery.insightKey(delivered: delivered, unique: rng.alnum(16))
      _ = LogFiles.writeRendered(w.bytes, records: 2, times: [begin, end], key: key, delivered: delivered, root: root)
    }
  }
}
