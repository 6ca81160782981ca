// `trail-scan who --action A [--resource R]`: the principals that did something, with how
// often, when first and last, from which source addresses, and with which errors.
import ArgumentParser
import TrailQuery

extension TrailScanCommand {
  struct Who: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "who",
      abstract:
        "List the principals that performed an action or touched a resource, with counts, failures, times, IPs, errors and targets.",
      discussion: """
        Give what to look for: an action, an event name, a resource or target, a filter pattern (--where) or a rule; \
        other filters narrow it further.

        Examples:
          trail-scan who ./AWSLogs --resource 'arn:aws:s3:::prod-*' --write
          trail-scan who ./AWSLogs --resource 'arn:aws:secretsmanager:*:secret:prod-*'
          trail-scan who ./AWSLogs --where '{ $.errorCode = "AccessDenied" }'
          trail-scan who ./AWSLogs --action 'iam:*' --since 7d
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup(title: "Output") var format: FormatOptions
    @OptionGroup(title: "Scale out") var emit: EmitOptions

    func validate() throws {
      if filters.actions.isEmpty && filters.eventNames.isEmpty && filters.resources.isEmpty && filters.targets.isEmpty
        && filters.patterns.isEmpty && filters.ruleFiles.isEmpty && filters.rules.isEmpty
      {
        throw ValidationError(
          "Give what to look for: --action SERVICE:NAME, --event-name NAME, --resource ARN, --target ARN, --where PATTERN, --rule-file FILE or --rule ID."
        )
      }
    }

    func run() throws {
      let aggregation = Aggregation(groupBy: [.principal], lists: [.ip, .error, .target])
      let listNames = ["ips", "errors", "targets"]
      if let engine = emit.emit {
        return try Emitter.emit(
          engine, input: input, filters: filters, query: .groups(aggregation, listNames: listNames))
      }
      try GroupCommand.run(
        input: input, filters: filters, format: format, aggregation: aggregation, listNames: listNames)
    }
  }
}
