// The `%regex%` values of filter patterns, in CloudWatch's documented subset (no groups, ASCII
// only), matched by an engine of our own: TrailQuery does not import Foundation, and the subset
// allows one whose cost does not depend on repetition counts. Without groups, an alternative is a
// sequence of elements (one character class repeated `{min,max}` times, or an anchor), read once
// scalar by scalar; each element keeps, in a few integers and a ring of `min + 1` bits, where it
// was entered and still runs. A scalar costs a constant amount per element, so a match costs at
// most 3 × (elements of the regex) × (scalars of the value + 1) steps whatever the counts:
// `a{0,1000}b` costs what `a*b` costs (docs/filter-language.md, "Matching cost"). Counted
// repetitions are not unrolled.

/// A compiled CloudWatch regex: found anywhere in the value unless anchored with `^` / `$`.
public struct PatternRegex: Hashable, Sendable, CustomStringConvertible {
  /// The expression between the `%` signs, as written.
  public let source: String
  /// Every alternative's elements, one after another.
  let elements: [Element]
  /// Each element's class (empty for anchors), searched for scalars beyond ASCII.
  let sets: [ScalarSet]
  /// Where each alternative's elements end in `elements` (exclusive), in order.
  let alternativeEnds: [Int]

  /// The largest repetition count CloudWatch-style engines accept (RE2's limit).
  static let maxRepeat = 1000
  /// The most elements (characters, classes, `.`, anchors, each with its repetition) a regex
  /// may have: a match costs at most 3 steps per element for each scalar of the value.
  package static let maxElements = 256

  /// The regex in pattern syntax: its source between `%` signs.
  public var description: String { "%" + source + "%" }

  /// Regexes are equal when their sources are identical (equivalent expressions spelled
  /// differently are not).
  public static func == (a: PatternRegex, b: PatternRegex) -> Bool { a.source == b.source }
  /// Hashes the source, as `==` compares it.
  public func hash(into hasher: inout Hasher) { hasher.combine(source) }

  /// Compiles `source`; `column` is the pattern column of its first character, so errors
  /// point into the pattern.
  init(source: [Character], column: Int) throws(PatternError) {
    var parser = RegexParser(characters: source, column: column)
    let alternatives = try parser.parse()
    var elements: [Element] = []
    var sets: [ScalarSet] = []
    var ends: [Int] = []
    for items in alternatives {
      for item in items {
        elements.append(Element(item))
        if case .set(let set) = item.atom { sets.append(set) } else { sets.append(ScalarSet([])) }
      }
      ends.append(elements.count)
    }
    self.source = String(source)
    self.elements = elements
    self.sets = sets
    alternativeEnds = ends
  }

  /// Whether the expression occurs in `text`.
  public func matches(_ text: String) -> Bool {
    var steps = 0
    return matches(text, steps: &steps)
  }

