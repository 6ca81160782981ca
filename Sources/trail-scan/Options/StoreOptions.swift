// `--store FILE`: the event store `ingest` writes, and that every command reading events can
// read in place of paths (docs/store.md). One option group, shared through InputOptions.
import ArgumentParser

struct StoreOptions: ParsableArguments {
  @Option(
    name: .customLong("store"),
    help: ArgumentHelp("Event store: read it in place of paths (docs/store.md).", valueName: "file"),
    completion: .file())
  var path: String?
}
