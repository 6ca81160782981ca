// Aligned text tables for people: every cell escaped for the terminal, columns sized from the
// first rows (so output still streams), the widest columns shrunk to fit the terminal width,
// and overflowing cells cut with "…".

/// How a table is drawn: plain text, or with ANSI colour (bold header, failed calls in red).
package enum TableStyle: Sendable {
  case plain, color
}

/// Writes rows as an aligned table.
package final class TableWriter {
  let output: OutputBuffer
  let headers: [String]
  let width: Int?
  let style: TableStyle
  /// Columns whose values are shown in red when colour is on (error codes).
  let alertColumns: Set<Int>
  /// Rows held back to measure column widths; written once `sampleSize` rows have come.
  var pending: [[String]] = []
  var columnWidths: [Int]?
  let sampleSize = 256
  static let gap = "  "

  package init(output: OutputBuffer, headers: [String], width: Int?, style: TableStyle = .plain) {
    self.output = output
    self.headers = headers
    self.width = width
    self.style = style
    alertColumns = Set(headers.indices.filter { headers[$0].hasPrefix("ERROR") })
  }

  package func add(_ cells: [String]) throws {
    let escaped = cells.map { $0.isEmpty ? "-" : TerminalText.escape($0) }
    if let widths = columnWidths {
      try emit(escaped, widths)
    } else {
      pending.append(escaped)
      if pending.count >= sampleSize { try flushPending() }
    }
  }

  package func finish() throws {
    try flushPending()
    try output.flush()
  }

  func flushPending() throws {
    guard columnWidths == nil else { return }
    let widths = fit(measure())
    columnWidths = widths
    try emit(headers, widths, isHeader: true)
    for row in pending { try emit(row, widths) }
    pending = []
  }

  func measure() -> [Int] {
    var widths = headers.map(TerminalText.width)
    for row in pending {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], TerminalText.width(cell)) }
    }
    return widths
  }

  /// Fits the columns into `width`: columns up to `keepWidth` wide (times, account ids, regions)
  /// keep their natural width when they can; the others share what is left fairly, a column
  /// narrower than its share keeping its natural width.
  func fit(_ natural: [Int]) -> [Int] {
    guard let width else { return natural }
    let budget = width - Self.gap.count * (natural.count - 1)
    guard natural.reduce(0, +) > budget else { return natural }
    var widths = natural
    let keepWidth = 20
    var flexible = natural.indices.filter { natural[$0] > keepWidth }
    var remaining = budget - natural.indices.filter { natural[$0] <= keepWidth }.reduce(0) { $0 + natural[$1] }
    if remaining < flexible.count * 8 {
      // Not even the short columns fit: every column shares.
      flexible = Array(natural.indices)
      remaining = budget
    }
    while !flexible.isEmpty {
      let share = remaining / flexible.count
      let fitting = flexible.filter { natural[$0] <= share }
      if fitting.isEmpty {
        for (k, i) in flexible.enumerated() {
          widths[i] = max(1, share + (k < remaining % flexible.count ? 1 : 0))
        }
        break
      }
      for i in fitting { remaining -= natural[i] }
      flexible.removeAll { fitting.contains($0) }
    }
    return widths
  }

  /// One line; colour codes go around the fitted, padded text, so they never count as width.
  func emit(_ cells: [String], _ widths: [Int], isHeader: Bool = false) throws {
    var line = ""
    for (i, cell) in cells.enumerated() {
      let fitted = TerminalText.truncate(cell, to: widths[i])
      let padded = i == cells.count - 1 ? fitted : TerminalText.pad(fitted, to: widths[i])
      if style == .color && isHeader {
        line += "\u{1B}[1m" + padded + "\u{1B}[0m"
      } else if style == .color && alertColumns.contains(i) && cell != "-" {
        line += "\u{1B}[31m" + padded + "\u{1B}[0m"
      } else {
        line += padded
      }
      if i < cells.count - 1 { line += Self.gap }
    }
    try output.write(line + "\n")
  }
}
