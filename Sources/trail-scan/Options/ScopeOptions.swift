// `--region` and `--account`, shared by every subcommand: for a scan they keep events by
// recipientAccountId and awsRegion (and prune files by their S3 key), for `validate` they pick
// the archive's files by key. Repeatable; for scans, values accept `*` globs and `!` exclusions
// (validate compares them exactly).
import ArgumentParser

struct ScopeOptions<Subject: OptionSubject>: ParsableArguments {
  @Option(
    name: .customLong("region"),
    help: ArgumentHelp(
      Subject.help(events: "Keep events in this region (awsRegion).", archive: "Only this region (repeatable)."),
      valueName: "region"))
  var regions: [String] = []

  @Option(
    name: .customLong("account"),
    help: ArgumentHelp(
      Subject.help(
        events: "Keep events of this account (recipientAccountId).", archive: "Only this account (repeatable)."),
      valueName: "id"))
  var accounts: [String] = []
}
