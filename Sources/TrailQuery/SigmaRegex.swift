// Sigma's `|re` values: the PCRE subset the Sigma specification names (`.`, `^`, `$`, `* + ?
// {n,m}`, classes, groups, `|`) and what rules commonly add (`\d \w \s \b`, `\x..`, non-capturing
// and named groups, inline flags `(?i)`), with the `i`, `m` and `s` flags. Compiled to the Pike VM
// of RegexProgram.swift, so matching is linear in the value: constructs a Thompson machine cannot
// run in linear time (backreferences, lookaround, atomic groups, possessive quantifiers) and the
// rest of PCRE are rejected when the rule loads, by name, never silently mismatched.

/// A compiled Sigma regular expression, searched for anywhere in a value (unanchored, as PCRE's
/// search: anchor with `^`/`$`).
public struct SigmaRegex: Hashable, Sendable, CustomStringConvertible {
  /// The expression as written in the rule.
  public let source: String
  /// The flags from modifiers (`|re|i|m|s`).
  public let flags: Flags
  let program: RegexProgram

  /// The largest repetition count (`{n,m}`) accepted.
  static let maxRepeat = 1000
  /// Bound on the compiled size, so nested counted repetitions cannot blow up memory.
  static let maxProgram = 50_000

  /// Flags of the `re` modifier.
  public struct Flags: Hashable, Sendable {
    /// `i`: letters match either case.
    public var caseInsensitive = false
    /// `m`: `^` and `$` match at line starts and ends too.
    public var multiline = false
    /// `s`: `.` matches a newline too.
    public var dotAll = false

    /// No flags: case-sensitive, `^`/`$` at the text's ends, `.` stops at newlines.
    public init(caseInsensitive: Bool = false, multiline: Bool = false, dotAll: Bool = false) {
      self.caseInsensitive = caseInsensitive
      self.multiline = multiline
      self.dotAll = dotAll
    }
  }

  /// A regex that does not compile: what is wrong, and where (a scalar offset in the source).
  public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the construct.
    public let message: String
    /// Zero-based offset in the source's Unicode scalars.
    public let offset: Int

    /// `message (at character N)`.
    public var description: String { "\(message) (at character \(offset + 1))" }
  }

  /// Compiles `source` with `flags`; unsupported constructs are errors naming them.
  public init(_ source: String, flags: Flags = Flags()) throws(SigmaRegex.Error) {
    var parser = SigmaRegexParser(scalars: source.unicodeScalars.map(\.value), flags: flags)
    let tree = try parser.parse()
    guard let program = RegexProgram(tree, limit: Self.maxProgram) else {
      throw Error(message: "the regex is too large once its repetitions are expanded", offset: 0)
    }
    self.source = source
    self.flags = flags
    self.program = program
  }

  /// Whether the expression occurs in `text`.
  public func matches(_ text: String) -> Bool { program.matches(text.unicodeScalars.map(\.value)) }

  /// Whether the expression occurs in `text`; adds the matcher's steps to `steps` (at most
  /// 3 × instructions × (scalars + 1), RegexProgram.swift).
  package func matches(_ text: String, steps: inout Int) -> Bool {
    program.matches(text.unicodeScalars.map(\.value), steps: &steps)
  }

  /// The compiled program's size, which bounds the cost per scalar.
  package var instructionCount: Int { program.instructions.count }

  /// The source, with the flags as Sigma modifiers: `|re|i: 'source'`.
  public var description: String {
    var modifiers = "re"
    if flags.caseInsensitive { modifiers += "|i" }
    if flags.multiline { modifiers += "|m" }
    if flags.dotAll { modifiers += "|s" }
    return "|\(modifiers) '\(source)'"
  }

  /// Equal when the source and flags are (equivalent expressions spelled differently are not).
  public static func == (a: SigmaRegex, b: SigmaRegex) -> Bool { a.source == b.source && a.flags == b.flags }
  /// Hashes what `==` compares.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(source)
    hasher.combine(flags)
  }
}

/// Reads the PCRE subset into a tree; flags are applied while reading (`(?i)` changes how the
/// atoms after it are read), so the tree needs none.
struct SigmaRegexParser {
  let scalars: [UInt32]
  var flags: SigmaRegex.Flags
  var index = 0
  var depth = 0

