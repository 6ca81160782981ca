// `--emit spark|athena`: instead of scanning, print the same question as an SQL script for an
// engine that scales out (docs/scale-out.md). One option group, added to each command that can
// be translated; the translation itself is TrailSQL's.
import ArgumentParser

/// The engines `--emit` writes for.
enum EmitEngine: String, CaseIterable, ExpressibleByArgument { case spark, athena }

struct EmitOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Print this query as SQL for spark or athena; scan nothing.", valueName: "engine"))
  var emit: EmitEngine?
}
