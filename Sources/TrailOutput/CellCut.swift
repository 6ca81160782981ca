// When a table is narrower than its values, what is cut decides whether a row can still be told
// apart: `arn:aws:iam:…` or `iam:Crea…` says nothing. Each cell is cut by its shape — an ARN or a
// path in the middle, keeping its last segment whole; a list as whole values and "+N"; words,
// times and prose at the end — and each shape says how wide its column needs to be.

/// What a cell holds, as far as cutting it goes (decided from its escaped text).
package enum CellShape: Equatable, Sendable {
  /// No separator and no space: an id, a count, a region, an access key. Cut at the end; up
  /// to 20 columns (an access key id) are needed whole.
  case word
  /// An IP address (hex digits, dots and colons) or a code of capitals and digits (an account
  /// or access key id) up to 24 columns: needed whole; cut at the end.
  case code
  /// `/` or `:` without spaces: an ARN, a path, `service:Action`. Cut in the middle, keeping
  /// the last segment whole as long as it fits.
  case identifier
  /// An ISO 8601 time or date. Cut at the end (the date stays).
  case time
  /// Values joined by `,` (no spaces), perhaps followed by ` +N` (N more not listed): whole
  /// values, then ` +N` for the rest.
  case list
  /// Text with spaces (titles, messages, user agents). Cut at the end.
  case prose

  /// The shape of `text` (already escaped for the terminal).
  package init(_ text: String) {
    if CellCut.countedList(text) != nil {
      self = .list
      return
    }
    var hasSeparator = false
    var hasComma = false
    var address = true
    var hasDigit = false
    var code = true
    for scalar in text.unicodeScalars {
      switch scalar {
      case " ":
        self = .prose
        return
      case ",": hasComma = true
      case "/":
        hasSeparator = true
        address = false
        code = false
      case ":":
        hasSeparator = true
        code = false
      case "0"..."9": hasDigit = true
      case "A"..."F": break
      case "G"..."Z": address = false
      case "a"..."f", ".": code = false
      default:
        address = false
        code = false
      }
    }
    if hasComma {
      self = .list
    } else if CellCut.isTime(text) {
      self = .time
    } else {
      let isAddress = address && hasDigit && text.utf8.count >= 7
      let isCode = code && hasDigit && text.utf8.count <= 24
      self = isAddress || isCode ? .code : hasSeparator ? .identifier : .word
    }
  }
}

