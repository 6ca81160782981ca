// `stats`, `who` and `what` answered from the store's columns, without reading a record: when
// the whole question is exactly answerable from columns (StoreSQL), one query streams a row per
// matching event (and target); events are counted by their raw column values (identity ids,
// times), and the groups, once their keys are read, go into the engine's own Aggregator — the
// same keys, merging, order and top as a scan — with the files' problems and figures as a scan
// of the same stored files gives them. Anything else returns nil, and the records answer.
import TrailArchive
import TrailEvent
import TrailJSON
import TrailQuery
import TrailScan
import TrailTime

/// An aggregation answered from the store's columns: the groups, the problems of the files it
/// covers (reported again, as a scan of the store reports them), and the scan's figures.
package struct StoreGroups {
  package var rows: [GroupRow]
  package var problems: [Diagnostic]
  package var statistics: ScanStatistics
}

extension StoreSource {
  /// The groups of `aggregation` over the stored events `plan` matches, from columns; nil when
  /// some part of the question needs the records.
  package func groups(_ aggregation: Aggregation, plan: ScanPlan) throws -> StoreGroups? {
    guard plan.timeField == nil, plan.limits == JSONLimits(), plan.originResolver == nil else { return nil }
    var readsIrregular = false
    guard var condition = ExactCondition.translate(plan.predicate, readsIrregular: &readsIrregular) else {
      return nil
    }
    guard var query = GroupQuery(aggregation) else { return nil }

    // The files a scan reads: those pruning keeps, with their problems and figures.
    var statistics = ScanStatistics()
    var problems: [Diagnostic] = []
    var kept: [Int] = []
    for object in objects {
      if let pruning = plan.pruning, let reason = pruning.reason(toSkip: object) {
        statistics.filesPruned += 1
        if reason == .deliveredAfter { statistics.filesPrunedLate += 1 }
        continue
      }
      statistics.files += 1
      guard let info = files[object.path] else { continue }
      kept.append(info.id)
      problems += info.problems
      statistics.events += info.events
      if plan.hasTimeWindow { statistics.untimedExcluded += info.untimed }
    }
    // --strict stops at the first problem, between two records: the records answer.
    if plan.strict && !problems.isEmpty { return nil }
    statistics.diagnostics = problems.count
    var parts = [condition]
    if plan.hasTimeWindow { parts.append(SQLCondition(sql: StoreColumns.timed, values: [])) }
    condition = Narrowing.join(parts, with: " AND ")
    // Events of files a scan would not read are left out as rows arrive (cheaper than in SQL).
    if statistics.filesPruned > 0 || hasUnlistedFiles { query.keptFiles = Set(kept) }

    return try withReader { reader -> StoreGroups? in
      // One read transaction for every statement: not a lock and a check of the file each.
      try reader.connection.execute(StoreColumns.beginReading)
      defer { try? reader.connection.execute(StoreColumns.endReading) }
      if readsIrregular {
        let statement = try reader.statement(StoreColumns.anyIrregularIdentity)
        defer { statement.reset() }
        if try statement.step(), statement.int(0) != 0 { return nil }
      }
      guard try query.count(reader, condition: condition, dedupe: plan.dedupe) else { return nil }
      statistics.matched = query.matched
      var aggregator = Aggregator(aggregation)
      try query.finish(reader, into: &aggregator)
      return StoreGroups(rows: aggregator.rows(), problems: problems, statistics: statistics)
    }
  }
}

/// An aggregation as one query over the store's columns, and the events it streams grouped by
/// their raw values.
struct GroupQuery {
  /// How a grouping, distinct or listed field is read from a row.
  enum Slot: Equatable {
    /// A text column of the event, at this index of the row.
    case text(Int32)
    /// A column of the event's identity (read once per identity), the identity at this index.
    case identity(String, Int32)
    case time, date, hour
    /// The start of the `--every` bucket of this many seconds.
    case bucket(Int64)
    /// Every target of the event (the joined rows).
    case target
  }

