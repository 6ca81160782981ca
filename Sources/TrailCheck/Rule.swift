// A compliance rule as data: what it says (id, title, severity, prose, references), which
// events it matches (a Predicate compiled from a `pattern` and/or a `match`), and when matches
// become a finding (any match, or more than `threshold` within `window`, per `group-by`).
import TrailEvent
import TrailQuery
import TrailTime

/// What a report says about a rule: everything but how it matches. `validate` describes its
/// integrity checks with the same type, so both commands share the report formats.
public struct RuleInfo: Sendable, Equatable {
  public var id: String
  public var title: String
  public var severity: Severity
  public var description: String?
  public var remediation: String?
  /// Benchmark control ids and URLs (`CIS 1.4.0 4.3`, `SecurityHub CloudWatch.1`, https://…).
  public var references: [String]
  /// The pack the rule came from (`cis`), or nil for a rule file.
  public var pack: String?
  /// Where the rule was defined: `FILE:LINE`, or `pack:NAME`.
  public var origin: String

  public init(
    id: String, title: String, severity: Severity, description: String? = nil, remediation: String? = nil,
    references: [String] = [], pack: String? = nil, origin: String
  ) {
    self.id = id
    self.title = title
    self.severity = severity
    self.description = description
    self.remediation = remediation
    self.references = references
    self.pack = pack
    self.origin = origin
  }

  /// The first reference that is a web address (SARIF's `helpUri`).
  public var helpURL: String? { references.first { $0.hasPrefix("https://") || $0.hasPrefix("http://") } }
}

/// A rule that `check` evaluates.
public struct Rule: Sendable, Equatable {
  public var info: RuleInfo
  /// The `pattern` as written (CloudWatch Logs filter-pattern syntax), for reports.
  public var pattern: String?
  /// The events the rule is about: `pattern` and `match` together (both must hold).
  public var predicate: Predicate
  /// Split findings by these fields (one finding per distinct key).
  public var groupBy: [Field]
  /// A finding needs more than `threshold.count` matching events (within `threshold.window`
  /// when given, per group); nil means any matching event is a finding.
  public var threshold: Threshold?

  public init(info: RuleInfo, pattern: String? = nil, predicate: Predicate, groupBy: [Field] = [], threshold: Threshold? = nil) {
    self.info = info
    self.pattern = pattern
    self.predicate = predicate
    self.groupBy = groupBy
    self.threshold = threshold
  }

  public var id: String { info.id }
}

/// "More than `count` events (within `window`)".
public struct Threshold: Sendable, Equatable {
  /// A finding needs strictly more events than this.
  public var count: Int
  /// The events must fall within a span shorter than this (a sliding window, so events at
  /// `t` and `t + window` are not in one window). Nil: the whole scanned range.
  public var window: TimeSpan?

  public init(count: Int, window: TimeSpan? = nil) {
    self.count = count
    self.window = window
  }
}
