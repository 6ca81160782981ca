// The query side's SQL over the store, in one place: which column holds each field (what
// Narrowing and the answers from columns read), the predicate translated exactly (every leaf a
// column answers as the event layer would, or no translation at all), and the one query that
// streams a row per matching event and value for an aggregation (StoreGroups). A change of the
// schema is followed here; docs/store.md says what each column holds.
import TrailEvent
import TrailQuery
import TrailTime

/// The store's tables and columns, as the query side reads them.
enum StoreColumns {
  /// A column holding a field's one value, and whether events marked irregular must be kept.
  struct Column {
    var sql: String
    /// The column is `userIdentity.userName` or `.principalId`, which a hostile record can give
    /// several values (its identity is then marked `irregular`).
    var irregular = false
    /// The column is in `identities i`.
    var onIdentities: Bool { sql.hasPrefix("i.") }
  }

  /// The column of a field stored as one value per event, or nil. `timeField`: the run takes
  /// times from another field, so the stored times (from `eventTime`) say nothing.
  static func column(_ field: Field, timeField: Bool) -> Column? {
    switch field {
    case .time: return timeField ? nil : Column(sql: "e.time")
    case .date: return timeField ? nil : Column(sql: "substr(e.time, 1, 10)")
    case .hour: return timeField ? nil : Column(sql: "substr(e.time, 1, 13)")
    case .service: return Column(sql: "e.service")
    case .action: return Column(sql: "e.action")
    case .principal: return Column(sql: "i.principal")
    case .session: return Column(sql: "i.session")
    case .actor: return Column(sql: "i.actor")
    case .origin: return Column(sql: "i.origin")
    case .account: return Column(sql: "e.account")
    case .region: return Column(sql: "e.region")
    case .ip: return Column(sql: "e.ip")
    case .error: return Column(sql: "e.error")
    case .outcome: return Column(sql: "(CASE WHEN e.error IS NULL THEN 'success' ELSE 'failure' END)")
    case .accessKey: return Column(sql: "i.accessKey")
    case .userAgent: return Column(sql: "e.userAgent")
    case .category: return Column(sql: "e.category")
    case .type: return Column(sql: "i.type")
    case .eventName: return Column(sql: "e.eventName")
    case .eventSource: return Column(sql: "e.eventSource")
    case .readOnly: return Column(sql: "e.readOnly")
    case .path(let segments) where segments == ["userIdentity", "userName"]:
      return Column(sql: "i.userName", irregular: true)
    case .path(let segments) where segments == ["userIdentity", "principalId"]:
      return Column(sql: "i.principalId", irregular: true)
    case .path, .target, .resource:
      return nil
    }
  }

  /// The column of a field that is exactly what `EventView.values(of:)` gives (at most one
  /// value). Not `date` and `hour` (a time before year 0 or after 9999 writes a longer date
  /// than the column's cut), nor `origin` (the run's resolver decides it).
  static func exactColumn(_ field: Field) -> Column? {
    switch field {
    case .date, .hour, .origin: return nil
    default: return column(field, timeField: false)
    }
  }

  /// The events whose identity meets `condition` (on `identities i`), through the identity index.
  static func identityIn(_ condition: String) -> String {
    "e.identity IN (SELECT i.id FROM identities i WHERE \(condition))"
  }

  /// The events with a target meeting `condition` (on the targets table's `target`).
  static func targetIn(_ condition: String) -> String { "e.id IN (SELECT event FROM targets WHERE \(condition))" }

  /// The events with any target.
  static let hasTarget = "e.id IN (SELECT event FROM targets)"

  /// `e.ts`/`e.tsn` at or after `since`, before `until` (exactly `Predicate.timeRange`). A
  /// bound on a whole second compares seconds alone: `tsn` is 0…999,999,999 wherever `ts` is
  /// set (a `Timestamp`'s nanoseconds), so the second's own events are all at or after it.
  static func timeRange(since: Timestamp?, until: Timestamp?) -> SQLCondition {
    var parts: [String] = []
    var values: [SQLValue] = []
    if let since, since.nanoseconds == 0 {
      parts.append("e.ts >= ?")
      values.append(.integer(since.seconds))
    } else if let since {
      parts.append("e.ts >= ? AND (e.ts > ? OR e.tsn >= ?)")
      values += [.integer(since.seconds), .integer(since.seconds), .integer(Int64(since.nanoseconds))]
    }
    if let until, until.nanoseconds == 0 {
      parts.append("e.ts < ?")
      values.append(.integer(until.seconds))
    } else if let until {
      parts.append("e.ts <= ? AND (e.ts < ? OR e.tsn < ?)")
      values += [.integer(until.seconds), .integer(until.seconds), .integer(Int64(until.nanoseconds))]
    }
    return SQLCondition(sql: parts.isEmpty ? "1" : parts.joined(separator: " AND "), values: values)
  }

  /// A read transaction around the statements of one question, and its end.
  static let beginReading = "BEGIN"
  static let endReading = "COMMIT"

  /// How many stored files an interrupted ingest left incomplete.
  static let incompleteFiles = "SELECT count(*) FROM files WHERE complete = 0"

  /// Whether any stored identity is irregular (then `userName`/`principalId` need the record).
  static let anyIrregularIdentity = "SELECT EXISTS (SELECT 1 FROM identities WHERE irregular = 1)"

  /// The identity columns with an index of their own (`StoreSchema.questionIndexes`), which
  /// lists every identity in the order of the column's value.
  static let indexedIdentityColumns: Set<String> = [
    "i.principal", "i.accessKey", "i.origin", "i.session", "i.userName", "i.principalId", "i.actor",
  ]

