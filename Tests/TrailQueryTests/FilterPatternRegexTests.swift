// The `%regex%` subset of CloudWatch filter patterns, matched by our own engine: anchors,
// alternation, classes, shorthands, repetition bounds, escapes, and linear time on hostile input.
import Testing
import TrailQuery

/// Whether `%regex%` occurs in `text`, through a whole pattern on a one-field record.
func regexFinds(_ regex: String, in text: String) throws -> Bool {
  var escaped = ""
  for c in text {
    if c == "\n" {
      escaped += "\\n"
      continue
    }
    if c == "\"" || c == "\\" { escaped.append("\\") }
    escaped.append(c)
  }
  return try selects("{ $.v = %\(regex)% }", "{\"v\":\"\(escaped)\"}")
}

struct FilterPatternRegexTests {
  @Test(arguments: [
    // Found anywhere unless anchored.
    ("Bucket", "PutBucketPolicy", true), ("^Put", "PutBucketPolicy", true), ("^Bucket", "PutBucketPolicy", false),
    ("Policy$", "PutBucketPolicy", true), ("Put$", "PutBucketPolicy", false),
    ("^PutBucketPolicy$", "PutBucketPolicy", true),
    ("^$", "", true), ("^$", "x", false), ("x", "", false),
    // Alternation splits the whole regex (there are no groups).
    ("gray|grey", "greyhound", true), ("^Get|Policy$", "PutBucketPolicy", true),
    ("^Get|^Put$", "PutBucketPolicy", false),
    ("a|", "zzz", true),
    // Repetition.
    ("colou?r", "color", true), ("colou?r", "colour", true), ("colou?r", "colouur", false),
    ("^ab*c$", "ac", true), ("^ab*c$", "abbbc", true), ("^ab+c$", "ac", false), ("^ab+c$", "abc", true),
    ("^a{3}$", "aaa", true), ("^a{3}$", "aa", false), ("^a{3}$", "aaaa", false),
    ("^a{2,}$", "a", false), ("^a{2,}$", "aaaaa", true), ("^a{,2}$", "", true), ("^a{,2}$", "aa", true),
    ("^a{,2}$", "aaa", false),
    ("^a{1,3}b$", "aaab", true), ("^a{1,3}b$", "aaaab", false), ("^a{0}b$", "b", true),
    ("^a*?b$", "aab", true), ("^a+?$", "aa", true),
    // Any character, classes and shorthands.
    ("^...$", "abc", true), ("^...$", "ab", false), ("^.$", "é", true), ("a.c", "a\nc", false),
    ("^[A-Z][a-z]+$", "Delete", true), ("^[A-Z][a-z]+$", "delete", false), ("[^a-z]", "abc", false),
    ("[^a-z]", "abC", true),
    ("^[a-c-]+$", "a-b-c", true), ("^[]a]+$", "]a]", true), ("[.]", "a.b", true), ("[.]", "ab", false),
    ("^[*+?]+$", "*+?", true),
    ("^\\d{12}$", "123456789012", true), ("^\\d{12}$", "12345678901", false), ("\\D", "123", false),
    ("\\D", "12a", true),
    ("^\\w+$", "user_1", true), ("^\\w+$", "user-1", false), ("\\W", "user_1", false), ("\\W", "user-1", true),
    ("\\s", "two words", true), ("\\s", "oneword", false), ("^\\S+$", "oneword", true),
    ("^[\\d\\s]+$", "1 2 3", true), ("^[\\d\\s]+$", "1 2 x", false), ("^[\\D]+$", "abc", true),
    ("^[^\\d]+$", "ab1", false),
    ("^\\x41\\x2d$", "A-", true), ("[\\x30-\\x39]", "x7", true),
    // Escaped operators and punctuation are literal.
    ("^10\\.0\\.0\\.1$", "10.0.0.1", true), ("^10\\.0\\.0\\.1$", "10x0x0x1", false), ("^a\\*$", "a*", true),
    ("\\[\\]", "[]", true),
    ("\\%", "100%", true), ("\\(x\\)", "(x)", true),
    // Supported symbols.
    ("^arn:aws:iam::\\d+:root$", "arn:aws:iam::123456789012:root", true),
    ("user@example\\.com", "user@example.com", true),
    ("^a_b#c=d/e;f,g-h$", "a_b#c=d/e;f,g-h", true),
    // Case-sensitive.
    ("deny", "AccessDenied", false), ("Denied", "AccessDenied", true),
  ])
  func matches(_ regex: String, _ text: String, _ expected: Bool) throws {
    #expect(try regexFinds(regex, in: text) == expected, "%\(regex)% on \(text)")
  }

  @Test func notEqualWithARegex() throws {
    let record = #"{"eventName":"GetObject","n":404}"#
    #expect(try selects("{ $.eventName != %^Get% }", record) == false)
    #expect(try selects("{ $.eventName != %^Put% }", record))
    #expect(try selects("{ $.n = %^4\\d\\d$% }", record))
    #expect(try !selects("{ $.missing != %x% }", record))
  }

  @Test func linearTimeOnHostileInput() throws {
    // A backtracking matcher takes exponential time here; ours is linear.
    let text = String(repeating: "a", count: 20_000)
    #expect(try !regexFinds("a*a*a*a*a*a*a*a*a*a*b", in: text))
    #expect(try regexFinds("^a{1000}a*$", in: text))
    #expect(try !regexFinds("^a{1000}a*b$", in: text))
  }

  @Test func regexesAreDataWithTheirSource() throws {
    guard case .pattern(let c) = try FilterPattern.parse("{ $.a = %^Put\\w+% }"),
      case .compare(_, .regex(let r)) = c.test
    else {
      Issue.record("expected a regex")
      return
    }
    #expect(r.source == "^Put\\w+")
    #expect(r.description == "%^Put\\w+%")
    #expect(r.matches("PutObject") && !r.matches("Put") && !r.matches("GetPut"))
  }
}
