// Offline `validate-logs`: every digest and log file of a downloaded archive is read once (in
// parallel, hashing while it inflates); then each digest is checked against where it was read,
// its RSA signature (the next digest's `previousDigestSignature`, or `--signatures` for the
// newest) made with a key valid at the time, and its link to the previous digest; each log
// file against its digest's hash. What it vouches for is what `search` and `check` read from
// the same paths: every such file is listed by a digest or reported (`not-covered`,
// `outside-layout`), wherever it sits. Algorithm: cloudtrail-formats.md §3; docs/validate.md.
//
// Memory: a digest is parsed in the worker that read it, capped at `Digest.maxSize`, and only
// its header and one (key, SHA-256) pair per listed log file are kept; the coverage index holds
// each listed key once. So memory grows with the number of entries, not with the bytes read.
import Dispatch
import Synchronization
import TrailArchive
import TrailTime

/// What to validate and with what.
package struct ValidationPlan: Sendable {
  package var keys: PublicKeySet?
  /// Signatures that lived only in S3 metadata: digest S3 key (as in `digestS3Object`) → hex;
  /// nil when no `--signatures` file was given.
  package var signatures: [String: String]?
  /// Delivery-time range: digests delivered in `[since, until + 1h)`, log files in `[since, until)`.
  package var since: Timestamp?
  package var until: Timestamp?
  package var accounts: [String]
  package var regions: [String]
  package var workers: Int
  /// Files outside any `AWSLogs/` folder are listed as `ignored` instead of failing.
  package var ignoreOutsideLayout: Bool

  package init(
    keys: PublicKeySet? = nil, signatures: [String: String]? = nil, since: Timestamp? = nil, until: Timestamp? = nil,
    accounts: [String] = [], regions: [String] = [], workers: Int = 2, ignoreOutsideLayout: Bool = false
  ) {
    self.keys = keys
    self.signatures = signatures
    self.since = since
    self.until = until
    self.accounts = accounts
    self.regions = regions
    self.workers = workers
    self.ignoreOutsideLayout = ignoreOutsideLayout
  }
}

