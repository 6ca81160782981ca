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
  package static let defaultColumns: [Field] = [.time, .account, .region, .actor, .action, .ip, .error]

  let rows: RowWriter
  let columns: [Field]

  package init(
    format: EventFormat, output: OutputBuffer, columns: [Field] = EventRowPrinter.defaultColumns, width: Int?,
    style: TableStyle = .plain
  ) throws {
    let headers = columns.map { format == .csv ? $0.description : $0.description.uppercased() }
    rows = try RowWriter(format: format, output: output, headers: headers, width: width, style: style)
    self.columns = columns
  }

  package func write(_ view: EventView, origin: EventOrigin) throws {
    try rows.add(columns.map { view.values(of: $0).joined(separator: ",") })
  }

  package func finish() throws { try rows.finish() }
}
