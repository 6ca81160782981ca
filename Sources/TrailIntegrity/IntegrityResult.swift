// What validation found, file by file, as data: each log file and digest with its status and
// a one-line detail, plus the counts of the summary line. TrailReport's IntegrityReport renders
// it (table, JSON, JSON Lines) or turns it into a check report (SARIF, JUnit).

/// The verdict on one file.
package enum IntegrityStatus: String, Sendable, CaseIterable {
  /// The hash (and for digests the signature and chain link) checked out.
  case valid
  /// A log file whose content hash differs from its digest's.
  case modified
  /// Listed in a digest (or named as a previous digest) but absent.
  case missing
  /// A file that `search` and `check` read, below an `AWSLogs/` folder, that no digest lists.
  case notCovered = "not-covered"
  /// A log file delivered after the newest digest of its location and within one digest
  /// period (an hour) of it: not listed yet, not a failure.
  case pending
  /// A file that `search` and `check` read, outside any `AWSLogs/` folder: no digest can list it.
  case outsideLayout = "outside-layout"
  /// A file outside the layout, with `--ignore-outside-layout`: listed, not a failure.
  case ignored
  /// Bytes after the first gzip member (appended data).
  case extraData = "extra-data"
  /// The file could not be read or is not a digest.
  case invalid
  /// A digest whose previous digest is missing or differs from what it records.
  case chainBroken = "chain-broken"
  /// A digest whose RSA signature does not verify.
  case signatureInvalid = "signature-invalid"
  /// A digest whose signature could not be checked (no key, or no signature anywhere).
  case unverifiable
  /// A digest read from another place than the one it records (`digestS3Object`).
  case moved

  /// Whether this status makes the run fail (exit 1).
  package var fails: Bool {
    switch self {
    case .valid, .pending, .ignored: return false
    default: return true
    }
  }
}

/// Where a digest's signature came from (or why there was none to check).
package enum SignatureSource: String, Sendable {
  /// The next digest's `previousDigestSignature`.
  case nextDigest = "next digest"
  /// The `--signatures` file.
  case signaturesFile = "--signatures"
  /// None: the newest digest of its chain, whose signature lived only in S3 metadata.
  case newest
  /// None: a newer digest exists but the one that held this signature is missing.
  case nextDigestMissing = "next digest missing"
  /// None: the newest digest of its chain, and `--signatures` (given) does not name it.
  case notInSignatures = "not in --signatures"
  /// A signature, but no public key to check it with.
  case noKey = "no key"
}

/// One file's outcome.
package struct IntegrityEntry: Sendable, Equatable {
  package enum Kind: String, Sendable { case log, digest }
  package var kind: Kind
  /// Regular or backfill chain (digests), or covered by a backfill digest (logs).
  package var backfill: Bool
  /// The S3 key from `AWSLogs/` on, the name the file goes by in digests.
  package var key: String
  /// Where it was read, when present.
  package var path: String?
  package var status: IntegrityStatus
  package var detail: String
  /// A digest's signature verdict is part of its status; this says how it was obtained.
  package var signatureSource: SignatureSource?

  package init(
    kind: Kind, backfill: Bool = false, key: String, path: String?, status: IntegrityStatus, detail: String,
    signatureSource: SignatureSource? = nil
  ) {
    self.kind = kind
    self.backfill = backfill
    self.key = key
    self.path = path
    self.status = status
    self.detail = detail
    self.signatureSource = signatureSource
  }

  /// Whether this entry fails the run. The newest digest of a chain, whose signature lived
  /// only in S3 metadata, is unverifiable without `--signatures`, and that alone does not fail.
  package var fails: Bool { status.fails && !(status == .unverifiable && signatureSource == .newest) }
}

/// Everything validation found.
package struct IntegrityResult: Sendable {
  package var entries: [IntegrityEntry]
  /// Problems that are not about one file's integrity (unreadable key files are thrown instead).
  package var notes: [String]
  package var bytesRead: Int
  package var bytesInflated: Int

  package init(entries: [IntegrityEntry], notes: [String], bytesRead: Int, bytesInflated: Int) {
    self.entries = entries
    self.notes = notes
    self.bytesRead = bytesRead
    self.bytesInflated = bytesInflated
  }

  package var failed: Bool { entries.contains(where: \.fails) }

  /// True when nothing below an `AWSLogs/` folder was in scope: no digest, no log file, no
  /// digest that `--signatures` names (files outside the layout alone are nothing to validate).
  package var nothingToValidate: Bool {
    !entries.contains { $0.status != .outsideLayout && $0.status != .ignored }
  }

  /// `N/M digest files valid, …` counts per kind, as the AWS CLI's summary.
  package func count(_ kind: IntegrityEntry.Kind, backfill: Bool, _ status: IntegrityStatus? = nil) -> Int {
    entries.filter { $0.kind == kind && $0.backfill == backfill && (status == nil || $0.status == status) }.count
  }
}