  /// Whether the expression occurs in `text`; adds to `steps` the work done: one per element
  /// visited at each position, one per position an element is entered at and one per such
  /// position coming of age (`min` later), so at most 3 × elements × (scalars + 1) (the bound
  /// the tests hold the engine to).
  package func matches(_ text: String, steps: inout Int) -> Bool {
    let scalars = text.unicodeScalars
    let length = scalars.count
    let counters = UnsafeMutableBufferPointer<Counter>.allocate(capacity: elements.count)
    defer { counters.deallocate() }
    var words = 0
    for (index, element) in elements.enumerated() {
      counters.initializeElement(at: index, to: Counter(element, offset: words))
      words += counters[index].ringWords
    }
    let ring = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: Swift.max(words, 1))
    defer { ring.deallocate() }
    ring.initialize(repeating: 0)
    guard let counter = counters.baseAddress, let ring = ring.baseAddress else { return false }
    var work = 0
    defer { steps += work }
    var position = 0
    var iterator = scalars.makeIterator()
    // The scalar just read, as one bit of the ASCII masks (both 0 beyond ASCII).
    var scalar: UInt32 = 0
    var lowBit: UInt64 = 0
    var highBit: UInt64 = 0
    while true {
      // Position `position`: each element forgets what the last scalar ended, is entered if the
      // elements before it allow, and lets the next one be entered if a position it was entered
      // at is `min...max` scalars back; an alternative matches when its last element does.
      var live = false
      var start = 0
      for end in alternativeEnds {
        var entering = true
        for index in start..<end {
          work &+= 1
          let c = counter + index
          switch c.pointee.element.kind {
          case .start:
            entering = entering && position == 0
            continue
          case .end:
            entering = entering && position == length
            continue
          case .set:
            break
          }
          let waiting = c.pointee.window != 0 || c.pointee.pending != 0
          // Nothing running and nothing entering: nothing to do.
          if !entering && !waiting && c.pointee.newest < 0 { continue }
          if position > 0 && (waiting || c.pointee.newest >= 0) {
            let member =
              scalar < 128
              ? (c.pointee.element.low & lowBit) | (c.pointee.element.high & highBit) != 0
              : sets[index].contains(scalar)
            if !member {
              c.pointee.brokenAt = position
              c.pointee.newest = -1
            }
          }
          let min = c.pointee.element.min
          if !c.pointee.element.bounded {
            // Unbounded: the oldest position still running is all that matters.
            if entering && c.pointee.newest < 0 {
              c.pointee.newest = position
              work &+= 1
            }
            entering = c.pointee.newest >= 0 && c.pointee.newest <= position - min
          } else {
            var matured = false
            if min < 64 {
              // The positions of the last `min + 1` scalars it was entered at, newest in bit 0.
              var window = c.pointee.window
              if position > 0 { window <<= 1 }
              if entering {
                window |= 1
                work &+= 1
              }
              if window >> UInt64(min) != 0 {
                window = 0 == min ? 0 : window & ~(1 << UInt64(min))
                matured = true
              }
              c.pointee.window = window
            } else {
              // A ring of `min + 1` bits in `ring` instead, the cursor at this position's slot.
              let width = min + 1
              let base = ring + c.pointee.offset
              if position > 0 && waiting { c.pointee.cursor = c.pointee.cursor + 1 == width ? 0 : c.pointee.cursor + 1 }
              let cursor = c.pointee.cursor
              if entering {
                base[cursor >> 6] |= 1 << UInt64(cursor & 63)
                c.pointee.pending += 1
                work &+= 1
              }
              // The slot after the cursor holds the position `min` scalars back.
              let old = cursor + 1 == width ? 0 : cursor + 1
              let mask: UInt64 = 1 << UInt64(old & 63)
              if c.pointee.pending > 0 && base[old >> 6] & mask != 0 {
                base[old >> 6] &= ~mask
                c.pointee.pending -= 1
                matured = true
              }
            }
            if matured {
              work &+= 1
              if position - min >= c.pointee.brokenAt { c.pointee.newest = position - min }
            }
            if c.pointee.newest >= 0 && c.pointee.newest < position - c.pointee.element.max { c.pointee.newest = -1 }
            entering = c.pointee.newest >= 0
          }
          if c.pointee.window != 0 || c.pointee.pending != 0 || c.pointee.newest >= 0 { live = true }
        }
        if entering { return true }
        // An alternative not anchored at the start begins again at every position.
        if start == end || counter[start].element.kind != .start { live = true }
        start = end
      }
      guard live, let next = iterator.next() else { return false }
      scalar = next.value
      lowBit = scalar < 64 ? 1 << UInt64(scalar) : 0
      highBit = scalar >= 64 && scalar < 128 ? 1 << UInt64(scalar - 64) : 0
      position += 1
    }
  }

  /// One element of an alternative: a character class repeated `min...max` times (`max` is
  /// `Int.max` when unbounded), or an anchor. Plain data, so the matching loop copies no
  /// references; the class itself is in `sets`.
  struct Element: Sendable {
    enum Kind: Sendable {
      case set, start, end
    }
    let kind: Kind
    /// Whether `max` is finite, so the element keeps every position it was entered at.
    let bounded: Bool
    /// Membership of the ASCII scalars 0–63 and 64–127, tested without searching the ranges.
    let low: UInt64
    let high: UInt64
    let min: Int
    let max: Int

    init(_ item: RegexItem) {
      min = item.min
      max = item.max ?? Int.max
      bounded = item.max != nil
      var set = ScalarSet([])
      switch item.atom {
      case .start: kind = .start
      case .end: kind = .end
      case .set(let members):
        kind = .set
        set = members
      }
      var low: UInt64 = 0
      var high: UInt64 = 0
      for scalar in UInt32(0)..<128 where set.contains(scalar) {
        if scalar < 64 { low |= 1 << UInt64(scalar) } else { high |= 1 << UInt64(scalar - 64) }
      }
      (self.low, self.high) = (low, high)
    }
  }

  /// One element while matching: its constants, and what it knows. A bounded element
  /// remembers which of the last `min + 1` positions it was entered at, one bit each: in
  /// `window` (newest in bit 0, shifted once per position) when `min` < 64, else in a ring of
  /// `ringWords` words from `offset` in the shared storage, `cursor` at this position's slot
  /// and `pending` bits set. The bit `min` positions back comes of age as the positions pass:
  /// it is cleared and `newest` becomes that position, which lets the next element be entered
  /// until it is `max` back. An unbounded element needs only `newest`, the oldest position it
  /// is still running from. A scalar outside the class ends every position before it
  /// (`brokenAt`). Nothing is shifted or moved while nothing is waiting, so an idle element
  /// costs a test.
  struct Counter {
    let element: Element
    let offset: Int
    var window: UInt64 = 0
    var cursor = 0
    var pending = 0
    /// A position, or -1 for none.
    var newest = -1
    var brokenAt = 0

    init(_ element: Element, offset: Int) {
      self.element = element
      self.offset = offset
    }

    /// Words of the shared ring this element needs.
    var ringWords: Int { element.kind == .set && element.bounded && element.min >= 64 ? (element.min + 64) / 64 : 0 }
  }
}

