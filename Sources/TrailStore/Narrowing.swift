// Which stored events may match a predicate, as SQL over the indexed columns: each leaf the
// columns answer exactly (a field the store keeps as one value per event) becomes a condition;
// anything else (paths, `--where` patterns, Sigma leaves, IP networks, negations) becomes no
// condition, so the SQL only ever narrows to a superset and the predicate itself, evaluated on
// each record read back, decides. Globs use the same `Glob` as scans (`trail_glob`), with
// SQLite's GLOB on the literal prefix only to reach the index.
import CSQLite
import TrailEvent
import TrailQuery
import TrailTime

/// A condition with its bound values: on `event_rows e`, or (`onIdentities`) on the
/// `identities i` row of the event's identity, which `onEvents` turns into a condition on the
/// event (through the identity index).
struct SQLCondition: Sendable {
  var sql: String
  var values: [SQLValue]
  var onIdentities = false

  /// The condition on `event_rows e`.
  var onEvents: SQLCondition {
    guard onIdentities else { return self }
    return SQLCondition(sql: "e.identity IN (SELECT i.id FROM identities i WHERE \(sql))", values: values)
  }
}

enum Narrowing {
  /// The condition on `event_rows e` under which an event may match `predicate`, or nil when
  /// any may. `timeField`: the run takes times from another field, so the stored times say
  /// nothing.
  static func condition(_ predicate: Predicate, timeField: Bool) -> SQLCondition? {
    part(predicate, timeField: timeField)?.onEvents
  }

  static func part(_ predicate: Predicate, timeField: Bool) -> SQLCondition? {
    switch predicate {
    case .always, .pattern, .sigma, .inGroups, .inNetwork:
      return nil
    case .and(let parts):
      let conditions = parts.compactMap { part($0, timeField: timeField) }
      guard !conditions.isEmpty else { return nil }
      return join(conditions, with: " AND ")
    case .or(let parts):
      var conditions: [SQLCondition] = []
      for predicate in parts {
        guard let condition = part(predicate, timeField: timeField) else { return nil }
        conditions.append(condition)
      }
      guard !conditions.isEmpty else { return nil }
      return join(conditions, with: " OR ")
    case .not(.exists(let field)):
      guard let column = column(field, timeField: timeField), !column.irregular else { return nil }
      guard column.onIdentities else { return SQLCondition(sql: "\(column.sql) IS NULL", values: []) }
      // An event without an identity has no value either.
      return SQLCondition(
        sql: "e.identity IS NULL OR e.identity IN (SELECT i.id FROM identities i WHERE \(column.sql) IS NULL)",
        values: [])
    case .not:
      return nil
    case .exists(let field):
      guard let column = column(field, timeField: timeField) else { return nil }
      return on(column, irregular(SQLCondition(sql: "\(column.sql) IS NOT NULL", values: []), column))
    case .matches(.target, let glob), .matches(.resource, let glob):
      let test = match("target", glob)
      return SQLCondition(sql: "e.id IN (SELECT event FROM targets WHERE \(test.sql))", values: test.values)
    case .matches(let field, let glob):
      guard let column = column(field, timeField: timeField) else { return nil }
      return on(column, irregular(match(column.sql, glob), column))
    case .timeRange(let since, let until):
      guard !timeField, since != nil || until != nil else { return nil }
      var parts: [SQLCondition] = []
      if let since {
        parts.append(
          SQLCondition(
            sql: "e.ts >= ? AND (e.ts > ? OR e.tsn >= ?)",
            values: [.integer(since.seconds), .integer(since.seconds), .integer(Int64(since.nanoseconds))]))
      }
      if let until {
        parts.append(
          SQLCondition(
            sql: "e.ts <= ? AND (e.ts < ? OR e.tsn < ?)",
            values: [.integer(until.seconds), .integer(until.seconds), .integer(Int64(until.nanoseconds))]))
      }
      return join(parts, with: " AND ")
    }
  }