package enum Validator {
  /// One digest period: CloudTrail delivers a digest per hour and trail location.
  static let period: Int64 = 3600

  /// The key from `AWSLogs/` on (the part of an S3 key that a local copy keeps), or nil.
  package static func normalizedKey(_ path: String) -> String? {
    var parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard let anchor = parts.lastIndex(of: "AWSLogs") else { return nil }
    parts = Array(parts[anchor...])
    return parts.filter { !$0.isEmpty }.joined(separator: "/")
  }

  /// Validates the files of `objects` (walked with digests included).
  package static func run(_ objects: [ArchiveObject], plan: ValidationPlan) -> IntegrityResult {
    let files = Files(objects, plan: plan)
    var result = IntegrityResult(entries: [], notes: [], bytesRead: 0, bytesInflated: 0)
    if files.strayDigests > 0 {
      result.notes.append(
        "\(files.strayDigests) file(s) in CloudTrail-Digest folders or named as digests are not digests of the "
          + "layout and were not read (search and check skip them too)")
    }

    // Digests, and the first digest after the range of each chain (it holds the signature of
    // the range's newest digest): read and parsed in parallel, one (key, hash) per entry kept.
    let all = files.digests + files.lookahead
    var reads = parallelMap(all.count, workers: plan.workers) { readDigest(all[$0].path) }
    for read in reads {
      result.bytesRead += read.bytesRead
      result.bytesInflated += read.bytesInflated
    }
    var index = CoverageIndex()
    for d in files.digests.indices {
      guard case .read(var content) = reads[d].outcome else { continue }
      index.add(content.entries, digest: d, backfill: files.digests[d].parsed.isBackfill)
      content.entries = []
      reads[d].outcome = .read(content)
    }
    checkDigests(files, reads, plan: plan, into: &result)

    // Log files: those digests list, and the others in range; read in parallel.
    let wanted = files.logs.indices.filter { index.listing[files.logs[$0].key] != nil || files.logInRange($0) }
    let logReads = parallelMap(wanted.count, workers: plan.workers) { i in
      Result { () throws(FileReadError) in try FileHasher.hash(files.logs[wanted[i]].path) }
    }
    for read in logReads {
      if case .success(let hash) = read {
        result.bytesRead += hash.bytesRead
        result.bytesInflated += hash.bytesInflated
      }
    }
    var present = Set<String>()
    for (i, logIndex) in wanted.enumerated() {
      let log = files.logs[logIndex]
      present.insert(log.key)
      result.entries.append(checkLog(log, logReads[i], index: index, files: files))
    }
    // One detail string per digest, shared by its missing entries.
    var details: [Int: String] = [:]
    for (key, listing) in index.listing where !present.contains(key) {
      guard inRange(CloudTrailObjectKey(path: key)?.deliveryTime, plan, slack: 0) else { continue }
      let detail = details[listing.digest] ?? "listed in \(files.digests[listing.digest].key) but not found"
      details[listing.digest] = detail
      result.entries.append(
        IntegrityEntry(
          kind: .log, backfill: listing.backfill, key: key, path: nil, status: .missing, detail: detail))
    }

    for path in files.outside {
      result.entries.append(
        plan.ignoreOutsideLayout
          ? IntegrityEntry(
            kind: .log, key: path, path: path, status: .ignored,
            detail: "outside any AWSLogs/ folder: not checked (--ignore-outside-layout), but search and check read it")
          : IntegrityEntry(
            kind: .log, key: path, path: path, status: .outsideLayout,
            detail: "outside any AWSLogs/ folder: search and check read it, but no digest can list it"))
    }
    result.entries.sort {
      ($0.kind.rawValue, $0.backfill ? 1 : 0, $0.key) < ($1.kind.rawValue, $1.backfill ? 1 : 0, $1.key)
    }
    return result
  }

  // MARK: Digests

  /// Checks every digest in range (place, signature, key validity, chain link), names the
  /// digests that are missing, and the chains that end too early for `--until`.
  static func checkDigests(
    _ files: Files, _ reads: [DigestRead], plan: ValidationPlan, into result: inout IntegrityResult
  ) {
    let digests = files.digests
    let count = digests.count
    // The digest that names each digest as its previous one: it holds that digest's signature.
    var successor: [String: Int] = [:]
    for (d, read) in reads.enumerated() {
      guard case .read(let content) = read.outcome,
        let previous = content.digest.previousDigestS3Object.flatMap(normalizedKey)
      else { continue }
      if successor[previous] == nil || d < count { successor[previous] = d }
    }
    let present = Dictionary(digests.indices.map { (digests[$0].key, $0) }, uniquingKeysWith: { first, _ in first })

    // Digests that --signatures names and that are absent: the tail of a chain deleted.
    var missing: [String: (backfill: Bool, detail: String)] = [:]
    var signatureByKey: [String: String] = [:]
    var newest: [String: Timestamp] = [:]
    for (key, signature) in plan.signatures ?? [:] {
      guard let normalized = normalizedKey(key) else {
        missing[key] = (false, "named in --signatures but not found (not an AWSLogs/ key)")
        continue
      }
      if signatureByKey[normalized] == nil || key == normalized { signatureByKey[normalized] = signature }
      guard !files.allDigestKeys.contains(normalized) else { continue }
      let parsed = CloudTrailObjectKey(path: normalized)
      if let parsed {
        guard inScope(parsed, plan), inRange(parsed.deliveryTime, plan, slack: period) else { continue }
        let chain = Files.chain(parsed)
        let time = parsed.deliveryTime ?? .epoch
        if newest[chain].map({ time > $0 }) ?? true { newest[chain] = time }
      }
      missing[normalized] = (
        parsed?.isBackfill ?? false,
        "named in --signatures but not found: it was deleted, perhaps with the log files it listed"
      )
    }
    // Per chain, its digests by time: the newest, and each digest's older neighbour.
    var byChain: [String: [Int]] = [:]
    for d in digests.indices { byChain[Files.chain(digests[d].parsed), default: []].append(d) }
    var older: [Int: Int] = [:]
    for (chain, members) in byChain {
      let sorted = members.sorted { digests[$0].time < digests[$1].time }
      for (a, b) in zip(sorted, sorted.dropFirst()) { older[b] = a }
      if let last = sorted.last, newest[chain].map({ digests[last].time > $0 }) ?? true {
        newest[chain] = digests[last].time
      }
    }

    for d in 0..<count {
      let located = digests[d]
      let backfill = located.parsed.isBackfill
      guard case .read(let content) = reads[d].outcome else {
        if case .failed(let why) = reads[d].outcome {
          result.entries.append(
            IntegrityEntry(
              kind: .digest, backfill: backfill, key: located.key, path: located.path, status: .invalid, detail: why))
        }
        continue
      }
      let digest = content.digest
      let chain = Files.chain(located.parsed)
      var problems: [(IntegrityStatus, String)] = []

      // Read from where it says it was written.
      if normalizedKey(digest.digestS3Object) != located.key {
        problems.append((.moved, "records its location as \(digest.digestS3Object)"))
      }

      // Signature: from the next digest, else from --signatures, else unverifiable.
      var source: SignatureSource
      let signature: String?
      if let next = successor[located.key], case .read(let holder) = reads[next].outcome {
        signature = holder.digest.previousDigestSignature
        source = .nextDigest
      } else if let saved = plan.signatures?[digest.digestS3Object] ?? signatureByKey[located.key] {
        signature = saved
        source = .signaturesFile
      } else {
        signature = nil
        // Only the newest digest of a chain may lack a signature; an older one lost it with
        // the next digest. With --signatures, the newest must be in it.
        source =
          newest[chain].map { located.time < $0 } ?? false
          ? .nextDigestMissing : plan.signatures == nil ? .newest : .notInSignatures
      }
      if let signature {
        if let keys = plan.keys {
          if let key = keys.key(fingerprint: digest.digestPublicKeyFingerprint) {
            if let outside = outsideValidity(key, digest, backfill: backfill) {
              problems.append((.signatureInvalid, outside))
            }
            let text = DigestSignature.signingString(for: digest, digestSHA256Hex: content.sha256)
            switch DigestSignature.verify(signatureHex: signature, signingString: text, key: key) {
            case .valid: break
            case .invalid:
              problems.append(
                (.signatureInvalid, "signature verification failed (signature from the \(source.rawValue))"))
            case .malformedSignature(let why):
              problems.append((.signatureInvalid, "malformed signature from the \(source.rawValue): \(why)"))
            }
          } else {
            problems.append(
              (
                .unverifiable,
                "no public key with fingerprint \(digest.digestPublicKeyFingerprint) in the --public-keys file"
              ))
            source = .noKey
          }
        } else {
          problems.append((.unverifiable, "signature not checked: no --public-keys given"))
          source = .noKey
        }
      } else {
        let why: String
        switch source {
        case .newest: why = "newest digest: its signature was only in S3 metadata (give --signatures to check it)"
        case .notInSignatures: why = "newest digest of its chain, and --signatures does not name it"
        case .nextDigest: why = "the next digest records no signature for it"
        default: why = "no signature: the next digest, which holds it, is missing or unreadable"
        }
        problems.append((.unverifiable, why))
      }

      // The chain: the previous digest must be here and hash to what this one records. One
      // that is here but unreadable is reported once, as invalid.
      if let previousObject = digest.previousDigestS3Object, let previousKey = normalizedKey(previousObject) {
        if let previous = present[previousKey] {
          if case .read(let before) = reads[previous].outcome,
            before.sha256 != digest.previousDigestHashValue?.lowercased()
          {
            problems.append((.chainBroken, "the previous digest \(previousKey) does not have the hash recorded here"))
          }
        } else if !files.allDigestKeys.contains(previousKey),
          inRange(CloudTrailObjectKey(path: previousKey)?.deliveryTime, plan, slack: period)
        {
          missing[previousKey] = (
            previousKey.contains("_backfill"), "named as the previous digest of \(located.key), but not found"
          )
          var text = "the previous digest \(previousKey) is missing"
          if let before = older[d], case .read(let earlier) = reads[before].outcome {
            text += "; no digest covers \(earlier.digest.digestEndTime) to \(digest.digestStartTime)"
          }
          problems.append((.chainBroken, text))
        }
      }

      // The tail: with --until, a chain must reach it (within one digest period).
      if let until = plan.until, !backfill, newest[chain] == located.time, successor[located.key] == nil,
        located.time + TimeSpan(seconds: period) < until
      {
        problems.append(
          (
            .chainBroken,
            "the newest digest of its chain, though --until asks for digests up to \(until.iso8601) "
              + "and one comes every hour: the digests after it are missing (deleted with their log files, "
              + "or logging or validation was off)"
          ))
      }

      let worst = problems.first { $0.0 != .unverifiable } ?? problems.first
      result.entries.append(
        IntegrityEntry(
          kind: .digest, backfill: backfill, key: located.key, path: located.path, status: worst?.0 ?? .valid,
          detail: problems.isEmpty ? "signature and chain verified" : problems.map(\.1).joined(separator: "; "),
          signatureSource: source))
    }
    // A digest named as previous by the first digest after the range.
    for d in count..<reads.count {
      guard case .read(let content) = reads[d].outcome,
        let previousKey = content.digest.previousDigestS3Object.flatMap(normalizedKey),
        !files.allDigestKeys.contains(previousKey),
        inRange(CloudTrailObjectKey(path: previousKey)?.deliveryTime, plan, slack: period)
      else { continue }
      missing[previousKey] = (
        previousKey.contains("_backfill"),
        "named as the previous digest of \(files.lookahead[d - count].key), but not found"
      )
    }
    for (key, why) in missing {
      result.entries.append(
        IntegrityEntry(kind: .digest, backfill: why.backfill, key: key, path: nil, status: .missing, detail: why.detail)
      )
    }
  }

  /// Why `key` may not have signed `digest` (signed at its `digestEndTime`; a backfill digest
  /// is signed later, so only the end of the key's validity bounds it), or nil when it may.
  static func outsideValidity(_ key: PublicKey, _ digest: Digest, backfill: Bool) -> String? {
    guard key.validFrom != nil || key.validUntil != nil else { return nil }
    guard let signed = Timestamp.parse(digest.digestEndTime) else {
      return "digestEndTime \(digest.digestEndTime) is not a time: the key's validity cannot be checked"
    }
    let early = !backfill && key.validFrom.map { signed < $0 } ?? false
    let late = key.validUntil.map { signed > $0 } ?? false
    guard early || late else { return nil }
    return "signed at \(digest.digestEndTime), outside the validity of public key \(key.fingerprint) "
      + "(\(key.validFrom?.iso8601 ?? "unbounded") to \(key.validUntil?.iso8601 ?? "unbounded"))"
  }

  /// Reads, hashes and parses one digest, keeping only what validation needs.
  static func readDigest(_ path: String) -> DigestRead {
    let hash: FileHash
    do {
      hash = try FileHasher.hash(path, keepContent: true, contentLimit: Digest.maxSize)
    } catch {
      let why =
        error.overLimit ? "not read: " + DigestError.tooLarge(limit: Digest.maxSize).reason : "cannot read: \(error)"
      return DigestRead(outcome: .failed(why), bytesRead: 0, bytesInflated: 0)
    }
    var digest: Digest
    do {
      digest = try Digest.decode(hash.content ?? [])
    } catch {
      return DigestRead(
        outcome: .failed("not a digest file: \(error)"), bytesRead: hash.bytesRead, bytesInflated: hash.bytesInflated)
    }
    var entries: [Listed] = []
    entries.reserveCapacity(digest.logFiles.count)
    for file in digest.logFiles {
      guard let key = normalizedKey(file.s3Object) else { continue }
      entries.append(Listed(key: key, hash: SHA256Value(hex: file.hashValue)))
    }
    digest.logFiles = []
    return DigestRead(
      outcome: .read(DigestContent(digest: digest, sha256: hash.sha256, entries: entries)), bytesRead: hash.bytesRead,
      bytesInflated: hash.bytesInflated)
  }

  // MARK: Log files

  /// The verdict on one log file present on disk.
  static func checkLog(
    _ log: Files.LogFile, _ read: Result<FileHash, FileReadError>, index: CoverageIndex, files: Files
  ) -> IntegrityEntry {
    guard let listing = index.listing[log.key] else {
      if case .failure(let error) = read {
        return IntegrityEntry(
          kind: .log, key: log.key, path: log.path, status: .invalid, detail: "cannot read: \(error)")
      }
      if let parsed = log.parsed, let time = parsed.deliveryTime, let end = files.newestDigest[Files.location(parsed)],
        time >= end, time < end + TimeSpan(seconds: period)
      {
        return IntegrityEntry(
          kind: .log, key: log.key, path: log.path, status: .pending,
          detail: "delivered after the newest digest (\(end.iso8601)), within the hour: not listed yet")
      }
      return IntegrityEntry(
        kind: .log, key: log.key, path: log.path, status: .notCovered, detail: "no digest lists this file")
    }
    let digestKey = files.digests[listing.digest].key
    func entry(_ status: IntegrityStatus, _ detail: String) -> IntegrityEntry {
      IntegrityEntry(
        kind: .log, backfill: listing.backfill, key: log.key, path: log.path, status: status, detail: detail)
    }
    switch read {
    case .failure(let error):
      return entry(.invalid, "cannot read: \(error)")
    case .success(let hash):
      if let other = listing.conflict {
        return entry(.modified, "listed with different hashes in \(digestKey) and \(files.digests[other].key)")
      }
      guard let listed = listing.hash else {
        return entry(.modified, "the hashValue in \(digestKey) is not a hex SHA-256")
      }
      if SHA256Value(hex: hash.sha256) != listed {
        return entry(.modified, "hash value doesn't match (digest \(digestKey))")
      }
      if let extra = hash.extraData {
        return entry(.extraData, "\(extra.what) after the gzip stream, at byte \(extra.offset)")
      }
      return entry(.valid, "hash matches")
    }
  }

  // MARK: Scope

  static func inScope(_ key: CloudTrailObjectKey, _ plan: ValidationPlan) -> Bool {
    (plan.accounts.isEmpty || plan.accounts.contains(key.accountID))
      && (plan.regions.isEmpty || plan.regions.contains(key.region))
  }

  static func inRange(_ time: Timestamp?, _ plan: ValidationPlan, slack: Int64) -> Bool {
    guard let time else { return plan.since == nil && plan.until == nil }
    if let since = plan.since, time < since { return false }
    if let until = plan.until, time >= until + TimeSpan(seconds: slack) { return false }
    return true
  }

  /// `body(0..<count)` on `workers` threads; results in index order.
  static func parallelMap<T: Sendable>(_ count: Int, workers: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let results = ResultTable<T>(count: count)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < count else { break }
        results.set(index, body(index))
      }
    }
    // Every index below count was taken by exactly one worker, which set its result.
    return results.values.compactMap { $0 }
  }
}

