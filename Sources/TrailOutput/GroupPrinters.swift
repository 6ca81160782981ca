// The printers of `stats`: one object per group with the grouping fields by name, `count`,
// `firstSeen` and `lastSeen` (`jsonl`, or all of them as one `json` array), or a table.
import TrailTime
import TrailJSON
import TrailQuery

/// Writes aggregation rows.
public enum GroupPrinter {
  public static func write(_ rows: [GroupRow], fields: [Field], format: EventFormat, to output: OutputBuffer, width: Int?) throws {
    switch format {
    case .jsonl:
      for row in rows {
        try output.record { buffer in
          appendObject(row, fields, to: &buffer)
          buffer.append(0x0A)
        }
      }
    case .json:
      try output.write(rows.isEmpty ? "[]" : "[\n")
      for (i, row) in rows.enumerated() {
        try output.record { buffer in
          appendObject(row, fields, to: &buffer)
          buffer.append(contentsOf: (i == rows.count - 1 ? "\n]" : ",\n").utf8)
        }
      }
      try output.write("\n")
    case .table:
      let table = TableWriter(
        output: output, headers: fields.map { $0.description.uppercased() } + ["COUNT", "FIRST SEEN", "LAST SEEN"], width: width)
      for row in rows {
        try table.add(row.key.map { $0 ?? "" } + [String(row.count), row.firstSeen?.iso8601 ?? "", row.lastSeen?.iso8601 ?? ""])
      }
      try table.finish()
    }
    try output.flush()
  }

  static func appendObject(_ row: GroupRow, _ fields: [Field], to buffer: inout [UInt8]) {
    buffer.append(0x7B)
    for (field, value) in zip(fields, row.key) {
      JSONWriter.appendString(field.description, to: &buffer)
      buffer.append(0x3A)
      if let value { JSONWriter.appendString(value, to: &buffer) } else { buffer.append(contentsOf: "null".utf8) }
      buffer.append(0x2C)
    }
    buffer.append(contentsOf: #""count":\#(row.count),"firstSeen":"#.utf8)
    appendTime(row.firstSeen, to: &buffer)
    buffer.append(contentsOf: #","lastSeen":"#.utf8)
    appendTime(row.lastSeen, to: &buffer)
    buffer.append(0x7D)
  }

  static func appendTime(_ time: Timestamp?, to buffer: inout [UInt8]) {
    guard let time else {
      buffer.append(contentsOf: "null".utf8)
      return
    }
    buffer.append(0x22)
    time.appendISO8601(to: &buffer)
    buffer.append(0x22)
  }
}
