// Runs rules over events in one pass: each rule keeps, per group, what a finding reports (count,
// first/last time, the earliest event ids, principals, files); threshold rules with a window also
// keep one small record per matching event, because a sliding window needs them in time order
// and archives are not in time order; so do Sigma correlation rules (CorrelationWindows.swift),
// per group. Partial results merge, so workers can scan in parallel.
import TrailEvent
import TrailQuery
import TrailReport
import TrailTime

/// The state of a check: one entry per rule.
package struct CheckAccumulator {
  package let rules: [Rule]
  /// How many event ids a finding lists.
  package let sampleSize: Int
  var states: [[[String?]: GroupState]]
  /// For correlation rules: per group, one record per matching event.
  var correlated: [[[String?]: [CorrelatedHit]]]
  /// Every rule's predicate (a correlation's: each referred rule's) compiled into one program:
  /// each field read once per event for all rules, rules left out by their eventName or
  /// eventSource on one index lookup (docs/check.md, "One pass").
  let plan: CheckPlan
  /// What the program has read of the current event (reused from event to event).
  var reads: EventReads

  package init(rules: [Rule], sampleSize: Int = 10) {
    self.rules = rules
    self.sampleSize = sampleSize
    plan = CheckPlan(rules)
    reads = EventReads(for: plan.program)
    states = Array(repeating: [:], count: rules.count)
    correlated = Array(repeating: [:], count: rules.count)
  }

  /// Adds an event read from `path`.
  package mutating func add(_ view: EventView, path: String) {
    plan.program.evaluate(view, &reads)
    defer { reads.clear() }
    var matched: [Int] = []
    reads.forEachHolding { entry in matched += plan.users[entry] }
    guard !matched.isEmpty else { return }
    if matched.count > 1 { matched = Array(Set(matched)).sorted() }
    var facts = EventFacts()
    for index in matched {
      if let correlation = rules[index].correlation {
        addCorrelated(view, path: path, index: index, correlation, facts: &facts)
      } else {
        add(view, path: path, rule: index, facts: &facts)
      }
    }
  }

  /// Records a matching event of a rule without correlation.
  mutating func add(_ view: EventView, path: String, rule index: Int, facts: inout EventFacts) {
    let rule = rules[index]
    let hit = facts.hit(view, path: path)
    let keepsHits = rule.threshold?.window != nil
    for key in keys(of: view, slots: plan.groupSlots[index][0]) {
      states[index][key, default: GroupState()].add(hit, keepingHit: keepsHits, sampleSize: sampleSize)
    }
  }

  /// A correlation rule's event: one record per group, with the referred rules it matched.
  /// Events without a time cannot be placed in a window and do not count.
  mutating func addCorrelated(
    _ view: EventView, path: String, index: Int, _ correlation: Correlation, facts: inout EventFacts
  ) {
    let entries = plan.entries[index]
    var groups: [(key: [String?], bases: UInt64)] = []
    for base in entries.indices where reads.holds(entries[base]) {
      for key in keys(of: view, slots: plan.groupSlots[index][base]) {
        // One referred rule (the usual case) gives distinct keys; several may share some.
        if let at = groups.firstIndex(where: { $0.key == key }) {
          groups[at].bases |= 1 << base
        } else {
          groups.append((key, 1 << base))
        }
      }
    }
    guard !groups.isEmpty, let time = view.eventTime else { return }
    var values: [String] = []
    if let slot = plan.countedSlots[index] {
      values = Array(Set(plan.program.values(ofSlot: slot, view, &reads))).sorted()
    }
    let hit = facts.hit(view, path: path)
    for (key, bases) in groups {
      correlated[index][key, default: []].append(CorrelatedHit(hit: hit, time: time, bases: bases, values: values))
    }
  }

  /// The group keys of an event (as `GroupWindows.keys`), its fields read through the plan's
  /// slots.
  mutating func keys(of view: EventView, slots: [Int]) -> [[String?]] {
    guard !slots.isEmpty else { return [[]] }
    if slots.count == 1 {
      let values = plan.program.values(ofSlot: slots[0], view, &reads)
      switch values.count {
      case 0: return [[nil]]
      case 1: return [[values[0]]]
      default: return Array(Set(values)).sorted().map { [$0] }
      }
    }
    var keys: [[String?]] = [[]]
    for slot in slots {
      let values = plan.program.values(ofSlot: slot, view, &reads)
      let options: [String?] = values.isEmpty ? [nil] : Array(Set(values)).sorted()
      keys = keys.flatMap { key in options.map { key + [$0] } }
    }
    return keys
  }

  /// Adds another accumulator's events (same rules).
  package mutating func merge(_ other: CheckAccumulator) {
    for index in rules.indices {
      for (key, state) in other.states[index] {
        states[index][key, default: GroupState()].merge(state, sampleSize: sampleSize)
      }
      for (key, hits) in other.correlated[index] { correlated[index][key, default: []] += hits }
    }
  }

  /// Every rule's findings, rules in the given order, findings largest first.
  package func results() -> [RuleResult] {
    rules.indices.map { index in
      let rule = rules[index]
      var findings: [Finding]
      if let correlation = rule.correlation {
        findings = correlated[index].compactMap { key, hits in
          CorrelationWindows.evaluate(hits, correlation).map { finding(correlation, key: key, outcome: $0) }
        }
      } else {
        findings = states[index].compactMap { key, state in finding(rule, key: key, state: state) }
      }
      return RuleResult(rule: rule.info, findings: findings.sorted(by: Self.precedes))
    }
  }

  /// The events of each rule's findings, as filters (`--rule-file`, `--rule`): a rule without a
  /// threshold or correlation keeps what its predicate matches; the others keep what it matches
  /// in the groups that fired, within the time their findings cover.
  package func findingEvents() -> [Predicate] {
    rules.indices.map { index in
      let rule = rules[index]
      if let correlation = rule.correlation {
        var groups: [[String?]: GroupWindows.Span] = [:]
        for (key, hits) in correlated[index] {
          if let outcome = CorrelationWindows.evaluate(hits, correlation) { groups[key] = .ranges(outcome.ranges) }
        }
        return .any(
          correlation.bases.indices.map { base in
            .and([
              correlation.bases[base].predicate,
              .inGroups(GroupWindows(fields: correlation.baseGroupFields[base], groups: groups)),
            ])
          })
      }
      guard let threshold = rule.threshold else { return rule.predicate }
      var groups: [[String?]: GroupWindows.Span] = [:]
      for (key, state) in states[index] {
        if let window = threshold.window {
          if let breach = SlidingWindow.breach(of: state.hits, over: threshold.count, within: window) {
            groups[key] = .ranges(breach.ranges)
          }
        } else if state.count > threshold.count {
          groups[key] = .always
        }
      }
      return .and([rule.predicate, .inGroups(GroupWindows(fields: rule.groupBy, groups: groups))])
    }
  }

  func finding(_ correlation: Correlation, key: [String?], outcome: CorrelationWindows.Outcome) -> Finding {
    let group = zip(correlation.groupBy, key).map { GroupValue(field: $0, value: $1) }
    let measured: String
    switch correlation.kind {
    case .eventCount: measured = Self.events(outcome.peak)
    case .valueCount(let field):
      measured = "\(outcome.peak) distinct value\(outcome.peak == 1 ? "" : "s") of \(field.joined(separator: "."))"
    case .temporal: measured = "\(outcome.peak) of \(correlation.bases.count) rules"
    }
    return windowed(
      outcome.hits,
      message:
        "\(measured) within \(correlation.timespan)\(Self.text(group)) (\(correlation.kind.name) \(correlation.condition))",
      group: group, peak: outcome.peak, peakStart: outcome.peakStart)
  }

  /// The finding of the events inside windows, with the window's peak.
  func windowed(_ hits: [Hit], message: String, group: [GroupValue], peak: Int, peakStart: Timestamp) -> Finding {
    var state = GroupState()
    for hit in hits { state.add(hit, keepingHit: false, sampleSize: sampleSize) }
    var finding = state.finding(message: message, group: group, sampleSize: sampleSize)
    finding.peak = peak
    finding.peakStart = peakStart
    return finding
  }

  /// ` for field=value, …`, or nothing for a rule without groups.
  static func text(_ group: [GroupValue]) -> String {
    group.isEmpty ? "" : " for " + group.map { "\($0.field)=\($0.value ?? "(none)")" }.joined(separator: ", ")
  }

  func finding(_ rule: Rule, key: [String?], state: GroupState) -> Finding? {
    let group = zip(rule.groupBy, key).map { GroupValue(field: $0.description, value: $1) }
    let groupText = Self.text(group)
    guard let threshold = rule.threshold else {
      return state.finding(
        message: "\(Self.events(state.count)) matched\(groupText)", group: group, sampleSize: sampleSize)
    }
    guard let window = threshold.window else {
      guard state.count > threshold.count else { return nil }
      return state.finding(
        message: "\(Self.events(state.count))\(groupText), more than the threshold of \(threshold.count)",
        group: group, sampleSize: sampleSize)
    }
    guard let breach = SlidingWindow.breach(of: state.hits, over: threshold.count, within: window) else { return nil }
    return windowed(
      breach.hits,
      message:
        "\(Self.events(breach.peak)) within \(window)\(groupText), more than the threshold of \(threshold.count)",
      group: group, peak: breach.peak, peakStart: breach.peakStart)
  }

  /// Largest first, then earliest, then by group key: the same order on every run.
  static func precedes(_ a: Finding, _ b: Finding) -> Bool {
    if a.count != b.count { return a.count > b.count }
    if a.firstSeen != b.firstSeen { return (a.firstSeen ?? .epoch) < (b.firstSeen ?? .epoch) }
    return a.group.map { $0.value ?? "" }.lexicographicallyPrecedes(b.group.map { $0.value ?? "" })
  }

  static func events(_ count: Int) -> String { count == 1 ? "1 event" : "\(count) events" }

}

