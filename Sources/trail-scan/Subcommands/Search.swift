// `trail-scan search` (the default subcommand): print the events that match, losslessly as
// JSON Lines or JSON, or chosen fields as a table or CSV.

import ArgumentParser
import TrailEvent
import TrailOutput
import TrailQuery
import TrailScan

extension TrailScanCommand {
  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "search",
      abstract: "Print the events that match the filters (the default subcommand).",
      discussion: """
        jsonl prints each event on one line exactly as recorded (key order and numbers kept, whitespace removed); json \
        prints them as one array; table and csv show chosen fields: by default time, account, region, principal, actor \
        (where it says more than the principal: a role session's name, a source identity), action, ip and error.

        Examples:
          trail-scan search ./AWSLogs --event-name ConsoleLogin --format table
          trail-scan ./AWSLogs --error AccessDenied --fields time,principal,action
          trail-scan ./AWSLogs --type Root --sort time --limit 20
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup(title: "Output") var format: FormatOptions
    @OptionGroup(title: "Output") var listing: ListingOptions
    @OptionGroup(title: "Output") var order: EventOrderOptions
    @OptionGroup(title: "Scale out") var emit: EmitOptions

    func run() throws {
      if let engine = emit.emit {
        let columns = try listing.fields.map { try GroupCommand.fields($0, option: "--fields") }
        return try Emitter.events(
          engine, input: input, filters: filters, columns: columns, byTime: order.sort == .time, limit: listing.limit)
      }
      let columns = try listing.columns(default: EventRowPrinter.defaultColumns)
      // Event output writes the record's bytes; tables and CSV read their columns; sorting, the time.
      let reads = format.resolvedFormat == .jsonl || format.resolvedFormat == .json ? [] : columns
      let runner = try ScanRunner(
        input: input, filters: filters, reading: columns, readingOnly: reads + (order.sort == .time ? [.time] : []))
      let buffer = OutputBuffer(flushesEachRecord: Terminal.stdoutIsTerminal)
      if format.resolvedFormat == .jsonl && order.sort == .input && listing.limit == nil && runner.canRunInParallel
        && !Terminal.stdoutIsTerminal
      {
        // The bulk case: every event as JSON Lines into a pipe or file, on every core.
        throw ExitCode(try runner.runWritingLines(to: buffer))
      }
      var sink = try Self.printer(
        format.resolvedFormat, buffer, columns: columns, width: format.width, style: format.style,
        byDefault: listing.fields == nil)
      let unreadable = ProblemTally()
      if order.sort == .time { sink = runner.sortingSink(passingTo: sink, limit: listing.limit, reported: unreadable) }
      let limit = order.sort == .time ? nil : listing.limit
      var written = 0
      let status = try runner.run { view, origin in
        try sink.write(view, origin: origin)
        written += 1
        if let limit, written >= limit { throw ScanEngine.Stop() }
      }
      throw ExitCode(try runner.finish(sink, after: status, reported: unreadable))
    }

    static func printer(
      _ format: EventFormat, _ buffer: OutputBuffer, columns: [Field], width: Int?, style: TableStyle, byDefault: Bool
    ) throws -> any EventSink {
      switch format {
      case .jsonl: return JSONLinesPrinter(output: buffer)
      case .json: return JSONArrayPrinter(output: buffer)
      case .table, .csv:
        return try EventRowPrinter(
          format: format, output: buffer, columns: columns, width: width, style: style, byDefault: byDefault)
      }
    }
  }
}