  init(scalars: [UInt32], flags: SigmaRegex.Flags) {
    self.scalars = scalars
    self.flags = flags
  }

  func error(_ message: String, at position: Int? = nil) -> SigmaRegex.Error {
    SigmaRegex.Error(message: message, offset: position ?? index)
  }

  var atEnd: Bool { index >= scalars.count }
  func peek(_ ahead: Int = 0) -> UInt32? { index + ahead < scalars.count ? scalars[index + ahead] : nil }
  func isScalar(_ ahead: Int, _ character: Character) -> Bool { peek(ahead) == character.unicodeScalars.first?.value }

  mutating func parse() throws(SigmaRegex.Error) -> RegexTree {
    let tree = try parseAlternatives()
    if !atEnd { throw error("unbalanced `)`") }
    return tree
  }

  mutating func parseAlternatives() throws(SigmaRegex.Error) -> RegexTree {
    var branches: [RegexTree] = [try parseSequence()]
    while isScalar(0, "|") {
      index += 1
      branches.append(try parseSequence())
    }
    return branches.count == 1 ? branches[0] : .alternatives(branches)
  }

  mutating func parseSequence() throws(SigmaRegex.Error) -> RegexTree {
    var items: [RegexTree] = []
    while let c = peek(), c != 0x7C, c != 0x29 {  // `|`, `)`
      // Inline flags `(?i)` change the rest of the enclosing group.
      if c == 0x28, isScalar(1, "?"), let flagged = try inlineFlags() {
        flags = flagged
        continue
      }
      items.append(try parseQuantifiers(try parseAtom()))
    }
    return items.count == 1 ? items[0] : .sequence(items)
  }

  /// `(?flags)` at `index`: the new flags, consumed; nil when this is another `(?` group.
  mutating func inlineFlags() throws(SigmaRegex.Error) -> SigmaRegex.Flags? {
    var i = index + 2
    var on = true
    var result = flags
    while i < scalars.count {
      switch scalars[i] {
      case 0x29:  // `)`
        guard i > index + 2 else { return nil }
        index = i + 1
        return result
      case 0x69: result.caseInsensitive = on
      case 0x6D: result.multiline = on
      case 0x73: result.dotAll = on
      case 0x2D: on = false  // `-`
      default: return nil
      }
      i += 1
    }
    return nil
  }

  mutating func parseQuantifiers(_ atom: RegexTree) throws(SigmaRegex.Error) -> RegexTree {
    var tree = atom
    var quantified = false
    while let c = peek() {
      let start = index
      var bounds: (Int, Int?)
      switch c {
      case 0x2A:  // *
        bounds = (0, nil)
        index += 1
      case 0x2B:  // +
        bounds = (1, nil)
        index += 1
      case 0x3F:  // ?
        bounds = (0, 1)
        index += 1
      case 0x7B:  // {
        guard let braces = try countedRepetition() else { return tree }
        bounds = braces
      default:
        return tree
      }
      if quantified { throw error("a quantifier cannot follow another quantifier", at: start) }
      if case .check = tree { throw error("an anchor or assertion cannot be repeated", at: start) }
      quantified = true
      if isScalar(0, "+") { throw error("possessive quantifiers (`*+`, `++`, `?+`) are not supported") }
      // A lazy marker (`*?`) does not change whether a regex matches somewhere.
      if isScalar(0, "?") { index += 1 }
      tree = .repeated(tree, min: bounds.0, max: bounds.1)
    }
    return tree
  }

  /// `{n}`, `{n,}`, `{n,m}` or `{,m}` at `index`; nil (nothing consumed) when the brace starts
  /// no repetition, as PCRE then reads it literally.
  mutating func countedRepetition() throws(SigmaRegex.Error) -> (Int, Int?)? {
    let open = index
    var i = index + 1
    var tooLarge = false
    func number() -> Int? {
      var value: Int? = nil
      while i < scalars.count, (0x30...0x39).contains(scalars[i]) {
        value = Swift.min((value ?? 0) * 10 + Int(scalars[i] - 0x30), SigmaRegex.maxRepeat + 1)
        i += 1
      }
      if let value, value > SigmaRegex.maxRepeat { tooLarge = true }
      return value
    }
    let low = number()
    var high = low
    var comma = false
    if i < scalars.count, scalars[i] == 0x2C {  // ,
      comma = true
      i += 1
      high = number()
    }
    guard i < scalars.count, scalars[i] == 0x7D, low != nil || high != nil else { return nil }
    if tooLarge { throw error("repetition count larger than \(SigmaRegex.maxRepeat)", at: open) }
    index = i + 1
    let min = low ?? 0
    if let high, high < min { throw error("repetition `{\(min),\(high)}` has its bounds reversed", at: open) }
    return (min, comma && high == nil ? nil : high)
  }

