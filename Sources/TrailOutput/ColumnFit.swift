// How a table's columns share a terminal's width: by need, not evenly. Every column first gets
// the least it can show, then `whole` columns (rule ids, actions) all they need, then what
// identifies the others' values (identifiers' last segments, actions,
// addresses and times whole), then what reads well (longer words, lists, prose), then its whole
// width, each round going first to the columns that need least more, so that as many columns
// as possible show their values whole.

/// The widths of a table's columns for a given terminal width.
package enum ColumnFit {
  /// What one column asks for: the most its cells ask at each level (`CellCut.Demand`).
  package struct Column: Equatable, Sendable {
    /// `targets[0]` is the floor, `targets[1]` the whole width of a `whole` column (else the
    /// floor), `targets[2]` and `targets[3]` the needs, `targets[4]` the whole width; each at
    /// least the one before.
    package var targets: [Int]

    /// A column headed `header` holding `cells` (both escaped). A `whole` column (what names a
    /// row, such as a rule id, or an action) gets its whole width before the others' needs.
    package init(header: String, cells: [String], whole: Bool = false) {
      let headerWidth = TerminalText.width(header)
      var targets = [min(headerWidth, 3), 0, headerWidth, headerWidth, headerWidth]
      for cell in cells {
        let demand = CellCut.demand(cell)
        targets[0] = max(targets[0], demand.floor)
        targets[2] = max(targets[2], demand.needs[0])
        targets[3] = max(targets[3], demand.needs[1])
        targets[4] = max(targets[4], demand.natural)
      }
      if whole { targets[1] = targets[4] }
      for level in 1...4 { targets[level] = max(targets[level], targets[level - 1]) }
      self.targets = targets
    }

    package var floor: Int { targets[0] }
    package var natural: Int { targets[4] }
  }

  /// The width of each column of `columns` in a table at most `width` wide with `gap` columns
  /// between neighbours: their whole widths when they fit, else filled level by level.
  package static func widths(_ columns: [Column], width: Int, gap: Int) -> [Int] {
    let budget = width - gap * max(columns.count - 1, 0)
    guard columns.map(\.natural).reduce(0, +) > budget else { return columns.map(\.natural) }
    var widths = [Int](repeating: 0, count: columns.count)
    var remaining = budget
    for level in 0...4 {
      let deficits = columns.indices.map { columns[$0].targets[level] - widths[$0] }
      let wanted = deficits.reduce(0, +)
      if wanted <= remaining {
        for i in columns.indices { widths[i] += deficits[i] }
        remaining -= wanted
        continue
      }
      let given = fill(deficits, max(remaining, 0))
      for i in columns.indices { widths[i] += given[i] }
      break
    }
    // Less than one column each: every column still shows its first character or `…`.
    return widths.map { max($0, 1) }
  }

  /// Shares `budget` among `deficits`: the smallest are met whole, the rest share evenly
  /// (water-filling), leftovers to the leftmost.
  static func fill(_ deficits: [Int], _ budget: Int) -> [Int] {
    var given = [Int](repeating: 0, count: deficits.count)
    var open = deficits.indices.filter { deficits[$0] > 0 }.sorted { (deficits[$0], $0) < (deficits[$1], $1) }
    var remaining = budget
    while !open.isEmpty && remaining > 0 {
      let share = remaining / open.count
      let first = open[0]
      if deficits[first] - given[first] <= share {
        remaining -= deficits[first] - given[first]
        given[first] = deficits[first]
        open.removeFirst()
        continue
      }
      for i in open { given[i] += share }
      remaining -= share * open.count
      for i in open.sorted().prefix(remaining) { given[i] += 1 }
      break
    }
    return given
  }

  /// Which `optional` columns (in the order they are given up) to leave out so that the others
  /// get all their needs (`targets[3]`) in `width`: none when they fit, else as few as will do,
  /// in order.
  package static func omitted(_ columns: [Column], optional: [Int], width: Int, gap: Int) -> Set<Int> {
    var left: Set<Int> = []
    func fits() -> Bool {
      let shown = columns.indices.filter { !left.contains($0) }
      let needed = shown.reduce(0) { $0 + columns[$1].targets[3] } + gap * max(shown.count - 1, 0)
      return needed <= width
    }
    for column in optional where !fits() { left.insert(column) }
    return left
  }
}
