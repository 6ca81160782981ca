// The cost of `%regex%` matching (issue 13): a counted repetition of a class is one instruction
// of the Pike VM (RegexProgram.swift), not unrolled, so a match costs at most 3 steps per
// instruction for each character of the value, whatever the counts; a regex has at most 256
// elements. The engine counts its steps, so the bound is tested without a clock. Random regexes
// are also checked against a backtracking matcher written here from docs/filter-language.md.
import Testing
import TrailQuery
import TrailTestSupport

/// The regex of `{ $.v = %source% }`.
func compiledRegex(_ source: String) throws -> PatternRegex? {
  guard case .pattern(let condition) = try FilterPattern.parse("{ $.v = %\(source)% }"),
    case .compare(_, .regex(let regex)) = condition.test
  else { return nil }
  return regex
}

/// The steps the engine takes to match `source` in `text`, and whether it matched.
func regexCost(_ source: String, _ text: String) throws -> (matched: Bool, steps: Int) {
  guard let regex = try compiledRegex(source) else {
    Issue.record("%\(source)% is not a regex")
    return (false, 0)
  }
  var steps = 0
  let matched = regex.matches(text, steps: &steps)
  return (matched, steps)
}

struct FilterPatternRegexCostTests {
  @Test func countedRepetitionCostsWhatAStarCosts() throws {
    // The issue's trap: 21 s on one 1 MB value with the Pike VM, which unrolled counts.
    let text = String(repeating: "a", count: 1 << 20)
    let counted = try regexCost("a{0,1000}b", text)
    let star = try regexCost("a*b", text)
    #expect(!counted.matched && !star.matched)
    // Two elements: at most 3 × 2 steps per position.
    #expect(counted.steps <= 6 * (text.count + 1), "\(counted.steps) steps")
    #expect(counted.steps <= 2 * star.steps, "\(counted.steps) against \(star.steps) for a*b")
    #expect(try regexCost("a{1000}", text).matched)
    #expect(try regexCost("^a{1000}a*$", text).matched)
  }

  @Test func theWorstAcceptedRegexIsBoundedByItsElements() throws {
    // 256 elements, every one entered at every position: the bound is reached, not passed.
    let text = String(repeating: "a", count: 2048)
    let worst = String(repeating: "a?", count: 128) + String(repeating: "a{0,1000}", count: 127) + "b"
    let cost = try regexCost(worst, text)
    #expect(!cost.matched)
    #expect(cost.steps <= 3 * 256 * (text.count + 1), "\(cost.steps) steps")
    #expect(cost.steps >= 256 * text.count, "\(cost.steps) steps: not every element was running")
    let digits = String(repeating: "7", count: 2048)
    let counts = try regexCost(String(repeating: "\\d{100,1000}", count: 255) + "x", digits)
    #expect(!counts.matched)
    #expect(counts.steps <= 3 * 256 * (digits.count + 1), "\(counts.steps) steps")
  }

  @Test func aRegexOfMoreThan256ElementsIsRejectedWithACaret() throws {
    #expect(try compiledRegex(String(repeating: "a", count: 256)) != nil)
    #expect(try compiledRegex(String(repeating: "[a-z]{2,1000}|", count: 254) + "^$") != nil)
    let pattern = "{ $.v = %" + String(repeating: "\\d{1,1000}", count: 256) + "x% }"
    let error = try #require(patternError(pattern))
    #expect(error.column == 10 + 10 * 256)
    #expect(error.message.hasPrefix("regex longer than 256 elements"))
    #expect(error.rendered(pattern: pattern).contains("^"))
  }

  @Test func aStartAnchoredRegexStopsWhenNothingCanMatch() throws {
    // Nothing left running after the first characters: the rest of the value is not read.
    let text = "x" + String(repeating: "a", count: 100_000)
    let cost = try regexCost("^a+b|^c", text)
    #expect(!cost.matched)
    #expect(cost.steps < 100)
  }

