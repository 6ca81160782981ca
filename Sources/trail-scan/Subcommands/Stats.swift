// `trail-scan stats --by FIELD[,FIELD…]`: count matching events per group, with first and
// last time seen, optionally per time bucket and with an exact distinct count.
import ArgumentParser
import TrailOutput
import TrailQuery
import TrailTime

extension TrailScanCommand {
  struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stats",
      abstract: "Count matching events by one or more fields.",
      discussion: """
        Each group is printed with its count and the first and last eventTime seen, largest group first (or oldest \
        first with --sort time). An event with several values of a field (resource) counts once for each. Fields: \
        time, date, hour, service, action, principal, session, actor, account, region, ip, error, accessKey, \
        userAgent, category, type, resource, or any dotted path such as requestParameters.bucketName.

        Examples:
          trail-scan stats ./AWSLogs --by principal --top 10
          trail-scan stats ./AWSLogs --access-key AKIAIOSFODNN7EXAMPLE --every 1h
          trail-scan stats ./AWSLogs --by action --every 1d --sort time
          trail-scan stats ./AWSLogs --by principal --distinct ip
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup(title: "Output") var format: FormatOptions
    @OptionGroup(title: "Scale out") var emit: EmitOptions

    @Option(help: ArgumentHelp("Fields to group by, comma-separated.", valueName: "fields"))
    var by: String?

    @Option(help: "Show only the N largest groups.", transform: OptionValue.whole(atLeast: 1))
    var top: Int?

    @Option(
      help: ArgumentHelp("Also group by time buckets of this length (15m, 1h, 1d).", valueName: "duration"),
      transform: OptionValue.duration())
    var every: TimeSpan?

    @Option(help: ArgumentHelp("Count the distinct values of this field in each group.", valueName: "field"))
    var distinct: String?

    @Option(help: ArgumentHelp("Order of groups: count (largest first) or time (oldest first).", valueName: "order"))
    var sort: GroupOrder = .count

    func validate() throws {
      if by == nil && every == nil { throw ValidationError("Give --by FIELDS, --every DURATION, or both.") }
    }

    func run() throws {
      let aggregation = Aggregation(
        groupBy: try by.map { try GroupCommand.fields($0, option: "--by") } ?? [],
        top: top,
        every: every,
        distinct: try distinct.map { text in
          let fields = try GroupCommand.fields(text, option: "--distinct")
          guard fields.count == 1 else {
            throw PlanError("--distinct: give one field (stats counts the distinct values of one)")
          }
          return fields[0]
        },
        order: sort == .time ? .time : .count)
      if let engine = emit.emit {
        return try Emitter.emit(engine, input: input, filters: filters, query: .groups(aggregation, listNames: []))
      }
      try GroupCommand.run(input: input, filters: filters, format: format, aggregation: aggregation)
    }
  }
}

enum GroupOrder: String, CaseIterable, ExpressibleByArgument { case count, time }
