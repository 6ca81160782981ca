// Any rule as a filter (`--rule-file FILE`, `--rule ID`): keeps the events a rule's detection
// matches, so a responder can pivot from a finding of `check` to its events in `search`,
// `timeline`, `stats`, `who` or `what`. A rule that decides on many events (a threshold, a Sigma
// correlation) keeps the events of its findings: the events it matches in the groups that fired,
// within the windows that fired. That needs the findings first, so such a rule costs one more
// pass over the input, holding what `check` holds (one small record per matching event); the
// second pass then holds only the firing groups and their time ranges.
import TrailArchive
import TrailCheck
import TrailOutput
import TrailQuery
import TrailScan

struct RuleFilter {
  let rules: [Rule]

  /// The rules `--rule-file` and `--rule` name, or nil when neither is given. Every problem is
  /// reported (a broken file, a `--rule` that matches nothing) before giving up.
  init?(_ options: FilterOptions) throws {
    guard !options.ruleFiles.isEmpty || !options.rules.isEmpty else { return nil }
    let loaded = RuleFiles.load(options.ruleFiles)
    var problems = loaded.errors.map(\.description)
    Self.noteSkipped(loaded.skipped)
    var candidates = loaded.rules
    if !options.rules.isEmpty {
      for pack in RulePacks.all {
        do { candidates += try RulePacks.rules(pack.name) ?? [] } catch { problems.append(error.description) }
      }
    }
    let linked = SigmaLinker.link(candidates)
    problems += linked.errors.map(\.description)
    // `--rule` may also pick a rule that only a correlation runs (to see all its events).
    let selectable =
      linked.rules
      + candidates.filter { rule in !linked.rules.contains { $0.id == rule.id } && rule.correlation == nil }
    var rules = options.rules.isEmpty ? linked.rules : []
    for id in options.rules {
      let glob = Glob(id)
      let matching = selectable.filter { glob.matches($0.id) && !rules.contains($0) }
      if matching.isEmpty && !selectable.contains(where: { glob.matches($0.id) }) {
        problems.append("--rule \(id): no rule matches (built-in packs: check --list-rules; or give --rule-file)")
      }
      rules += matching
    }
    guard problems.isEmpty else {
      throw PlanError(
        problems.map { problem in
          problem.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escape(String($0)) }
            .joined(separator: "\n")
        }.joined(separator: "\ntrail-scan: "))
    }
    self.rules = rules
  }

  /// The events to keep: what any of the rules matches, or for rules that aggregate, the events
  /// of their findings over `objects` read as `plan` reads them (its filters included, as
  /// `check` with the same filters would find them). Problems are left to the scan that follows.
  func predicate(over objects: [ArchiveObject], like plan: ScanPlan, workers: Int) -> Predicate {
    guard rules.contains(where: \.aggregates) else { return .any(rules.map(\.predicate)) }
    var first = plan
    first.strict = false
    let rules = self.rules
    let result = ParallelScan.run(
      objects, plan: first, workers: ParallelScan.isOrderFree(first) ? workers : 1,
      make: { CheckAccumulator(rules: rules) },
      add: { accumulator, view, origin in accumulator.add(view, path: origin.path) }
    )
    var accumulator = CheckAccumulator(rules: rules)
    for part in result.accumulators { accumulator.merge(part) }
    return .any(accumulator.findingEvents())
  }

  /// One note for the Sigma rules left out because they are for other log sources.
  static func noteSkipped(_ skipped: [SkippedRule]) {
    guard let first = skipped.first else { return }
    Messages.note(
      "left out: \(skipped.count) Sigma rule(s) for other log sources than product: aws, service: cloudtrail, such as "
        + TerminalText.escape("\(first.file):\(first.line ?? 0) (\(first.logsource))"))
  }
}
