// What `stats`, `who` and `what` share: scan, aggregate the matching events, print the groups.
// They differ only in the Aggregation they build and the names of listed columns.

import ArgumentParser
import TrailEvent
import TrailOutput
import TrailQuery

enum GroupCommand {
  static func run(
    input: InputOptions, filters: FilterOptions, format: FormatOptions, aggregation: Aggregation,
    listNames: [String] = []
  ) throws {
    let runner = try ScanRunner(input: input, filters: filters)
    let (parts, runStatus, _) = try runner.runAccumulating(
      make: { Aggregator(aggregation) }, add: { aggregator, view, _ in aggregator.add(view) })
    var aggregator = parts[0]
    for part in parts.dropFirst() { aggregator.merge(part) }
    var status = runStatus
    do {
      try GroupPrinter.write(
        aggregator.rows(), aggregation: aggregation, listNames: listNames, format: format.resolvedFormat,
        to: OutputBuffer(), width: Terminal.width, style: format.style)
    } catch is OutputClosed {
      status = ExitStatus.afterOutputClosed(status)
    }
    throw ExitCode(status)
  }

  static func fields(_ text: String, option: String) throws -> [Field] {
    do { return try Field.list(text) } catch { throw PlanError("\(option): \(error.message)") }
  }
}