  /// A value as the row gives it, before identities and times are read as text.
  enum Raw: Hashable {
    case null
    case integer(Int64)
    case instant(Int64, Int32)
    case text(String)
  }

  /// The events of one raw key.
  struct Part: Tally {
    var count = 0
    var failed = 0
    var firstSeen: Timestamp?
    var lastSeen: Timestamp?
    var distinct = Set<Raw>()
    var lists: [Set<Raw>]
  }

  /// The events of one identity, when the one grouping field is an identity's (plain values:
  /// nothing to retain or release per event).
  struct Counts: Tally {
    var count = 0
    var failed = 0
    var firstSeen: Timestamp?
    var lastSeen: Timestamp?
  }

  let aggregation: Aggregation
  /// Counts by identity id (`nil`: events without an identity), when the question groups by
  /// one identity field alone.
  var byIdentity: [Int64?: Counts] = [:]
  /// The key's slots: the bucket first when bucketing, then the grouping fields.
  var keySlots: [Slot] = []
  var distinctSlot: Slot?
  var listSlots: [Slot] = []
  /// keySlots, distinctSlot, listSlots: the raw values of a row, in this order.
  var allSlots: [Slot] = []
  /// Columns after the five fixed ones (`StoreColumns.eventRows`).
  var columns: [String] = []
  /// Some slot reads the event's targets.
  var readsTargets = false
  /// Only events of these files count (nil: of every file).
  var keptFiles: Set<Int>?
  var parts: [[Raw]: Part] = [:]
  var matched = 0

  init?(_ aggregation: Aggregation) {
    self.aggregation = aggregation
    if let span = aggregation.every {
      guard span.seconds > 0 else { return nil }
      keySlots.append(.bucket(span.seconds))
    }
    for field in aggregation.groupBy {
      guard let slot = slot(field) else { return nil }
      keySlots.append(slot)
    }
    if let distinct = aggregation.distinct {
      guard let slot = slot(distinct) else { return nil }
      distinctSlot = slot
    }
    for field in aggregation.lists {
      guard let slot = slot(field) else { return nil }
      listSlots.append(slot)
    }
    allSlots = keySlots + (distinctSlot.map { [$0] } ?? []) + listSlots
  }

  mutating func column(_ sql: String) -> Int32 {
    if let index = columns.firstIndex(of: sql) { return Int32(5 + index) }
    columns.append(sql)
    return Int32(5 + columns.count - 1)
  }

  mutating func slot(_ field: Field) -> Slot? {
    switch field {
    case .time: return .time
    case .date: return .date
    case .hour: return .hour
    case .target, .resource:
      readsTargets = true
      return .target
    default:
      guard let column = StoreColumns.exactColumn(field), !column.irregular else { return nil }
      if column.onIdentities { return .identity(column.sql, self.column(StoreColumns.identity)) }
      return .text(self.column(column.sql))
    }
  }