  /// The conditions joined; conditions all on identities stay one condition on identities.
  static func join(_ conditions: [SQLCondition], with separator: String) -> SQLCondition {
    if conditions.count == 1 { return conditions[0] }
    let onIdentities = conditions.allSatisfy(\.onIdentities)
    let parts = onIdentities ? conditions : conditions.map(\.onEvents)
    return SQLCondition(
      sql: "(" + parts.map { "(\($0.sql))" }.joined(separator: separator) + ")",
      values: parts.flatMap(\.values), onIdentities: onIdentities)
  }

  static func on(_ column: Column, _ condition: SQLCondition) -> SQLCondition {
    var condition = condition
    condition.onIdentities = column.onIdentities
    return condition
  }

  typealias Column = StoreColumns.Column

  static func column(_ field: Field, timeField: Bool) -> Column? {
    StoreColumns.column(field, timeField: timeField)
  }

  static func irregular(_ condition: SQLCondition, _ column: Column) -> SQLCondition {
    guard column.irregular else { return condition }
    return SQLCondition(sql: "(\(condition.sql)) OR i.irregular = 1", values: condition.values)
  }

  /// `column` matches `glob` exactly as `Glob.matches` does.
  static func match(_ column: String, _ glob: Glob) -> SQLCondition {
    let pattern = glob.pattern
    guard pattern.contains("*") else {
      // A literal glob compares Strings, which Swift compares by canonical equivalence: only
      // an ASCII value free of the three characters other scalars decompose to (K ; `) is
      // equal to nothing but its own bytes, which SQL's `=` compares.
      // With those characters, the value is one of the spellings that swap them for the
      // scalars that decompose to them.
      let special = pattern.utf8.filter { $0 == 0x4B || $0 == 0x3B || $0 == 0x60 }.count
      guard pattern.utf8.allSatisfy({ $0 < 0x80 }), special <= 6 else {
        return SQLCondition(sql: "trail_glob(?, \(column))", values: [.text(pattern)])
      }
      if special == 0 { return SQLCondition(sql: "\(column) = ?", values: [.text(pattern)]) }
      var spellings = [""]
      for character in pattern.unicodeScalars {
        let alternatives: [Unicode.Scalar] =
          switch character {
          case "K": ["K", "\u{212A}"]
          case ";": [";", "\u{037E}"]
          case "`": ["`", "\u{1FEF}"]
          default: [character]
          }
        spellings = spellings.flatMap { prefix in alternatives.map { prefix + String($0) } }
      }
      return SQLCondition(
        sql: "\(column) IN (" + spellings.map { _ in "?" }.joined(separator: ", ") + ")",
        values: spellings.map { .text($0) })
    }
    let prefix = String(pattern.prefix { $0 != "*" })
    guard !prefix.isEmpty else { return SQLCondition(sql: "trail_glob(?, \(column))", values: [.text(pattern)]) }
    return SQLCondition(
      sql: "\(column) GLOB ? AND trail_glob(?, \(column))", values: [.text(escaped(prefix) + "*"), .text(pattern)])
  }

  /// `text` as a literal in SQLite's GLOB.
  static func escaped(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "*": out += "[*]"
      case "?": out += "[?]"
      case "[": out += "[[]"
      default: out.append(character)
      }
    }
    return out
  }
}

/// Registers `trail_glob(pattern, value)`: `Glob(pattern).matches(value)`, the scans' own glob.
func registerFunctions(_ connection: SQLiteConnection) {
  sqlite3_create_function_v2(
    connection.handle, "trail_glob", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
    { context, count, arguments in
      guard count == 2, let arguments, let patternValue = arguments[0], let textValue = arguments[1],
        sqlite3_value_type(textValue) != SQLITE_NULL, let patternText = sqlite3_value_text(patternValue),
        let valueText = sqlite3_value_text(textValue)
      else {
        sqlite3_result_int(context, 0)
        return
      }
      let pattern = String(
        decoding: UnsafeBufferPointer(start: patternText, count: Int(sqlite3_value_bytes(patternValue))), as: UTF8.self)
      let value = String(
        decoding: UnsafeBufferPointer(start: valueText, count: Int(sqlite3_value_bytes(textValue))), as: UTF8.self)
      sqlite3_result_int(context, Glob(pattern).matches(value) ? 1 : 0)
    }, nil, nil, nil)
}