/// A set of Unicode scalars as sorted, merged ranges, possibly complemented.
struct ScalarSet: Hashable, Sendable {
  var ranges: [ClosedRange<UInt32>]
  var negated: Bool

  init(_ ranges: [ClosedRange<UInt32>], negated: Bool = false) {
    self.ranges = Self.normalized(ranges)
    self.negated = negated
  }

  static func single(_ scalar: UInt32) -> ScalarSet { ScalarSet([scalar...scalar]) }

  func contains(_ scalar: UInt32) -> Bool {
    var inside = false
    for range in ranges where range.contains(scalar) {
      inside = true
      break
    }
    return inside != negated
  }

  static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
  static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
  static let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]

  static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
    let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
    var out: [ClosedRange<UInt32>] = []
    for range in sorted {
      if let last = out.last, range.lowerBound <= last.upperBound &+ 1 {
        out[out.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        out.append(range)
      }
    }
    return out
  }

  /// The scalars outside `ranges`.
  static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
    var out: [ClosedRange<UInt32>] = []
    var next: UInt32 = 0
    for range in normalized(ranges) {
      if range.lowerBound > next { out.append(next...(range.lowerBound - 1)) }
      next = range.upperBound &+ 1
    }
    if next <= 0x10FFFF { out.append(next...0x10FFFF) }
    return out
  }
}

/// One element of a regex alternative: something that matches one character (or an anchor),
/// repeated between `min` and `max` times (`max` nil: unbounded).
struct RegexItem {
  enum Atom {
    case set(ScalarSet)
    case start, end
  }
  var atom: Atom
  var min = 1
  var max: Int? = 1
}

/// Reads the regex subset of the CloudWatch documentation: alphanumerics, the symbols
/// `_ # = @ / ; , - :`, the operators `^ $ ? [ ] { } | \ * + .`, classes `\d \D \s \S \w \W`,
/// `\xhh`, `{m,n}` with either bound optional. No groups, no multi-byte characters.
struct RegexParser {
  let characters: [Character]
  let column: Int
  var index = 0

  init(characters: [Character], column: Int) {
    self.characters = characters
    self.column = column
  }

  static let symbols: Set<Character> = ["_", "#", "=", "@", "/", ";", ",", "-", ":"]
  static let allowedList = "letters, digits, the symbols _ # = @ / ; , - : and the operators ^ $ ? [ ] { } | \\ * + ."

