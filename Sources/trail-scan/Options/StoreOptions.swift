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
}