  /// Every identity's value of `column` and id, in the order of the values (through the
  /// column's index: equal values in a run).
  static func identitiesByValue(_ column: String) -> String {
    "SELECT \(column), i.id FROM identities i ORDER BY \(column)"
  }

  /// The largest identity id (a bound on how many identities there are).
  static let largestIdentity = "SELECT max(id) FROM identities"

  /// The id and identity columns `columns` of the identities from the id bound first on, in
  /// id order.
  static func identitiesFrom(_ columns: [String]) -> String {
    "SELECT \((["i.id"] + columns).joined(separator: ", ")) FROM identities i WHERE i.id >= ? ORDER BY i.id"
  }

  /// The query streaming one row per matching event: `e.id` (NULL unless `rowIDs`), `e.ts`,
  /// `e.tsn`, `e.error` (the event failed when it is not NULL), `e.eventID` (NULL unless
  /// `eventIDs`), then `columns`.
  static func eventRows(_ columns: [String], eventIDs: Bool, rowIDs: Bool, where condition: String) -> String {
    let fixed = [rowIDs ? "e.id" : "NULL", "e.ts", "e.tsn", "e.error", eventIDs ? "e.eventID" : "NULL"]
    let select = (fixed + columns).joined(separator: ", ")
    return "SELECT \(select) FROM event_rows e WHERE \(condition)"
  }

  /// (event, target) for every target of the matching events.
  static func targetsOfEvents(where condition: String) -> String {
    "SELECT t.event, t.target FROM targets t WHERE t.event IN (SELECT e.id FROM event_rows e WHERE \(condition))"
  }

  /// The identity of the event (identity columns are read by `identityValues`).
  static let identity = "e.identity"
  /// Only events with a time.
  static let timed = "e.ts IS NOT NULL"

  /// The file of the event.
  static let file = "e.file"
}

/// The predicate as SQL that holds exactly when it does, or nil when some leaf is not a column
/// that answers it exactly (patterns, Sigma leaves, IP networks, other paths, `origin`).
struct ExactCondition {
  var condition: SQLCondition
  /// For a condition on identities: its value for an event without an identity.
  var withoutIdentity = false

  /// The condition on `event_rows e`. `readsIrregular` is set when it reads
  /// `userIdentity.userName` or `.principalId`, exact only while no stored identity is irregular.
  static func translate(_ predicate: Predicate, readsIrregular: inout Bool) -> SQLCondition? {
    part(predicate, &readsIrregular)?.onEvents
  }

  var onEvents: SQLCondition {
    guard condition.onIdentities else { return condition }
    let test = StoreColumns.identityIn(condition.sql)
    return SQLCondition(
      sql: withoutIdentity ? "(e.identity IS NULL OR \(test))" : test, values: condition.values)
  }

  static func event(_ sql: String, _ values: [SQLValue] = []) -> ExactCondition {
    ExactCondition(condition: SQLCondition(sql: sql, values: values))
  }

  static func part(_ predicate: Predicate, _ readsIrregular: inout Bool) -> ExactCondition? {
    switch predicate {
    case .always:
      return event("1")
    case .and(let parts): return junction(parts, isAnd: true, &readsIrregular)
    case .or(let parts): return junction(parts, isAnd: false, &readsIrregular)
    case .not(let inner):
      // NULL (a missing value) is false before it is negated.
      guard let part = self.part(inner, &readsIrregular) else { return nil }
      var negated = part
      negated.condition.sql = "NOT coalesce((\(part.condition.sql)), 0)"
      negated.withoutIdentity = !part.withoutIdentity
      return negated
    case .matches(.target, let glob), .matches(.resource, let glob):
      let test = Narrowing.match("target", glob)
      return event(StoreColumns.targetIn(test.sql), test.values)
    case .matches(let field, let glob):
      guard let column = StoreColumns.exactColumn(field) else { return nil }
      if column.irregular { readsIrregular = true }
      var condition = Narrowing.match(column.sql, glob)
      condition.onIdentities = column.onIdentities
      return ExactCondition(condition: condition)
    case .exists(.target), .exists(.resource):
      return event(StoreColumns.hasTarget)
    case .exists(let field):
      guard let column = StoreColumns.exactColumn(field) else { return nil }
      if column.irregular { readsIrregular = true }
      return ExactCondition(
        condition: SQLCondition(sql: "\(column.sql) IS NOT NULL", values: [], onIdentities: column.onIdentities))
    case .timeRange(let since, let until):
      let range = StoreColumns.timeRange(since: since, until: until)
      return event(range.sql, range.values)
    case .inNetwork, .pattern, .sigma, .inGroups:
      return nil
    }
  }

  /// `and` (`isAnd`) or `or` of the parts.
  static func junction(_ parts: [Predicate], isAnd: Bool, _ readsIrregular: inout Bool) -> ExactCondition? {
    var translated: [ExactCondition] = []
    for part in parts {
      guard let condition = self.part(part, &readsIrregular) else { return nil }
      translated.append(condition)
    }
    guard !translated.isEmpty else { return event(isAnd ? "1" : "0") }
    if translated.count == 1 { return translated[0] }
    let separator = isAnd ? " AND " : " OR "
    if translated.allSatisfy(\.condition.onIdentities) {
      let sql = "(" + translated.map { "(\($0.condition.sql))" }.joined(separator: separator) + ")"
      let without =
        isAnd ? translated.allSatisfy(\.withoutIdentity) : translated.contains(where: \.withoutIdentity)
      return ExactCondition(
        condition: SQLCondition(sql: sql, values: translated.flatMap(\.condition.values), onIdentities: true),
        withoutIdentity: without)
    }
    let onEvents = translated.map(\.onEvents)
    return event(
      "(" + onEvents.map { "(\($0.sql))" }.joined(separator: separator) + ")", onEvents.flatMap(\.values))
  }
}
