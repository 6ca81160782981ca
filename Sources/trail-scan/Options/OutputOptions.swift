// How results are written: the format (a table for people at a terminal, JSON Lines otherwise),
// colour, and for event listings the columns, a limit and time order.
import TrailEvent
import ArgumentParser
import TrailOutput
import TrailQuery

#if canImport(Glibc)
import Glibc
#endif

extension EventFormat: ExpressibleByArgument {}

enum ColorChoice: String, CaseIterable, ExpressibleByArgument { case auto, always, never }

/// Format and colour, shared by every command.
struct FormatOptions: ParsableArguments {
  @Option(help: "Output format: table (default on a terminal), jsonl (default otherwise), json, csv.")
  var format: EventFormat?

  @Option(help: "Colour in tables: auto (on a terminal, unless NO_COLOR is set), always, never.")
  var color: ColorChoice = .auto

  var resolvedFormat: EventFormat { format ?? (Terminal.stdoutIsTerminal ? .table : .jsonl) }

  var style: TableStyle { Self.style(color) }

  /// Colour on for `always`, and for `auto` when stdout is a terminal and NO_COLOR is unset.
  static func style(_ color: ColorChoice) -> TableStyle {
    switch color {
    case .always: return .color
    case .never: return .plain
    case .auto:
      let noColor = getenv("NO_COLOR").map { String(cString: $0) } ?? ""
      return Terminal.stdoutIsTerminal && noColor.isEmpty ? .color : .plain
    }
  }
}

/// Options of commands that list events one by one.
struct ListingOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Columns of table and csv output, comma-separated (field names as in --by).", valueName: "fields"))
  var fields: String?

  @Option(help: "Stop after N events (after sorting, with --sort).")
  var limit: Int?

  @Option(help: ArgumentHelp("Order of events: input (as read) or time (oldest first; holds the matches in memory).", valueName: "order"))
  var sort: EventOrder = .input

  func validate() throws {
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
  }

  func columns(default defaults: [Field]) throws -> [Field] {
    guard let fields else { return defaults }
    do { return try Field.list(fields) } catch { throw PlanError("--fields: \(error.message)") }
  }
}

enum EventOrder: String, CaseIterable, ExpressibleByArgument { case input, time }