  func error(_ message: String, at position: Int? = nil) -> PatternError {
    PatternError(column: column + (position ?? index), message: message)
  }

  mutating func parse() throws(PatternError) -> [[RegexItem]] {
    guard !characters.isEmpty else { throw error("empty regex `%%`") }
    for (i, c) in characters.enumerated() where !c.isASCII {
      throw error("multi-byte characters are not supported in CloudWatch regexes", at: i)
    }
    var alternatives: [[RegexItem]] = [[]]
    var count = 0
    while index < characters.count {
      let itemStart = index
      let c = characters[index]
      let atom: RegexItem.Atom
      switch c {
      case "|":
        alternatives.append([])
        index += 1
        continue
      case "?", "*", "+", "{":
        try applyQuantifier(to: &alternatives[alternatives.count - 1])
        continue
      case "(", ")":
        throw error("groups `( )` are not supported in CloudWatch regexes")
      case "^":
        atom = .start
        index += 1
      case "$":
        atom = .end
        index += 1
      case ".":
        atom = .set(ScalarSet([0x0A...0x0A], negated: true))
        index += 1
      case "[":
        atom = .set(try parseClass())
      case "\\":
        let ranges = try parseEscape()
        atom = .set(ScalarSet(ranges.ranges, negated: ranges.negated))
      default:
        guard Self.isLiteral(c) || c == "]" || c == "}" else {
          throw error("`\(c)` is not supported in CloudWatch regexes (allowed: \(Self.allowedList))")
        }
        atom = .set(.single(c.scalarValue))
        index += 1
      }
      count += 1
      guard count <= PatternRegex.maxElements else {
        throw error(
          "regex longer than \(PatternRegex.maxElements) elements (characters, classes, anchors): each costs "
            + "a step per character of the value", at: itemStart)
      }
      alternatives[alternatives.count - 1].append(RegexItem(atom: atom))
    }
    return alternatives
  }

  static func isLiteral(_ c: Character) -> Bool {
    (c.isASCII && (c.isLetter || c.isNumber)) || symbols.contains(c)
  }

  /// `?`, `*`, `+` or `{m,n}` at `index`, applied to the last item of `items`.
  mutating func applyQuantifier(to items: inout [RegexItem]) throws(PatternError) {
    let start = index
    let c = characters[index]
    var min = 0
    var max: Int? = nil
    switch c {
    case "?":
      max = 1
      index += 1
    case "*": index += 1
    case "+":
      min = 1
      index += 1
    default:
      (min, max) = try parseBraces()
    }
    guard var last = items.last else { throw error("`\(c)` has nothing to repeat", at: start) }
    if case .set = last.atom {} else { throw error("an anchor cannot be repeated", at: start) }
    guard last.min == 1 && last.max == 1 else {
      throw error("`\(c)` cannot follow another repetition", at: start)
    }
    last.min = min
    last.max = max
    items[items.count - 1] = last
    // A lazy marker (`*?`) does not change whether a regex matches somewhere.
    if index < characters.count && characters[index] == "?" { index += 1 }
  }

  /// `{n}`, `{n,}`, `{,m}` or `{n,m}` at `index`.
  mutating func parseBraces() throws(PatternError) -> (Int, Int?) {
    let open = index
    index += 1
    let low = try bound(open)
    var high: Int? = low
    if index < characters.count && characters[index] == "," {
      index += 1
      high = try bound(open)
    }
    guard index < characters.count && characters[index] == "}" else {
      throw error("`{` must start a repetition such as `{2}`, `{2,}`, `{,5}` or `{2,5}`", at: open)
    }
    index += 1
    guard low != nil || high != nil else { throw error("a repetition needs at least one bound", at: open) }
    let min = low ?? 0
    if let high, high < min { throw error("repetition `{\(min),\(high)}` has its bounds reversed", at: open) }
    return (min, high)
  }

  /// The decimal number at `index`, if any; at most `maxRepeat`.
  mutating func bound(_ open: Int) throws(PatternError) -> Int? {
    var value: Int? = nil
    while index < characters.count, characters[index].isASCII, let digit = characters[index].wholeNumberValue {
      let next = (value ?? 0) * 10 + digit
      value = next
      guard next <= PatternRegex.maxRepeat else {
        throw error("repetition count is larger than \(PatternRegex.maxRepeat)", at: open)
      }
      index += 1
    }
    return value
  }

