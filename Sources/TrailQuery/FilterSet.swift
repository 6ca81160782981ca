// The filter flags of every subcommand (spec §4) as plain values, and their meaning as one
// Predicate: values of one flag are alternatives (OR), different flags must all hold (AND).
import TrailTime
import TrailModel

/// The filters a user gave on the command line, before compilation.
public struct FilterSet: Sendable, Equatable {
  public var eventNames: [String] = []
  public var eventSources: [String] = []
  public var principals: [String] = []
  public var regions: [String] = []
  public var accounts: [String] = []
  /// Error codes; `*` means any error.
  public var errors: [String] = []
  public var since: Timestamp?
  public var until: Timestamp?
  /// IAM-style actions (`s3:GetObject`, `iam:*`).
  public var actions: [String] = []
  public var accessKeys: [String] = []
  /// Addresses, CIDR blocks (IPv4 or IPv6), or globs for non-IP sources (`AWS Internal`,
  /// `*.amazonaws.com`).
  public var ips: [String] = []
  /// Resource ARNs (`resources[].ARN`).
  public var resources: [String] = []
  /// Only calls that succeeded (no `errorCode`).
  public var noError = false
  /// `readOnly` must be this (`--read-only` true, `--write` false).
  public var readOnly: Bool?
  public var categories: [String] = []
  public var userAgents: [String] = []
  /// `userIdentity.type` values.
  public var identityTypes: [String] = []
  /// Compiled `--where` patterns (any of them must hold).
  public var patterns: [Predicate] = []

  public init() {}

  /// The filters as one predicate.
  public var predicate: Predicate {
    var parts: [Predicate] = []
    parts.append(.any(eventNames.map { .matches(.path(["eventName"]), Glob($0)) }))
    parts.append(.any(eventSources.map { .matches(.path(["eventSource"]), Glob(Self.fullEventSource($0))) }))
    parts.append(.any(principals.map(Self.principalPredicate)))
    parts.append(.any(regions.map { .matches(.region, Glob($0)) }))
    parts.append(.any(accounts.map { .matches(.account, Glob($0)) }))
    parts.append(.any(errors.map { $0 == "*" ? .exists(.error) : .matches(.error, Glob($0)) }))
    if since != nil || until != nil { parts.append(.timeRange(since: since, until: until)) }
    parts.append(.any(actions.map { .matches(.action, Glob($0)) }))
    parts.append(.any(accessKeys.map { .matches(.accessKey, Glob($0)) }))
    parts.append(.any(ips.map { IPNetwork($0).map { .inNetwork(.ip, $0) } ?? .matches(.ip, Glob($0)) }))
    parts.append(.any(resources.map { .matches(.resource, Glob($0)) }))
    if noError { parts.append(.not(.exists(.error))) }
    if let readOnly { parts.append(.matches(.path(["readOnly"]), Glob(readOnly ? "true" : "false"))) }
    parts.append(.any(categories.map { .matches(.category, Glob($0)) }))
    parts.append(.any(userAgents.map { .matches(.userAgent, Glob($0)) }))
    parts.append(.any(identityTypes.map { .matches(.type, Glob($0)) }))
    parts.append(.any(patterns))
    return .all(parts)
  }

  /// `--principal` matches the principal, the session ARN, the user name, the principal id or
  /// the access key id.
  static func principalPredicate(_ value: String) -> Predicate {
    let glob = Glob(value)
    return .or([
      .matches(.principal, glob), .matches(.session, glob), .matches(.path(["userIdentity", "userName"]), glob),
      .matches(.path(["userIdentity", "principalId"]), glob), .matches(.accessKey, glob),
    ])
  }

  /// `--event-source s3` means `s3.amazonaws.com`; a full host name or a glob is taken as given.
  static func fullEventSource(_ value: String) -> String {
    value.contains(".") || value.contains("*") ? value : value + ".amazonaws.com"
  }
}
