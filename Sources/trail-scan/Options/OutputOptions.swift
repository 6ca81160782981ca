// How results are written: the format (a table for people at a terminal, JSON Lines otherwise)
// and, for tables, which fields are shown.
import ArgumentParser
import TrailOutput

extension EventFormat: ExpressibleByArgument {}

struct OutputOptions: ParsableArguments {
  @Option(help: "Output format: table (default on a terminal), jsonl (default otherwise), json.")
  var format: EventFormat?

  @Option(help: ArgumentHelp("Columns of the table, comma-separated (field names as in --by).", valueName: "fields"))
  var fields: String?

  var resolvedFormat: EventFormat { format ?? (Terminal.stdoutIsTerminal ? .table : .jsonl) }
}
