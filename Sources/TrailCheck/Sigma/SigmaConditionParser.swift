// A Sigma detection's `condition`: search identifiers combined with `and`, `or`, `not`,
// parentheses, and `1 of`/`any of`/`all of` a pattern (`*` anywhere) or `them` (every identifier
// not starting with `_`). Precedence from loosest: or, and, not, `x of`, parentheses. Sigma 1's
// aggregations (`| count() > 5`) and `near` are errors pointing to correlation rules.
import TrailQuery

struct SigmaConditionParser {
  /// The detection's search identifiers, in the order written, and their predicates.
  let identifiers: [(name: String, predicate: Predicate)]
  let text: String
  var tokens: [Token] = []
  var index = 0

  struct Token {
    var text: String
    var column: Int
  }

  /// A problem in the condition: the message and the column (1-based) it points at.
  struct Problem: Error {
    var message: String
    var column: Int
  }

  init(_ text: String, identifiers: [(name: String, predicate: Predicate)]) {
    self.text = text
    self.identifiers = identifiers
  }

  mutating func parse() throws(Problem) -> Predicate {
    try tokenize()
    guard !tokens.isEmpty else { throw Problem(message: "the condition is empty", column: 1) }
    let predicate = try parseOr()
    if index < tokens.count {
      throw Problem(message: "unexpected '\(tokens[index].text)'", column: tokens[index].column)
    }
    return predicate
  }

  mutating func tokenize() throws(Problem) {
    var column = 0
    var current = ""
    var start = 0
    func flush() {
      if !current.isEmpty { tokens.append(Token(text: current, column: start)) }
      current = ""
    }
    for c in text {
      column += 1
      switch c {
      case "(", ")":
        flush()
        tokens.append(Token(text: String(c), column: column))
      case "|":
        throw Problem(
          message:
            "aggregations in the condition (`| count() …`) are Sigma 1's deprecated syntax: write a correlation rule",
          column: column)
      case _ where c.isWhitespace:
        flush()
      default:
        if current.isEmpty { start = column }
        current.append(c)
      }
    }
    flush()
  }

  func peek() -> String? { index < tokens.count ? tokens[index].text.lowercased() : nil }

  mutating func parseOr() throws(Problem) -> Predicate {
    var parts = [try parseAnd()]
    while peek() == "or" {
      index += 1
      parts.append(try parseAnd())
    }
    return parts.count == 1 ? parts[0] : .or(parts)
  }

  mutating func parseAnd() throws(Problem) -> Predicate {
    var parts = [try parseNot()]
    while peek() == "and" {
      index += 1
      parts.append(try parseNot())
    }
    return parts.count == 1 ? parts[0] : .and(parts)
  }

  mutating func parseNot() throws(Problem) -> Predicate {
    if peek() == "not" {
      index += 1
      return .not(try parseNot())
    }
    return try parsePrimary()
  }

  mutating func parsePrimary() throws(Problem) -> Predicate {
    guard index < tokens.count else {
      throw Problem(message: "the condition ends where a search identifier was expected", column: text.count + 1)
    }
    let token = tokens[index]
    let word = token.text.lowercased()
    switch word {
    case "(":
      index += 1
      let inner = try parseOr()
      guard peek() == ")" else { throw Problem(message: "'(' is not closed by ')'", column: token.column) }
      index += 1
      return inner
    case ")", "and", "or":
      throw Problem(message: "'\(token.text)' where a search identifier was expected", column: token.column)
    case "near":
      throw Problem(
        message: "'near' is Sigma 1's deprecated syntax: write a temporal correlation rule", column: token.column)
    default:
      break
    }
    if index + 1 < tokens.count, tokens[index + 1].text.lowercased() == "of" {
      let all: Bool
      switch word {
      case "1", "any": all = false
      case "all": all = true
      default:
        throw Problem(
          message: "'\(token.text) of' is not supported (only '1 of', 'any of' and 'all of')", column: token.column)
      }
      index += 2
      guard index < tokens.count else {
        throw Problem(message: "'of' needs 'them' or a search identifier pattern", column: text.count + 1)
      }
      let target = tokens[index]
      index += 1
      let chosen: [Predicate]
      if target.text.lowercased() == "them" {
        chosen = identifiers.filter { !$0.name.hasPrefix("_") }.map(\.predicate)
      } else {
        let glob = Glob(target.text)
        chosen = identifiers.filter { glob.matches($0.name) }.map(\.predicate)
      }
      guard !chosen.isEmpty else {
        throw Problem(message: "'\(target.text)' matches no search identifier", column: target.column)
      }
      return all ? .all(chosen) : .any(chosen)
    }
    index += 1
    guard let found = identifiers.first(where: { $0.name == token.text }) else {
      throw Problem(message: "unknown search identifier '\(token.text)'", column: token.column)
    }
    return found.predicate
  }
}
