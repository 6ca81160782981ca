// `trail-scan timeline`: the matching events in time order, one compact line each (time,
// actor, action, resource, ip, error) — the view for reconstructing what happened.

import ArgumentParser
import TrailEvent
import TrailOutput
import TrailQuery

extension TrailScanCommand {
  struct Timeline: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "timeline",
      abstract: "Show matching events in time order, one compact line each.",
      discussion: """
        Columns: time, principal, actor (where it says more than the principal), action, resource, ip, error (override \
        with --fields). To sort, it holds every match in memory; with --limit N only the N earliest. jsonl prints one \
        object per line with those fields.

        Example:
          trail-scan timeline ./AWSLogs --principal alice --since 2024-05-14T09:00:00Z
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup(title: "Output") var format: FormatOptions
    @OptionGroup(title: "Output") var listing: ListingOptions
    @OptionGroup(title: "Scale out") var emit: EmitOptions

    func run() throws {
      let columns = try listing.columns(default: EventRowPrinter.timelineColumns)
      if let engine = emit.emit {
        return try Emitter.events(
          engine, input: input, filters: filters, columns: columns, byTime: true, limit: listing.limit)
      }
      let runner = try ScanRunner(input: input, filters: filters, reading: columns)
      let buffer = OutputBuffer(flushesEachRecord: false)
      let printer: any EventSink
      switch format.resolvedFormat {
      case .jsonl, .json:
        printer = FieldObjectPrinter(output: buffer, fields: columns, asArray: format.resolvedFormat == .json)
      case .table, .csv:
        printer = try EventRowPrinter(
          format: format.resolvedFormat, output: buffer, columns: columns, width: format.width, style: format.style,
          byDefault: listing.fields == nil)
      }
      let unreadable = ProblemTally()
      let sink = runner.sortingSink(passingTo: printer, limit: listing.limit, reported: unreadable)
      let status = try runner.run { view, origin in try sink.write(view, origin: origin) }
      throw ExitCode(try runner.finish(sink, after: status, reported: unreadable))
    }
  }
}