  mutating func parseAtom() throws(SigmaRegex.Error) -> RegexTree {
    guard let c = peek() else { throw error("unexpected end of the regex") }
    switch c {
    case 0x28:  // (
      return try parseGroup()
    case 0x5B:  // [
      return .set(try parseClass(), folding: flags.caseInsensitive)
    case 0x2E:  // .
      index += 1
      return .set(flags.dotAll ? ScalarSet([0...0x10FFFF]) : ScalarSet([0x0A...0x0A], negated: true), folding: false)
    case 0x5E:  // ^
      index += 1
      return .check(flags.multiline ? .lineStart : .textStart)
    case 0x24:  // $
      index += 1
      return .check(flags.multiline ? .lineEnd : .textEndOrFinalNewline)
    case 0x5C:  // \
      return try parseEscape()
    case 0x2A, 0x2B, 0x3F:
      throw error("`\(Self.text(c))` has nothing to repeat")
    case 0x7B:  // { is literal unless it makes a repetition, which needs an atom before it
      if try countedRepetition() != nil { throw error("a repetition `{…}` has nothing to repeat") }
      index += 1
      return literal(c)
    default:
      index += 1
      return literal(c)
    }
  }

  func literal(_ scalar: UInt32) -> RegexTree { .set(.single(scalar), folding: flags.caseInsensitive) }

  static func text(_ scalar: UInt32) -> String { Unicode.Scalar(scalar).map { String(Character($0)) } ?? "?" }

  mutating func parseGroup() throws(SigmaRegex.Error) -> RegexTree {
    let open = index
    index += 1
    if isScalar(0, "?") {
      index += 1
      guard let kind = peek() else { throw error("`(?` at the end of the regex", at: open) }
      switch kind {
      case 0x3A: index += 1  // (?:
      case 0x3D, 0x21: throw error("lookahead `(?=…)`/`(?!…)` is not supported", at: open)
      case 0x3C:  // (?<name> or (?<= (?<!
        if isScalar(1, "=") || isScalar(1, "!") {
          throw error("lookbehind `(?<=…)`/`(?<!…)` is not supported", at: open)
        }
        try skipGroupName(closing: 0x3E, open: open)
      case 0x50:  // (?P<name>, (?P=name), (?P>name)
        guard isScalar(1, "<") else { throw error("backreferences and recursion `(?P…)` are not supported", at: open) }
        index += 1
        try skipGroupName(closing: 0x3E, open: open)
      case 0x27: try skipGroupName(closing: 0x27, open: open)  // (?'name'
      case 0x3E: throw error("atomic groups `(?>…)` are not supported", at: open)
      case 0x23: throw error("comments `(?#…)` are not supported", at: open)
      case 0x7C: throw error("branch reset groups `(?|…)` are not supported", at: open)
      default:
        // Scoped flags `(?i:…)`; bare `(?i)` was handled by the sequence.
        var i = index
        var on = true
        var scoped = flags
        while i < scalars.count, scalars[i] != 0x3A {
          switch scalars[i] {
          case 0x69: scoped.caseInsensitive = on
          case 0x6D: scoped.multiline = on
          case 0x73: scoped.dotAll = on
          case 0x2D: on = false
          default:
            throw error(
              "`(?\(Self.text(kind))` is not supported (supported: (?:…), named groups, (?ims-ims) flags)", at: open)
          }
          i += 1
        }
        guard i < scalars.count else { throw error("`(?` flags are not closed", at: open) }
        index = i + 1
        let saved = flags
        flags = scoped
        defer { flags = saved }
        return try groupBody(open: open)
      }
    }
    let saved = flags
    defer { flags = saved }
    return try groupBody(open: open)
  }

