// `trail-scan check`: compliance rules (the built-in CIS pack, users' YAML rule files) run over an
// archive in one pass, reported as a table, JSON, SARIF or JUnit, with an exit status a CI job
// can gate on. `--pattern` instead shows what one CloudWatch metric filter would have counted.

import ArgumentParser
import TrailCheck
import TrailEvent
import TrailOutput
import TrailQuery
import TrailReport
import TrailTime

enum CheckFormat: String, CaseIterable, ExpressibleByArgument {
  case table, json, sarif, junit, jsonl, csv
}

extension TrailScanCommand {
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Run compliance rules (CIS built in) and fail on findings.",
      discussion: """
        Rules come from built-in packs (--pack; cis when no rules are named) and rule files (--rules FILE|DIR): \
        trail-scan's YAML (docs/check.md) or Sigma rules for CloudTrail, correlations included (docs/detections.md). \
        Each rule with matching events is a finding; findings of rules at or above --fail-on make the run fail.

        --pattern PATTERN instead counts what a CloudWatch Logs metric filter with that pattern would have counted, \
        per --every period, so a filter can be tried on history before it is deployed; with --threshold N, periods \
        with more than N events are alarms.

        Examples:
          trail-scan check ./AWSLogs
          trail-scan check ./AWSLogs --pack cis --format sarif --output report.sarif
          trail-scan check ./AWSLogs --rules rules/ --fail-on high --format junit
          trail-scan check --list-rules
          trail-scan check ./AWSLogs --pattern '{ $.errorCode = "*Denied" }' --every 1h

        Exit status: 0 no finding at or above --fail-on (no period over the threshold with --pattern), 1 findings, 2 \
        an error: bad rules or usage, or input that could not be read (a check that could not read all its input never \
        passes).
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters (limit the events checked)") var filters: FilterOptions

    @Option(
      name: .customLong("pack"),
      help: ArgumentHelp("Built-in rule pack to run (cis). Default: cis, unless --rules is given.", valueName: "name"))
    var packs: [String] = []

    @Option(
      name: .customLong("rules"),
      help: ArgumentHelp("Rule file (trail-scan YAML or Sigma), or folder of them (repeatable).", valueName: "path"))
    var ruleFiles: [String] = []

    /// `--rule` (in the filter options, where other commands read it as a filter): here it picks
    /// the rules to run.
    var onlyRules: [String] { filters.rules }

    @Option(
      name: .customLong("skip-rule"), help: ArgumentHelp("Do not run this rule (repeatable; * globs).", valueName: "id")
    )
    var skippedRules: [String] = []

    @Flag(help: "List the packs and rules instead of checking.")
    var listRules = false

    @Option(
      help: ArgumentHelp(
        "Lowest severity that fails the run: info, low, medium, high, critical.", valueName: "severity"))
    var failOn: Severity = .low

    @Option(
      help:
        "Report format: table (default on a terminal), json (default otherwise), sarif, junit; with --pattern: table, jsonl, json, csv."
    )
    var format: CheckFormat?

    @OptionGroup var reporting: ReportOptions
    @OptionGroup(title: "Scale out") var emit: EmitOptions

    @Option(
      help: ArgumentHelp("Count what a metric filter with this pattern would have counted.", valueName: "pattern"))
    var pattern: String?

    @Option(
      help: ArgumentHelp("With --pattern: the metric's period (default 5m).", valueName: "duration"),
      transform: OptionValue.duration())
    var every: TimeSpan?

    @Option(
      help: ArgumentHelp("With --pattern: periods with more than N events are alarms (default 0).", valueName: "n"),
      transform: OptionValue.whole(atLeast: 0))
    var threshold: Int?

    func validate() throws {
      if pattern == nil {
        if every != nil || threshold != nil { throw ValidationError("--every and --threshold go with --pattern.") }
        if let format, format == .jsonl || format == .csv {
          throw ValidationError(
            "--format \(format.rawValue) goes with --pattern; rules report as table, json, sarif or junit.")
        }
      } else {
        if !packs.isEmpty || !ruleFiles.isEmpty || !onlyRules.isEmpty || !skippedRules.isEmpty || listRules {
          throw ValidationError(
            "--pattern runs one pattern: it does not combine with --pack, --rules, --rule, --skip-rule or --list-rules."
          )
        }
        if let format, format == .sarif || format == .junit {
          throw ValidationError("--pattern reports as table, jsonl, json or csv.")
        }
      }
    }

    func run() throws {
      if let pattern { return try runPattern(pattern) }
      let rules = try selectedRules()
      if listRules { return try list(rules) }
      // --rule chose the rules; only --rule-file narrows the events.
      var scanFilters = filters
      scanFilters.rules = []
      if let engine = emit.emit {
        return try Emitter.emit(engine, input: input, filters: scanFilters, query: .rules(try Emitter.rules(rules)))
      }
      let runner = try ScanRunner(input: input, filters: scanFilters)
      let (parts, _, statistics) = try runner.runAccumulating(
        make: { CheckAccumulator(rules: rules) },
        add: { accumulator, view, origin in accumulator.add(view, path: origin.path) })
      var accumulator = parts[0]
      for part in parts.dropFirst() { accumulator.merge(part) }
      let report = CheckReport(
        results: accumulator.results(),
        inputs: InputSummary(
          paths: runner.inputPaths, files: statistics.files, events: statistics.events, problems: statistics.diagnostics
        ),
        failOn: failOn)
      try write(report)
      Messages.note(CheckSummary.line(report))
      throw ExitCode(report.inputs.problems > 0 ? ExitStatus.error : report.passed ? 0 : 1)
    }

    /// The rules named by --pack, --rules, --rule and --skip-rule; every problem is reported
    /// before giving up, and naming a rule or pack that does not exist is an error.
    func selectedRules() throws -> [Rule] {
      var rules: [Rule] = []
      var problems: [String] = []
      let packNames = packs.isEmpty && ruleFiles.isEmpty ? (listRules ? RulePacks.all.map(\.name) : ["cis"]) : packs
      for name in packNames {
        do {
          guard let pack = try RulePacks.rules(name) else {
            problems.append("no rule pack '\(name)' (packs: \(RulePacks.all.map(\.name).joined(separator: ", ")))")
            continue
          }
          rules += pack
        } catch {
          problems.append(error.description)
        }
      }
      let loaded = RuleFiles.load(ruleFiles)
      rules += loaded.rules
      problems += loaded.errors.map(\.description)
      RuleFilter.noteSkipped(loaded.skipped)
      let linked = SigmaLinker.link(rules)
      rules = linked.rules
      problems += linked.errors.map(\.description)
      var seen: [String: String] = [:]
      for rule in rules {
        if let first = seen[rule.id] {
          problems.append("\(rule.info.origin): rule \(rule.id): duplicate rule id (also in \(first))")
        }
        seen[rule.id] = rule.info.origin
      }
      for id in onlyRules + skippedRules where !rules.contains(where: { Glob(id).matches($0.id) }) {
        problems.append("no rule matches '\(id)' (see --list-rules)")
      }
      guard problems.isEmpty else {
        // Escaped line by line: the line breaks are ours (a pattern and its caret), the text
        // between them comes from files.
        for problem in problems {
          Messages.note(
            problem.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.escape(String($0)) }
              .joined(separator: "\n"))
        }
        throw ExitCode(ExitStatus.error)
      }
      return rules.filter { rule in
        (onlyRules.isEmpty || onlyRules.contains { Glob($0).matches(rule.id) })
          && !skippedRules.contains { Glob($0).matches(rule.id) }
      }
    }

    func list(_ rules: [Rule]) throws {
      let buffer = OutputBuffer()
      let resolved = format ?? (Terminal.stdoutIsTerminal ? .table : .json)
      let listing = rules.map { (info: $0.info, pattern: $0.pattern) }
      if resolved == .table {
        try RuleListReport.writeTable(listing, to: buffer, width: reporting.width, style: reporting.color.style)
      } else {
        try buffer.write(RuleListReport.json(listing))
        try buffer.flush()
      }
    }

    func write(_ report: CheckReport) throws {
      let resolved = format ?? (reporting.output == nil && Terminal.stdoutIsTerminal ? .table : .json)
      try ReportOutput.write(to: reporting.output, color: reporting.color, width: reporting.width) {
        buffer, width, style, toFile in
        try render(
          report, toFile || reporting.output == nil ? resolved : .table, to: buffer, width: width, style: style)
      }
    }

    func render(_ report: CheckReport, _ format: CheckFormat, to buffer: OutputBuffer, width: Int?, style: TableStyle)
      throws
    {
      let text: String
      switch format {
      case .json: text = CheckJSONReport.render(report)
      case .sarif: text = SARIFReport.render(report, toolVersion: TrailScanCommand.configuration.version)
      case .junit: text = JUnitReport.render(report)
      case .table, .jsonl, .csv:
        return try CheckTableReport.write(report, to: buffer, width: width, style: style)
      }
      try buffer.write(text)
      try buffer.flush()
    }

    /// `--pattern`: the metric filter's counts per period.
    func runPattern(_ text: String) throws {
      let predicate: Predicate
      do { predicate = try FilterPattern.parse(text) } catch {
        throw PlanError("invalid --pattern:\n" + error.rendered(pattern: text))
      }
      let period = every ?? TimeSpan(seconds: 300)
      let limit = threshold ?? 0
      let aggregation = Aggregation(groupBy: [], every: period, order: .time)
      if let engine = emit.emit {
        return try Emitter.emit(
          engine, input: input, filters: filters, query: .groups(aggregation, listNames: []), also: predicate)
      }
      let runner = try ScanRunner(input: input, filters: filters, also: predicate)
      let (parts, runStatus, statistics) = try runner.runAccumulating(
        make: { Aggregator(aggregation) }, add: { aggregator, view, _ in aggregator.add(view) })
      var aggregator = parts[0]
      for part in parts.dropFirst() { aggregator.merge(part) }
      let rows = aggregator.rows()
      let eventFormat: EventFormat
      switch format {
      case .table: eventFormat = .table
      case .json: eventFormat = .json
      case .csv: eventFormat = .csv
      case .jsonl: eventFormat = .jsonl
      default: eventFormat = Terminal.stdoutIsTerminal ? .table : .jsonl
      }
      do {
        try GroupPrinter.write(
          rows, aggregation: aggregation, format: eventFormat, to: OutputBuffer(), width: reporting.width,
          style: reporting.color.style)
      } catch is OutputClosed {}
      let alarms = rows.filter { $0.count > limit }
      let total = rows.reduce(0) { $0 + $1.count }
      Messages.note(
        "check: the pattern counted \(total) of \(statistics.events) events, in \(rows.count) \(period) periods; "
          + "\(alarms.count) over the threshold of \(limit)"
          + (alarms.isEmpty ? "" : ", first at \(alarms.compactMap { $0.key.first ?? nil }.min() ?? "?")"))
      throw ExitCode(runStatus == ExitStatus.error ? ExitStatus.error : alarms.isEmpty ? 0 : 1)
    }
  }
}

extension Severity: ExpressibleByArgument {}