  @Test func randomRegexesAgreeWithABacktrackingMatcher() throws {
    var g = SplitMix64(seed: 20_261_130)
    var compared = 0
    var matched = 0
    for _ in 0..<4_000 {
      let regex = ReferenceRegex.random(&g)
      // An empty regex `%%` is an error of its own (FilterPatternErrorTests).
      guard !regex.source.isEmpty, let compiled = try compiledRegex(regex.source) else { continue }
      for _ in 0..<8 {
        let length = Int.random(in: 0...9, using: &g)
        let text = String((0..<length).map { _ in ReferenceRegex.alphabet.randomElement(using: &g) ?? "a" })
        let expected = regex.matches(Array(text.unicodeScalars))
        #expect(compiled.matches(text) == expected, "%\(regex.source)% on \(text.debugDescription)")
        compared += 1
        if expected { matched += 1 }
      }
    }
    // Both answers are common, so the comparison is not one-sided.
    #expect(matched > compared / 5 && matched < compared * 4 / 5, "\(matched) of \(compared) matched")
  }

  @Test func largeCountsAgreeWithABacktrackingMatcher() throws {
    // Counts from 64 up keep their positions in a ring rather than one word: both sides of
    // that line, at the edges of the counts, on runs of `a`.
    var g = SplitMix64(seed: 64)
    let counts: [(String, Int, Int?)] = [
      ("{63}", 63, 63), ("{64}", 64, 64), ("{65}", 65, 65), ("{63,64}", 63, 64), ("{64,66}", 64, 66),
      ("{0,65}", 0, 65), ("{64,}", 64, nil), ("{100,130}", 100, 130), ("{128}", 128, 128), ("{2,200}", 2, 200),
    ]
    let classes: [(String, @Sendable (Unicode.Scalar) -> Bool)] = [
      ("a", { $0 == "a" }), ("[ab]", { $0 == "a" || $0 == "b" }), (".", { $0 != "\n" }),
    ]
    var compared = 0
    var matched = 0
    for _ in 0..<300 {
      var items: [ReferenceRegex.Item] = []
      if Bool.random(using: &g) { items.append(.init(atom: .start)) }
      for _ in 0..<Int.random(in: 1...2, using: &g) {
        let (written, min, max) = counts[Int.random(in: 0..<counts.count, using: &g)]
        let (text, test) = classes[Int.random(in: 0..<classes.count, using: &g)]
        items.append(.init(atom: .set(text, test), min: min, max: max, quantifier: written))
      }
      if Bool.random(using: &g) { items.append(.init(atom: .set("b", { $0 == "b" }))) }
      if Bool.random(using: &g) { items.append(.init(atom: .end)) }
      let regex = ReferenceRegex(alternatives: [items])
      let compiled = try #require(try compiledRegex(regex.source))
      for _ in 0..<6 {
        // Runs of `a` around the counts, split by `b` or a newline.
        var text = ""
        for run in 0..<Int.random(in: 1...3, using: &g) {
          if run > 0 { text += Bool.random(using: &g) ? "b" : "\n" }
          text += String(repeating: "a", count: Int.random(in: 0...140, using: &g))
        }
        let expected = regex.matches(Array(text.unicodeScalars))
        #expect(compiled.matches(text) == expected, "%\(regex.source)% on \(text.debugDescription)")
        compared += 1
        if expected { matched += 1 }
      }
    }
    #expect(matched > compared / 5 && matched < compared * 4 / 5, "\(matched) of \(compared) matched")
  }
}

/// A regex of the CloudWatch subset built as data, with a backtracking matcher that follows the
/// documented semantics directly (exponential, fine for values of a few characters).
struct ReferenceRegex {
  enum Atom {
    case start, end
    case set(String, @Sendable (Unicode.Scalar) -> Bool)
  }
  struct Item {
    var atom: Atom
    var min = 1
    var max: Int? = 1
    var quantifier = ""
  }
  var alternatives: [[Item]]

