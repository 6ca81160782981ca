// Regressions found while fuzzing the `--where` language (docs/robustness.md, "Findings"): each
// test names the finding it pins.
import Testing
import TrailQuery

struct FuzzRegressionTests {
  @Test("fuzz 1: numbers with exponents beyond a billion still compare exactly")
  func hugeExponentsCompareExactly() throws {
    // 1e1000000005 > 1e1000000000, and 0.00001e1000000004 is exactly 1e999999999; the exact
    // decimal comparison saturated written exponents at 10^9, so both came out wrong.
    let record = try view(#"{"n":1e1000000005,"k":0.00001e1000000004}"#)
    let equalLarger = try FilterPattern.parse("{ $.n = 1e1000000000 }")
    let greater = try FilterPattern.parse("{ $.n > 1e1000000000 }")
    let equalShifted = try FilterPattern.parse("{ $.k = 1e999999999 }")
    #expect(!equalLarger.evaluate(record))
    #expect(greater.evaluate(record))
    #expect(equalShifted.evaluate(record))
    #expect(try FilterPattern.parse("{ $.n > 1e999999999 }").evaluate(record))
    #expect(try FilterPattern.parse("{ $.k < 1e1000000000 }").evaluate(record))
  }
}