/// What every rule matching one event records of it, read once.
struct EventFacts {
  var cached: (eventID: String?, principal: String?)?

  mutating func hit(_ view: EventView, path: String) -> Hit {
    let facts = cached ?? (view.eventID, view.value(of: .principal))
    cached = facts
    return Hit(time: view.eventTime, eventID: facts.eventID, principal: facts.principal, path: path)
  }
}

/// One matching event, as much as a finding needs.
struct Hit {
  var time: Timestamp?
  var eventID: String?
  var principal: String?
  var path: String
}

/// What a finding reports about a group of matching events.
struct GroupState {
  var count = 0
  var firstSeen: Timestamp?
  var lastSeen: Timestamp?
  /// The earliest event ids (by time, then id), at most `sampleSize`.
  var sample: [(Timestamp?, String)] = []
  var principals = Set<String>()
  var files = Set<String>()
  /// Every hit, for sliding windows.
  var hits: [Hit] = []

  mutating func add(_ hit: Hit, keepingHit: Bool, sampleSize: Int) {
    count += 1
    if let time = hit.time {
      if firstSeen.map({ time < $0 }) ?? true { firstSeen = time }
      if lastSeen.map({ time > $0 }) ?? true { lastSeen = time }
    }
    if let id = hit.eventID { addSample((hit.time, id), limit: sampleSize) }
    if let principal = hit.principal { principals.insert(principal) }
    files.insert(hit.path)
    if keepingHit { hits.append(hit) }
  }