// MARK: - What was found on disk

/// The walked files sorted out: digests in range, the first digest after the range of each
/// chain, log files (what `search` and `check` read) below `AWSLogs/`, and files outside it.
struct Files: Sendable {
  struct DigestFile: Sendable {
    var key: String
    var path: String
    var parsed: CloudTrailObjectKey
    /// Delivery time from the name (digests without one sort first).
    var time: Timestamp { parsed.deliveryTime ?? .epoch }
  }

  struct LogFile: Sendable {
    var key: String
    var path: String
    /// Nil for a file below `AWSLogs/` but not at a log file's depth (a forged subfolder).
    var parsed: CloudTrailObjectKey?
  }

  var digests: [DigestFile] = []
  var lookahead: [DigestFile] = []
  var logs: [LogFile] = []
  var outside: [String] = []
  /// Every digest of the layout in scope, in range or not.
  var allDigestKeys = Set<String>()
  var strayDigests = 0
  /// Per location, the delivery time of its newest regular digest (for `pending`).
  var newestDigest: [String: Timestamp] = [:]
  let plan: ValidationPlan

  init(_ objects: [ArchiveObject], plan: ValidationPlan) {
    self.plan = plan
    var seen = Set<String>()
    var after: [String: DigestFile] = [:]
    for object in objects where seen.insert(object.path).inserted {
      let key = object.isStandardInput ? nil : Validator.normalizedKey(object.path)
      guard ArchiveWalker.readsAsEvents(object) else {
        guard let key, let parsed = object.key, parsed.folder == .digest else {
          strayDigests += 1
          continue
        }
        guard Validator.inScope(parsed, plan) else { continue }
        allDigestKeys.insert(key)
        let digest = DigestFile(key: key, path: object.path, parsed: parsed)
        if Validator.inRange(parsed.deliveryTime, plan, slack: Validator.period) {
          digests.append(digest)
          if !parsed.isBackfill, let time = parsed.deliveryTime {
            let location = Self.location(parsed)
            if newestDigest[location].map({ time > $0 }) ?? true { newestDigest[location] = time }
          }
        } else if let until = plan.until, digest.time >= until {
          let chain = Self.chain(parsed)
          if after[chain].map({ digest.time < $0.time }) ?? true { after[chain] = digest }
        }
        continue
      }
      guard let key else {
        outside.append(object.path)
        continue
      }
      if let parsed = object.key, !Validator.inScope(parsed, plan) { continue }
      logs.append(LogFile(key: key, path: object.path, parsed: object.key))
    }
    lookahead = after.keys.sorted().compactMap { after[$0] }
  }

