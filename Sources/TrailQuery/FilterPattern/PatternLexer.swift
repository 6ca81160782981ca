// Reads the pieces of a filter pattern (selectors, operators, keywords, values) from its
// characters, keeping columns for errors. Values are read by context, after an operator:
// bare words like `kms.amazonaws.com` or `123.123.*` are only tokens because of where they stand.

/// A cursor over a pattern's characters; each `read…` starts at the current position.
struct PatternLexer {
  let characters: [Character]
  var index = 0

  init(_ text: String) { characters = Array(text) }

  /// 1-based column of `position` (default: the current position).
  func column(_ position: Int? = nil) -> Int { (position ?? index) + 1 }

  func error(_ message: String, at position: Int? = nil) -> PatternError {
    PatternError(column: column(position), message: message)
  }

  var atEnd: Bool { index >= characters.count }
  var current: Character? { atEnd ? nil : characters[index] }

  func peek(_ offset: Int) -> Character? {
    index + offset < characters.count ? characters[index + offset] : nil
  }

  /// Whether the text at the current position starts with `text`.
  func looking(at text: String) -> Bool {
    var i = index
    for c in text {
      guard i < characters.count, characters[i] == c else { return false }
      i += 1
    }
    return true
  }

  mutating func skipSpace() {
    while let c = current, c.isWhitespace { index += 1 }
  }

  // MARK: Selectors

  static func isNameCharacter(_ c: Character) -> Bool {
    (c.isASCII && (c.isLetter || c.isNumber)) || c == "_" || c == "-"
  }

  /// A selector at `$`: steps `.name`, `.['name']`, `['name']`, `[n]`, `[*]`, `.*`. At most one
  /// wildcard (CloudWatch's limit per selector).
  mutating func readSelector() throws(PatternError) -> (PatternSelector, wildcard: Int?) {
    let start = index
    index += 1  // `$`
    var steps: [PatternSelector.Step] = []
    var wildcard: Int? = nil
    func noteWildcard(_ position: Int, _ lexer: PatternLexer) throws(PatternError) {
      if wildcard != nil {
        throw lexer.error("CloudWatch allows one wildcard (`[*]` or `.*`) per selector", at: position)
      }
      wildcard = position
    }
    loop: while let c = current {
      let stepStart = index
      switch c {
      case ".":
        index += 1
        if current == "*" {
          try noteWildcard(stepStart, self)
          index += 1
          steps.append(.any)
        } else if current == "[" && peek(1) == "'" {
          steps.append(.member(try readQuotedName()))
        } else if let n = current, Self.isNameCharacter(n) {
          var name = ""
          while let n = current, Self.isNameCharacter(n) {
            name.append(n)
            index += 1
          }
          steps.append(.member(name))
        } else {
          throw error("expected a field name after `.` (other characters need `.['name']`)")
        }
      case "[":
        if peek(1) == "'" {
          steps.append(.member(try readQuotedName()))
        } else if peek(1) == "*" && peek(2) == "]" {
          try noteWildcard(stepStart, self)
          index += 3
          steps.append(.any)
        } else {
          index += 1
          var digits = ""
          while let d = current, d.isASCII, d.isNumber {
            digits.append(d)
            index += 1
          }
          guard !digits.isEmpty, current == "]" else {
            throw error("expected an array index `[0]`, `[*]` or a quoted name `['name']`", at: stepStart)
          }
          guard digits.count <= 9, let position = Int(digits) else {
            throw error("array index is too large", at: stepStart + 1)
          }
          index += 1
          steps.append(.index(position))
        }
      default:
        break loop
      }
    }
    guard !steps.isEmpty else {
      throw error("expected a field after `$`, such as `$.eventName`", at: start + 1)
    }
    return (PatternSelector(steps: steps), wildcard)
  }