  mutating func merge(_ other: GroupState, sampleSize: Int) {
    count += other.count
    firstSeen = [firstSeen, other.firstSeen].compactMap { $0 }.min()
    lastSeen = [lastSeen, other.lastSeen].compactMap { $0 }.max()
    for entry in other.sample { addSample(entry, limit: sampleSize) }
    principals.formUnion(other.principals)
    files.formUnion(other.files)
    hits += other.hits
  }

  static func precedes(_ a: (Timestamp?, String), _ b: (Timestamp?, String)) -> Bool {
    switch (a.0, b.0) {
    case (let x?, let y?) where x != y: return x < y
    case (nil, _?): return false
    case (_?, nil): return true
    default: return a.1 < b.1
    }
  }

  mutating func addSample(_ entry: (Timestamp?, String), limit: Int) {
    guard limit > 0 else { return }
    if sample.count == limit, let last = sample.last, !Self.precedes(entry, last) { return }
    if sample.contains(where: { $0.1 == entry.1 }) { return }
    let index = sample.firstIndex { Self.precedes(entry, $0) } ?? sample.count
    sample.insert(entry, at: index)
    if sample.count > limit { sample.removeLast() }
  }

  func finding(message: String, group: [GroupValue], sampleSize: Int) -> Finding {
    let sortedPrincipals = principals.sorted()
    let sortedFiles = files.sorted()
    return Finding(
      message: message, group: group, count: count, firstSeen: firstSeen, lastSeen: lastSeen,
      eventIDs: sample.map(\.1), principals: Array(sortedPrincipals.prefix(sampleSize)),
      principalsTotal: principals.count,
      files: Array(sortedFiles.prefix(sampleSize)), filesTotal: files.count)
  }
}

/// "More than N events within a span shorter than W", over events in any order.
enum SlidingWindow {
  struct Breach {
    /// Every event inside some window over the threshold.
    var hits: [Hit]
    /// The most events in one window, and the time of the first of them.
    var peak: Int
    var peakStart: Timestamp
    /// The time the windows over the threshold cover, from first to last event, merged.
    var ranges: [ClosedRange<Timestamp>]
  }

  /// Events without a time cannot be placed in a window and are left out.
  static func breach(of hits: [Hit], over threshold: Int, within window: TimeSpan) -> Breach? {
    let timed = hits.compactMap { hit in hit.time.map { (time: $0, hit: hit) } }
      .sorted { a, b in a.time != b.time ? a.time < b.time : (a.hit.eventID ?? "") < (b.hit.eventID ?? "") }
    var inBreach = Array(repeating: false, count: timed.count)
    var start = 0
    var markedUpTo = 0
    var peak = 0
    var peakStart: Timestamp?
    var ranges: [ClosedRange<Timestamp>] = []
    for end in timed.indices {
      while timed[end].time - window >= timed[start].time { start += 1 }
      let count = end - start + 1
      guard count > threshold else { continue }
      for index in max(start, markedUpTo)...end { inBreach[index] = true }
      markedUpTo = end + 1
      if let last = ranges.last, timed[start].time <= last.upperBound {
        ranges[ranges.count - 1] = last.lowerBound...timed[end].time
      } else {
        ranges.append(timed[start].time...timed[end].time)
      }
      if count > peak {
        peak = count
        peakStart = timed[start].time
      }
    }
    guard let peakStart else { return nil }
    return Breach(
      hits: zip(timed, inBreach).filter(\.1).map(\.0.hit), peak: peak, peakStart: peakStart, ranges: ranges)
  }
}
