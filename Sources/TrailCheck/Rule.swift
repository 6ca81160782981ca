// A compliance rule as data: what it says (its RuleInfo, shared with the reports), which
// events it matches (a Predicate compiled from a `pattern` and/or a `match`), and when matches
// become a finding (any match, or more than `threshold` within `window`, per `group-by`).
import TrailEvent
import TrailQuery
import TrailReport
import TrailTime

/// A rule that `check` evaluates.
package struct Rule: Sendable, Equatable {
  package var info: RuleInfo
  /// The `pattern` as written (CloudWatch Logs filter-pattern syntax), for reports.
  package var pattern: String?
  /// The events the rule is about: `pattern` and `match` together (both must hold).
  package var predicate: Predicate
  /// Split findings by these fields (one finding per distinct key).
  package var groupBy: [Field]
  /// A finding needs more than `threshold.count` matching events (within `threshold.window`
  /// when given, per group); nil means any matching event is a finding.
  package var threshold: Threshold?
  /// For a Sigma correlation rule: how it counts the events of the rules it refers to (its
  /// `predicate` is then any of theirs, once linked).
  package var correlation: Correlation?
  /// A Sigma rule's `name`, by which correlations may refer to it.
  package var name: String?

  package init(
    info: RuleInfo, pattern: String? = nil, predicate: Predicate, groupBy: [Field] = [], threshold: Threshold? = nil,
    correlation: Correlation? = nil, name: String? = nil
  ) {
    self.info = info
    self.pattern = pattern
    self.predicate = predicate
    self.groupBy = groupBy
    self.threshold = threshold
    self.correlation = correlation
    self.name = name
  }

  package var id: String { info.id }

  /// Whether findings need more than one event to be decided (a threshold or a correlation), so
  /// that the events of its findings are not simply the events its predicate matches.
  package var aggregates: Bool { threshold != nil || correlation != nil }
}

/// "More than `count` events (within `window`)".
package struct Threshold: Sendable, Equatable {
  /// A finding needs strictly more events than this.
  package var count: Int
  /// The events must fall within a span shorter than this (a sliding window, so events at
  /// `t` and `t + window` are not in one window). Nil: the whole scanned range.
  package var window: TimeSpan?

  package init(count: Int, window: TimeSpan? = nil) {
    self.count = count
    self.window = window
  }
}
