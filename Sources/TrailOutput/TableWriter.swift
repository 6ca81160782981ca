// Aligned text tables for people: every cell escaped for the terminal, columns sized from the
// first rows (so output still streams), fitted to the terminal by need (ColumnFit), and cells
// cut where they say least (CellCut). Without a width (`--wide`, a pipe or a file) nothing is
// cut. A column given up to make room is named on standard error, as everything left out is.
#if canImport(Glibc)
  import Glibc
#endif

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
  /// Columns that may be left out, in that order, when the others would not get their needs.
  let optional: [Int]
  /// Columns left out when every cell of a table shorter than `sampleSize` rows is empty.
  let droppedWhenEmpty: Set<Int>
  /// Columns that name their row (a rule id): cut only when the others cannot give way.
  let whole: Set<Int>
  /// Rows held back to measure column widths; written once `sampleSize` rows have come.
  var pending: [[String]] = []
  /// Per column (of `headers`), once decided; 0 for a column left out.
  var columnWidths: [Int]?
  /// The columns shown, in order, once decided.
  var shown: [Int] = []
  /// Cut cells by column: values repeat (actions, principals), and a lookup is cheaper than a
  /// cut. Emptied when it reaches `cacheLimit` entries.
  var cuts: [[String: String]] = []
  static let cacheLimit = 4096
  let sampleSize = 256
  static let gap = "  "

  /// `width` nil cuts nothing. `optional` columns (in the order they are given up) are left out
  /// on a terminal too narrow for the others' needs; `droppedWhenEmpty` ones when a table of
  /// fewer than `sampleSize` rows has nothing in them; `whole` ones keep their width as long as
  /// the others can give way.
  package init(
    output: OutputBuffer, headers: [String], width: Int?, style: TableStyle = .plain, optional: [Int] = [],
    droppedWhenEmpty: Set<Int> = [], whole: Set<Int> = []
  ) {
    self.output = output
    self.headers = headers
    self.width = width
    self.style = style
    self.optional = optional
    self.droppedWhenEmpty = droppedWhenEmpty
    self.whole = whole
    alertColumns = Set(headers.indices.filter { headers[$0].hasPrefix("ERROR") })
  }

  package func add(_ cells: [String]) throws {
    let escaped = cells.map { $0.isEmpty ? "-" : TerminalText.escape($0) }
    if let widths = columnWidths {
      try emit(escaped, widths)
    } else {
      pending.append(escaped)
      if pending.count >= sampleSize { try flushPending(complete: false) }
    }
  }

  package func finish() throws {
    try flushPending(complete: true)
    try output.flush()
  }

  /// Decides the columns and their widths from the rows held, then writes them. `complete`:
  /// these are all the rows (so a column empty in them is empty in the table).
  func flushPending(complete: Bool) throws {
    guard columnWidths == nil else { return }
    let hidden = complete ? droppedWhenEmpty.filter { column in pending.allSatisfy { $0[column] == "-" } } : []
    var visible = headers.indices.filter { !hidden.contains($0) }
    let columns = visible.map { column in
      ColumnFit.Column(header: headers[column], cells: pending.map { $0[column] }, whole: whole.contains(column))
    }
    var widths = columns.map(\.natural)
    if let width, !pending.isEmpty {
      let optionalShown = optional.compactMap { visible.firstIndex(of: $0) }
      let omitted = ColumnFit.omitted(columns, optional: optionalShown, width: width, gap: Self.gap.count)
      let kept = columns.indices.filter { !omitted.contains($0) }
      widths = ColumnFit.widths(kept.map { columns[$0] }, width: width, gap: Self.gap.count)
      if !omitted.isEmpty {
        let names = optionalShown.filter(omitted.contains).map { headers[visible[$0]] }
        Self.note(
          "left out: column(s) \(names.joined(separator: ", ")) of the table, to fit \(width) columns "
            + "(--wide shows every column whole)")
      }
      visible = kept.map { visible[$0] }
    }
    shown = visible
    var all = [Int](repeating: 0, count: headers.count)
    for (column, width) in zip(visible, widths) { all[column] = width }
    columnWidths = all
    try emit(headers, all, isHeader: true)
    for row in pending { try emit(row, all) }
    pending = []
  }

  /// `cell` cut to `width` (CellCut), remembered for the column.
  func cut(_ cell: String, column: Int, to width: Int) -> String {
    if cuts.isEmpty { cuts = Array(repeating: [:], count: headers.count) }
    if let known = cuts[column][cell] { return known }
    let result = CellCut.cut(cell, to: width)
    if cuts[column].count >= Self.cacheLimit { cuts[column].removeAll(keepingCapacity: true) }
    cuts[column][cell] = result
    return result
  }

  /// `trail-scan: TEXT` on standard error (what the command's other notes look like).
  static func note(_ text: String) {
    var bytes = Array("trail-scan: \(text)\n".utf8)
    bytes.withUnsafeMutableBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
  }

  /// One line; colour codes go around the fitted, padded text, so they never count as width.
  func emit(_ cells: [String], _ widths: [Int], isHeader: Bool = false) throws {
    var line = ""
    for (n, i) in shown.enumerated() {
      let cell = cells[i]
      let fitted = isHeader ? TerminalText.truncate(cell, to: widths[i]) : cut(cell, column: i, to: widths[i])
      let isLast = n == shown.count - 1
      let padded = isLast ? fitted : TerminalText.pad(fitted, to: widths[i])
      if style == .color && isHeader {
        line += "\u{1B}[1m" + padded + "\u{1B}[0m"
      } else if style == .color && alertColumns.contains(i) && cell != "-" {
        line += "\u{1B}[31m" + padded + "\u{1B}[0m"
      } else {
        line += padded
      }
      if !isLast { line += Self.gap }
    }
    try output.write(line + "\n")
  }
}
