// What `--emit` does in every command: the plan the scan would run (filters, pruning scope,
// aggregation, rules) handed to TrailSQL for the chosen engine, and the script printed on
// standard output. Anything the engine cannot express is a plan error naming it (exit 2).
import ArgumentParser
import TrailCheck
import TrailEvent
import TrailOutput
import TrailQuery
import TrailSQL
import TrailScan

#if canImport(Glibc)
  import Glibc
#endif

enum Emitter {
  /// Prints the script of `query` over the command's input and filters (`also` is ANDed with
  /// them, as for `check --pattern`).
  static func emit(
    _ engine: EmitEngine, input: InputOptions, filters: FilterOptions, query: SQLQuery, also: Predicate = .always
  ) throws {
    let set = try ScanRunner.filterSet(filters)
    var predicate = Predicate.all([set.predicate, also])
    if let rules = try RuleFilter(filters) {
      if let aggregating = rules.rules.first(where: \.aggregates) {
        throw PlanError(
          "--emit: rule \(aggregating.id) counts events (a threshold or correlation); "
            + "its events cannot be chosen in SQL (run check --emit for its findings)")
      }
      predicate = .all([predicate, .any(rules.rules.map(\.predicate))])
    }
    try emit(engine, input: input, set: set, predicate: predicate, dedupe: filters.dedupe, query: query)
  }

  static func emit(
    _ engine: EmitEngine, input: InputOptions, set: FilterSet, predicate: Predicate, dedupe: Bool, query: SQLQuery
  ) throws {
    if input.timeField != nil {
      throw PlanError("--emit: --time-field cannot be translated; the SQL table reads eventTime")
    }
    guard input.inputFormat == .auto || input.inputFormat == .cloudtrail else {
      throw PlanError("--emit: the SQL table reads CloudTrail log files; --input-format \(input.inputFormat) cannot be")
    }
    let pruning = Pruning(set, slack: input.slack)
    var scope = SQLScope(location: try location(input.paths), slack: input.slack)
    if !input.noPrune {
      scope.since = pruning.since
      scope.until = pruning.until
      scope.accounts = pruning.accounts
      scope.regions = pruning.regions
    }
    let dialect: any SQLDialect = engine == .spark ? SparkDialect() : AthenaDialect()
    let plan = SQLPlan(scope: scope, predicate: predicate, dedupe: dedupe, query: query)
    let script: String
    do { script = try SQLScript.render(plan, dialect: dialect) } catch {
      throw PlanError("--emit \(engine.rawValue): \(error.message)")
    }
    let output = OutputBuffer()
    do {
      try output.write(script)
      try output.flush()
    } catch is OutputClosed {}
  }

  /// `search` and `timeline`: the matching events.
  static func events(
    _ engine: EmitEngine, input: InputOptions, filters: FilterOptions, columns: [Field]?, byTime: Bool, limit: Int?
  ) throws {
    if limit != nil && !byTime {
      throw PlanError("--emit: --limit needs --sort time (an SQL engine keeps no input order)")
    }
    try emit(engine, input: input, filters: filters, query: .events(columns: columns, byTime: byTime, limit: limit))
  }

  /// `check`'s rules as SQL rules; a windowed threshold or a correlation is an error.
  static func rules(_ rules: [Rule]) throws -> [SQLRule] {
    try rules.map { rule in
      if rule.correlation != nil {
        throw PlanError("--emit: rule \(rule.id) is a Sigma correlation, which cannot be translated to SQL")
      }
      if rule.threshold?.window != nil {
        throw PlanError("--emit: rule \(rule.id) counts events within a sliding window, which cannot be translated")
      }
      return SQLRule(
        id: rule.id, predicate: rule.predicate, groupBy: rule.groupBy, threshold: rule.threshold?.count ?? 0)
    }
  }

  /// The one archive location: a URL as given (`s3://…`, `hdfs://…`), a local path as an
  /// absolute `file://` URL.
  static func location(_ paths: [String]) throws -> String {
    guard paths.count == 1, let path = paths.first else {
      throw PlanError("--emit: give one archive location (a folder, or an s3:// or hdfs:// URL)")
    }
    guard path != "-" else { throw PlanError("--emit: standard input cannot be read by an SQL engine") }
    if path.contains("://") || path.hasPrefix("file:") { return path }
    if path.hasPrefix("/") { return "file://" + path }
    guard let cwd = getcwd(nil, 0) else { throw PlanError("--emit: cannot tell the current folder") }
    defer { free(cwd) }
    var absolute = String(cString: cwd)
    var relative = Substring(path)
    while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
    if relative != "." && !relative.isEmpty { absolute += (absolute.hasSuffix("/") ? "" : "/") + relative }
    return "file://" + absolute
  }
}