  /// A log file not listed by any digest is reported when delivered in range (or when its
  /// name gives no time: it cannot be placed outside the range).
  func logInRange(_ index: Int) -> Bool {
    guard let time = logs[index].parsed?.deliveryTime else { return true }
    return Validator.inRange(time, plan, slack: 0)
  }

  /// Where a trail delivers in one region: organization, account, region.
  static func location(_ key: CloudTrailObjectKey) -> String {
    "\(key.organizationID ?? "")/\(key.accountID)/\(key.region)"
  }

  /// Digests of one chain: a trail's regular or backfill digests in one location.
  static func chain(_ key: CloudTrailObjectKey) -> String {
    "\(location(key))/\(key.trailName ?? "")/\(key.isBackfill)"
  }
}

// MARK: - Digests read

/// A digest as read in a worker.
struct DigestRead: Sendable {
  enum Outcome: Sendable {
    case read(DigestContent)
    /// Why it is not a digest (`invalid`).
    case failed(String)
  }
  var outcome: Outcome
  var bytesRead: Int
  var bytesInflated: Int
}

/// What validation keeps of a digest: its fields without `logFiles`, its hash, and its entries
/// as (key, SHA-256) until the coverage index takes them.
struct DigestContent: Sendable {
  var digest: Digest
  var sha256: String
  var entries: [Listed]
}

