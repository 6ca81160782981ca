// Tabular output shared by every command that prints rows of fields (event tables, stats,
// who/what, timeline, fields): the same rows become an aligned table for people or CSV for
// spreadsheets, so the two formats can never disagree about columns.

/// Writes rows of cells as a table or as CSV.
package final class RowWriter {
  enum Target {
    case table(TableWriter)
    case csv(CSVWriter)
  }

  let target: Target

  /// `format` must be `.table` or `.csv`. `optional`, `droppedWhenEmpty` and `whole` are for
  /// tables only (TableWriter); CSV keeps every column whole.
  package init(
    format: EventFormat, output: OutputBuffer, headers: [String], width: Int?, style: TableStyle = .plain,
    optional: [Int] = [], droppedWhenEmpty: Set<Int> = [], whole: Set<Int> = []
  ) throws {
    switch format {
    case .csv: target = .csv(try CSVWriter(output: output, headers: headers))
    default:
      target = .table(
        TableWriter(
          output: output, headers: headers, width: width, style: style, optional: optional,
          droppedWhenEmpty: droppedWhenEmpty, whole: whole))
    }
  }

  package func add(_ cells: [String]) throws {
    switch target {
    case .table(let table): try table.add(cells)
    case .csv(let csv): try csv.add(cells)
    }
  }

  package func finish() throws {
    switch target {
    case .table(let table): try table.finish()
    case .csv(let csv): try csv.finish()
    }
  }
}