  static let alphabet: [Character] = ["a", "b", "7", "\n", "-", "é"]
  static let atoms: [(String, @Sendable (Unicode.Scalar) -> Bool)] = [
    ("a", { $0 == "a" }), ("b", { $0 == "b" }), ("7", { $0 == "7" }), ("-", { $0 == "-" }),
    (".", { $0 != "\n" }), ("[ab]", { $0 == "a" || $0 == "b" }), ("[^a]", { $0 != "a" }),
    ("[a-c7]", { ("a"..."c").contains($0) || $0 == "7" }), ("\\d", { ("0"..."9").contains($0) }),
    ("\\D", { !("0"..."9").contains($0) }), ("\\w", { $0.isASCII && ($0.properties.isAlphabetic || $0 == "7") }),
    ("\\W", { !($0.isASCII && ($0.properties.isAlphabetic || $0 == "7")) }), ("\\s", { $0 == "\n" }),
    ("\\x0a", { $0 == "\n" }), ("\\-", { $0 == "-" }),
  ]
  static let quantifiers: [(String, Int, Int?)] = [
    ("", 1, 1), ("", 1, 1), ("", 1, 1), ("?", 0, 1), ("*", 0, nil), ("+", 1, nil), ("{2}", 2, 2), ("{0}", 0, 0),
    ("{1,}", 1, nil), ("{,2}", 0, 2), ("{1,3}", 1, 3), ("{2,3}?", 2, 3), ("*?", 0, nil), ("{3,}", 3, nil),
    ("{0,5}", 0, 5), ("{3,4}", 3, 4),
  ]

  static func random(_ g: inout SplitMix64) -> ReferenceRegex {
    var alternatives: [[Item]] = []
    for _ in 0..<Int.random(in: 1...3, using: &g) {
      var items: [Item] = []
      for _ in 0..<Int.random(in: 0...4, using: &g) {
        switch Int.random(in: 0..<12, using: &g) {
        case 0: items.append(Item(atom: .start))
        case 1: items.append(Item(atom: .end))
        default:
          let (text, test) = atoms[Int.random(in: 0..<atoms.count, using: &g)]
          let (written, min, max) = quantifiers[Int.random(in: 0..<quantifiers.count, using: &g)]
          items.append(Item(atom: .set(text, test), min: min, max: max, quantifier: written))
        }
      }
      alternatives.append(items)
    }
    return ReferenceRegex(alternatives: alternatives)
  }

  var source: String {
    alternatives.map { items in
      items.map { item in
        switch item.atom {
        case .start: return "^"
        case .end: return "$"
        case .set(let text, _): return text + item.quantifier
        }
      }.joined()
    }.joined(separator: "|")
  }

  func matches(_ text: [Unicode.Scalar]) -> Bool {
    alternatives.contains { items in
      var known: [Int: Bool] = [:]
      return (0...text.count).contains { match(items, 0, $0, text, &known) }
    }
  }

  /// Whether `items[index...]` match at `position`, remembered per (index, position) so that
  /// counts in the hundreds stay polynomial.
  private func match(
    _ items: [Item], _ index: Int, _ position: Int, _ text: [Unicode.Scalar], _ known: inout [Int: Bool]
  ) -> Bool {
    guard index < items.count else { return true }
    let key = index * (text.count + 1) + position
    if let answer = known[key] { return answer }
    let item = items[index]
    var answer = false
    switch item.atom {
    case .start: answer = position == 0 && match(items, index + 1, position, text, &known)
    case .end: answer = position == text.count && match(items, index + 1, position, text, &known)
    case .set(_, let test):
      var count = 0
      while true {
        if count >= item.min && match(items, index + 1, position + count, text, &known) {
          answer = true
          break
        }
        if let max = item.max, count >= max { break }
        guard position + count < text.count, test(text[position + count]) else { break }
        count += 1
      }
    }
    known[key] = answer
    return answer
  }
}