  /// An escape at `index` (which holds `\`): a class shorthand, `\xhh`, or an escaped
  /// punctuation character taken literally.
  mutating func parseEscape() throws(PatternError) -> (ranges: [ClosedRange<UInt32>], negated: Bool) {
    let start = index
    index += 1
    guard index < characters.count else { throw error("`\\` at the end of the regex escapes nothing", at: start) }
    let c = characters[index]
    index += 1
    switch c {
    case "d": return (ScalarSet.digit, false)
    case "D": return (ScalarSet.digit, true)
    case "w": return (ScalarSet.word, false)
    case "W": return (ScalarSet.word, true)
    case "s": return (ScalarSet.space, false)
    case "S": return (ScalarSet.space, true)
    case "x":
      guard index + 1 < characters.count, let high = characters[index].hexDigitValue,
        let low = characters[index + 1].hexDigitValue
      else {
        throw error("`\\x` needs two hexadecimal digits", at: start)
      }
      index += 2
      let value = UInt32(high * 16 + low)
      return ([value...value], false)
    default:
      guard c.isASCII, c.isPunctuation || c.isSymbol else {
        throw error(
          "unsupported escape `\\\(c)` (supported: \\d \\D \\s \\S \\w \\W \\xhh and escaped punctuation)", at: start)
      }
      let value = c.scalarValue
      return ([value...value], false)
    }
  }

  /// A bracket class at `index` (which holds `[`).
  mutating func parseClass() throws(PatternError) -> ScalarSet {
    let open = index
    index += 1
    var negated = false
    if index < characters.count && characters[index] == "^" {
      negated = true
      index += 1
    }
    var ranges: [ClosedRange<UInt32>] = []
    var first = true
    while true {
      guard index < characters.count else { throw error("`[` is not closed by `]`", at: open) }
      let c = characters[index]
      if c == "]" && !first {
        index += 1
        break
      }
      first = false
      let itemStart = index
      // One member: a single scalar (possibly the start of a range) or a shorthand class.
      var low: UInt32
      if c == "\\" {
        let escape = try parseEscape()
        if escape.negated || escape.ranges.count != 1 || escape.ranges[0].count != 1 {
          ranges += escape.negated ? ScalarSet.complement(escape.ranges) : escape.ranges
          continue
        }
        low = escape.ranges[0].lowerBound
      } else {
        guard c == "]" || c == "^" || Self.isLiteral(c) || "$?[{}|*+.".contains(c) else {
          if c == "(" || c == ")" {
            throw error("`\(c)` is not supported in CloudWatch regexes, even in a class")
          }
          throw error("`\(c)` is not supported in CloudWatch regexes (allowed: \(Self.allowedList))")
        }
        low = c.scalarValue
        index += 1
      }
      // A range `a-z` (a `-` before `]` is literal).
      if index + 1 < characters.count && characters[index] == "-" && characters[index + 1] != "]" {
        index += 1
        let highCharacter = characters[index]
        var high: UInt32
        if highCharacter == "\\" {
          let escape = try parseEscape()
          guard !escape.negated, escape.ranges.count == 1, escape.ranges[0].count == 1 else {
            throw error("a class shorthand cannot end a range", at: itemStart)
          }
          high = escape.ranges[0].lowerBound
        } else {
          guard Self.isLiteral(highCharacter) || "^$?[{}|*+.]".contains(highCharacter) else {
            throw error("`\(highCharacter)` is not supported in CloudWatch regexes (allowed: \(Self.allowedList))")
          }
          high = highCharacter.scalarValue
          index += 1
        }
        guard low <= high else { throw error("range out of order in `[…]`", at: itemStart) }
        ranges.append(low...high)
      } else {
        ranges.append(low...low)
      }
    }
    return ScalarSet(ranges, negated: negated)
  }
}

extension Character {
  /// The first Unicode scalar's value (a regex atom is one scalar).
  var scalarValue: UInt32 { unicodeScalars.first.map(\.value) ?? 0 }
}
