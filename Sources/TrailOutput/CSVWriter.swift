// RFC 4180 CSV for spreadsheets and scripts: a header row, CRLF line ends, fields quoted when
// they hold a comma, quote, CR or LF. Log values are hostile, so a cell that a spreadsheet would
// run as a formula (starting with =, +, -, @, tab or CR) is defused with a leading apostrophe,
// as OWASP recommends; the apostrophe is the only change made to a value. A cell that is a plain
// number (`-1`, `-0.5e3`) is no formula and is written as it is, so pandas and DuckDB read it.

/// Writes rows as CSV.
final class CSVWriter {
  let output: OutputBuffer

  init(output: OutputBuffer, headers: [String]) throws {
    self.output = output
    try add(headers)
  }

  func add(_ cells: [String]) throws {
    try output.record { buffer in
      for (i, cell) in cells.enumerated() {
        if i > 0 { buffer.append(0x2C) }
        Self.append(cell, to: &buffer)
      }
      buffer.append(contentsOf: [0x0D, 0x0A])
    }
  }

  func finish() throws { try output.flush() }

  /// Whether `bytes` are a JSON number, whole: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
  static func isNumber(_ bytes: [UInt8]) -> Bool {
    var i = 0
    func digits() -> Int {
      let start = i
      while i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
      return i - start
    }
    if i < bytes.count && bytes[i] == 0x2D { i += 1 }
    guard i < bytes.count else { return false }
    if bytes[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
    if i < bytes.count && bytes[i] == 0x2E {
      i += 1
      guard digits() > 0 else { return false }
    }
    if i < bytes.count && (bytes[i] == 0x65 || bytes[i] == 0x45) {
      i += 1
      if i < bytes.count && (bytes[i] == 0x2B || bytes[i] == 0x2D) { i += 1 }
      guard digits() > 0 else { return false }
    }
    return i == bytes.count
  }

  /// One field, defused and quoted as needed.
  static func append(_ cell: String, to buffer: inout [UInt8]) {
    var value = Array(cell.utf8)
    // = + - @ tab CR start a formula; a plain number is data.
    if let first = value.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first), !isNumber(value) {
      value.insert(0x27, at: 0)  // '
    }
    let needsQuotes = value.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
    guard needsQuotes else {
      buffer.append(contentsOf: value)
      return
    }
    buffer.append(0x22)
    for b in value {
      if b == 0x22 { buffer.append(0x22) }
      buffer.append(b)
    }
    buffer.append(0x22)
  }
}
