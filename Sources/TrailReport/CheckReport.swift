// The outcome of `check` (and of `validate`, through IntegrityReport) as data: one result per
// rule with its findings, and what was read. Every check report format (table, JSON, SARIF,
// JUnit) renders this one type.
import TrailTime

/// The result of running a set of rules.
public struct CheckReport: Sendable, Equatable {
  public var results: [RuleResult]
  /// What the run read, and the problems it met (a report with problems must not pass).
  public var inputs: InputSummary
  /// Findings of rules at or above this severity fail the run.
  public var failOn: Severity
  /// The command that made the report (`check`, `validate`), for titles.
  public var command: String

  public init(results: [RuleResult], inputs: InputSummary, failOn: Severity, command: String = "check") {
    self.results = results
    self.inputs = inputs
    self.failOn = failOn
    self.command = command
  }

  /// Rules with findings at or above `failOn`.
  public var failing: [RuleResult] { results.filter { !$0.findings.isEmpty && $0.rule.severity >= failOn } }
  /// No failing rule and nothing unread: the run passes.
  public var passed: Bool { failing.isEmpty && inputs.problems == 0 }
  public var findingCount: Int { results.reduce(0) { $0 + $1.findings.count } }
}

/// One rule and what it found.
public struct RuleResult: Sendable, Equatable {
  public var rule: RuleInfo
  public var findings: [Finding]

  public init(rule: RuleInfo, findings: [Finding]) {
    self.rule = rule
    self.findings = findings
  }
}

/// One finding: the matching events of a rule (of one group, for grouped rules).
public struct Finding: Sendable, Equatable {
  /// One line saying what was found.
  public var message: String
  /// The group's key, for rules with `group-by` (field name and value; nil: no value).
  public var group: [GroupValue]
  /// Matching events (for threshold rules: events inside windows over the threshold).
  public var count: Int
  public var firstSeen: Timestamp?
  public var lastSeen: Timestamp?
  /// For threshold rules with a window: the most events in one window, and where it started.
  public var peak: Int?
  public var peakStart: Timestamp?
  /// A sample of event ids (the earliest ones), principals and files; `*Total` give the full
  /// distinct counts.
  public var eventIDs: [String]
  public var principals: [String]
  public var principalsTotal: Int
  public var files: [String]
  public var filesTotal: Int

  public init(
    message: String, group: [GroupValue] = [], count: Int, firstSeen: Timestamp? = nil, lastSeen: Timestamp? = nil,
    peak: Int? = nil, peakStart: Timestamp? = nil, eventIDs: [String] = [], principals: [String] = [],
    principalsTotal: Int? = nil, files: [String] = [], filesTotal: Int? = nil
  ) {
    self.message = message
    self.group = group
    self.count = count
    self.firstSeen = firstSeen
    self.lastSeen = lastSeen
    self.peak = peak
    self.peakStart = peakStart
    self.eventIDs = eventIDs
    self.principals = principals
    self.principalsTotal = principalsTotal ?? principals.count
    self.files = files
    self.filesTotal = filesTotal ?? files.count
  }
}

/// A field of a finding's group key.
public struct GroupValue: Sendable, Equatable {
  public var field: String
  public var value: String?

  public init(field: String, value: String?) {
    self.field = field
    self.value = value
  }
}

/// What a run read.
public struct InputSummary: Sendable, Equatable {
  public var paths: [String]
  public var files: Int
  public var events: Int
  /// Problems met (unreadable or corrupt input); each was reported on stderr.
  public var problems: Int

  public init(paths: [String], files: Int, events: Int, problems: Int) {
    self.paths = paths
    self.files = files
    self.events = events
    self.problems = problems
  }
}
