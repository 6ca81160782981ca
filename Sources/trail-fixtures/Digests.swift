// Digest files (cloudtrail-formats.md §3.1): the hourly JSON object, without a Records
// envelope, that lists the log files delivered in its window with their SHA-256. trail-scan
// must skip these as events; `validate` reads them. Signatures are random hex (no key).

import TrailTime

/// The link from a digest to the one before it.
struct DigestLink {
  let bucket: String
  let key: String
  let sha256: String
  let signature: String
}

enum Digests {
  /// The digest JSON (compact, as AWS writes it).
  static func render(
    delivery: TrailDelivery, start: Timestamp, end: Timestamp, key: String,
    logs: [WrittenLog], previous: DigestLink?
  ) -> [UInt8] {
    var w = JSONWriter(pretty: false, capacity: 1024 + logs.count * 400)
    let fingerprint = { () -> String in
      var rng = SplitMix64(seed: stableHash("fingerprint/\(delivery.account.trailName)"))
      return rng.hex(32)
    }()
    let newest = logs.compactMap(\.newest).max()
    let oldest = logs.compactMap(\.oldest).min()
    func time(_ name: String, _ t: Timestamp?) {
      if let t { w.field(name, t.iso8601) } else { w.nullField(name) }
    }
    func text(_ name: String, _ value: String?) {
      if let value { w.field(name, value) } else { w.nullField(name) }
    }
    w.beginObject()
    w.field("awsAccountId", delivery.account.id)
    w.field("digestStartTime", start.iso8601)
    w.field("digestEndTime", end.iso8601)
    w.field("digestS3Bucket", delivery.bucket)
    w.field("digestS3Object", key)
    w.field("digestPublicKeyFingerprint", fingerprint)
    w.field("digestSignatureAlgorithm", "SHA256withRSA")
    time("newestEventTime", newest)
    time("oldestEventTime", oldest)
    text("previousDigestS3Bucket", previous?.bucket)
    text("previousDigestS3Object", previous?.key)
    text("previousDigestHashValue", previous?.sha256)
    text("previousDigestHashAlgorithm", previous == nil ? nil : "SHA-256")
    text("previousDigestSignature", previous?.signature)
    w.array("logFiles") { w in
      for log in logs {
        w.object { w in
          w.field("s3Bucket", delivery.bucket)
          w.field("s3Object", log.key)
          w.field("hashValue", log.sha256)
          w.field("hashAlgorithm", "SHA-256")
          if let t = log.newest { w.field("newestEventTime", t.iso8601) }
          if let t = log.oldest { w.field("oldestEventTime", t.iso8601) }
        }
      }
    }
    w.endObject()
    return w.bytes
  }
}
