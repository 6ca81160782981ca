// The `%regex%` values of filter patterns, in CloudWatch's documented subset (no groups, ASCII
// only), matched by the Pike VM of RegexProgram.swift: TrailQuery does not import Foundation, and
// a Thompson-style matcher runs in time linear in the value whatever the pattern. Without groups
// every counted repetition is of one class, one instruction whatever its counts, so a regex of at
// most 256 elements costs at most a few steps per element for each scalar of the value.

/// A compiled CloudWatch regex: found anywhere in the value unless anchored with `^` / `$`.
public struct PatternRegex: Hashable, Sendable, CustomStringConvertible {
  /// The expression between the `%` signs, as written.
  public let source: String
  let program: RegexProgram

  /// The largest repetition count CloudWatch-style engines accept (RE2's limit).
  static let maxRepeat = 1000
  /// Bound on the compiled size (a regex of `maxElements` compiles to far fewer).
  static let maxProgram = 20_000
  /// The most elements (characters, classes, `.`, anchors, each with its repetition) a regex
  /// may have: a match costs at most a few steps per element for each scalar of the value.
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
    let tree = RegexTree.alternatives(
      alternatives.map { items in
        .sequence(
          items.map { item in
            switch item.atom {
            case .start: .check(.textStart)
            case .end: .check(.textEnd)
            case .set(let set): .repeated(.set(set, folding: false), min: item.min, max: item.max)
            }
          })
      })
    guard let program = RegexProgram(tree, limit: Self.maxProgram) else {
      throw PatternError(column: column, message: "regex is too large once its repetitions are expanded")
    }
    self.source = String(source)
    self.program = program
  }

  /// Whether the expression occurs in `text`.
  public func matches(_ text: String) -> Bool {
    program.matches(text.unicodeScalars.map(\.value))
  }

  /// Whether the expression occurs in `text`; adds the steps the matcher took to `steps` (at most
  /// 3 × instructions × (scalars + 1), RegexProgram.swift), so tests bound the cost without a clock.
  package func matches(_ text: String, steps: inout Int) -> Bool {
    program.matches(text.unicodeScalars.map(\.value), steps: &steps)
  }

  /// The compiled program's size, which bounds the cost per scalar.
  package var instructionCount: Int { program.instructions.count }
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
    var elements = 0
    while index < characters.count {
      let c = characters[index]
      if !"|?*+{".contains(c) {
        elements += 1
        guard elements <= PatternRegex.maxElements else {
          throw error(
            "regex longer than \(PatternRegex.maxElements) elements (characters, classes, anchors): each costs "
              + "a step per character of the value")
        }
      }
      switch c {
      case "|":
        alternatives.append([])
        index += 1
      case "?", "*", "+", "{":
        try applyQuantifier(to: &alternatives[alternatives.count - 1])
      case "(", ")":
        throw error("groups `( )` are not supported in CloudWatch regexes")
      case "^":
        alternatives[alternatives.count - 1].append(RegexItem(atom: .start))
        index += 1
      case "$":
        alternatives[alternatives.count - 1].append(RegexItem(atom: .end))
        index += 1
      case ".":
        alternatives[alternatives.count - 1].append(RegexItem(atom: .set(ScalarSet([0x0A...0x0A], negated: true))))
        index += 1
      case "[":
        alternatives[alternatives.count - 1].append(RegexItem(atom: .set(try parseClass())))
      case "\\":
        let ranges = try parseEscape()
        alternatives[alternatives.count - 1].append(
          RegexItem(atom: .set(ScalarSet(ranges.ranges, negated: ranges.negated))))
      default:
        guard Self.isLiteral(c) || c == "]" || c == "}" else {
          throw error("`\(c)` is not supported in CloudWatch regexes (allowed: \(Self.allowedList))")
        }
        alternatives[alternatives.count - 1].append(RegexItem(atom: .set(.single(c.scalarValue))))
        index += 1
      }
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