  /// Streams the matching events into `parts`; false when the answer needs the records
  /// (`--dedupe` meeting one eventID twice: which delivery it keeps depends on scan order).
  mutating func count(_ reader: StoreReader, condition: SQLCondition, dedupe: Bool) throws -> Bool {
    // The targets of the matching events first, in one pass over the targets table.
    var targets: [Int64: Set<String>] = [:]
    if readsTargets {
      let statement = try reader.statement(StoreColumns.targetsOfEvents(where: condition.sql))
      defer { statement.reset() }
      try statement.bind(condition.values)
      while try statement.step() {
        if let target = statement.text(1) { targets[Int64(statement.int(0)), default: []].insert(target) }
      }
    }
    let fileColumn = column(StoreColumns.file)
    let statement = try reader.statement(StoreColumns.eventRows(columns, eventIDs: dedupe, where: condition.sql))
    defer { statement.reset() }
    try statement.bind(condition.values)
    var eventIDs = Set<String>()
    // One grouping field of one value, nothing listed: each event counts in one part, keyed by
    // its raw value alone (no key array per event).
    let single = keySlots.count == 1 && allSlots.count == 1 && !readsTargets ? keySlots[0] : nil
    var singles: [Raw: Part] = [:]
    var identityColumn: Int32?
    if case .identity(_, let index)? = single { identityColumn = index }
    while try statement.step() {
      if let keptFiles, !keptFiles.contains(statement.int(fileColumn)) { continue }
      if dedupe, let eventID = statement.text(4), !eventIDs.insert(eventID).inserted { return false }
      let time =
        statement.isNull(1)
        ? nil : Timestamp(seconds: Int64(statement.int(1)), nanoseconds: Int32(truncatingIfNeeded: statement.int(2)))
      let failed = statement.int(3) != 0
      if let identityColumn {
        matched += 1
        let id: Int64? = statement.isNull(identityColumn) ? nil : Int64(statement.int(identityColumn))
        byIdentity[id, default: Counts()].add(time: time, failed: failed)
        continue
      }
      if let single {
        matched += 1
        singles[raw(single, statement), default: Part(lists: [])].add(time: time, failed: failed)
        continue
      }
      add(
        values: row(statement), targets: readsTargets ? targets[Int64(statement.int(0))] ?? [] : [], time: time,
        failed: failed)
    }
    for (value, part) in singles { parts[[value]] = part }
    return true
  }

  /// The raw value of every slot but `target`, in the order keySlots, distinct, lists.
  func row(_ statement: SQLiteStatement) -> [Raw] { allSlots.map { raw($0, statement) } }

  func raw(_ slot: Slot, _ statement: SQLiteStatement) -> Raw {
    switch slot {
    case .text(let index): return statement.text(index).map(Raw.text) ?? .null
    case .identity(_, let index): return statement.isNull(index) ? .null : .integer(Int64(statement.int(index)))
    case .time, .date, .hour, .bucket:
      guard !statement.isNull(1) else { return .null }
      let time = Timestamp(seconds: Int64(statement.int(1)), nanoseconds: Int32(truncatingIfNeeded: statement.int(2)))
      switch slot {
      case .time: return .instant(time.seconds, time.nanoseconds)
      case .date: return .integer(time.truncated(to: TimeSpan(seconds: 86400)).seconds)
      case .hour: return .integer(time.truncated(to: TimeSpan(seconds: 3600)).seconds)
      case .bucket(let span): return .integer(time.truncated(to: TimeSpan(seconds: span)).seconds)
      default: return .null
      }
    case .target: return .null
    }
  }

  /// Counts one event in each of its keys (the cartesian product of its values, as
  /// `Aggregator.keys(of:)` makes them).
  mutating func add(values: [Raw], targets: Set<String>, time: Timestamp?, failed: Bool) {
    matched += 1
    let targetValues: [Raw] = targets.map(Raw.text)
    func options(_ slot: Slot, _ value: Raw) -> [Raw] {
      guard slot == .target else { return [value] }
      return targetValues.isEmpty ? [.null] : targetValues
    }
    var keys: [[Raw]] = [[]]
    for (i, slot) in keySlots.enumerated() {
      let choices = options(slot, values[i])
      if choices.count == 1 {
        for k in keys.indices { keys[k].append(choices[0]) }
      } else {
        keys = keys.flatMap { prefix in choices.map { prefix + [$0] } }
      }
    }
    var index = keySlots.count
    var distinct: [Raw] = []
    if let slot = distinctSlot {
      distinct = options(slot, values[index]).filter { $0 != .null }
      index += 1
    }
    var lists: [[Raw]] = []
    for slot in listSlots {
      lists.append(options(slot, values[index]).filter { $0 != .null })
      index += 1
    }
    for key in keys {
      parts[key, default: Part(lists: Array(repeating: [], count: listSlots.count))].add(
        time: time, failed: failed, distinct: distinct, lists: lists)
    }
  }

