// The filter flags of every subcommand (spec §4) as plain values, and their meaning as one
// Predicate: values of one flag are alternatives (OR), different flags must all hold (AND). A
// value starting with `!` excludes instead: `--ip '!10.0.0.0/8'` keeps events from outside.
import TrailEvent
import TrailTime

/// The filters a user gave on the command line, before compilation.
public struct FilterSet: Sendable, Equatable {
  /// `--event-name` values: `eventName` globs (`Delete*`). In every list here a value starting with
  /// `!` excludes instead, and an empty list filters nothing.
  public var eventNames: [String] = []
  /// `--event-source` values: `eventSource` globs; a bare service name (`s3`) means
  /// `s3.amazonaws.com`.
  public var eventSources: [String] = []
  /// `--principal` values: globs matched against the principal, the session ARN,
  /// `userIdentity.userName`, `userIdentity.principalId` and the access key id (any of them).
  public var principals: [String] = []
  /// `--region` values: `awsRegion` globs.
  public var regions: [String] = []
  /// `--account` values: globs on the derived `account` field (`recipientAccountId`, else
  /// `userIdentity.accountId`).
  public var accounts: [String] = []
  /// Error codes; `*` means any error.
  public var errors: [String] = []
  /// Keep events at or after this instant (`--since`). With either bound set, an event without a
  /// readable `eventTime` is dropped.
  public var since: Timestamp?
  /// Keep events strictly before this instant (`--until`).
  public var until: Timestamp?
  /// IAM-style actions (`s3:GetObject`, `iam:*`).
  public var actions: [String] = []
  /// `--access-key` values: `userIdentity.accessKeyId` globs.
  public var accessKeys: [String] = []
  /// Addresses, CIDR blocks (IPv4 or IPv6), or globs for non-IP sources (`AWS Internal`,
  /// `*.amazonaws.com`).
  public var ips: [String] = []
  /// Resource ARNs (`resources[].ARN`, or named by the call's parameters: the `target` field).
  public var resources: [String] = []
  /// Target ARNs (`--target`; the same set as `--resource`).
  public var targets: [String] = []
  /// Origins (`--origin`): the principal that started the credential chain.
  public var origins: [String] = []
  /// Only calls that succeeded (no `errorCode`).
  public var noError = false
  /// `readOnly` must be this (`--read-only` true, `--write` false).
  public var readOnly: Bool?
  /// `--category` values: `eventCategory` globs (`Management`, `Data`, `Insight`,
  /// `NetworkActivity`).
  public var categories: [String] = []
  /// `--user-agent` values: `userAgent` globs.
  public var userAgents: [String] = []
  /// `userIdentity.type` values.
  public var identityTypes: [String] = []
  /// Compiled `--where` patterns (any of them must hold).
  public var patterns: [Predicate] = []

  /// No filters: `predicate` keeps every event.
  public init() {}

  /// The filters as one predicate.
  public var predicate: Predicate {
    var parts: [Predicate] = []
    parts.append(Self.flag(eventNames) { .matches(.eventName, Glob($0)) })
    parts.append(Self.flag(eventSources) { .matches(.eventSource, Glob(Self.fullEventSource($0))) })
    parts.append(Self.flag(principals, Self.principalPredicate))
    parts.append(Self.flag(regions) { .matches(.region, Glob($0)) })
    parts.append(Self.flag(accounts) { .matches(.account, Glob($0)) })
    // `--error` means failed: `--error '!AccessDenied'` keeps failures with another code.
    if !errors.isEmpty {
      parts.append(.exists(.error))
      parts.append(Self.flag(errors.filter { $0 != "*" }) { .matches(.error, Glob($0)) })
    }
    if since != nil || until != nil { parts.append(.timeRange(since: since, until: until)) }
    parts.append(Self.flag(actions) { .matches(.action, Glob($0)) })
    parts.append(Self.flag(accessKeys) { .matches(.accessKey, Glob($0)) })
    parts.append(Self.flag(ips) { IPNetwork($0).map { .inNetwork(.ip, $0) } ?? .matches(.ip, Glob($0)) })
    parts.append(Self.flag(resources) { .matches(.resource, Glob($0)) })
    parts.append(Self.flag(targets) { .matches(.target, Glob($0)) })
    parts.append(Self.flag(origins) { .matches(.origin, Glob($0)) })
    if noError { parts.append(.not(.exists(.error))) }
    if let readOnly { parts.append(.matches(.readOnly, Glob(readOnly ? "true" : "false"))) }
    parts.append(Self.flag(categories) { .matches(.category, Glob($0)) })
    parts.append(Self.flag(userAgents) { .matches(.userAgent, Glob($0)) })
    parts.append(Self.flag(identityTypes) { .matches(.type, Glob($0)) })
    parts.append(.any(patterns))
    return .all(parts)
  }

  /// A condition on any field in the same terms as a filter flag (rule files' `match`): any of
  /// the plain values, none of the `!` ones; values are globs, and for `ip` also addresses and
  /// CIDR blocks.
  public static func condition(on field: Field, values: [String]) -> Predicate {
    flag(values) { value in
      if field == .ip, let network = IPNetwork(value) { return .inNetwork(.ip, network) }
      return .matches(field, Glob(value))
    }
  }

  /// One flag's values: any of the plain values, and none of the `!` ones.
  static func flag(_ values: [String], _ make: (String) -> Predicate) -> Predicate {
    let excluded = values.filter { $0.hasPrefix("!") }.map { make(String($0.dropFirst())) }
    let included = values.filter { !$0.hasPrefix("!") }.map(make)
    return .all([.any(included)] + (excluded.isEmpty ? [] : [.not(.any(excluded))]))
  }

  /// `--principal` matches the principal, the session ARN, the user name, the principal id, the
  /// access key id, the actor (what tables show: a session name, an email, an instance id), and
  /// — for a bare name without `:` or `/` — the last part of the principal's ARN (a role or user
  /// name: the role behind all its sessions) or of the session's (the session name).
  static func principalPredicate(_ value: String) -> Predicate {
    let glob = Glob(value)
    var parts: [Predicate] = [
      .matches(.principal, glob), .matches(.session, glob), .matches(.path(["userIdentity", "userName"]), glob),
      .matches(.path(["userIdentity", "principalId"]), glob), .matches(.accessKey, glob), .matches(.actor, glob),
    ]
    if !value.contains(":") && !value.contains("/") {
      let lastPart = Glob("*/" + value)
      parts += [.matches(.principal, lastPart), .matches(.session, lastPart)]
    }
    return .or(parts)
  }

  /// `--event-source s3` means `s3.amazonaws.com`; a full host name or a glob is taken as given.
  static func fullEventSource(_ value: String) -> String {
    value.contains(".") || value.contains("*") ? value : value + ".amazonaws.com"
  }
}
