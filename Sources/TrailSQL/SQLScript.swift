// A whole question as an SQL script: the table or view over the archive, then one query made of
// the same plan the local engine runs (filters, pruning scope, aggregation or rules), with result
// columns named as the local command's JSON keys. The CLI builds an SQLPlan and prints this.
import TrailEvent
import TrailQuery
import TrailTime

/// Where the archive is and what its S3 keys can prune (the local engine's `Pruning`).
package struct SQLScope: Sendable {
  /// The archive: `s3://…`, `s3a://…`, `hdfs://…`, `file:/…`.
  package var location: String
  package var since: Timestamp?
  package var until: Timestamp?
  /// Account and region globs that prune by folder (plain values only, as `Pruning` keeps).
  package var accounts: [Glob]
  package var regions: [Glob]
  /// How much later than an event its file may be delivered.
  package var slack: TimeSpan

  package init(
    location: String, since: Timestamp? = nil, until: Timestamp? = nil, accounts: [Glob] = [], regions: [Glob] = [],
    slack: TimeSpan = TimeSpan(seconds: 3600)
  ) {
    self.location = location
    self.since = since
    self.until = until
    self.accounts = accounts
    self.regions = regions
    self.slack = slack
  }
}

/// A rule of `check`: its events, grouping and threshold.
package struct SQLRule: Sendable {
  package var id: String
  package var predicate: Predicate
  package var groupBy: [Field]
  /// A finding needs more than this many events (0: any).
  package var threshold: Int

  package init(id: String, predicate: Predicate, groupBy: [Field] = [], threshold: Int = 0) {
    self.id = id
    self.predicate = predicate
    self.groupBy = groupBy
    self.threshold = threshold
  }
}

/// What the query returns.
package enum SQLQuery: Sendable {
  /// Matching events (`search`, `timeline`): the record's columns, or `columns`; oldest first
  /// with `byTime`; at most `limit`.
  case events(columns: [Field]?, byTime: Bool, limit: Int?)
  /// Groups (`stats`, `who`, `what`, `check --pattern`); `listNames` name the listed columns.
  case groups(Aggregation, listNames: [String])
  /// One row per rule and group with matches (`check`).
  case rules([SQLRule])
}

/// Everything a script needs.
package struct SQLPlan: Sendable {
  package var scope: SQLScope
  /// The filters, as the local engine's predicate.
  package var predicate: Predicate
  /// Keep one delivery per eventID (`--dedupe`).
  package var dedupe: Bool
  package var query: SQLQuery

  package init(scope: SQLScope, predicate: Predicate, dedupe: Bool = false, query: SQLQuery) {
    self.scope = scope
    self.predicate = predicate
    self.dedupe = dedupe
    self.query = query
  }
}

