// JSON output of chosen fields rather than whole events (`timeline --format jsonl`), and the
// `fields` command's census rows. A field with one value is a string, with none `null`, with
// several (resource, a path through an array) an array of strings.
import TrailEvent
import TrailJSON
import TrailQuery

/// `jsonl`/`json` of the chosen fields of each event.
package final class FieldObjectPrinter: EventSink {
  let output: OutputBuffer
  let fields: [Field]
  let asArray: Bool
  var count = 0

  package init(output: OutputBuffer, fields: [Field], asArray: Bool) {
    self.output = output
    self.fields = fields
    self.asArray = asArray
  }

  package func write(_ view: EventView, origin: EventOrigin) throws {
    let values = fields.map { view.values(of: $0) }
    let prefix = asArray ? (count == 0 ? "[\n" : ",\n") : ""
    count += 1
    try output.record { buffer in
      buffer.append(contentsOf: prefix.utf8)
      buffer.append(0x7B)
      for (i, (field, list)) in zip(fields, values).enumerated() {
        if i > 0 { buffer.append(0x2C) }
        JSONWriter.appendString(field.description, to: &buffer)
        buffer.append(0x3A)
        Self.appendValues(list, to: &buffer)
      }
      buffer.append(0x7D)
      if !asArray { buffer.append(0x0A) }
    }
  }

  package func finish() throws {
    if asArray { try output.write(count == 0 ? "[]\n" : "\n]\n") }
    try output.flush()
  }

  static func appendValues(_ values: [String], to buffer: inout [UInt8]) {
    switch values.count {
    case 0: buffer.append(contentsOf: "null".utf8)
    case 1: JSONWriter.appendString(values[0], to: &buffer)
    default:
      buffer.append(0x5B)
      for (i, v) in values.enumerated() {
        if i > 0 { buffer.append(0x2C) }
        JSONWriter.appendString(v, to: &buffer)
      }
      buffer.append(0x5D)
    }
  }
}

/// The `fields` command's rows.
package enum FieldCensusPrinter {
  /// Examples are cut to this many characters.
  static let exampleLength = 80

  package static func write(
    _ rows: [FieldCensus.Row], format: EventFormat, to output: OutputBuffer, width: Int?, style: TableStyle
  ) throws {
    switch format {
    case .jsonl, .json:
      if format == .json { try output.write(rows.isEmpty ? "[]" : "[\n") }
      for (i, row) in rows.enumerated() {
        try output.record { buffer in
          buffer.append(contentsOf: #"{"path":"#.utf8)
          JSONWriter.appendString(row.path, to: &buffer)
          buffer.append(contentsOf: #","count":\#(row.count),"example":"#.utf8)
          if let example = row.example {
            JSONWriter.appendString(String(example.prefix(exampleLength)), to: &buffer)
          } else {
            buffer.append(contentsOf: "null".utf8)
          }
          buffer.append(0x7D)
          if format == .json { buffer.append(contentsOf: (i == rows.count - 1 ? "\n]" : ",\n").utf8) }
          buffer.append(0x0A)
        }
      }
      if format == .json && rows.isEmpty { try output.write("\n") }
    case .table, .csv:
      let headers = format == .csv ? ["path", "count", "example"] : ["PATH", "COUNT", "EXAMPLE"]
      // A path names its row (`additionalEventData.…` would name several): cut last.
      let writer = try RowWriter(
        format: format, output: output, headers: headers, width: width, style: style, whole: [0])
      for row in rows {
        try writer.add([row.path, String(row.count), String((row.example ?? "").prefix(exampleLength))])
      }
      try writer.finish()
    }
    try output.flush()
  }
}
