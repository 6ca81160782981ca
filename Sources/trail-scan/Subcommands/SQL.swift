// `trail-scan sql --store FILE "SELECT …"`: SQL over an event store, read-only, in every output
// format — the offline counterpart of CloudTrail Lake's queries (README, docs/store.md).

import ArgumentParser
import TrailJSON
import TrailOutput
import TrailScan
import TrailStore

extension TrailScanCommand {
  struct SQL: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sql",
      abstract: "Run one read-only SQL statement over an event store.",
      usage: "trail-scan sql --store <file> [<options>] <statement>",
      discussion: """
        Tables and views (docs/store.md): events (a column per field, json the record), targets (target, \
        event), files, problems. SQLite's SQL and JSON functions apply.

        Examples:
          trail-scan sql --store trail.db "SELECT count(*) FROM events"
          trail-scan sql --store trail.db "SELECT DISTINCT ip FROM events"

        Exit status: 0 rows, 1 no row, 2 an error (SQLite's message; a statement that writes).
        """)

    @OptionGroup var store: StoreOptions<Events>

    @Argument(help: ArgumentHelp("One SQL statement that only reads.", valueName: "statement"))
    var statement: String

    @OptionGroup(title: "Output") var format: FormatOptions

    func run() throws {
      guard let path = store.path else { throw PlanError("sql: give the store to query: --store FILE.") }
      let query: StoreQuery
      do { query = try StoreQuery(path: path) } catch let error as StoredEventsError { throw PlanError(error.message) }
      let buffer = OutputBuffer(flushesEachRecord: Terminal.stdoutIsTerminal)
      let resolved = format.resolvedFormat
      var names: [String] = []
      var rows: RowWriter?
      var count = 0
      do {
        try query.run(
          statement,
          columns: { columns in
            names = columns
            if resolved == .table || resolved == .csv {
              rows = try RowWriter(
                format: resolved, output: buffer, headers: columns, width: Terminal.width, style: format.style)
            } else if resolved == .json {
              try buffer.write("[")
            }
          },
          row: { values in
            defer { count += 1 }
            if let rows { return try rows.add(values.map(Self.cell)) }
            try buffer.record { out in
              if resolved == .json { out += Array((count == 0 ? "\n" : ",\n").utf8) }
              out.append(UInt8(ascii: "{"))
              for (i, value) in values.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendString(names[i], to: &out)
                out.append(UInt8(ascii: ":"))
                Self.appendJSON(value, to: &out)
              }
              out.append(UInt8(ascii: "}"))
              if resolved == .jsonl { out.append(0x0A) }
            }
          })
        if let rows { try rows.finish() }
        if resolved == .json { try buffer.write(count == 0 ? "]\n" : "\n]\n") }
        try buffer.flush()
        if query.incompleteFiles > 0 {
          Messages.note(
            "the store holds \(query.incompleteFiles) file(s) an ingest has not finished storing (one is writing "
              + "them, or stopped first): the tables hold the events of them stored so far, which the other "
              + "commands leave out; trail-scan ingest --store \(TerminalText.escape(path)) completes them")
        }
      } catch let error as SQLiteError {
        try? buffer.flush()
        throw PlanError("sql: \(error.message)")
      } catch is OutputClosed {
        throw ExitCode(ExitStatus.matched)
      }
      throw ExitCode(count > 0 ? ExitStatus.matched : ExitStatus.noMatch)
    }

    /// A value as a table or CSV cell: NULL empty, numbers as SQLite prints them, blobs in hex.
    static func cell(_ value: SQLValue) -> String {
      switch value {
      case .null: return ""
      case .integer(let v): return String(v)
      case .real(let v): return "\(v)"
      case .text(let v): return v
      case .blob(let v): return "x'" + hex(v) + "'"
      }
    }

    static func appendJSON(_ value: SQLValue, to out: inout [UInt8]) {
      switch value {
      case .null: out += Array("null".utf8)
      case .integer(let v): out += Array(String(v).utf8)
      case .real(let v): out += Array((v.isFinite ? "\(v)" : "null").utf8)
      case .text(let v): JSONWriter.appendString(v, to: &out)
      case .blob(let v): JSONWriter.appendString("x'" + hex(v) + "'", to: &out)
      }
    }

    static func hex(_ bytes: [UInt8]) -> String {
      let digits = Array("0123456789abcdef")
      var text = ""
      for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0xF)])
      }
      return text
    }
  }
}
