// `--store FILE`: the event store `ingest` writes, and that every command reading events can
// read in place of paths (docs/store.md). One option group, shared through InputOptions.
import ArgumentParser

struct StoreOptions<Subject: OptionSubject>: ParsableArguments {
  @Option(
    name: .customLong("store"),
    help: ArgumentHelp(
      Subject.help(
        events: "Event store: read it in place of paths (docs/store.md).", archive: "",
        ingest: "Event store to write (created when missing; docs/store.md)."),
      valueName: "file"),
    completion: .file())
  var path: String?

  // The answers from columns off (docs/store.md): every question read from the stored records,
  // the reference the tests compare the columns' answers with.
  @Flag(
    name: .customLong("from-records"),
    help: ArgumentHelp("With --store, answer from the stored records even when columns can.", visibility: .hidden))
  var fromRecords = false
}