  /// `['name']` at `[` (names that hold dots or other characters); no escapes.
  mutating func readQuotedName() throws(PatternError) -> String {
    let open = index
    index += 2
    var name = ""
    while let c = current, c != "'" {
      name.append(c)
      index += 1
    }
    guard current == "'" && peek(1) == "]" else {
      throw error("`['` is not closed by `']`", at: open)
    }
    index += 2
    guard !name.isEmpty else { throw error("empty field name", at: open) }
    return name
  }

  // MARK: Operators and keywords

  /// An operator at the current position, or nil when none starts here.
  mutating func readOperator() throws(PatternError) -> PatternOperator? {
    let start = index
    switch current {
    case "=":
      if peek(1) == "=" { throw error("`==` is not an operator; use `=`") }
      index += 1
      return .equal
    case "!":
      guard peek(1) == "=" else { throw error("expected `!=` (there is no `!` negation; use `!=` or `NOT EXISTS`)") }
      index += 2
      return .notEqual
    case "<", ">":
      let less = current == "<"
      index += 1
      if current == "=" {
        index += 1
        return less ? .lessOrEqual : .greaterOrEqual
      }
      if current == ">" || current == "<" { throw error("unknown operator; use `!=`, `<=` or `>=`", at: start) }
      return less ? .less : .greater
    default:
      return nil
    }
  }

  /// A run of letters (a keyword such as `IS`, `NOT`, `NULL`, `EXISTS`).
  mutating func readWord() -> String {
    var word = ""
    while let c = current, c.isLetter || c == "_" {
      word.append(c)
      index += 1
    }
    return word
  }

  // MARK: Values

  /// Whether a bare word ends here: whitespace, a parenthesis or brace, a quote, `&&` or `||`.
  func bareWordEnds() -> Bool {
    guard let c = current else { return true }
    if c.isWhitespace || c == "(" || c == ")" || c == "{" || c == "}" || c == "\"" { return true }
    return looking(at: "&&") || looking(at: "||")
  }

  /// The value after `op` (the lexer is past the operator and any whitespace).
  mutating func readValue(after op: PatternOperator, operatorColumn: Int) throws(PatternError) -> (
    PatternValue, isRegex: Bool
  ) {
    let start = index
    guard !bareWordEnds() || current == "\"" else {
      throw error("expected a value after `\(op.rawValue)`")
    }
    let value: PatternValue
    var isRegex = false
    switch current {
    case "\"":
      value = .text(PatternText(try readQuoted(), quoted: true))
    case "%":
      index += 1
      var source: [Character] = []
      while let c = current, c != "%" {
        source.append(c)
        index += 1
        if c == "\\", let escaped = current {
          source.append(escaped)
          index += 1
        }
      }
      guard current == "%" else { throw error("regex is not closed by `%`", at: start) }
      index += 1
      value = .regex(try PatternRegex(source: source, column: column(start + 1)))
      isRegex = true
    default:
      if let c = current, c == "=" || c == "<" || c == ">" || c == "!" {
        throw error("a value cannot start with `\(c)`; quote it if it is text")
      }
      var word = ""
      while !bareWordEnds() {
        word.append(characters[index])
        index += 1
      }
      if let number = PatternNumber(word) {
        value = .number(number)
      } else {
        value = .text(PatternText(word, quoted: false))
      }
    }
    switch (op, value) {
    case (.equal, _), (.notEqual, _), (_, .number):
      break
    case (_, .regex):
      throw error("a regex works only with `=` and `!=`", at: operatorColumn - 1)
    case (_, .text(let text)):
      throw error("`\(op.rawValue)` compares numbers; \(text) is not a number", at: start)
    }
    return (value, isRegex)
  }

  /// A double-quoted string at `"`: `\"` and `\\` are escapes, any other backslash is kept.
  mutating func readQuoted() throws(PatternError) -> String {
    let open = index
    index += 1
    var text = ""
    while let c = current, c != "\"" {
      if c == "\\", let next = peek(1), next == "\"" || next == "\\" {
        text.append(next)
        index += 2
      } else {
        text.append(c)
        index += 1
      }
    }
    guard current == "\"" else { throw error("string is not closed by `\"`", at: open) }
    index += 1
    return text
  }
}
