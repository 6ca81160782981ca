// Sigma's `|re` runs on the same Pike VM as CloudWatch's `%regex%` (RegexProgram.swift): a
// counted repetition of one class is one instruction, so its cost does not grow with the counts,
// and repeated groups are expanded under a size cap. Checked here by counting steps, and against
// ICU's regex engine (NSRegularExpression) on random expressions with groups and counts.
import Foundation
import Testing
import TrailQuery
import TrailTestSupport

struct SigmaRegexCostTests {
  @Test func countedClassesCostWhatAStarCosts() throws {
    let text = String(repeating: "a", count: 1 << 20)
    var counted = 0
    var star = 0
    #expect(try !SigmaRegex("a{0,1000}b").matches(text, steps: &counted))
    #expect(try !SigmaRegex("a*b").matches(text, steps: &star))
    #expect(counted <= 2 * star, "\(counted) steps against \(star) for a*b")
    let folded = try SigmaRegex("(?i)[A-Z]{3,900}\\d{1000}x")
    var steps = 0
    #expect(!folded.matches(text, steps: &steps))
    #expect(steps <= 3 * folded.instructionCount * (text.unicodeScalars.count + 1), "\(steps) steps")
    #expect(try SigmaRegex("^a{1000}a*$").matches(text))
  }

  @Test func everyProgramStaysWithinItsBound() throws {
    // Groups are expanded, classes are not: the bound is per instruction of what compiled.
    let text = String(repeating: "ab", count: 4096)
    for source in ["(ab){0,300}c", "(a|b){2,200}(ab)+x", "((a{1,9})b?){50}z", "\\b(a[ab]{0,999}b)+\\B$"] {
      let regex = try SigmaRegex(source)
      var steps = 0
      _ = regex.matches(text, steps: &steps)
      #expect(steps <= 3 * regex.instructionCount * (text.count + 1), "\(source): \(steps) steps")
    }
  }

  @Test func aStartAnchoredRegexStopsWhenNoThreadIsLeft() throws {
    let text = "x" + String(repeating: "a", count: 100_000)
    var steps = 0
    #expect(try !SigmaRegex("^a+b|^c").matches(text, steps: &steps))
    #expect(steps < 100)
    // With `m`, `^` may hold later: the search goes on.
    #expect(try SigmaRegex("^ab", flags: .init(multiline: true)).matches("x\nab"))
  }

  @Test func randomRegexesAgreeWithICU() throws {
    // Short texts: ICU backtracks, and nested repetitions would take it exponential time.
    var g = SplitMix64(seed: 13_2026)
    var compared = 0
    var matched = 0
    for _ in 0..<1_500 {
      let source = RandomSigmaRegex.make(&g, depth: 0)
      guard let ours = try? SigmaRegex(source) else { continue }
      let icu = try NSRegularExpression(pattern: source)
      for _ in 0..<6 {
        let text = RandomSigmaRegex.text(&g, length: Int.random(in: 0...12, using: &g))
        let expected = icu.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        #expect(ours.matches(text) == expected, "\(source) on \(text)")
        compared += 1
        if expected { matched += 1 }
      }
    }
    #expect(compared > 5_000)
    #expect(matched > compared / 5 && matched < compared * 4 / 5, "\(matched) of \(compared) matched")
  }

  @Test func largeCountsAgreeWithICU() throws {
    // Counts on both sides of the ring sizes, on long texts, without nesting (so ICU is quick).
    var g = SplitMix64(seed: 64)
    let counts = ["{63}", "{64}", "{65}", "{63,64}", "{64,66}", "{0,65}", "{64,}", "{100,130}", "{2,200}", "{1000}"]
    var compared = 0
    var matched = 0
    for _ in 0..<300 {
      var source = Bool.random(using: &g) ? "^" : ""
      for _ in 0..<Int.random(in: 1...2, using: &g) {
        source += (["a", "[ab]", ".", "(?i:A)"].randomElement(using: &g) ?? "a")
        source += counts.randomElement(using: &g) ?? "{64}"
      }
      if Bool.random(using: &g) { source += "b" }
      if Bool.random(using: &g) { source += "$" }
      let ours = try SigmaRegex(source)
      let icu = try NSRegularExpression(pattern: source)
      for _ in 0..<4 {
        let run = Int.random(in: 50...260, using: &g)
        let text =
          RandomSigmaRegex.text(&g, length: Int.random(in: 0...3, using: &g)) + String(repeating: "a", count: run)
          + RandomSigmaRegex.text(&g, length: Int.random(in: 0...3, using: &g))
        let expected = icu.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        #expect(ours.matches(text) == expected, "\(source) on \(text.count) scalars")
        compared += 1
        if expected { matched += 1 }
      }
    }
    #expect(matched > compared / 10 && matched < compared * 9 / 10, "\(matched) of \(compared) matched")
  }
}

/// Random expressions over `a` and `b` with groups, alternation, classes, anchors and counts. A
/// group that can match the empty text is not repeated: ICU and PCRE disagree on such loops
/// (ICU finds no match for `a{1,9}(a?){1,9}a{2}` in `aaaa`; PCRE, Python and we do).
enum RandomSigmaRegex {
  static func make(_ g: inout SplitMix64, depth: Int) -> String { sequence(&g, depth: depth).source }

  static func sequence(_ g: inout SplitMix64, depth: Int) -> (source: String, nullable: Bool) {
    var out = ""
    var nullable = true
    if depth == 0 && Int.random(in: 0..<4, using: &g) == 0 { out += "^" }
    for _ in 0..<Int.random(in: 1...3, using: &g) {
      var atom: String
      var atomNullable = false
      switch Int.random(in: 0..<(depth < 2 ? 6 : 4), using: &g) {
      case 0, 1: atom = ["a", "b"].randomElement(using: &g) ?? "a"
      case 2: atom = ["[ab]", ".", "[^b]"].randomElement(using: &g) ?? "."
      case 3: atom = "a"
      default:
        let inner = sequence(&g, depth: depth + 1)
        if Bool.random(using: &g) {
          atom = "(\(inner.source))"
          atomNullable = inner.nullable
        } else {
          let other = sequence(&g, depth: depth + 1)
          atom = "(\(inner.source)|\(other.source))"
          atomNullable = inner.nullable || other.nullable
        }
      }
      let quantifiers =
        atomNullable
        ? ["", "?"] : ["", "", "?", "*", "+", "{2}", "{0,3}", "{2,5}", "{3,}", "{1,9}", "{0,2}"]
      let quantifier = quantifiers.randomElement(using: &g) ?? ""
      atom += quantifier
      if !(atomNullable || ["?", "*", "{0,3}", "{0,2}"].contains(quantifier)) { nullable = false }
      out += atom
    }
    if depth == 0 && Int.random(in: 0..<4, using: &g) == 0 { out += "$" }
    return (out, nullable)
  }

  /// `length` random scalars, mostly `a`.
  static func text(_ g: inout SplitMix64, length: Int) -> String {
    String((0..<length).map { _ in "aab".randomElement(using: &g) ?? "a" })
  }
}
