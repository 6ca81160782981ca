// The filter flags shared by every subcommand that scans events (`--account`/`--region` and
// `--since`/`--until` are groups of their own, which `validate` shares too). A flag given
// several times matches any of its values; different flags must all match. Values accept `*`
// wildcards, and a value starting with `!` excludes (`--ip '!10.0.0.0/8'`, `--event-source '!kms'`).
import ArgumentParser

struct FilterOptions: ParsableArguments {
  @Option(
    name: .customLong("event-name"),
    help: ArgumentHelp("Keep events with this eventName, e.g. ConsoleLogin or 'Delete*'.", valueName: "name"))
  var eventNames: [String] = []

  @Option(
    name: .customLong("event-source"),
    help: ArgumentHelp("Keep events from this service: s3, iam.amazonaws.com, …", valueName: "source"))
  var eventSources: [String] = []

  @Option(
    name: .customLong("principal"),
    help: ArgumentHelp(
      "Keep events by this principal (ARN or bare role/user name), session ARN or name, user name, principal id, access key or actor.",
      valueName: "who"))
  var principals: [String] = []

  @OptionGroup var scope: ScopeOptions<Events>

  @Option(
    name: .customLong("error"),
    help: ArgumentHelp(
      "Keep failed calls; with a code, only failures with that code (AccessDenied, 'Failed authentication'); '!CODE': failures with another code.",
      valueName: "code"))
  var errors: [String] = []

  @OptionGroup var window: TimeWindowOptions<Events>

  @Option(
    name: .customLong("action"),
    help: ArgumentHelp("Keep events with this IAM-style action, e.g. s3:GetObject or 'iam:*'.", valueName: "action"))
  var actions: [String] = []

  @Option(
    name: .customLong("access-key"), help: ArgumentHelp("Keep events signed with this access key id.", valueName: "key")
  )
  var accessKeys: [String] = []

  @Option(
    name: .customLong("ip"),
    help: ArgumentHelp(
      "Keep events from this source: an address, a CIDR block (IPv4 or IPv6), or a glob such as 'AWS Internal' or '*.amazonaws.com'.",
      valueName: "ip"))
  var ips: [String] = []

  @Option(
    name: .customLong("resource"),
    help: ArgumentHelp(
      "Keep events acting on this resource: an ARN in resources[] or named by the call's parameters (as --target).",
      valueName: "arn"))
  var resources: [String] = []

  @Option(
    name: .customLong("origin"),
    help: ArgumentHelp(
      "Keep events whose credential chain starts at this principal (docs/identity.md; reads the whole archive).",
      valueName: "principal"))
  var origins: [String] = []

  @Option(
    name: .customLong("target"),
    help: ArgumentHelp(
      "Keep events acting on this target: an ARN, or an id where no ARN can be built (docs/fields.md).",
      valueName: "arn"))
  var targets: [String] = []

  @Flag(name: .customLong("no-error"), help: "Keep only calls that succeeded (outcome success).")
  var noError = false

  @Flag(name: .customLong("read-only"), help: "Keep only read-only calls (readOnly true).")
  var readOnly = false

  @Flag(help: "Keep only calls that change something (readOnly false).")
  var write = false

  @Option(
    name: .customLong("category"),
    help: ArgumentHelp(
      "Keep events of this eventCategory: Management, Data, Insight, NetworkActivity.", valueName: "category"))
  var categories: [String] = []

  @Option(name: .customLong("user-agent"), help: ArgumentHelp("Keep events with this userAgent.", valueName: "agent"))
  var userAgents: [String] = []

  @Option(
    name: .customLong("type"),
    help: ArgumentHelp(
      "Keep events by this identity type: Root, IAMUser, AssumedRole, AWSService, …", valueName: "type"))
  var identityTypes: [String] = []

  @Option(
    name: .customLong("where"),
    help: ArgumentHelp(
      "Keep events matching a CloudWatch Logs filter pattern, e.g. '{ $.eventName = \"ConsoleLogin\" && $.additionalEventData.MFAUsed != \"Yes\" }'.",
      valueName: "pattern"))
  var patterns: [String] = []

  @Option(
    name: .customLong("rule-file"),
    help: ArgumentHelp(
      "Keep the events a rule file's rules match (Sigma or trail-scan YAML); for thresholds and correlations, the events of their findings.",
      valueName: "file"))
  var ruleFiles: [String] = []

  @Option(
    name: .customLong("rule"),
    help: ArgumentHelp(
      "Keep the events this rule matches: a built-in pack rule (cis.root-usage) or a --rule-file rule; * globs. With check: run only this rule.",
      valueName: "id"))
  var rules: [String] = []

  @Flag(help: "Drop repeated deliveries of an event (same eventID).")
  var dedupe = false

  func validate() throws {
    if noError && !errors.isEmpty { throw ValidationError("--error and --no-error exclude each other.") }
    if readOnly && write { throw ValidationError("--read-only and --write exclude each other.") }
  }
}
