// `trail-scan search` (the default subcommand): print the events that match, losslessly as
// JSON Lines or JSON, or as a table.
import ArgumentParser
import TrailOutput
import TrailQuery

extension TrailScanCommand {
  struct Search: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the events that match the filters (the default subcommand).",
      discussion: """
        jsonl prints each event on one line exactly as recorded (key order and numbers kept,
        whitespace removed); json prints them as one array; table shows chosen fields.
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    func run() throws {
      let runner = try ScanRunner(input: input, filters: filters)
      let buffer = OutputBuffer(flushesEachRecord: Terminal.stdoutIsTerminal)
      let sink: any EventSink
      switch output.resolvedFormat {
      case .jsonl: sink = JSONLinesPrinter(output: buffer)
      case .json: sink = JSONArrayPrinter(output: buffer)
      case .table:
        let columns = try output.fields.map { text throws in try Field.list(text) } ?? EventTablePrinter.defaultColumns
        sink = EventTablePrinter(output: buffer, columns: columns, width: Terminal.width)
      }
      var status = try runner.run { view, origin in try sink.write(view, origin: origin) }
      do { try sink.finish() } catch is OutputClosed { status = ExitStatus.matched }
      throw ExitCode(status)
    }
  }
}