/// Cutting one cell to a width, and the widths a cell asks of its column.
package enum CellCut {
  /// How much of its column a cell asks for, in rising order of what can be given up: `floor`
  /// below which it says nothing; `needs[0]` at which it still identifies its value (an
  /// identifier's last segment, an action, an address or a time whole, a word's first 12
  /// columns), `needs[1]` what reads well (words up to 20 columns, the first value of a list,
  /// 12 columns of prose); and its whole `natural` width.
  package struct Demand: Equatable, Sendable {
    package var floor: Int
    package var needs: [Int]
    package var natural: Int
  }

  /// The longest last segment an identifier's needs keep whole (longer ones are cut inside).
  static let longestSegmentNeed = (first: 16, second: 40)

  /// What `text` (escaped) asks of its column.
  package static func demand(_ text: String) -> Demand {
    let natural = TerminalText.width(text)
    func demand(_ floor: Int, _ first: Int, _ second: Int) -> Demand {
      Demand(
        floor: min(natural, floor), needs: [min(natural, first), min(natural, max(first, second))], natural: natural)
    }
    switch CellShape(text) {
    case .word: return demand(8, 12, 20)
    case .code, .time: return demand(min(natural, 11), natural, natural)
    case .identifier:
      return demand(
        3, identifierNeed(text, segment: longestSegmentNeed.first),
        identifierNeed(text, segment: longestSegmentNeed.second))
    case .list:
      let (parts, extra) = listParts(text)
      let more = parts.count + extra > 1 ? TerminalText.width(" +\(parts.count - 1 + extra)") : 0
      return demand(3, 3, CellCut.demand(parts[0]).needs[0] + more)
    case .prose: return demand(3, 3, 12)
    }
  }

  /// `text` (escaped) cut to at most `columns` display columns, as its shape says.
  package static func cut(_ text: String, to columns: Int) -> String {
    guard TerminalText.width(text) > columns else { return text }
    switch CellShape(text) {
    case .identifier: return middle(text, to: columns)
    case .list: return list(text, to: columns)
    case .word, .code, .time, .prose: return TerminalText.truncate(text, to: columns)
    }
  }

  /// `2024-05-14` or `2024-05-14T09:11:24Z` and the like: four digits and a dash, then two.
  static func isTime(_ text: String) -> Bool {
    let bytes = Array(text.utf8.prefix(8))
    guard bytes.count >= 7 else { return false }
    func digit(_ i: Int) -> Bool { bytes[i] >= 0x30 && bytes[i] <= 0x39 }
    return digit(0) && digit(1) && digit(2) && digit(3) && bytes[4] == 0x2D && digit(5) && digit(6)
  }

  /// Where an ARN's parts end: after `arn:`, after `arn:PARTITION:SERVICE:`, and where its
  /// resource starts (at the fifth colon); nil for anything else.
  static func arnParts(_ scalars: [Unicode.Scalar]) -> (scheme: Int, service: Int, resource: Int)? {
    guard scalars.count > 4, String(String.UnicodeScalarView(scalars.prefix(4))) == "arn:" else { return nil }
    var colons: [Int] = []
    for (i, scalar) in scalars.enumerated() where scalar == ":" {
      colons.append(i)
      if colons.count == 5 { break }
    }
    guard colons.count == 5 else { return nil }
    return (4, colons[2] + 1, colons[4])
  }

  /// The narrowest an identifier can be with its last segment whole: `…/Admin`, or for an ARN
  /// `arn:…/Admin`; a last segment longer than `segment` counts as that long. An action
  /// (`iam:CreateUser`: one colon, no slash) needs its whole width.
  static func identifierNeed(_ text: String, segment longest: Int) -> Int {
    let scalars = Array(text.unicodeScalars)
    // `service:Action` reads whole: `…:CreateUser` loses which service.
    if !scalars.contains("/") && scalars.filter({ $0 == ":" }).count == 1 { return TerminalText.width(text) }
    guard let start = lastSegmentStart(scalars) else { return TerminalText.width(text) }
    let segment = min(width(scalars[start...]), longest)
    return (arnParts(scalars) != nil ? 4 : 0) + 1 + segment
  }

  /// Where the suffix holding the last segment starts (at its separator), or nil without one.
  static func lastSegmentStart(_ scalars: [Unicode.Scalar]) -> Int? {
    segmentStarts(scalars).last
  }

  /// The separators (`/`, `:`) that a non-empty segment follows: where a kept suffix may start.
  static func segmentStarts(_ scalars: [Unicode.Scalar]) -> [Int] {
    var starts: [Int] = []
    for i in scalars.indices.dropLast() where scalars[i] == "/" || scalars[i] == ":" {
      if scalars[i + 1] != "/" && scalars[i + 1] != ":" { starts.append(i) }
    }
    return starts
  }

  static func width(_ scalars: ArraySlice<Unicode.Scalar>) -> Int {
    scalars.reduce(0) { $0 + TerminalText.width(of: $1) }
  }

  /// Cut in the middle, keeping whole trailing segments (the last one at least), then as much
  /// of the start as fits: `…/AWSLogs/111122223333/…/file.json.gz`, `Fixtu…/sample/file.json`.
  /// An ARN keeps, in this order as width allows, its last segment, `arn:`, its whole resource,
  /// its start through the service, more trailing segments, then more of the start:
  /// `arn:…:user/bob`, `arn:aws:iam::…:role/Admin`, `arn:aws:iam::1111…:role/Admin`. When even
  /// the last segment does not fit, it is cut in its own middle: `…/1111…V5gb.json.gz`.
  static func middle(_ text: String, to columns: Int) -> String {
    let scalars = Array(text.unicodeScalars)
    let starts = segmentStarts(scalars)
    guard columns >= 4, let last = starts.last else { return wordMiddle(scalars, to: columns) }
    let room = columns - 1
    // The width of every suffix, once (each is compared several times below).
    var suffix = [Int](repeating: 0, count: scalars.count + 1)
    for i in scalars.indices.reversed() { suffix[i] = suffix[i + 1] + TerminalText.width(of: scalars[i]) }
    guard suffix[last] <= room else {
      // The last segment alone is too wide: keep its separator and cut the segment itself.
      return "…" + String(scalars[last]) + wordMiddle(Array(scalars[(last + 1)...]), to: columns - 2)
    }
    /// The longest suffix of whole segments starting at or after `from` that fits beside `head`.
    func longest(from: Int, beside head: Int, current: Int) -> Int {
      starts.first { $0 >= from && $0 < current && head + suffix[$0] <= room } ?? current
    }
    var tail = last
    var head = 0
    if let arn = arnParts(scalars) {
      if arn.scheme + suffix[tail] <= room { head = arn.scheme }
      tail = longest(from: arn.resource, beside: head, current: tail)
      if arn.service + suffix[tail] <= room { head = arn.service }
      tail = longest(from: 0, beside: head, current: tail)
      // More of the start only past the service: a cut partition or service name says nothing.
      if room - suffix[tail] > arn.service { head = room - suffix[tail] }
    } else {
      tail = longest(from: 0, beside: 0, current: tail)
      head = room - suffix[tail]
    }
    return prefix(scalars, width: head) + "…" + String(String.UnicodeScalarView(scalars[tail...]))
  }

  /// The start and the end of a word with `…` between, the end a little longer. Both ends stop
  /// at a `_` or `-` when one is near (`111122223333_CloudTrail_…_V5gbXNlrRcgGLnlg.json.gz`).
  static func wordMiddle(_ scalars: [Unicode.Scalar], to columns: Int) -> String {
    guard width(scalars[...]) > columns else { return String(String.UnicodeScalarView(scalars)) }
    guard columns > 2 else { return columns == 1 ? "…" : columns == 2 ? prefix(scalars, width: 1) + "…" : "" }
    let tailWidth = columns / 2
    var tail: [Unicode.Scalar] = []
    var used = 0
    for scalar in scalars.reversed() {
      let w = TerminalText.width(of: scalar)
      if used + w > tailWidth { break }
      tail.append(scalar)
      used += w
    }
    tail.reverse()
    var head = Array(prefix(scalars, width: columns - 1 - used).unicodeScalars)
    let near = 6
    func isBreak(_ s: Unicode.Scalar) -> Bool { s == "_" || s == "-" }
    if tail.count > 2 * near, let cut = tail.prefix(near).firstIndex(where: isBreak) { tail.removeFirst(cut) }
    if head.count > 2 * near, let cut = head.suffix(near).lastIndex(where: isBreak) {
      head.removeLast(head.count - cut - 1)
    }
    return String(String.UnicodeScalarView(head)) + "…" + String(String.UnicodeScalarView(tail))
  }

  /// The longest start of `scalars` at most `width` columns wide.
  static func prefix(_ scalars: [Unicode.Scalar], width: Int) -> String {
    var out = String.UnicodeScalarView()
    var used = 0
    for scalar in scalars {
      let w = TerminalText.width(of: scalar)
      if used + w > width { break }
      out.append(scalar)
      used += w
    }
    return String(out)
  }

  /// `a,b,c +7`: the values and the count of those not listed, or nil for other text.
  static func countedList(_ text: String) -> (values: Substring, more: Int)? {
    // Bytes first: this runs for every cell that is cut.
    guard let byte = text.utf8.lastIndex(of: 0x20), text.utf8[text.utf8.index(after: byte)...].first == 0x2B,
      let space = byte.samePosition(in: text),
      let more = Int(text[text.index(space, offsetBy: 2)...]), more > 0
    else { return nil }
    let values = text[..<space]
    guard !values.isEmpty, !values.contains(" ") else { return nil }
    return (values, more)
  }

  /// A list's values, and how many more it says it has (` +N`).
  static func listParts(_ text: String) -> (parts: [String], extra: Int) {
    let (values, extra) = countedList(text) ?? (text[...], 0)
    return (values.split(separator: ",", omittingEmptySubsequences: false).map(String.init), extra)
  }

  /// As many whole values as fit, then ` +N` for the others; when not even the first fits
  /// with its ` +N`, the first cut by its own shape.
  static func list(_ text: String, to columns: Int) -> String {
    let (parts, extra) = listParts(text)
    var shown = parts.count - 1
    while shown >= 1 {
      let candidate = parts[..<shown].joined(separator: ",") + " +\(parts.count - shown + extra)"
      if TerminalText.width(candidate) <= columns { return candidate }
      shown -= 1
    }
    let more = " +\(parts.count - 1 + extra)"
    let room = columns - TerminalText.width(more)
    guard room >= 4 else { return TerminalText.truncate(text, to: columns) }
    return cut(parts[0], to: room) + more
  }
}
