// `trail-scan what --principal P`: everything a principal (or session, user, access key) did,
// as actions and the resources they touched, with counts and first and last times.
import ArgumentParser
import TrailQuery

extension TrailScanCommand {
  struct What: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "what",
      abstract: "List the actions and targets of a principal, with counts, failures and times.",
      discussion: """
        Examples:
          trail-scan what ./AWSLogs --principal arn:aws:iam::111122223333:role/Deploy
          trail-scan what ./AWSLogs --principal Deploy --since 2024-05-14
          trail-scan what ./AWSLogs --principal AKIAIOSFODNN7EXAMPLE
        """)

    @OptionGroup var input: InputOptions
    @OptionGroup(title: "Filters") var filters: FilterOptions
    @OptionGroup(title: "Output") var format: FormatOptions
    @OptionGroup(title: "Scale out") var emit: EmitOptions

    func validate() throws {
      if filters.principals.isEmpty && filters.accessKeys.isEmpty && filters.ruleFiles.isEmpty
        && filters.rules.isEmpty
      {
        throw ValidationError(
          "Give the principal to look at: --principal ARN|NAME|ACCESS-KEY (or the events of a rule: --rule-file, --rule)."
        )
      }
    }

    func run() throws {
      let aggregation = Aggregation(groupBy: [.action, .target])
      if let engine = emit.emit {
        return try Emitter.emit(engine, input: input, filters: filters, query: .groups(aggregation, listNames: []))
      }
      try GroupCommand.run(input: input, filters: filters, format: format, aggregation: aggregation)
    }
  }
}
