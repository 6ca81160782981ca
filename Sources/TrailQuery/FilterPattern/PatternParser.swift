// Parses CloudWatch Logs JSON filter patterns (`{ $.eventName = "ConsoleLogin" && … }`) pasted
// verbatim into `--where` or a rule file, into the query layer's `Predicate`: `&&`/`||` become
// `and`/`or`, each comparison a `pattern` leaf. Grammar and semantics: docs/filter-language.md.

/// The entry point of the `--where` language.
public enum FilterPattern {
  /// CloudWatch's limits, enforced so that a pattern that works here also deploys.
  static let maxWildcards = 3
  static let maxRegexes = 2
  /// Parentheses nested deeper than this are refused (the parser is recursive).
  static let maxDepth = 64

  /// Parses a JSON filter pattern `{ … }` as CloudWatch Logs accepts it.
  public static func parse(_ text: String) throws(PatternError) -> Predicate {
    var parser = PatternParser(lexer: PatternLexer(text))
    return try parser.parsePattern()
  }
}

struct PatternParser {
  var lexer: PatternLexer
  var wildcards = 0
  var regexes = 0

  mutating func parsePattern() throws(PatternError) -> Predicate {
    lexer.skipSpace()
    guard let first = lexer.current else {
      throw lexer.error("empty pattern; expected a JSON filter pattern such as `{ $.eventName = \"ConsoleLogin\" }`")
    }
    guard first == "{" else {
      switch first {
      case "[":
        throw lexer.error(
          "space-delimited patterns `[…]` are not supported: CloudTrail events are JSON; use `{ $.field = value }`")
      case "%":
        throw lexer.error("a standalone regex is not supported; compare a field instead: `{ $.field = %regex% }`")
      default:
        throw lexer.error(
          "only JSON filter patterns `{ … }` are supported, such as `{ $.eventName = \"ConsoleLogin\" }`")
      }
    }
    lexer.index += 1
    let predicate = try parseOr(depth: 0)
    lexer.skipSpace()
    guard lexer.current == "}" else { throw unexpected(closing: "}") }
    lexer.index += 1
    lexer.skipSpace()
    guard lexer.atEnd else { throw lexer.error("unexpected text after the closing `}`") }
    return predicate
  }

  /// The error for a position where an operator or a closing bracket was expected.
  func unexpected(closing: Character) -> PatternError {
    guard let c = lexer.current else {
      return lexer.error("the pattern ends before its closing `\(closing)`")
    }
    if c == "&" { return lexer.error("expected `&&`") }
    if c == "|" { return lexer.error("expected `||`") }
    if c == "}" || c == ")" { return lexer.error("`\(c)` closes nothing here; expected `\(closing)`") }
    return lexer.error("expected `&&`, `||` or `\(closing)`")
  }

  mutating func parseOr(depth: Int) throws(PatternError) -> Predicate {
    var parts = [try parseAnd(depth: depth)]
    while true {
      lexer.skipSpace()
      guard lexer.looking(at: "||") else { break }
      lexer.index += 2
      parts.append(try parseAnd(depth: depth))
    }
    return Self.combine(parts, or: true)
  }

  mutating func parseAnd(depth: Int) throws(PatternError) -> Predicate {
    var parts = [try parseTerm(depth: depth)]
    while true {
      lexer.skipSpace()
      guard lexer.looking(at: "&&") else { break }
      lexer.index += 2
      parts.append(try parseTerm(depth: depth))
    }
    return Self.combine(parts, or: false)
  }

  /// One part, or `and`/`or` of the parts with nested ones of the same kind spliced in.
  static func combine(_ parts: [Predicate], or: Bool) -> Predicate {
    guard parts.count > 1 else { return parts[0] }
    var flat: [Predicate] = []
    for part in parts {
      switch (part, or) {
      case (.or(let inner), true), (.and(let inner), false): flat += inner
      default: flat.append(part)
      }
    }
    return or ? .or(flat) : .and(flat)
  }

