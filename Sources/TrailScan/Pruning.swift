// Skips files whose S3 key proves they cannot hold a matching event, without opening them
// (spec §2). A log file's name carries its delivery time D: every event in it happened before
// D, so a file delivered before --since is skipped. Events are delivered within minutes, but
// not promised, so --until skips only files delivered later than --until plus the slack
// (default one hour). The account and region folders are the recipientAccountId and awsRegion
// of the events inside, so --account and --region prune too. Files outside the S3 layout are
// always read.
import TrailArchive
import TrailQuery
import TrailTime

/// What can be decided from object keys alone.
package struct Pruning: Sendable, Equatable {
  package var since: Timestamp?
  package var until: Timestamp?
  package var accounts: [Glob]
  package var regions: [Glob]
  /// How much later than an event its file may be delivered (`--delivery-slack`).
  package var slack: TimeSpan

  package static let defaultSlack = TimeSpan(seconds: 3600)

  package init(
    since: Timestamp? = nil, until: Timestamp? = nil, accounts: [Glob] = [], regions: [Glob] = [],
    slack: TimeSpan = Pruning.defaultSlack
  ) {
    self.since = since
    self.until = until
    self.accounts = accounts
    self.regions = regions
    self.slack = slack
  }

  /// The pruning a filter set allows.
  package init(_ filters: FilterSet, slack: TimeSpan = Pruning.defaultSlack) {
    // Exclusions (`!…`) prove nothing about a file; only plain values prune.
    self.init(
      since: filters.since, until: filters.until,
      accounts: Self.plain(filters.accounts), regions: Self.plain(filters.regions), slack: slack)
  }

  static func plain(_ values: [String]) -> [Glob] {
    values.contains { $0.hasPrefix("!") } ? [] : values.map(Glob.init)
  }

  /// Why a file can be skipped unopened.
  package enum Reason: Sendable, Equatable {
    /// Its account or region folder is not asked for: exact.
    case scope
    /// Delivered before `--since`: every event in it is older, exact.
    case deliveredBefore
    /// Delivered later than `--until` plus the slack: a file delivered later than usual could
    /// still hold earlier events, so the run says how many such files it did not read.
    case deliveredAfter
  }

  /// False when the object's key proves no event in it can match.
  package func mayMatch(_ object: ArchiveObject) -> Bool { reason(toSkip: object) == nil }

  /// Why the object's key proves no event in it can match, or nil when it may hold one.
  package func reason(toSkip object: ArchiveObject) -> Reason? {
    guard let key = object.key else { return nil }
    if !accounts.isEmpty && !accounts.contains(where: { $0.matches(key.accountID) }) { return .scope }
    if !regions.isEmpty && !regions.contains(where: { $0.matches(key.region) }) { return .scope }
    if let delivered = key.deliveryTime {
      if let since, delivered < since { return .deliveredBefore }
      if let until, delivered - slack >= until { return .deliveredAfter }
    }
    return nil
  }
}