  /// Reads the identities' columns and the times as text, and adds every part to `aggregator`.
  func finish(_ reader: StoreReader, into aggregator: inout Aggregator) throws {
    var identityColumns: [String] = []
    for case .identity(let column, _) in allSlots where !identityColumns.contains(column) {
      identityColumns.append(column)
    }
    // The columns of each identity read, one after the other (no array per identity).
    var identities: [Int64: Int] = [:]
    var identityValues: [String?] = []
    if !identityColumns.isEmpty {
      var ids = Set<Int64>(byIdentity.keys.compactMap { $0 })
      for (key, part) in parts {
        for (slot, value) in zip(keySlots, key) {
          if case .identity = slot, case .integer(let id) = value { ids.insert(id) }
        }
        if case .identity? = distinctSlot { for case .integer(let id) in part.distinct { ids.insert(id) } }
        for (slot, values) in zip(listSlots, part.lists) {
          if case .identity = slot { for case .integer(let id) in values { ids.insert(id) } }
        }
      }
      // One lookup by rowid each, in rowid order (pages read in order).
      let statement = try reader.statement(StoreColumns.identityValues(identityColumns))
      identities.reserveCapacity(ids.count)
      for id in ids.sorted() {
        statement.bind(1, id)
        defer { statement.reset() }
        if try statement.step() {
          identities[id] = identityValues.count
          for column in identityColumns.indices { identityValues.append(statement.text(Int32(column))) }
        }
      }
    }
    func text(_ slot: Slot, _ value: Raw) -> String? {
      switch (slot, value) {
      case (_, .null): return nil
      case (.identity(let column, _), .integer(let id)):
        guard let index = identityColumns.firstIndex(of: column) else { return nil }
        guard let start = identities[id] else { return nil }
        return identityValues[start + index]
      case (.time, .instant(let seconds, let nanoseconds)):
        return Timestamp(seconds: seconds, nanoseconds: nanoseconds).iso8601
      case (.date, .integer(let seconds)): return Timestamp(seconds: seconds).date
      case (.hour, .integer(let seconds)): return Timestamp(seconds: seconds).hour
      case (.bucket, .integer(let seconds)): return Timestamp(seconds: seconds).iso8601
      case (_, .text(let text)): return text
      default: return nil
      }
    }
    if !byIdentity.isEmpty, let slot = keySlots.first {
      for (id, counts) in byIdentity {
        aggregator.add(
          key: [id.flatMap { text(slot, .integer($0)) }], count: counts.count, failed: counts.failed,
          firstSeen: counts.firstSeen, lastSeen: counts.lastSeen)
      }
    }
    for (key, part) in parts {
      let distinct: [String] = distinctSlot.map { slot in part.distinct.compactMap { text(slot, $0) } } ?? []
      let lists = zip(listSlots, part.lists).map { slot, values in values.compactMap { text(slot, $0) } }
      aggregator.add(
        key: zip(keySlots, key).map { text($0, $1) }, count: part.count, failed: part.failed,
        firstSeen: part.firstSeen, lastSeen: part.lastSeen, distinct: distinct, lists: lists)
    }
  }
}

/// What a group counts of its events: how many, how many failed, the first and last time.
protocol Tally {
  var count: Int { get set }
  var failed: Int { get set }
  var firstSeen: Timestamp? { get set }
  var lastSeen: Timestamp? { get set }
}

extension Tally {
  mutating func add(time: Timestamp?, failed didFail: Bool) {
    count += 1
    if didFail { failed += 1 }
    if let time {
      if firstSeen.map({ time < $0 }) ?? true { firstSeen = time }
      if lastSeen.map({ time > $0 }) ?? true { lastSeen = time }
    }
  }
}

extension GroupQuery.Part {
  mutating func add(
    time: Timestamp?, failed didFail: Bool, distinct values: [GroupQuery.Raw], lists listed: [[GroupQuery.Raw]]
  ) {
    add(time: time, failed: didFail)
    if !values.isEmpty { distinct.formUnion(values) }
    for i in listed.indices where !listed[i].isEmpty { lists[i].formUnion(listed[i]) }
  }
}
