// The filter flags shared by every subcommand. A flag given several times matches any of its
// values; different flags must all match. Values accept `*` wildcards.
import ArgumentParser

struct FilterOptions: ParsableArguments {
  @Option(name: .customLong("event-name"), help: ArgumentHelp("Keep events with this eventName, e.g. ConsoleLogin or 'Delete*'.", valueName: "name"))
  var eventNames: [String] = []

  @Option(name: .customLong("event-source"), help: ArgumentHelp("Keep events from this service: s3, iam.amazonaws.com, …", valueName: "source"))
  var eventSources: [String] = []

  @Option(name: .customLong("principal"), help: ArgumentHelp("Keep events by this principal ARN, session ARN, user name, principal id or access key.", valueName: "who"))
  var principals: [String] = []

  @Option(name: .customLong("region"), help: ArgumentHelp("Keep events in this region (awsRegion).", valueName: "region"))
  var regions: [String] = []

  @Option(name: .customLong("account"), help: ArgumentHelp("Keep events of this account (recipientAccountId).", valueName: "id"))
  var accounts: [String] = []

  @Option(name: .customLong("error"), help: ArgumentHelp("Keep failed calls; with a code, only that errorCode (e.g. AccessDenied).", valueName: "code"))
  var errors: [String] = []

  @Option(help: ArgumentHelp("Keep events at or after this time: 2024-05-14T09:00:00Z, 2024-05-14, or 90m/24h/7d ago.", valueName: "time"))
  var since: String?

  @Option(help: ArgumentHelp("Keep events before this time (a bare date includes that whole day).", valueName: "time"))
  var until: String?
}