  mutating func parseTerm(depth: Int) throws(PatternError) -> Predicate {
    lexer.skipSpace()
    switch lexer.current {
    case "(":
      let open = lexer.index
      guard depth < FilterPattern.maxDepth else {
        throw lexer.error("parentheses are nested more than \(FilterPattern.maxDepth) deep")
      }
      lexer.index += 1
      let inner = try parseOr(depth: depth + 1)
      lexer.skipSpace()
      guard lexer.current == ")" else {
        if lexer.atEnd || lexer.current == "}" {
          throw lexer.error("missing `)` to close the `(` at column \(lexer.column(open))")
        }
        throw unexpected(closing: ")")
      }
      lexer.index += 1
      return inner
    case "$":
      return .pattern(try parseCondition())
    case nil, "}", ")":
      throw lexer.error("expected a condition such as `$.eventName = \"ConsoleLogin\"`")
    case "!":
      throw lexer.error("there is no `!` negation; use `!=` or `NOT EXISTS`")
    default:
      throw lexer.error("expected a condition starting with a selector such as `$.eventName`")
    }
  }

  mutating func parseCondition() throws(PatternError) -> PatternCondition {
    let (selector, wildcard) = try lexer.readSelector()
    if let wildcard {
      wildcards += 1
      if wildcards > FilterPattern.maxWildcards {
        throw lexer.error(
          "CloudWatch allows at most \(FilterPattern.maxWildcards) wildcards (`[*]`, `.*`) in a pattern", at: wildcard)
      }
    }
    // A character glued to the selector that cannot follow one is a name character too many.
    if let c = lexer.current, !c.isWhitespace, !"=!<>()&|}".contains(c) {
      throw lexer.error("`\(c)` cannot appear in a field name; quote the name: `$.['name']`")
    }
    lexer.skipSpace()
    let operatorStart = lexer.index
    if let op = try lexer.readOperator() {
      lexer.skipSpace()
      let (value, isRegex) = try lexer.readValue(after: op, operatorColumn: lexer.column(operatorStart))
      if isRegex {
        regexes += 1
        if regexes > FilterPattern.maxRegexes {
          throw lexer.error(
            "CloudWatch allows at most \(FilterPattern.maxRegexes) regexes in a pattern", at: operatorStart)
        }
      }
      return PatternCondition(selector: selector, test: .compare(op, value))
    }
    let wordStart = lexer.index
    let word = lexer.readWord()
    switch word {
    case "IS":
      lexer.skipSpace()
      let secondStart = lexer.index
      switch lexer.readWord() {
      case "NULL": return PatternCondition(selector: selector, test: .isNull)
      case "TRUE": return PatternCondition(selector: selector, test: .isTrue)
      case "FALSE": return PatternCondition(selector: selector, test: .isFalse)
      case "NOT":
        throw lexer.error("`IS NOT` is not supported; use `NOT EXISTS`, or `!=` for a value", at: wordStart)
      case "null", "true", "false", "Null", "True", "False":
        throw lexer.error("keywords are upper case: `IS NULL`, `IS TRUE`, `IS FALSE`", at: secondStart)
      default:
        throw lexer.error("expected `NULL`, `TRUE` or `FALSE` after `IS`", at: secondStart)
      }
    case "NOT":
      lexer.skipSpace()
      let secondStart = lexer.index
      let second = lexer.readWord()
      guard second == "EXISTS" else {
        if second == "exists" || second == "Exists" {
          throw lexer.error("keywords are upper case: `NOT EXISTS`", at: secondStart)
        }
        throw lexer.error("expected `EXISTS` after `NOT`", at: secondStart)
      }
      return PatternCondition(selector: selector, test: .notExists)
    case "EXISTS":
      throw lexer.error(
        "`EXISTS` is not supported, only `NOT EXISTS`; `= *` matches any string or number", at: wordStart)
    case "is", "not", "Is", "Not":
      throw lexer.error("keywords are upper case: `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`", at: wordStart)
    default:
      throw lexer.error(
        "expected an operator (`=`, `!=`, `<`, `>`, `<=`, `>=`), `IS NULL`, `IS TRUE`, `IS FALSE` or `NOT EXISTS`",
        at: wordStart)
    }
  }
}
