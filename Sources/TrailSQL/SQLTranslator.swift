// The AST walk: a Predicate and the fields of docs/fields.md become SQL expressions over the
// table of SQLSchema, in any SQLDialect. Every condition it writes is two-valued (never NULL),
// so `NOT` means what it means in the local engine; anything SQL cannot say the same way is an
// SQLError naming it, never a different condition.
import TrailEvent
import TrailQuery
import TrailTime

/// The values of a field for one event, as SQL.
package enum SQLFieldValue {
  /// At most one value: a string expression, NULL when the event has none.
  case single(String)
  /// Any number of values: an array of strings, never NULL, without NULL elements.
  case multiple(String)
}

/// A field computed once per event in the query.
package struct DerivedColumn {
  package let field: Field
  /// The column's name in the query (`f_principal`).
  package let name: String
  /// The expression over the event's columns.
  package let expression: SQLFieldValue
  /// What references to the field read: the column.
  package let value: SQLFieldValue
}

/// Translates predicates and fields into one dialect, remembering which JSON columns they read
/// (the query parses each of those once).
package final class SQLTranslator {
  package let dialect: any SQLDialect
  /// JSON-text columns read through their parsed form (`j_<name>` in the query).
  package private(set) var parsedColumns: [String] = []
  /// Fields the query computes once per event, in the order first asked for.
  package var derivedColumns: [DerivedColumn] = []
  private var variables = 0

  package init(dialect: any SQLDialect) { self.dialect = dialect }

  /// The name the query gives to the eventTime timestamp.
  package static let timeColumn = "event_ts"

  func column(_ name: String) -> String { dialect.quote(name) }
  func field(_ base: String, _ name: String) -> String { base + "." + dialect.quote(name) }
  var time: String { dialect.quote(Self.timeColumn) }

  /// A fresh lambda variable.
  func variable() -> String {
    variables += 1
    return "v\(variables)"
  }

  /// The parsed form of a JSON-text column.
  package func parsed(_ name: String) -> String {
    if !parsedColumns.contains(name) { parsedColumns.append(name) }
    return dialect.quote("j_" + name)
  }

  // MARK: - Conditions

  /// `predicate` as a condition that is TRUE or FALSE for every row.
  package func condition(_ predicate: Predicate) throws(SQLError) -> String {
    switch predicate {
    case .always: return "TRUE"
    case .and(let parts):
      var rendered: [String] = []
      for part in parts { rendered.append(try condition(part)) }
      return "(" + rendered.joined(separator: " AND ") + ")"
    case .or(let parts):
      var rendered: [String] = []
      for part in parts { rendered.append(try condition(part)) }
      return "(" + rendered.joined(separator: " OR ") + ")"
    case .not(let part): return "(NOT \(try condition(part)))"
    case .matches(let field, let glob):
      return try anyValue(of: field) { self.matches($0, glob) }
    case .exists(let field):
      switch try value(of: field) {
      case .single(let expression): return "(\(expression) IS NOT NULL)"
      case .multiple(let array): return "(\(dialect.size(array)) > 0)"
      }
    case .inNetwork(let field, let network):
      if let range = network.ipv4Range { return try anyValue(of: field) { self.inIPv4Range($0, range) } }
      let (bytes, prefix) = network.bytesAndPrefix
      return try anyValue(of: field) { self.inIPv6Network($0, bytes: bytes, prefix: prefix) }
    case .timeRange(let since, let until):
      var parts: [String] = []
      if let since { parts.append("\(time) >= \(dialect.timestamp(since))") }
      if let until { parts.append("\(time) < \(dialect.timestamp(until))") }
      return parts.isEmpty ? "TRUE" : dialect.definitely(parts.joined(separator: " AND "))
    case .pattern(let condition): return try pattern(condition)
    case .sigma:
      throw SQLError("Sigma rule conditions cannot be translated to SQL yet (trail-scan's own rules and --where can)")
    case .inGroups:
      throw SQLError(
        "a rule that counts events (threshold or correlation) cannot filter events in SQL; run it with check")
    }
  }

  /// Whether some value of `field` satisfies `test` (a condition on a non-NULL string).
  func anyValue(of field: Field, _ test: (String) -> String) throws(SQLError) -> String {
    switch try value(of: field) {
    case .single(let expression): return dialect.definitely(test(expression))
    case .multiple(let array):
      let v = variable()
      return dialect.definitely(dialect.exists(array, v, test(v)))
    }
  }

  /// `text` matches the glob: equality without `*`, else LIKE with `\` escaping `%`, `_` and `\`.
  package func matches(_ text: String, _ glob: Glob) -> String {
    let pattern = glob.pattern
    guard pattern.contains("*") else { return "\(text) = \(dialect.string(pattern))" }
    if pattern.allSatisfy({ $0 == "*" }) { return "\(text) IS NOT NULL" }
    return like(text, prefix: "", core: pattern, suffix: "", wildcards: true)
  }

  /// A LIKE of `text` against `prefix + core + suffix`, where `*` in `core` is a wildcard when
  /// `wildcards` is set, and every other character is literal.
  func like(_ text: String, prefix: String, core: String, suffix: String, wildcards: Bool) -> String {
    var out = prefix
    for c in core {
      switch c {
      case "*" where wildcards: out += "%"
      case "%", "_", "\\": out += "\\" + String(c)
      default: out.append(c)
      }
    }
    return "\(text) LIKE \(dialect.string(out + suffix)) ESCAPE \(dialect.string("\\"))"
  }

  /// `text` is a dotted IPv4 address (or `::ffff:` followed by one) inside `range`.
  func inIPv4Range(_ text: String, _ range: ClosedRange<UInt32>) -> String {
    let octet = "(?:[+-]?[0-9]{1,2}|[0-9]{3})"
    let address = "\(octet)\\.\(octet)\\.\(octet)\\.\(octet)"
    // `::ffff:a.b.c.d`, an IPv4-mapped IPv6 address, is the IPv4 address too.
    let mapped = dialect.regexLike(text, "\\A::[fF]{4}:" + address + "\\z")
    let v = "(CASE WHEN \(mapped) THEN substr(\(text), 8) ELSE \(text) END)"
    let octets = (1...4).map { "try_cast(split_part(\(v), '.', \($0)) AS BIGINT)" }
    let valid = octets.map { "\($0) BETWEEN 0 AND 255" }.joined(separator: " AND ")
    let number = "(\(octets[0]) * 16777216 + \(octets[1]) * 65536 + \(octets[2]) * 256 + \(octets[3]))"
    return "(\(dialect.regexLike(v, "\\A" + address + "\\z")) AND \(valid) AND \(number) BETWEEN "
      + "\(range.lowerBound) AND \(range.upperBound))"
  }

  /// `text` is an IPv6 address (hex groups, one `::` at most, an optional `%zone`) whose first
  /// `prefix` bits are the network's: the address written out as 32 hex digits, compared by
  /// whole digits and, for the last bits, by the digits they allow. An IPv4 tail
  /// (`::ffff:1.2.3.4`) is not read, so such an address is never inside an IPv6 network here.
  func inIPv6Network(_ text: String, bytes: [UInt8], prefix: Int) -> String {
    let d = dialect
    let hex = bytes.map { hexDigits($0) }.joined()
    let address = "COALESCE(\(d.regexGroup(text, "\\A([^%]*)", 1)), '')"
    let check = bind(address) { address in
      let groupsOf = { (part: String) in
        "CASE WHEN \(part) IS NULL OR \(part) = '' THEN \(d.stringArray([])) ELSE \(d.split(part, ":")) END"
      }
      let halves = d.split(address, "::")
      let all = bind(halves) { halves in
        let head = groupsOf(d.element(halves, 1))
        let tail = groupsOf(d.element(halves, 2))
        let missing = "8 - \(d.size(head)) - \(d.size(tail))"
        return "CASE WHEN \(d.size(halves)) = 1 THEN \(head) WHEN \(d.size(halves)) = 2 AND \(missing) > 0 THEN "
          + "\(d.concatArrays([head, d.repeated("'0'", missing), tail])) END"
      }
      return bind(all) { all in
        let g = self.variable()
        let h = self.variable()
        var parts = [
          d.regexLike(address, "\\A[0-9A-Fa-f:]+\\z"), "\(d.size(all)) = 8",
          "NOT \(d.exists(all, g, "NOT \(d.regexLike(g, "\\A[0-9A-Fa-f]{1,4}\\z"))"))",
        ]
        let digits = "lower(array_join(\(d.transform(all, h, "lpad(\(h), 4, '0')")), ''))"
        let whole = prefix / 4
        if whole > 0 { parts.append("substr(\(digits), 1, \(whole)) = '\(hex.prefix(whole))'") }
        let bits = prefix % 4
        if bits > 0 {
          let nibble = Int(String(hex[hex.index(hex.startIndex, offsetBy: whole)]), radix: 16) ?? 0
          let mask = (0xF << (4 - bits)) & 0xF
          let allowed = (0..<16).filter { $0 & mask == nibble & mask }.map { "'\(String($0, radix: 16))'" }
          parts.append("substr(\(digits), \(whole + 1), 1) IN (\(allowed.joined(separator: ", ")))")
        }
        return "(" + parts.joined(separator: " AND ") + ")"
      }
    }
    return check
  }

  /// `body` with `value` computed once and named (a lambda over a one-element array: SQL has no
  /// `let`).
  func bind(_ value: String, _ body: (String) -> String) -> String {
    let v = variable()
    return dialect.element(dialect.transform(dialect.array([value]), v, body(v)), 1)
  }

  func hexDigits(_ byte: UInt8) -> String {
    let digits = String(byte, radix: 16)
    return digits.count == 1 ? "0" + digits : digits
  }

  // MARK: - CloudWatch patterns

  /// What a selector reaches.
  indirect enum Node {
    /// A typed column or field: its expression, type and declaration.
    case typed(String, SQLColumnType, SQLColumn)
    /// A JSON-text column itself (before any step into it).
    case jsonColumn(SQLColumn)
    /// A JSON value (SQL NULL: the path did not resolve).
    case json(String)
    case absent
    /// Each element of an array (from a `[*]` or `.*` step).
    case each(array: String, variable: String, element: Node)
  }

  func pattern(_ condition: PatternCondition) throws(SQLError) -> String {
    let text = "`\(condition.selector)`"
    var steps = condition.selector.steps[...]
    guard case .member(let name)? = steps.popFirst(), let column = SQLSchema.column(name) else {
      throw SQLError("\(text) is not a column of the SQL table (docs/scale-out.md lists them)")
    }
    var node: Node = column.type == .json ? .jsonColumn(column) : .typed(self.column(name), column.type, column)
    for step in steps { node = try self.step(node, step, text) }
    return try test(node, condition.test, text)
  }

  func step(_ node: Node, _ step: PathStep, _ text: String) throws(SQLError) -> Node {
    switch node {
    case .absent: return .absent
    case .each(let array, let variable, let element):
      return .each(array: array, variable: variable, element: try self.step(element, step, text))
    case .jsonColumn(let column):
      return try self.step(.json(parsed(column.name)), step, text)
    case .json(let json):
      switch step {
      case .member(let key):
        try SQLSchema.checkKey(key, in: text)
        return .json(dialect.jsonPath(json, [.member(key)]))
      case .index(let index): return .json(dialect.jsonPath(json, [.index(index)]))
      case .any:
        let kind = dialect.jsonKind(json)
        let children =
          "CASE \(kind) WHEN 'array' THEN \(dialect.jsonElements(json)) "
          + "WHEN 'object' THEN \(dialect.jsonMemberValues(json)) END"
        let v = variable()
        return .each(array: children, variable: v, element: .json(v))
      }
    case .typed(let expression, let type, let column):
      switch (type, step) {
      case (.structure, .member(let name)):
        guard let child = column.field(name) else {
          throw SQLError("\(text): \(column.name) has no field '\(name)' in the SQL table")
        }
        return .typed(field(expression, name), child.type, child)
      case (.structure, .any), (.map, .any):
        throw SQLError("\(text): a wildcard over the fields of \(column.name) cannot be translated")
      case (.array(let element), .index(let index)):
        let child = SQLColumn(column.name + "[]", element)
        return .typed(dialect.element(expression, index + 1), element, child)
      case (.array(let element), .any):
        let v = variable()
        return .each(
          array: expression, variable: v, element: .typed(v, element, SQLColumn(column.name + "[]", element)))
      case (.map, .member(let key)):
        return .typed(dialect.mapValue(expression, key), .string, SQLColumn(key, .string))
      default:
        // A name on an array, an index on an object, any step below a string or a boolean.
        return .absent
      }
    }
  }

  func test(_ node: Node, _ test: PatternTest, _ text: String) throws(SQLError) -> String {
    switch node {
    case .absent:
      return test == .notExists ? "TRUE" : "FALSE"
    case .each(let array, let variable, let element):
      let inside = try self.test(element, test, text)
      let none = try self.test(.absent, test, text)
      return "(CASE WHEN COALESCE(\(dialect.size(array)), 0) = 0 THEN \(none) ELSE "
        + "\(dialect.definitely(dialect.exists(array, variable, inside))) END)"
    case .jsonColumn(let column):
      switch test {
      case .notExists:
        guard !column.writesNull else { throw ambiguousNull(text, column) }
        return "(\(self.column(column.name)) IS NULL)"
      case .isNull: throw ambiguousNull(text, column)
      default: return try self.test(.json(parsed(column.name)), test, text)
      }
    case .typed(let expression, let type, let column):
      switch test {
      case .notExists:
        guard !column.writesNull else { throw ambiguousNull(text, column) }
        return "(\(expression) IS NULL)"
      case .isNull: throw ambiguousNull(text, column)
      case .isTrue: return type == .boolean ? dialect.definitely("\(expression) = TRUE") : "FALSE"
      case .isFalse: return type == .boolean ? dialect.definitely("\(expression) = FALSE") : "FALSE"
      case .compare(let op, let value):
        guard type == .string || type == .map else { return "FALSE" }
        return dialect.definitely(try compareString(expression, op, value))
      }
    case .json(let json):
      let kind = dialect.jsonKind(json)
      switch test {
      case .notExists: return "(\(json) IS NULL)"
      case .isNull: return dialect.definitely("\(kind) = 'null'")
      case .isTrue: return dialect.definitely("\(kind) = 'boolean' AND \(dialect.jsonBoolean(json)) = TRUE")
      case .isFalse: return dialect.definitely("\(kind) = 'boolean' AND \(dialect.jsonBoolean(json)) = FALSE")
      case .compare(let op, let value):
        let string = try compareString(dialect.jsonString(json), op, value)
        let number = try compareNumber(json, op, value)
        return dialect.definitely(
          "CASE \(kind) WHEN 'string' THEN \(string) WHEN 'number' THEN \(number) ELSE FALSE END")
      }
    }
  }

  func ambiguousNull(_ text: String, _ column: SQLColumn) -> SQLError {
    SQLError(
      "\(text): the SQL table reads a JSON null and a missing \(column.name) both as NULL, so "
        + "IS NULL and NOT EXISTS cannot be told apart there (they can inside requestParameters, responseElements, …)")
  }

  /// A comparison of the string `text` (CloudWatch: strings match text and regexes, equal a
  /// number literal as written, and are never ordered).
  func compareString(_ text: String, _ op: PatternOperator, _ value: PatternValue) throws(SQLError) -> String {
    switch value {
    case .number(let number):
      switch op {
      case .equal: return "\(text) = \(dialect.string(number.text))"
      case .notEqual: return "\(text) <> \(dialect.string(number.text))"
      default: return "FALSE"
      }
    case .text(let pattern): return apply(op, textMatch(text, pattern))
    case .regex(let regex): return apply(op, try regexMatch(text, regex))
    }
  }

  /// A comparison of a JSON number: numerically with a number literal, as text otherwise.
  func compareNumber(_ json: String, _ op: PatternOperator, _ value: PatternValue) throws(SQLError) -> String {
    switch value {
    case .number(let number):
      let literal = number.text.hasPrefix("+") ? String(number.text.dropFirst()) : number.text
      let sqlOperator: String
      switch op {
      case .equal: sqlOperator = "="
      case .notEqual: sqlOperator = "<>"
      case .less: sqlOperator = "<"
      case .greater: sqlOperator = ">"
      case .lessOrEqual: sqlOperator = "<="
      case .greaterOrEqual: sqlOperator = ">="
      }
      return "\(dialect.jsonNumber(json)) \(sqlOperator) CAST(\(dialect.string(literal)) AS DOUBLE)"
    case .text(let pattern): return apply(op, textMatch(dialect.jsonScalarText(json), pattern))
    case .regex(let regex): return apply(op, try regexMatch(dialect.jsonScalarText(json), regex))
    }
  }

  func apply(_ op: PatternOperator, _ match: String) -> String {
    op == .notEqual ? "NOT (\(match))" : op == .equal ? match : "FALSE"
  }

  /// CloudWatch's text value: a `*` only at the start and/or the end is a wildcard.
  func textMatch(_ text: String, _ pattern: PatternText) -> String {
    if pattern.anyPrefix && pattern.anySuffix && pattern.core.isEmpty { return "\(text) IS NOT NULL" }
    if !pattern.anyPrefix && !pattern.anySuffix { return "\(text) = \(dialect.string(pattern.core))" }
    return like(
      text, prefix: pattern.anyPrefix ? "%" : "", core: pattern.core, suffix: pattern.anySuffix ? "%" : "",
      wildcards: false)
  }

  func regexMatch(_ text: String, _ regex: PatternRegex) throws(SQLError) -> String {
    guard let portable = regex.portableSource else {
      throw SQLError("\(regex): this regex cannot be written for the SQL engines")
    }
    return dialect.regexLike(text, portable)
  }
}
