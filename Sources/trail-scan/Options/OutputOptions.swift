// How results are written: the format (a table for people at a terminal, JSON Lines otherwise),
// colour, for event listings the columns and a limit, and for reports the file they go to.

import ArgumentParser
import TrailEvent
import TrailOutput
import TrailQuery

#if canImport(Glibc)
  import Glibc
#endif

extension EventFormat: ExpressibleByArgument {}

enum ColorChoice: String, CaseIterable, ExpressibleByArgument {
  case auto, always, never

  /// Colour on for `always`, and for `auto` when stdout is a terminal and NO_COLOR is unset.
  var style: TableStyle {
    switch self {
    case .always: return .color
    case .never: return .plain
    case .auto:
      let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
      return Terminal.stdoutIsTerminal && noColor.isEmpty ? .color : .plain
    }
  }
}

/// `--color` and `--wide`, shared by every command that prints tables (through FormatOptions
/// or ReportOptions).
struct ColorOptions: ParsableArguments {
  @Option(help: "Colour in tables: auto (on a terminal, unless NO_COLOR is set), always, never.")
  var color: ColorChoice = .auto

  @Flag(help: "Cut nothing in tables: every column as wide as its values (as into a pipe or file).")
  var wide = false

  /// The width tables are fitted to: none with `--wide`, else the terminal's.
  var tableWidth: Int? { wide ? nil : Terminal.width }
}

/// Format and colour of the commands that print events or groups of them. (`check` and
/// `validate` have report formats of their own, and ReportOptions.)
struct FormatOptions: ParsableArguments {
  @Option(help: "Output format: table (default on a terminal), jsonl (default otherwise), json, csv.")
  var format: EventFormat?

  @OptionGroup var colors: ColorOptions

  var resolvedFormat: EventFormat { format ?? (Terminal.stdoutIsTerminal ? .table : .jsonl) }

  var style: TableStyle { colors.color.style }

  /// The width tables are fitted to (nil: cut nothing).
  var width: Int? { colors.tableWidth }
}

/// Where the reports of `check` and `validate` go, and their tables' colour (see ReportOutput).
struct ReportOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Write the report to this file; a table goes to standard output.", valueName: "file"))
  var output: String?

  @OptionGroup var colors: ColorOptions

  var color: ColorChoice { colors.color }

  /// The width tables are fitted to (nil: cut nothing).
  var width: Int? { colors.tableWidth }
}

/// Options of commands that list events one by one (search, timeline).
struct ListingOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Columns of table and csv output (for timeline, of every format), comma-separated (field names as in --by).",
      valueName: "fields"))
  var fields: String?

  @Option(
    help: "Show only the first N events (after sorting, where events are sorted by time).",
    transform: OptionValue.whole(atLeast: 1))
  var limit: Int?

  func columns(default defaults: [Field]) throws -> [Field] {
    try fields.map { try GroupCommand.fields($0, option: "--fields") } ?? defaults
  }
}

/// `search --sort` (a group of its own so that it is listed with the other output options).
struct EventOrderOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Order of events: input (as read) or time (oldest first; holds every match in memory, or with --limit N only N).",
      valueName: "order"))
  var sort: EventOrder = .input
}

enum EventOrder: String, CaseIterable, ExpressibleByArgument { case input, time }
