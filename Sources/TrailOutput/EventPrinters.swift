// The printers of `search`: `jsonl` (each event on one line, lossless: original key order and
// number text, only whitespace removed), `json` (the same events as one JSON array) and
// `table` (docs/output.md describes each format exactly).
import TrailEvent
import TrailJSON
import TrailQuery

/// Output formats of event listings.
package enum EventFormat: String, CaseIterable, Sendable {
  case table, jsonl, json, csv
}

/// `jsonl`: one compact event per line.
package final class JSONLinesPrinter: EventSink {
  let output: OutputBuffer
  package init(output: OutputBuffer) { self.output = output }

  package func write(_ view: EventView, origin: EventOrigin) throws {
    try output.record { Self.appendLine(view, to: &$0) }
  }

  package func finish() throws { try output.flush() }

  /// One event's line: its JSON compacted, then a newline.
  package static func appendLine(_ view: EventView, to buffer: inout [UInt8]) {
    JSONWriter.appendCompacted(view.json, to: &buffer)
    buffer.append(0x0A)
  }
}

/// `json`: one array of compact events, one per line, valid JSON even when empty.
package final class JSONArrayPrinter: EventSink {
  let output: OutputBuffer
  var count = 0
  package init(output: OutputBuffer) { self.output = output }

  package func write(_ view: EventView, origin: EventOrigin) throws {
    let first = count == 0
    count += 1
    try output.record { buffer in
      buffer.append(contentsOf: first ? "[\n".utf8 : ",\n".utf8)
      JSONWriter.appendCompacted(view.json, to: &buffer)
    }
  }

  package func finish() throws {
    try output.write(count == 0 ? "[]\n" : "\n]\n")
    try output.flush()
  }
}

/// `table` or `csv`: one row per event with the chosen fields (several values joined by `,`).
package final class EventRowPrinter: EventSink {
  /// `search`'s columns when `--fields` does not name them.
  package static let defaultColumns: [Field] = [.time, .account, .region, .principal, .actor, .action, .ip, .error]
  /// `timeline`'s columns when `--fields` does not name them.
  package static let timelineColumns: [Field] = [.time, .principal, .actor, .action, .resource, .ip, .error]
  /// Default columns a terminal too narrow for the rest leaves out, in this order (the account
  /// is in most principals' ARNs).
  package static let optionalColumns: [Field] = [.region, .ip, .account]

  let rows: RowWriter
  let columns: [Field]
  /// In a default table: the column of `actor`, shown only when it says more than `principal`
  /// (whose column is `principalColumn`).
  let actorColumn: Int?
  let principalColumn: Int?

  /// `byDefault`: the columns are a command's default ones, so in a table the optional ones may
  /// be left out on a narrow terminal, and `actor` is shown only where it says more than
  /// `principal` (its column left out when it never does, in a table of fewer than 256 rows).
  package init(
    format: EventFormat, output: OutputBuffer, columns: [Field] = EventRowPrinter.defaultColumns, width: Int?,
    style: TableStyle = .plain, byDefault: Bool = false
  ) throws {
    let headers = columns.map { format == .csv ? $0.description : $0.description.uppercased() }
    let compact = byDefault && format == .table
    principalColumn = compact ? columns.firstIndex(of: .principal) : nil
    actorColumn = principalColumn == nil ? nil : columns.firstIndex(of: .actor)
    rows = try RowWriter(
      format: format, output: output, headers: headers, width: width, style: style,
      optional: compact ? Self.optionalColumns.compactMap { columns.firstIndex(of: $0) } : [],
      droppedWhenEmpty: actorColumn.map { [$0] } ?? [], whole: Set(columns.indices.filter { columns[$0] == .action }))
    self.columns = columns
  }

  package func write(_ view: EventView, origin: EventOrigin) throws {
    var cells = columns.map { view.values(of: $0).joined(separator: ",") }
    if let actorColumn, let principalColumn, !Self.actorSaysMore(cells[actorColumn], than: cells[principalColumn]) {
      cells[actorColumn] = ""
    }
    try rows.add(cells)
  }

  package func finish() throws { try rows.finish() }

  /// Whether `actor` names more than `principal` does: not when it is the principal or the
  /// principal's last part (an IAM user's name), but a role session's name, a source identity
  /// or an Identity Center user do.
  package static func actorSaysMore(_ actor: String, than principal: String) -> Bool {
    guard !actor.isEmpty else { return false }
    guard !principal.isEmpty, actor != principal else { return principal.isEmpty }
    return !(principal.hasSuffix("/" + actor) || principal.hasSuffix(":" + actor))
  }
}
