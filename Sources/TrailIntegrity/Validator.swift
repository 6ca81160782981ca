// Offline `validate-logs`: every digest and log file of a downloaded archive is read once (in
// parallel, hashing while it inflates); then each digest is checked against where it was read,
// its RSA signature (the next digest's `previousDigestSignature`, or `--signatures` for the
// newest), and its link to the previous digest; each log file against its digest's hash; and
// log files no digest lists are named. Algorithm: cloudtrail-formats.md §3.
import Dispatch
import Synchronization
import TrailArchive
import TrailTime

/// What to validate and with what.
package struct ValidationPlan: Sendable {
  package var keys: PublicKeySet?
  /// Signatures that lived only in S3 metadata: digest S3 key (as in `digestS3Object`) → hex.
  package var signatures: [String: String]
  /// Delivery-time range: digests delivered in `[since, until + 1h)`, log files in `[since, until)`.
  package var since: Timestamp?
  package var until: Timestamp?
  package var accounts: [String]
  package var regions: [String]
  package var workers: Int

  package init(
    keys: PublicKeySet? = nil, signatures: [String: String] = [:], since: Timestamp? = nil, until: Timestamp? = nil,
    accounts: [String] = [], regions: [String] = [], workers: Int = 2
  ) {
    self.keys = keys
    self.signatures = signatures
    self.since = since
    self.until = until
    self.accounts = accounts
    self.regions = regions
    self.workers = workers
  }
}

