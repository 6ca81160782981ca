// The outcome of `check` (and of `validate`, through IntegrityReport) as data: one result per
// rule with its findings, and what was read. Every check report format (table, JSON, SARIF,
// JUnit) renders this one type.
import TrailTime

/// The result of running a set of rules.
package struct CheckReport: Sendable, Equatable {
  package var results: [RuleResult]
  /// What the run read, and the problems it met (a report with problems must not pass).
  package var inputs: InputSummary
  /// Findings of rules at or above this severity fail the run.
  package var failOn: Severity
  /// The command that made the report (`check`, `validate`), for titles.
  package var command: String

  package init(results: [RuleResult], inputs: InputSummary, failOn: Severity, command: String = "check") {
    self.results = results
    self.inputs = inputs
    self.failOn = failOn
    self.command = command
  }

  /// Rules with findings at or above `failOn`.
  package var failing: [RuleResult] { results.filter { !$0.findings.isEmpty && $0.rule.severity >= failOn } }
  /// No failing rule and nothing unread: the run passes.
  package var passed: Bool { failing.isEmpty && inputs.problems == 0 }
  package var findingCount: Int { results.reduce(0) { $0 + $1.findings.count } }
}

/// One rule and what it found.
package struct RuleResult: Sendable, Equatable {
  package var rule: RuleInfo
  package var findings: [Finding]

  package init(rule: RuleInfo, findings: [Finding]) {
    self.rule = rule
    self.findings = findings
  }
}

/// One finding: the matching events of a rule (of one group, for grouped rules).
package struct Finding: Sendable, Equatable {
  /// One line saying what was found.
  package var message: String
  /// The group's key, for rules with `group-by` (field name and value; nil: no value).
  package var group: [GroupValue]
  /// Matching events (for threshold rules: events inside windows over the threshold).
  package var count: Int
  package var firstSeen: Timestamp?
  package var lastSeen: Timestamp?
  /// For threshold rules with a window: the most events in one window, and where it started.
  package var peak: Int?
  package var peakStart: Timestamp?
  /// A sample of event ids (the earliest ones), principals and files; `*Total` give the full
  /// distinct counts.
  package var eventIDs: [String]
  package var principals: [String]
  package var principalsTotal: Int
  package var files: [String]
  package var filesTotal: Int

  package init(
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
package struct GroupValue: Sendable, Equatable {
  package var field: String
  package var value: String?

  package init(field: String, value: String?) {
    self.field = field
    self.value = value
  }
}

/// What a run read.
package struct InputSummary: Sendable, Equatable {
  package var paths: [String]
  package var files: Int
  package var events: Int
  /// Problems met (unreadable or corrupt input); each was reported on stderr.
  package var problems: Int

  package init(paths: [String], files: Int, events: Int, problems: Int) {
    self.paths = paths
    self.files = files
    self.events = events
    self.problems = problems
  }
}