  mutating func groupBody(open: Int) throws(SigmaRegex.Error) -> RegexTree {
    depth += 1
    guard depth <= 100 else { throw error("groups nested more than 100 deep", at: open) }
    defer { depth -= 1 }
    let body = try parseAlternatives()
    guard isScalar(0, ")") else { throw error("`(` is not closed by `)`", at: open) }
    index += 1
    return body
  }

  /// A group name up to `closing` (at `index`, the opening `<` or `'`).
  mutating func skipGroupName(closing: UInt32, open: Int) throws(SigmaRegex.Error) {
    index += 1
    while let c = peek(), c != closing {
      guard ScalarSet.isWord(c) else { throw error("invalid group name", at: open) }
      index += 1
    }
    guard peek() == closing else { throw error("group name is not closed", at: open) }
    index += 1
  }

  /// An escape outside a class.
  mutating func parseEscape() throws(SigmaRegex.Error) -> RegexTree {
    let start = index
    index += 1
    guard let c = peek() else { throw error("`\\` at the end of the regex escapes nothing", at: start) }
    switch c {
    case 0x62:  // b
      index += 1
      return .check(.wordBoundary)
    case 0x42:  // B
      index += 1
      return .check(.notWordBoundary)
    case 0x41:  // A
      index += 1
      return .check(.textStart)
    case 0x7A:  // z
      index += 1
      return .check(.textEnd)
    case 0x5A:  // Z
      index += 1
      return .check(.textEndOrFinalNewline)
    default:
      let set = try classEscape(start: start, inClass: false)
      return .set(set, folding: flags.caseInsensitive)
    }
  }

  /// The set an escape stands for (`index` at the character after `\`), in or out of a class.
  mutating func classEscape(start: Int, inClass: Bool) throws(SigmaRegex.Error) -> ScalarSet {
    guard let c = peek() else { throw error("`\\` at the end of the regex escapes nothing", at: start) }
    index += 1
    switch c {
    case 0x64: return ScalarSet(ScalarSet.digit)  // d
    case 0x44: return ScalarSet(ScalarSet.digit, negated: true)
    case 0x77: return ScalarSet(ScalarSet.word)  // w
    case 0x57: return ScalarSet(ScalarSet.word, negated: true)
    case 0x73: return ScalarSet(ScalarSet.space)  // s
    case 0x53: return ScalarSet(ScalarSet.space, negated: true)
    case 0x68: return ScalarSet(Self.horizontalSpace)  // h
    case 0x48: return ScalarSet(Self.horizontalSpace, negated: true)
    case 0x76: return ScalarSet(Self.verticalSpace)  // v
    case 0x56: return ScalarSet(Self.verticalSpace, negated: true)
    case 0x6E: return .single(0x0A)  // n
    case 0x72: return .single(0x0D)  // r
    case 0x74: return .single(0x09)  // t
    case 0x66: return .single(0x0C)  // f
    case 0x65: return .single(0x1B)  // e
    case 0x61: return .single(0x07)  // a
    case 0x62 where inClass: return .single(0x08)  // [\b] is a backspace
    case 0x30:  // \0: NUL (octal digits after it are not supported)
      if let next = peek(), (0x30...0x37).contains(next) {
        throw error("octal escapes `\\0nn` are not supported (use \\xhh)", at: start)
      }
      return .single(0)
    case 0x78:  // x
      return .single(try hexEscape(start: start))
    case 0x31...0x39:
      throw error("backreferences `\\\(Self.text(c))` are not supported", at: start)
    default:
      if c < 0x80, !ScalarSet.isWord(c) { return .single(c) }  // escaped punctuation
      throw error(
        "unsupported escape `\\\(Self.text(c))` (supported: \\d \\D \\w \\W \\s \\S \\h \\v \\b \\B \\A \\z \\Z "
          + "\\n \\r \\t \\f \\e \\a \\0 \\xhh \\x{h…} and escaped punctuation)", at: start)
    }
  }

