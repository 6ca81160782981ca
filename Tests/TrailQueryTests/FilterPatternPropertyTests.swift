// Generated patterns, seeded so failures reproduce: printing a parsed pattern and parsing it again
// gives the same predicate, evaluation never traps, and arbitrary junk is rejected with a column
// inside the pattern (or one past its end).
import Testing
import TrailQuery
import TrailTestSupport

/// Pattern text for a predicate made by `FilterPattern.parse`, fully parenthesised.
func patternText(_ predicate: Predicate) -> String {
  switch predicate {
  case .and(let parts): return "(" + parts.map(patternText).joined(separator: " && ") + ")"
  case .or(let parts): return "(" + parts.map(patternText).joined(separator: " || ") + ")"
  case .pattern(let condition): return condition.description
  default: return "?"
  }
}

struct FilterPatternPropertyTests {
  static let selectors = [
    "$.a", "$.a.b", "$.a.b[0]", "$.a.b[*]", "$.a.b[4].c", "$.b[0].a", "$.b[*].a", "$.['e']", "$.n", "$.a.*",
    "$.missing.x",
  ]
  static let values = [
    "1", "-1.5e3", "0", "x", "\"x\"", "*", "\"*\"", "1*", "*x*", "\"a b\"", "%^x$%", "%\\d+%", "\"\"", "true", "é*",
    "\"quote\\\"d\"",
  ]
  static let ops = ["=", "!=", "<", ">", "<=", ">="]
  static let tests = ["IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"]

  static func condition(_ g: inout SplitMix64) -> String {
    let selector = selectors.randomElement(using: &g)!
    if Int.random(in: 0..<5, using: &g) == 0 { return selector + " " + tests.randomElement(using: &g)! }
    let op = ops.randomElement(using: &g)!
    let value =
      (op == "=" || op == "!=")
      ? values.randomElement(using: &g)! : ["1", "-1.5e3", "0", "+2", "3.25"].randomElement(using: &g)!
    return selector + " " + op + " " + value
  }

  static func expression(_ g: inout SplitMix64, depth: Int) -> String {
    if depth > 3 || Int.random(in: 0..<3, using: &g) == 0 { return condition(&g) }
    let count = Int.random(in: 2...3, using: &g)
    let joiner = Bool.random(using: &g) ? " && " : " || "
    let body = (0..<count).map { _ in expression(&g, depth: depth + 1) }.joined(separator: joiner)
    return Bool.random(using: &g) ? "(" + body + ")" : body
  }

  @Test func printedPatternsParseBackToTheSamePredicate() throws {
    var g = SplitMix64(seed: 20_240_514)
    let record = try view(#"{"a":{"b":[1,"x",null,true,{"c":2}]},"b":[{"a":"1"}],"e":"été","n":-1.5e3}"#)
    var selected = 0
    for _ in 0..<3_000 {
      // Keep within CloudWatch's limits of 3 wildcards and 2 regexes.
      let text = "{" + Self.expression(&g, depth: 0) + "}"
      let wildcards = text.components(separatedBy: "[*]").count - 1 + text.components(separatedBy: ".*").count - 1
      let regexes = (text.components(separatedBy: "%").count - 1) / 2
      guard wildcards <= 3 && regexes <= 2 else { continue }
      let parsed = try FilterPattern.parse(text)
      let again = try FilterPattern.parse("{" + patternText(parsed) + "}")
      #expect(parsed == again, "\(text)")
      #expect(parsed.evaluate(record) == again.evaluate(record), "\(text)")
      if parsed.evaluate(record) { selected += 1 }
    }
    #expect(selected > 100)
  }

  @Test func junkIsRejectedWithAColumnInsideThePattern() {
    let pieces = [
      "{", "}", "(", ")", "$", ".", "a", "[", "]", "*", "'", "0", "-", "e", "=", "!", "<", ">", "&&", "||", "&", "|",
      " ", "\"", "\\", "%", "^", "{2,", "IS", "NOT", "NULL", "EXISTS", "x.y", "é", "\n", "\t", "[*]", ".*", "$.a",
      "\\d", "[^", "+", "?",
    ]
    var g = SplitMix64(seed: 7)
    var rejected = 0
    for _ in 0..<20_000 {
      var text = (0..<Int.random(in: 1...12, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
      if Bool.random(using: &g) { text = "{ " + text + " }" }
      do {
        _ = try FilterPattern.parse(text)
      } catch {
        #expect(error.column >= 1 && error.column <= text.count + 1, "\(text): \(error)")
        #expect(error.rendered(pattern: text).contains("^"))
        rejected += 1
      }
    }
    // Nearly all junk is rejected (19 999 of the 20 000 with this seed), so the checks above ran.
    #expect(rejected > 19_000, "only \(rejected) of 20 000 rejected")
  }
}
