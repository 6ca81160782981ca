// The printers of grouped results (`stats`, `who`, `what`): one object per group with the key
// fields by name, `count`, `failed`, `firstSeen`, `lastSeen`, then `distinct` and any listed values
// (`jsonl`, or one `json` array), or the same as table or CSV rows.
import TrailEvent
import TrailJSON
import TrailQuery
import TrailTime

/// Writes aggregation rows.
package enum GroupPrinter {
  /// `listNames` name the columns of `Aggregation.lists` (e.g. `ips`, `errors`).
  package static func write(
    _ rows: [GroupRow], aggregation: Aggregation, listNames: [String] = [], format: EventFormat,
    to output: OutputBuffer, width: Int?, style: TableStyle = .plain
  ) throws {
    let names = aggregation.keyNames
    let lists = listNames.count == aggregation.lists.count ? listNames : aggregation.lists.map { "\($0)s" }
    switch format {
    case .jsonl:
      for row in rows {
        try output.record { buffer in
          appendObject(row, names, lists, to: &buffer)
          buffer.append(0x0A)
        }
      }
    case .json:
      try output.write(rows.isEmpty ? "[]" : "[\n")
      for (i, row) in rows.enumerated() {
        try output.record { buffer in
          appendObject(row, names, lists, to: &buffer)
          buffer.append(contentsOf: (i == rows.count - 1 ? "\n]" : ",\n").utf8)
        }
      }
      try output.write("\n")
    case .table, .csv:
      var headers = names + ["count", "failed", "firstSeen", "lastSeen"]
      if aggregation.distinct != nil { headers.append("distinct") }
      headers += lists
      if format == .table {
        headers = headers.map { $0 == "firstSeen" ? "FIRST SEEN" : $0 == "lastSeen" ? "LAST SEEN" : $0.uppercased() }
      }
      let writer = try RowWriter(
        format: format, output: output, headers: headers, width: width, style: style,
        optional: optionalColumns.compactMap { headers.firstIndex(of: $0) },
        whole: Set(headers.indices.filter { headers[$0] == "ACTION" }))
      for row in rows {
        var cells =
          row.key.map { $0 ?? "" } + [
            String(row.count), String(row.failed), row.firstSeen?.iso8601 ?? "", row.lastSeen?.iso8601 ?? "",
          ]
        if let distinct = row.distinct { cells.append(String(distinct)) }
        cells += row.lists.map { $0.joined(separator: ",") }
        try writer.add(cells)
      }
      try writer.finish()
    }
    try output.flush()
  }

  /// Columns a narrow terminal gives up first, in this order: who's addresses and errors, then
  /// when a group was first seen (the last time, the count and the targets stay).
  static let optionalColumns = ["IPS", "ERRORS", "FIRST SEEN"]

  static func appendObject(_ row: GroupRow, _ names: [String], _ lists: [String], to buffer: inout [UInt8]) {
    buffer.append(0x7B)
    for (name, value) in zip(names, row.key) {
      JSONWriter.appendString(name, to: &buffer)
      buffer.append(0x3A)
      if let value { JSONWriter.appendString(value, to: &buffer) } else { buffer.append(contentsOf: "null".utf8) }
      buffer.append(0x2C)
    }
    buffer.append(contentsOf: #""count":\#(row.count),"failed":\#(row.failed),"firstSeen":"#.utf8)
    appendTime(row.firstSeen, to: &buffer)
    buffer.append(contentsOf: #","lastSeen":"#.utf8)
    appendTime(row.lastSeen, to: &buffer)
    if let distinct = row.distinct { buffer.append(contentsOf: #","distinct":\#(distinct)"#.utf8) }
    for (name, values) in zip(lists, row.lists) {
      buffer.append(0x2C)
      JSONWriter.appendString(name, to: &buffer)
      buffer.append(contentsOf: ":[".utf8)
      for (i, value) in values.enumerated() {
        if i > 0 { buffer.append(0x2C) }
        JSONWriter.appendString(value, to: &buffer)
      }
      buffer.append(0x5D)
    }
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