  /// `\xhh` or `\x{h…}` (`index` after the `x`).
  mutating func hexEscape(start: Int) throws(SigmaRegex.Error) -> UInt32 {
    func hex(_ c: UInt32?) -> UInt32? {
      guard let c else { return nil }
      switch c {
      case 0x30...0x39: return c - 0x30
      case 0x41...0x46: return c - 0x41 + 10
      case 0x61...0x66: return c - 0x61 + 10
      default: return nil
      }
    }
    if isScalar(0, "{") {
      var i = index + 1
      var value: UInt32 = 0
      var digits = 0
      while let d = hex(i < scalars.count ? scalars[i] : nil) {
        value = value &* 16 &+ d
        digits += 1
        i += 1
        guard digits <= 6 else { break }
      }
      guard digits > 0, digits <= 6, i < scalars.count, scalars[i] == 0x7D, value <= 0x10FFFF else {
        throw error("`\\x{…}` needs 1 to 6 hexadecimal digits naming a Unicode scalar", at: start)
      }
      index = i + 1
      return value
    }
    guard let high = hex(peek()), let low = hex(peek(1)) else {
      throw error("`\\x` needs two hexadecimal digits (or `\\x{…}`)", at: start)
    }
    index += 2
    return high * 16 + low
  }

  static let horizontalSpace: [ClosedRange<UInt32>] = [
    0x09...0x09, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x180E...0x180E, 0x2000...0x200A, 0x202F...0x202F,
    0x205F...0x205F, 0x3000...0x3000,
  ]
  static let verticalSpace: [ClosedRange<UInt32>] = [0x0A...0x0D, 0x85...0x85, 0x2028...0x2029]

  static let posixClasses: [String: [ClosedRange<UInt32>]] = [
    "alpha": [0x41...0x5A, 0x61...0x7A], "digit": ScalarSet.digit, "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
    "upper": [0x41...0x5A], "lower": [0x61...0x7A], "space": ScalarSet.space, "blank": [0x09...0x09, 0x20...0x20],
    "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66], "word": ScalarSet.word, "cntrl": [0...0x1F, 0x7F...0x7F],
    "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E], "print": [0x20...0x7E], "graph": [0x21...0x7E],
  ]

  /// A bracket class at `index` (which holds `[`).
  mutating func parseClass() throws(SigmaRegex.Error) -> ScalarSet {
    let open = index
    index += 1
    var negated = false
    if isScalar(0, "^") {
      negated = true
      index += 1
    }
    var ranges: [ClosedRange<UInt32>] = []
    var first = true
    while true {
      guard let c = peek() else { throw error("`[` is not closed by `]`", at: open) }
      if c == 0x5D && !first {  // ]
        index += 1
        break
      }
      first = false
      let itemStart = index
      // A POSIX class `[:name:]`.
      if c == 0x5B, isScalar(1, ":") {
        var i = index + 2
        var name = ""
        while i < scalars.count, scalars[i] != 0x3A {
          name += Self.text(scalars[i])
          i += 1
        }
        guard i + 1 < scalars.count, scalars[i + 1] == 0x5D else {
          throw error("`[:` starts a POSIX class that is not closed by `:]`", at: itemStart)
        }
        let posixNegated = name.hasPrefix("^")
        guard let members = Self.posixClasses[posixNegated ? String(name.dropFirst()) : name] else {
          throw error("unknown POSIX class `[:\(name):]`", at: itemStart)
        }
        ranges += posixNegated ? ScalarSet.complement(members) : members
        index = i + 2
        continue
      }
      var low: UInt32
      if c == 0x5C {
        index += 1
        let set = try classEscape(start: itemStart, inClass: true)
        if set.negated || set.ranges.count != 1 || set.ranges[0].count != 1 {
          ranges += set.negated ? ScalarSet.complement(set.ranges) : set.ranges
          continue
        }
        low = set.ranges[0].lowerBound
      } else {
        low = c
        index += 1
      }
      // A range `a-z` (a `-` before `]` is literal).
      if isScalar(0, "-"), let after = peek(1), after != 0x5D {
        index += 1
        var high: UInt32
        if after == 0x5C {
          let escapeStart = index
          index += 1
          let set = try classEscape(start: escapeStart, inClass: true)
          guard !set.negated, set.ranges.count == 1, set.ranges[0].count == 1 else {
            throw error("a class shorthand such as \\d cannot end a range", at: itemStart)
          }
          high = set.ranges[0].lowerBound
        } else {
          high = after
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
