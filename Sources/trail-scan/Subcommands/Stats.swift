// `trail-scan stats --by FIELD[,FIELD…]`: count matching events per group, with first and
// last time seen.
import ArgumentParser
import TrailOutput
import TrailQuery

extension TrailScanCommand {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Count matching events by one or more fields.",
      discussion: """
        Each group is printed with its count and the first and last eventTime seen, largest
        group first. An event with several values of a field (resource) counts once for each.
        Fields: time, date, hour, service, action, principal, session, actor, account,
        region, ip, error, accessKey, userAgent, category, type, resource, or any dotted path
        such as requestParameters.bucketName.
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions

    @Option(help: ArgumentHelp("Fields to group by, comma-separated.", valueName: "fields"))
    var by: String

    @Option(help: "Show only the N largest groups.")
    var top: Int?

    @Option(help: "Output format: table (default on a terminal), jsonl (default otherwise), json.")
    var format: EventFormat?

    func validate() throws {
      if let top, top < 1 { throw ValidationError("--top must be at least 1.") }
    }

    func run() throws {
      let fields: [Field]
      do { fields = try Field.list(by) } catch { throw ValidationError(error.message) }
      let runner = try ScanRunner(input: input, filters: filters)
      var aggregator = Aggregator(Aggregation(groupBy: fields, top: top))
      var status = try runner.run { view, _ in aggregator.add(view) }
      let format = format ?? (Terminal.stdoutIsTerminal ? .table : .jsonl)
      do {
        try GroupPrinter.write(aggregator.rows(), fields: fields, format: format, to: OutputBuffer(), width: Terminal.width)
      } catch is OutputClosed {
        status = ExitStatus.matched
      }
      throw ExitCode(status)
    }
  }
}