/// One `logFiles` entry: the key from `AWSLogs/` on and the hash (nil when not 64 hex digits).
struct Listed: Sendable {
  var key: String
  var hash: SHA256Value?
}

/// A SHA-256 in 32 bytes instead of a 64-character string.
struct SHA256Value: Hashable, Sendable {
  var words: (UInt64, UInt64, UInt64, UInt64)

  init?(hex: String) {
    var values: [UInt64] = [0, 0, 0, 0]
    var count = 0
    for byte in hex.utf8 {
      guard count < 64, let digit = Hex.value(byte) else { return nil }
      values[count / 16] = values[count / 16] << 4 | UInt64(digit)
      count += 1
    }
    guard count == 64 else { return nil }
    words = (values[0], values[1], values[2], values[3])
  }

  static func == (a: SHA256Value, b: SHA256Value) -> Bool { a.words == b.words }

  func hash(into hasher: inout Hasher) {
    hasher.combine(words.0)
    hasher.combine(words.1)
    hasher.combine(words.2)
    hasher.combine(words.3)
  }
}

/// Each listed key once: the first digest that lists it, its hash, and a digest that lists it
/// with another hash (the log cannot match both).
struct CoverageIndex {
  struct Listing {
    var hash: SHA256Value?
    var digest: Int
    var backfill: Bool
    var conflict: Int?
  }
  var listing: [String: Listing] = [:]

  mutating func add(_ entries: [Listed], digest: Int, backfill: Bool) {
    for entry in entries {
      if let existing = listing[entry.key] {
        if existing.hash != entry.hash && existing.conflict == nil { listing[entry.key]?.conflict = digest }
      } else {
        listing[entry.key] = Listing(hash: entry.hash, digest: digest, backfill: backfill)
      }
    }
  }
}

/// One slot per index, each written by one worker, read after the join.
final class ResultTable<T: Sendable>: @unchecked Sendable {
  var values: [T?]
  let lock = Mutex(())
  init(count: Int) { values = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: T) { lock.withLock { _ in values[index] = value } }
}
