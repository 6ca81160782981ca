// `trail-scan fields`: which field paths the matching events hold, in how many events, with an
// example value — for finding the path to use in --by, --fields or --where.

import ArgumentParser
import TrailEvent
import TrailOutput
import TrailQuery

extension TrailScanCommand {
  struct Fields: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "fields",
      abstract: "List the field paths seen in matching events, how often, and an example value.",
      discussion: """
        Paths are dotted; arrays are looked through (resources.ARN). Each path counts once per event that has it.

        Example:
          trail-scan fields ./AWSLogs --event-source s3
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup(title: "Output") var format: FormatOptions

    func run() throws {
      let runner = try ScanRunner(input: input, filters: filters)
      let (parts, runStatus, _) = try runner.runAccumulating(
        make: { FieldCensus() }, add: { census, view, _ in census.add(view) })
      var census = parts[0]
      for part in parts.dropFirst() { census.merge(part) }
      var status = runStatus
      do {
        try FieldCensusPrinter.write(
          census.rows(), format: format.resolvedFormat, to: OutputBuffer(), width: format.width, style: format.style)
      } catch is OutputClosed {
        status = ExitStatus.afterOutputClosed(status)
      }
      throw ExitCode(status)
    }
  }
}
