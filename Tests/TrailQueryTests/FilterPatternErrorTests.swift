// Syntax errors of the `--where` language: each names the exact column (1-based, in characters)
// and renders as the pattern with a caret under it, which is what the command prints.
import Testing
import TrailQuery

/// The error `pattern` is rejected with; records an issue when it parses.
func patternError(_ pattern: String) -> PatternError? {
  do {
    let parsed = try FilterPattern.parse(pattern)
    Issue.record("\(pattern) parsed as \(parsed)")
    return nil
  } catch {
    return error
  }
}

struct FilterPatternErrorTests {
  @Test(arguments: [
    ("", 1, "empty pattern; expected a JSON filter pattern such as `{ $.eventName = \"ConsoleLogin\" }`"),
    ("   ", 4, "empty pattern; expected a JSON filter pattern such as `{ $.eventName = \"ConsoleLogin\" }`"),
    ("$.a = 1", 1, "only JSON filter patterns `{ … }` are supported, such as `{ $.eventName = \"ConsoleLogin\" }`"),
    ("ERROR", 1, "only JSON filter patterns `{ … }` are supported, such as `{ $.eventName = \"ConsoleLogin\" }`"),
    (
      "[ip, user, status_code = 4*]", 1,
      "space-delimited patterns `[…]` are not supported: CloudTrail events are JSON; use `{ $.field = value }`"
    ),
    ("%AUTHORIZED%", 1, "a standalone regex is not supported; compare a field instead: `{ $.field = %regex% }`"),
    ("{ $.eventName = }", 17, "expected a value after `=`"),
    ("{ $.a = 1", 10, "the pattern ends before its closing `}`"),
    ("{ ($.a = 1 }", 12, "missing `)` to close the `(` at column 3"),
    ("{ $.a = 1 )", 11, "`)` closes nothing here; expected `}`"),
    ("{ $.a = 1 } x", 13, "unexpected text after the closing `}`"),
    ("{ }", 3, "expected a condition such as `$.eventName = \"ConsoleLogin\"`"),
    ("{ $.a = 1 || }", 14, "expected a condition such as `$.eventName = \"ConsoleLogin\"`"),
    ("{ () }", 4, "expected a condition such as `$.eventName = \"ConsoleLogin\"`"),
    ("{ $.a == 1 }", 7, "`==` is not an operator; use `=`"),
    ("{ $.a = 1 & $.b = 2 }", 11, "expected `&&`"),
    ("{ $.a = 1 | $.b = 2 }", 11, "expected `||`"),
    ("{ $.a = 1 $.b = 2 }", 11, "expected `&&`, `||` or `}`"),
    ("{ $.a <> 1 }", 7, "unknown operator; use `!=`, `<=` or `>=`"),
    ("{ $.a ! 1 }", 7, "expected `!=` (there is no `!` negation; use `!=` or `NOT EXISTS`)"),
    ("{ !($.a = 1) }", 3, "there is no `!` negation; use `!=` or `NOT EXISTS`"),
    ("{ eventName = 1 }", 3, "expected a condition starting with a selector such as `$.eventName`"),
    ("{ $ = 1 }", 4, "expected a field after `$`, such as `$.eventName`"),
    ("{ $. = 1 }", 5, "expected a field name after `.` (other characters need `.['name']`)"),
    ("{ $.a[x] = 1 }", 6, "expected an array index `[0]`, `[*]` or a quoted name `['name']`"),
    ("{ $.a[1 = 1 }", 6, "expected an array index `[0]`, `[*]` or a quoted name `['name']`"),
    ("{ $.['a.b = 1 }", 5, "`['` is not closed by `']`"),
    ("{ $.a:b = 1 }", 6, "`:` cannot appear in a field name; quote the name: `$.['name']`"),
    ("{ $.a IS NOT NULL }", 7, "`IS NOT` is not supported; use `NOT EXISTS`, or `!=` for a value"),
    ("{ $.a IS null }", 10, "keywords are upper case: `IS NULL`, `IS TRUE`, `IS FALSE`"),
    ("{ $.a is null }", 7, "keywords are upper case: `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`"),
    ("{ $.a IS EMPTY }", 10, "expected `NULL`, `TRUE` or `FALSE` after `IS`"),
    ("{ $.a NOT NULL }", 11, "expected `EXISTS` after `NOT`"),
    ("{ $.a EXISTS }", 7, "`EXISTS` is not supported, only `NOT EXISTS`; `= *` matches any string or number"),
    (
      "{ $.a ~ 1 }", 7,
      "expected an operator (`=`, `!=`, `<`, `>`, `<=`, `>=`), `IS NULL`, `IS TRUE`, `IS FALSE` or `NOT EXISTS`"
    ),
    (
      "{ $.a }", 7,
      "expected an operator (`=`, `!=`, `<`, `>`, `<=`, `>=`), `IS NULL`, `IS TRUE`, `IS FALSE` or `NOT EXISTS`"
    ),
    (#"{ $.a < "x" }"#, 9, #"`<` compares numbers; "x" is not a number"#),
    ("{ $.a >= 1.2.3 }", 10, "`>=` compares numbers; 1.2.3 is not a number"),
    ("{ $.a > 1* }", 9, "`>` compares numbers; 1* is not a number"),
    ("{ $.a = =1 }", 9, "a value cannot start with `=`; quote it if it is text"),
    (#"{ $.a = "abc }"#, 9, "string is not closed by `\"`"),
    ("{ $.a = %abc }", 9, "regex is not closed by `%`"),
    ("{ $.a < %abc% }", 7, "a regex works only with `=` and `!=`"),
    ("{ $.a[*].b[*] = 1 }", 11, "CloudWatch allows one wildcard (`[*]` or `.*`) per selector"),
    ("{ $.a.*.b.* = 1 }", 10, "CloudWatch allows one wildcard (`[*]` or `.*`) per selector"),
    (
      "{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 || $.d[*] = 1 }", 47,
      "CloudWatch allows at most 3 wildcards (`[*]`, `.*`) in a pattern"
    ),
    ("{ $.a = %x% || $.b = %y% || $.c != %z% }", 33, "CloudWatch allows at most 2 regexes in a pattern"),
    ("{ $.a[9999999999] = 1 }", 7, "array index is too large"),
  ])
  func columnAndMessage(_ pattern: String, _ column: Int, _ message: String) {
    guard let error = patternError(pattern) else { return }
    #expect(error == PatternError(column: column, message: message), "\(pattern)")
  }

  @Test(arguments: [
    ("{ $.a = %a(b)% }", 11, "groups `( )` are not supported in CloudWatch regexes"),
    (
      "{ $.a = %something!% }", 19,
      "`!` is not supported in CloudWatch regexes (allowed: letters, digits, the symbols _ # = @ / ; , - : and the operators ^ $ ? [ ] { } | \\ * + .)"
    ),
    (
      "{ $.a = %a b% }", 11,
      "` ` is not supported in CloudWatch regexes (allowed: letters, digits, the symbols _ # = @ / ; , - : and the operators ^ $ ? [ ] { } | \\ * + .)"
    ),
    ("{ $.a = %é% }", 10, "multi-byte characters are not supported in CloudWatch regexes"),
    ("{ $.a = %% }", 10, "empty regex `%%`"),
    ("{ $.a = %*a% }", 10, "`*` has nothing to repeat"),
    ("{ $.a = %a|+% }", 12, "`+` has nothing to repeat"),
    ("{ $.a = %a**% }", 12, "`*` cannot follow another repetition"),
    ("{ $.a = %^*% }", 11, "an anchor cannot be repeated"),
    ("{ $.a = %a{2,1}% }", 11, "repetition `{2,1}` has its bounds reversed"),
    ("{ $.a = %a{1001}% }", 11, "repetition count is larger than 1000"),
    ("{ $.a = %a{}% }", 11, "a repetition needs at least one bound"),
    ("{ $.a = %a{,}% }", 11, "a repetition needs at least one bound"),
    ("{ $.a = %a{x}% }", 11, "`{` must start a repetition such as `{2}`, `{2,}`, `{,5}` or `{2,5}`"),
    ("{ $.a = %[ab% }", 10, "`[` is not closed by `]`"),
    ("{ $.a = %[z-a]% }", 11, "range out of order in `[…]`"),
    (
      "{ $.a = %\\q% }", 10,
      "unsupported escape `\\q` (supported: \\d \\D \\s \\S \\w \\W \\xhh and escaped punctuation)"
    ),
    ("{ $.a = %\\x4% }", 10, "`\\x` needs two hexadecimal digits"),
    ("{ $.a = %ab\\% }", 9, "regex is not closed by `%`"),
  ])
  func regexErrorsPointIntoTheRegex(_ pattern: String, _ column: Int, _ message: String) {
    guard let error = patternError(pattern) else { return }
    #expect(error == PatternError(column: column, message: message), "\(pattern)")
  }

  @Test func columnsCountCharactersNotBytes() {
    let pattern = #"{ $.a = "été" && $.b = }"#
    #expect(patternError(pattern)?.column == 24)
    #expect(
      patternError(pattern)?.rendered(pattern: pattern) == pattern + "\n" + String(repeating: " ", count: 23)
        + "^\nexpected a value after `=`")
  }

  @Test func renderedShowsACaretUnderTheColumn() {
    let pattern = "{ $.eventName = }"
    #expect(
      patternError(pattern)?.rendered(pattern: pattern) == """
        { $.eventName = }
        \(String(repeating: " ", count: 16))^
        expected a value after `=`
        """)
    // At the end of the pattern, the caret stands one past the last character.
    let open = "{ $.a = 1"
    #expect(
      patternError(open)?.rendered(pattern: open) == "{ $.a = 1\n         ^\nthe pattern ends before its closing `}`")
    // At column 1.
    #expect(patternError("ERROR")?.rendered(pattern: "ERROR").hasPrefix("ERROR\n^\nonly JSON") == true)
  }

  @Test func renderedKeepsTabsAndShowsOnlyTheLineOfTheError() {
    let tabbed = "{\t$.a ==\t1 }"
    #expect(
      patternError(tabbed)?.rendered(pattern: tabbed) == "{\t$.a ==\t1 }\n \t    ^\n`==` is not an operator; use `=`")
    let multiline = "{ $.a = 1 &&\n  $.b = }"
    let error = patternError(multiline)
    #expect(error?.column == 22)
    #expect(error?.rendered(pattern: multiline) == "  $.b = }\n        ^\nexpected a value after `=`")
  }

  @Test func deepNestingIsRefused() {
    let deep = "{" + String(repeating: "(", count: 65) + "$.a = 1" + String(repeating: ")", count: 65) + "}"
    #expect(patternError(deep) == PatternError(column: 66, message: "parentheses are nested more than 64 deep"))
    let fine = "{" + String(repeating: "(", count: 64) + "$.a = 1" + String(repeating: ")", count: 64) + "}"
    #expect(throws: Never.self) { try FilterPattern.parse(fine) }
  }

  @Test func descriptionNamesTheColumn() {
    #expect(PatternError(column: 4, message: "bad").description == "column 4: bad")
  }
}
