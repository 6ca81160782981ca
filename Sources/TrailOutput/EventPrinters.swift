// The printers of `search`: `jsonl` (each event on one line, lossless: original key order and
// number text, only whitespace removed), `json` (the same events as one JSON array) and
// `table` (docs/output.md describes each format exactly).
import TrailJSON
import TrailQuery

/// Output formats of event listings.
public enum EventFormat: String, CaseIterable, Sendable {
  case table, jsonl, json
}

/// `jsonl`: one compact event per line.
public final class JSONLinesPrinter: EventSink {
  let output: OutputBuffer
  public init(output: OutputBuffer) { self.output = output }

  public func write(_ view: EventView, origin: EventOrigin) throws {
    try output.record { buffer in
      JSONWriter.appendCompacted(view.json, to: &buffer)
      buffer.append(0x0A)
    }
  }

  public func finish() throws { try output.flush() }
}

/// `json`: one array of compact events, one per line, valid JSON even when empty.
public final class JSONArrayPrinter: EventSink {
  let output: OutputBuffer
  var count = 0
  public init(output: OutputBuffer) { self.output = output }

  public func write(_ view: EventView, origin: EventOrigin) throws {
    let first = count == 0
    count += 1
    try output.record { buffer in
      buffer.append(contentsOf: first ? "[\n".utf8 : ",\n".utf8)
      JSONWriter.appendCompacted(view.json, to: &buffer)
    }
  }

  public func finish() throws {
    try output.write(count == 0 ? "[]\n" : "\n]\n")
    try output.flush()
  }
}

/// `table`: one row per event with the chosen fields, fitted to the terminal width.
public final class EventTablePrinter: EventSink {
  public static let defaultColumns: [Field] = [.time, .account, .region, .actor, .action, .ip, .error]

  let table: TableWriter

  public init(output: OutputBuffer, columns: [Field] = EventTablePrinter.defaultColumns, width: Int?) {
    table = TableWriter(output: output, headers: columns.map { $0.description.uppercased() }, width: width)
    self.columns = columns
  }

  let columns: [Field]

  public func write(_ view: EventView, origin: EventOrigin) throws {
    try table.add(columns.map { view.values(of: $0).joined(separator: ",") })
  }

  public func finish() throws { try table.finish() }
}
