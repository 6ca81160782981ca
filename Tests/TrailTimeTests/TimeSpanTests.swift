// TimeSpan: the relative durations of `--since 24h` / `--every 15m`, accepted forms, their
// canonical text, and the inputs that must be rejected.

import Testing
import TrailTime

@Suite struct TimeSpanTests {
  @Test(arguments: [
    ("90s", 90), ("90m", 5_400), ("24h", 86_400), ("7d", 604_800), ("2w", 1_209_600),
    ("1h30m", 5_400), ("1d12h", 129_600), ("1w2d3h4m5s", 788_645), ("0s", 0), ("0m", 0),
    ("-1h", -3_600), ("+15m", 900), ("-1h30m", -5_400), ("007d", 604_800),
  ])
  func accepts(text: String, seconds: Int64) {
    #expect(TimeSpan.parse(text) == TimeSpan(seconds: seconds), "\(text)")
  }

  @Test(arguments: [
    "", "-", "+", "90", "h", "1x", "1H", "1D", "1M", "1h 30m", " 1h", "1h ", "30m1h", "1h1h",
    "1s1s", "1.5h", "1h-30m", "--1h", "+-1h", "1h30", "1y", "1mo", "1ms", "9223372036854775808s",
    "15250284452472w", "9223372036854775807s1s", "١h",
  ])
  func rejects(text: String) {
    #expect(TimeSpan.parse(text) == nil, "\(text)")
  }

  @Test func largestFittingValue() {
    #expect(TimeSpan.parse("9223372036854775807s")?.seconds == Int64.max)
  }

  @Test func canonicalDescription() {
    #expect(TimeSpan(seconds: 5_400).description == "1h30m")
    #expect(TimeSpan(seconds: 0).description == "0s")
    #expect(TimeSpan(seconds: -172_800).description == "-2d")
    #expect(TimeSpan(seconds: 788_645).description == "1w2d3h4m5s")
    for text in ["90s", "2w", "1d12h", "-3h7s"] {
      let span = TimeSpan.parse(text)!
      #expect(TimeSpan.parse(span.description) == span)
    }
  }

  @Test func ordering() {
    #expect(TimeSpan.parse("59m")! < TimeSpan.parse("1h")!)
  }
}
