// What `stats`, `who` and `what` share: scan, aggregate the matching events, print the groups.
// They differ only in the Aggregation they build and the names of listed columns.

import ArgumentParser
import TrailEvent
import TrailIdentity
import TrailOutput
import TrailQuery

enum GroupCommand {
  static func run(
    input: InputOptions, filters: FilterOptions, format: FormatOptions, aggregation: Aggregation,
    listNames: [String] = []
  ) throws {
    let (rows, runStatus) =
      aggregation.groupBy.contains(.origin) || aggregation.distinct == .origin || aggregation.lists.contains(.origin)
      ? try runByOrigin(input: input, filters: filters, aggregation: aggregation)
      : try runPlain(input: input, filters: filters, aggregation: aggregation)
    var status = runStatus
    do {
      try GroupPrinter.write(
        rows, aggregation: aggregation, listNames: listNames, format: format.resolvedFormat,
        to: OutputBuffer(), width: format.width, style: format.style)
    } catch is OutputClosed {
      status = ExitStatus.afterOutputClosed(status)
    }
    throw ExitCode(status)
  }

  static func runPlain(input: InputOptions, filters: FilterOptions, aggregation: Aggregation) throws
    -> ([GroupRow], Int32)
  {
    // The aggregator reads the grouping, distinct and listed fields, the time and the outcome.
    let reads = aggregation.groupBy + [aggregation.distinct].compactMap { $0 } + aggregation.lists + [.time, .outcome]
    let runner = try ScanRunner(input: input, filters: filters, readingOnly: reads)
    if let answer = runner.groupsFromStore(aggregation) { return answer }
    let (parts, runStatus, _) = try runner.runAccumulating(
      make: { Aggregator(aggregation) }, add: { aggregator, view, _ in aggregator.add(view) })
    var aggregator = parts[0]
    for part in parts.dropFirst() { aggregator.merge(part) }
    return (aggregator.rows(), runStatus)
  }

  /// Grouping by `origin` in one pass: every event feeds the credential index, the matching
  /// ones are grouped by a reference to their credential, and once the archive is indexed each
  /// reference becomes its origin and equal groups merge (docs/identity.md). Pruning is off: a
  /// chain can start in any file.
  static func runByOrigin(input: InputOptions, filters: FilterOptions, aggregation: Aggregation) throws
    -> ([GroupRow], Int32)
  {
    if !filters.origins.isEmpty || aggregation.distinct == .origin || aggregation.lists.contains(.origin) {
      // An `--origin` filter needs origins while filtering: the two-pass path answers it.
      let runner = try ScanRunner(input: input, filters: filters, reading: [.origin])
      let (parts, runStatus, _) = try runner.runAccumulating(
        make: { Aggregator(aggregation) }, add: { aggregator, view, _ in aggregator.add(view) })
      var aggregator = parts[0]
      for part in parts.dropFirst() { aggregator.merge(part) }
      return (aggregator.rows(), runStatus)
    }
    let runner = try ScanRunner(input: input, filters: filters, observingAll: true)
    let filter = runner.filter
    let (parts, runStatus, statistics) = try runner.runAccumulating(
      make: { OriginGroups(aggregation) },
      add: { groups, view, _ in
        groups.index.add(view)
        guard filter.evaluate(view) else { return }
        groups.matched += 1
        groups.aggregator.add(view)
      })
    var merged = parts[0]
    for part in parts.dropFirst() { merged.merge(part) }
    let index = merged.index
    let origins = aggregation.every == nil ? 0 : 1
    let columns = aggregation.groupBy.indices.filter { aggregation.groupBy[$0] == .origin }.map { $0 + origins }
    merged.aggregator.remap { key in
      var key = key
      for column in columns {
        key[column] = key[column].flatMap(OriginReference.init(encoded:)).map { index.chain($0).origin }
      }
      return key
    }
    let status =
      runStatus == ExitStatus.error || statistics.diagnostics > 0
      ? ExitStatus.error : merged.matched > 0 ? ExitStatus.matched : ExitStatus.noMatch
    return (merged.aggregator.rows(), status)
  }

  static func fields(_ text: String, option: String) throws -> [Field] {
    do { return try Field.list(text) } catch { throw PlanError("\(option): \(error.message)") }
  }
}

/// The per-worker state of a one-pass `--by origin`: the credentials seen, and the groups of the
/// matching events keyed by credential references.
struct OriginGroups {
  var index = CredentialIndex()
  var aggregator: Aggregator
  var matched = 0

  init(_ aggregation: Aggregation) {
    aggregator = Aggregator(aggregation) { field, view in
      field == .origin ? (view.identity == nil ? [] : [OriginReference(view).encoded]) : view.values(of: field)
    }
  }

  mutating func merge(_ other: OriginGroups) {
    index.merge(other.index)
    aggregator.merge(other.aggregator)
    matched += other.matched
  }
}