/// Writes SQL scripts.
package enum SQLScript {
  /// The script for `plan` in `dialect`: the table statements, then the query, each ending `;`.
  package static func render(_ plan: SQLPlan, dialect: any SQLDialect) throws(SQLError) -> String {
    let table = try dialect.table(plan.scope)
    let query = try self.query(plan, dialect: dialect, source: table.source)
    return (table.statements + [query]).map { $0 + ";\n" }.joined(separator: "\n")
  }

  /// The query alone (what `render` puts after the table statements), over `source`.
  package static func query(_ plan: SQLPlan, dialect: any SQLDialect, source: String) throws(SQLError) -> String {
    let t = SQLTranslator(dialect: dialect)
    let filter = try t.condition(plan.predicate)
    let from = plan.dedupe ? "deduped" : "matched"
    var ctes: [(String, String)] = []
    let final: String
    switch plan.query {
    case .events(let columns, let byTime, let limit):
      final = try events(t, from: from, columns: columns, byTime: byTime, limit: limit)
    case .groups(let aggregation, let listNames):
      let (keyed, select) = try groups(t, from: from, aggregation, listNames: listNames)
      ctes.append(("keyed", keyed))
      final = select
    case .rules(let rules):
      let (hits, select) = try self.rules(t, from: from, rules)
      ctes.append(("hits", hits))
      final = select
    }
    // Written last: the translation above decided which parsed and derived columns it reads.
    let q = dialect.quote
    var baseColumns = ["s.*", "\(dialect.parseTime(q("eventTime"))) AS \(q(SQLTranslator.timeColumn))"]
    for name in t.parsedColumns { baseColumns.append("\(dialect.parseJSON(q(name))) AS \(q("j_" + name))") }
    let stamp = dialect.regexGroup(
      q("file_path"), "/[^/_]*_(?:[^/_]*_)*?([0-9]{8}T[0-9]{4})Z(?:_[^/]*|\\.[^/_]*)?\\z", 1)
    baseColumns.append("\(dialect.parseFileStamp(stamp)) AS \(q("file_delivered"))")
    var derived = ["b.*"]
    for column in t.derivedColumns {
      switch column.expression {
      case .single(let expression), .multiple(let expression): derived.append("\(expression) AS \(q(column.name))")
      }
    }
    var head: [(String, String)] = [
      ("base", "SELECT \(baseColumns.joined(separator: ",\n    ")) FROM \(source) s"),
      (
        "events",
        "SELECT \(derived.joined(separator: ",\n    ")) FROM base b\n  WHERE \(pruning(plan.scope, dialect: dialect))"
      ),
      ("matched", "SELECT * FROM events WHERE \(filter)"),
    ]
    if plan.dedupe {
      // One delivery per eventID (events without one are all kept), as --dedupe keeps the
      // first: copies of an event are the same event.
      head.append(
        (
          "deduped",
          "SELECT * FROM (SELECT m.*, row_number() OVER (PARTITION BY \(q("eventID")) ORDER BY \(q("file_path"))) "
            + "AS \(q("delivery")) FROM matched m) d WHERE \(q("eventID")) IS NULL OR \(q("delivery")) = 1"
        ))
    }
    let with = (head + ctes).map { "\($0.0) AS (\n  \($0.1)\n)" }.joined(separator: ", ")
    return "WITH \(with)\n\(final)"
  }

  /// The file filters: the same decisions as the local engine's `Pruning` (account and region
  /// folders, delivery time against `--since` and `--until` plus the slack), plus the day
  /// folders they imply, which partition projection turns into fewer objects read.
  static func pruning(_ scope: SQLScope, dialect: any SQLDialect) -> String {
    let t = SQLTranslator(dialect: dialect)
    let q = dialect.quote
    func orMissing(_ column: String, _ condition: String) -> String {
      dialect.fileColumnsMayBeNull ? "(\(q(column)) IS NULL OR \(condition))" : "(\(condition))"
    }
    var parts: [String] = []
    if !scope.accounts.isEmpty {
      parts.append(
        orMissing("file_account", scope.accounts.map { t.matches(q("file_account"), $0) }.joined(separator: " OR ")))
    }
    if !scope.regions.isEmpty {
      parts.append(
        orMissing("file_region", scope.regions.map { t.matches(q("file_region"), $0) }.joined(separator: " OR ")))
    }
    if let since = scope.since {
      parts.append(orMissing("file_day", "\(q("file_day")) >= \(dialect.string(dayFolder(since)))"))
      parts.append("(\(q("file_delivered")) IS NULL OR \(q("file_delivered")) >= \(dialect.timestamp(since)))")
    }
    if let until = scope.until {
      let last = until + scope.slack
      parts.append(orMissing("file_day", "\(q("file_day")) <= \(dialect.string(dayFolder(last)))"))
      parts.append("(\(q("file_delivered")) IS NULL OR \(q("file_delivered")) < \(dialect.timestamp(last)))")
    }
    return parts.isEmpty ? "TRUE" : parts.joined(separator: "\n    AND ")
  }

  /// `YYYY/MM/DD`, the day folder of an instant.
  static func dayFolder(_ time: Timestamp) -> String { time.date.replacingAll("-", with: "/") }

  // MARK: - Events

  static func events(_ t: SQLTranslator, from: String, columns: [Field]?, byTime: Bool, limit: Int?) throws(SQLError)
    -> String
  {
    let q = t.dialect.quote
    var select: [String] = []
    if let columns {
      for field in columns {
        switch try t.value(of: field) {
        case .single(let expression), .multiple(let expression):
          select.append("\(expression) AS \(q(field.description))")
        }
      }
    } else {
      select = SQLSchema.columns.map { q($0.name) }
    }
    var out = "SELECT \(select.joined(separator: ", ")) FROM \(from)"
    if byTime {
      // Oldest first, events without a time last (ties: by file, then eventID, as no engine
      // keeps the order of records in a file).
      out += "\nORDER BY \(q(SQLTranslator.timeColumn)) ASC NULLS LAST, \(q("file_path")), \(q("eventID"))"
    }
    if let limit { out += "\nLIMIT \(limit)" }
    return out
  }

  // MARK: - Groups

  static func groups(_ t: SQLTranslator, from: String, _ aggregation: Aggregation, listNames: [String]) throws(SQLError)
    -> (keyed: String, select: String)
  {
    let d = t.dialect
    let q = d.quote
    var keyed: [String] = [q(SQLTranslator.timeColumn)]
    var keys: [(name: String, column: String)] = []
    var explode: [String] = []
    if let span = aggregation.every {
      let bucket = d.truncate(q(SQLTranslator.timeColumn), toMultipleOf: span.seconds)
      keyed.append("\(t.timeText(bucket)) AS \(q("k0"))")
      keys.append(("bucket", q("k0")))
    }
    for (i, field) in aggregation.groupBy.enumerated() {
      let key = "k\(i + 1)"
      switch try t.value(of: field) {
      case .single(let expression):
        keyed.append("\(expression) AS \(q(key))")
      case .multiple(let array):
        // An event counts once per distinct value, and once under NULL when it has none.
        keyed.append("array_distinct(\(array)) AS \(q("a\(i + 1)"))")
        explode.append(d.explodeOuter(q("a\(i + 1)"), alias: "x\(i + 1)", column: q(key)))
      }
      keys.append((field.description, q(key)))
    }
    let outcome = try t.value(of: .outcome)
    guard case .single(let failed) = outcome else { throw SQLError("outcome has one value") }
    keyed.append("CASE WHEN \(failed) = 'failure' THEN 1 ELSE 0 END AS \(q("failed_event"))")
    var aggregates = [
      "count(*) AS \(q("count"))", "sum(\(q("failed_event"))) AS \(q("failed"))",
      "\(t.timeText("min(\(q(SQLTranslator.timeColumn)))")) AS \(q("firstSeen"))",
      "\(t.timeText("max(\(q(SQLTranslator.timeColumn)))")) AS \(q("lastSeen"))",
    ]
    if let distinct = aggregation.distinct {
      switch try t.value(of: distinct) {
      case .single(let expression):
        keyed.append("\(expression) AS \(q("distinct_value"))")
        aggregates.append("count(DISTINCT \(q("distinct_value"))) AS \(q("distinct"))")
      case .multiple(let array):
        keyed.append("\(array) AS \(q("distinct_values"))")
        aggregates.append(
          "\(d.size("array_distinct(\(d.flatten(d.collect(q("distinct_values")))))")) AS \(q("distinct"))")
      }
    }
    let names = listNames.count == aggregation.lists.count ? listNames : aggregation.lists.map { "\($0)s" }
    for (i, field) in aggregation.lists.enumerated() {
      keyed.append("\(try t.values(of: field)) AS \(q("l\(i)"))")
      aggregates.append("array_sort(array_distinct(\(d.flatten(d.collect(q("l\(i)")))))) AS \(q(names[i]))")
    }
    let outputs = keys.map { "\($0.column) AS \(q($0.name))" } + aggregates
    var select = "SELECT \(outputs.joined(separator: ", "))\nFROM keyed"
    if !explode.isEmpty { select += " " + explode.joined(separator: " ") }
    if !keys.isEmpty { select += "\nGROUP BY \(keys.map(\.column).joined(separator: ", "))" }
    var order: [String] = []
    switch aggregation.order {
    case .count: order.append("count(*) DESC")
    case .time: order.append("min(\(q(SQLTranslator.timeColumn))) ASC NULLS FIRST")
    }
    order += keys.map { "\($0.column) ASC NULLS FIRST" }
    select += "\nORDER BY \(order.joined(separator: ", "))"
    if let top = aggregation.top { select += "\nLIMIT \(top)" }
    return ("SELECT \(keyed.joined(separator: ",\n    ")) FROM \(from)", select)
  }

  // MARK: - Rules

  static func rules(_ t: SQLTranslator, from: String, _ rules: [SQLRule]) throws(SQLError) -> (
    hits: String, select: String
  ) {
    let d = t.dialect
    let q = d.quote
    guard !rules.isEmpty else { throw SQLError("no rules to run") }
    var matches: [String] = []
    var names: [String] = []
    var groups: [String] = []
    var thresholds: [String] = []
    for (i, rule) in rules.enumerated() {
      let condition: String
      do { condition = try t.condition(rule.predicate) } catch { throw SQLError("rule \(rule.id): \(error.message)") }
      matches.append("CASE WHEN \(condition) THEN \(i + 1) END")
      names.append("WHEN \(i + 1) THEN \(d.string(rule.id))")
      var entries: [(String, String)] = []
      for field in rule.groupBy {
        guard case .single(let expression) = try t.value(of: field) else {
          throw SQLError("rule \(rule.id): group-by \(field) has several values per event, which SQL cannot group here")
        }
        entries.append((field.description, expression))
      }
      groups.append("WHEN \(i + 1) THEN \(d.groupEntries(entries))")
      thresholds.append("WHEN \(i + 1) THEN \(rule.threshold)")
    }
    let x = t.variable()
    let hitList = d.filter(d.array(matches), x, "\(x) IS NOT NULL")
    let hits =
      "SELECT \(q("rule_index")), \(q(SQLTranslator.timeColumn)), CASE \(q("rule_index")) \(groups.joined(separator: " ")) END "
      + "AS \(q("grp"))\n  FROM (SELECT m.*, \(hitList) AS \(q("rule_hits")) FROM \(from) m) m "
      + d.explode("m.\(q("rule_hits"))", alias: "r", column: q("rule_index"))
    let time = q(SQLTranslator.timeColumn)
    let select = """
      SELECT \(q("rule")), \(q("group")), \(q("count")), \(t.timeText(q("first_ts"))) AS \(q("firstSeen")), \
      \(t.timeText(q("last_ts"))) AS \(q("lastSeen"))
      FROM (
        SELECT \(q("rule_index")), CASE \(q("rule_index")) \(names.joined(separator: " ")) END AS \(q("rule")), \
      \(q("grp")) AS \(q("group")), count(*) AS \(q("count")), min(\(time)) AS \(q("first_ts")), \
      max(\(time)) AS \(q("last_ts"))
        FROM hits
        GROUP BY \(q("rule_index")), \(q("grp"))
        HAVING count(*) > CASE \(q("rule_index")) \(thresholds.joined(separator: " ")) END
      ) findings
      ORDER BY \(q("rule_index")), \(q("count")) DESC, \(q("first_ts")) ASC NULLS FIRST
      """
    return (hits, select)
  }
}

extension String {
  func replacingOccurrences(_ target: String, with replacement: String) -> String {
    var out = ""
    var rest = Substring(self)
    while let range = rest.range(of: target) {
      out += rest[..<range.lowerBound]
      out += replacement
      rest = rest[range.upperBound...]
    }
    return out + rest
  }
}

extension Substring {
  func range(of target: String) -> Range<Substring.Index>? {
    guard !target.isEmpty else { return nil }
    var index = startIndex
    while index < endIndex {
      if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
      index = self.index(after: index)
    }
    return nil
  }
}