package enum Validator {
  /// The key from `AWSLogs/` on (the part of an S3 key that a local copy keeps), or nil.
  package static func normalizedKey(_ path: String) -> String? {
    var parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard let anchor = parts.lastIndex(of: "AWSLogs") else { return nil }
    parts = Array(parts[anchor...])
    return parts.filter { !$0.isEmpty }.joined(separator: "/")
  }

  /// Validates the files of `objects` (walked with digests included).
  package static func run(_ objects: [ArchiveObject], plan: ValidationPlan) -> IntegrityResult {
    // 1. Which files are in scope.
    var digests: [Located] = []
    var logs: [Located] = []
    var notes: [String] = []
    var outside = 0
    for object in objects {
      guard let key = normalizedKey(object.path), let parsed = CloudTrailObjectKey(path: object.path) else {
        outside += 1
        continue
      }
      guard plan.accounts.isEmpty || plan.accounts.contains(parsed.accountID),
        plan.regions.isEmpty || plan.regions.contains(parsed.region)
      else { continue }
      let located = Located(key: key, path: object.path, parsed: parsed)
      if parsed.folder == .digest {
        if inRange(parsed.deliveryTime, plan, slack: 3600) { digests.append(located) }
      } else {
        logs.append(located)
      }
    }
    if outside > 0 { notes.append("\(outside) file(s) outside the AWSLogs/… layout were not checked") }

    // 2. Read every digest and every log file once, in parallel.
    let digestReads = readAll(digests.map(\.path), keepContent: true, workers: plan.workers)
    let logReads = readAll(logs.map(\.path), keepContent: false, workers: plan.workers)
    var result = IntegrityResult(entries: [], notes: notes, bytesRead: 0, bytesInflated: 0)
    for read in digestReads + logReads {
      if case .success(let hash) = read {
        result.bytesRead += hash.bytesRead
        result.bytesInflated += hash.bytesInflated
      }
    }
    let logsByKey = Dictionary(logs.indices.map { (logs[$0].key, $0) }, uniquingKeysWith: { first, _ in first })

    // 3. Digests: parse, then index by key for the chain.
    var parsedDigests: [ParsedDigest] = []
    for (index, located) in digests.enumerated() {
      switch digestReads[index] {
      case .failure(let error):
        result.entries.append(
          IntegrityEntry(
            kind: .digest, backfill: located.parsed.isBackfill, key: located.key, path: located.path, status: .invalid,
            detail: "cannot read: \(error)"))
      case .success(let hash):
        do {
          let digest = try Digest.decode(hash.content ?? [])
          parsedDigests.append(ParsedDigest(located: located, digest: digest, hash: hash))
        } catch {
          result.entries.append(
            IntegrityEntry(
              kind: .digest, backfill: located.parsed.isBackfill, key: located.key, path: located.path,
              status: .invalid, detail: "not a digest file: \(error)"))
        }
      }
    }
    let digestByKey = Dictionary(
      parsedDigests.indices.map { (parsedDigests[$0].located.key, $0) }, uniquingKeysWith: { first, _ in first })
    // The digest that names each digest as its previous one: it holds that digest's signature.
    var successor: [String: Int] = [:]
    for (index, entry) in parsedDigests.enumerated() {
      if let previous = entry.digest.previousDigestS3Object.flatMap(normalizedKey) { successor[previous] = index }
    }

    var covered = Set<String>()
    var missingDigests = Set<String>()
    for entry in parsedDigests {
      let digest = entry.digest
      let backfill = entry.located.parsed.isBackfill
      var problems: [(IntegrityStatus, String)] = []
      var signatureSource: SignatureSource?

      // Read from where it says it was written.
      if normalizedKey(digest.digestS3Object) != entry.located.key {
        problems.append((.moved, "records its location as \(digest.digestS3Object)"))
      }

      // Signature: from the next digest, else from --signatures, else unverifiable.
      let signature: String?
      if let next = successor[entry.located.key] {
        signature = parsedDigests[next].digest.previousDigestSignature
        signatureSource = .nextDigest
      } else if let saved = plan.signatures[digest.digestS3Object]
        ?? plan.signatures.first(where: { normalizedKey($0.key) == entry.located.key })?.value
      {
        signature = saved
        signatureSource = .signaturesFile
      } else {
        signature = nil
        // Only the newest digest of a chain may lack a signature; an older one lost it with
        // the next digest.
        signatureSource =
          parsedDigests.contains { $0.chain == entry.chain && $0.time > entry.time } ? .nextDigestMissing : .newest
      }
      if let signature {
        if let keys = plan.keys {
          if let key = keys.key(fingerprint: digest.digestPublicKeyFingerprint) {
            let text = DigestSignature.signingString(for: digest, digestSHA256Hex: entry.hash.sha256)
            switch DigestSignature.verify(signatureHex: signature, signingString: text, key: key) {
            case .valid: break
            case .invalid:
              problems.append(
                (
                  .signatureInvalid,
                  "signature verification failed (signature from the \(signatureSource?.rawValue ?? "?"))"
                ))
            case .malformedSignature(let why):
              problems.append(
                (.signatureInvalid, "malformed signature from the \(signatureSource?.rawValue ?? "?"): \(why)"))
            }
          } else {
            problems.append(
              (
                .unverifiable,
                "no public key with fingerprint \(digest.digestPublicKeyFingerprint) in the --public-keys file"
              ))
            signatureSource = .noKey
          }
        } else {
          problems.append((.unverifiable, "signature not checked: no --public-keys given"))
          signatureSource = .noKey
        }
      } else {
        problems.append(
          (
            .unverifiable,
            signatureSource == .newest
              ? "newest digest: its signature was only in S3 metadata (give --signatures to check it)"
              : "no signature: the next digest, which holds it, is missing"
          ))
      }

      // The chain: the previous digest must be here and hash to what this one records.
      if let previousObject = digest.previousDigestS3Object, let previousKey = normalizedKey(previousObject) {
        if let previous = digestByKey[previousKey] {
          if parsedDigests[previous].hash.sha256 != digest.previousDigestHashValue?.lowercased() {
            problems.append((.chainBroken, "the previous digest \(previousKey) does not have the hash recorded here"))
          }
        } else if inRange(CloudTrailObjectKey(path: previousKey)?.deliveryTime, plan, slack: 3600) {
          missingDigests.insert(previousKey)
          var text = "the previous digest \(previousKey) is missing"
          if let older = parsedDigests.filter({ $0.chain == entry.chain && $0.time < entry.time }).max(by: {
            $0.time < $1.time
          }) {
            text += "; no digest covers \(older.digest.digestEndTime) to \(digest.digestStartTime)"
          }
          problems.append((.chainBroken, text))
        }
      }

      // Its log files.
      for file in digest.logFiles {
        guard let key = normalizedKey(file.s3Object) else { continue }
        covered.insert(key)
        guard let logIndex = logsByKey[key] else {
          if inRange(CloudTrailObjectKey(path: key)?.deliveryTime, plan, slack: 0) {
            result.entries.append(
              IntegrityEntry(
                kind: .log, backfill: backfill, key: key, path: nil, status: .missing,
                detail: "listed in \(entry.located.key) but not found"))
          }
          continue
        }
        let log = logs[logIndex]
        switch logReads[logIndex] {
        case .failure(let error):
          result.entries.append(
            IntegrityEntry(
              kind: .log, backfill: backfill, key: key, path: log.path, status: .invalid,
              detail: "cannot read: \(error)"))
        case .success(let hash):
          if hash.sha256 != file.hashValue.lowercased() {
            result.entries.append(
              IntegrityEntry(
                kind: .log, backfill: backfill, key: key, path: log.path, status: .modified,
                detail: "hash value doesn't match (digest \(entry.located.key))"))
          } else if let extra = hash.extraData {
            result.entries.append(
              IntegrityEntry(
                kind: .log, backfill: backfill, key: key, path: log.path, status: .extraData,
                detail: "\(extra.what) after the gzip stream, at byte \(extra.offset)"))
          } else {
            result.entries.append(
              IntegrityEntry(
                kind: .log, backfill: backfill, key: key, path: log.path, status: .valid, detail: "hash matches"))
          }
        }
      }

      let worst = problems.first { $0.0 != .unverifiable } ?? problems.first
      result.entries.append(
        IntegrityEntry(
          kind: .digest, backfill: backfill, key: entry.located.key, path: entry.located.path,
          status: worst?.0 ?? .valid,
          detail: problems.isEmpty ? "signature and chain verified" : problems.map(\.1).joined(separator: "; "),
          signatureSource: signatureSource))
    }
    for key in missingDigests.sorted() {
      result.entries.append(
        IntegrityEntry(
          kind: .digest, backfill: key.contains("_backfill"), key: key, path: nil, status: .missing,
          detail: "named as the previous digest of another digest, but not found"))
    }

    // 4. Log files that no digest lists.
    var newestEnd: [String: Timestamp] = [:]
    for entry in parsedDigests {
      let trail = location(entry.located.parsed)
      if let end = entry.located.parsed.deliveryTime, newestEnd[trail].map({ end > $0 }) ?? true {
        newestEnd[trail] = end
      }
    }
    for (index, log) in logs.enumerated() where !covered.contains(log.key) {
      guard log.parsed.folder == .cloudTrail || log.parsed.folder == .networkActivity,
        inRange(log.parsed.deliveryTime, plan, slack: 0)
      else { continue }
      if case .failure(let error) = logReads[index] {
        result.entries.append(
          IntegrityEntry(kind: .log, key: log.key, path: log.path, status: .invalid, detail: "cannot read: \(error)"))
      } else if let time = log.parsed.deliveryTime, let end = newestEnd[location(log.parsed)], time >= end {
        result.entries.append(
          IntegrityEntry(
            kind: .log, key: log.key, path: log.path, status: .pending,
            detail: "delivered after the newest digest (\(end.iso8601)): not listed yet"))
      } else {
        result.entries.append(
          IntegrityEntry(
            kind: .log, key: log.key, path: log.path, status: .notCovered, detail: "no digest lists this file"))
      }
    }
    result.entries.sort {
      ($0.kind.rawValue, $0.backfill ? 1 : 0, $0.key) < ($1.kind.rawValue, $1.backfill ? 1 : 0, $1.key)
    }
    return result
  }

  struct Located {
    var key: String
    var path: String
    var parsed: CloudTrailObjectKey
  }

  struct ParsedDigest {
    var located: Located
    var digest: Digest
    var hash: FileHash
    /// Digests of one chain: a trail's regular or backfill digests in one location.
    var chain: String {
      "\(Validator.location(located.parsed))/\(located.parsed.trailName ?? "")/\(located.parsed.isBackfill)"
    }
    /// Delivery time from the name (digests without one sort first).
    var time: Timestamp { located.parsed.deliveryTime ?? .epoch }
  }

  /// Where a trail delivers in one region: organization, account, region.
  static func location(_ key: CloudTrailObjectKey) -> String {
    "\(key.organizationID ?? "")/\(key.accountID)/\(key.region)"
  }

  static func inRange(_ time: Timestamp?, _ plan: ValidationPlan, slack: Int64) -> Bool {
    guard let time else { return plan.since == nil && plan.until == nil }
    if let since = plan.since, time < since { return false }
    if let until = plan.until, time >= until + TimeSpan(seconds: slack) { return false }
    return true
  }

  /// Reads files on `workers` threads; results in input order.
  static func readAll(_ paths: [String], keepContent: Bool, workers: Int) -> [Result<FileHash, FileReadError>] {
    let results = ResultTable(count: paths.count)
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, paths.count))) { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < paths.count else { break }
        let read: Result<FileHash, FileReadError>
        do {
          read = .success(try FileHasher.hash(paths[index], keepContent: keepContent))
        } catch let error as FileReadError {
          read = .failure(error)
        } catch {
          read = .failure(FileReadError(offset: nil, reason: "\(error)"))
        }
        results.set(index, read)
      }
    }
    // Every index below paths.count was taken by exactly one worker, which set its result.
    return results.values.map { $0 ?? .failure(FileReadError(offset: nil, reason: "not read")) }
  }
}

/// One slot per file, each written by one worker, read after the join.
final class ResultTable: @unchecked Sendable {
  var values: [Result<FileHash, FileReadError>?]
  let lock = Mutex(())
  init(count: Int) { values = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ value: Result<FileHash, FileReadError>) { lock.withLock { _ in values[index] = value } }
}
