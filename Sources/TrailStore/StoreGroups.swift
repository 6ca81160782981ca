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
    // The window's own bound already leaves out events without a time.
    if plan.hasTimeWindow && !Self.boundsTime(plan.predicate) {
      parts.append(SQLCondition(sql: StoreColumns.timed, values: []))
    }
    condition = Narrowing.join(parts, with: " AND ")
    // Events of files a scan would not read are left out as rows arrive (cheaper than in SQL).
    if statistics.filesPruned > 0 || hasUnlistedFiles { query.keptFiles = KeptFiles(kept) }

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

extension StoreSource {
  /// Whether `predicate` holds only for events with a time: it is, or joins with `and`, a
  /// time range with a bound.
  static func boundsTime(_ predicate: Predicate) -> Bool {
    switch predicate {
    case .timeRange(let since, let until): return since != nil || until != nil
    case .and(let parts): return parts.contains(where: boundsTime)
    default: return false
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
  typealias Counts = EventCounts

  let aggregation: Aggregation
  /// Counts by identity, when the question groups by one identity field alone.
  var byIdentity = IdentityCounts()
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
  /// Some key slot is `target`.
  var keyReadsTargets = false
  /// Only events of these files count (nil: of every file).
  var keptFiles: KeptFiles?
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
    keyReadsTargets = keySlots.contains(.target)
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
    let fileColumn = keptFiles == nil ? 0 : column(StoreColumns.file)
    let statement = try reader.statement(
      StoreColumns.eventRows(columns, eventIDs: dedupe, rowIDs: readsTargets, where: condition.sql))
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
      let failed = !statement.isNull(3)
      if let identityColumn {
        matched += 1
        let id: Int64? = statement.isNull(identityColumn) ? nil : Int64(statement.int(identityColumn))
        byIdentity.counts[byIdentity.index(id)].add(time: time, failed: failed)
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

  /// `finish` for counts by identity: the counts of identities with the same value of `column`
  /// merged as they are read (one group each, as the aggregator would merge them), then added.
  func finishByIdentity(_ reader: StoreReader, column: String, into aggregator: inout Aggregator) throws {
    // Keyed by the value's bytes as SQLite gives them: no String per identity.
    var merged = ByteKeyedGroups<Counts>()
    var isMerged = [Bool](repeating: false, count: byIdentity.counts.count)
    if try walksIndex(reader, column: column) {
      // Every identity in the order of its value, from the column's index (pages read in
      // order, a few values each): equal values come in a run, merged without a hash.
      let statement = try reader.statement(StoreColumns.identitiesByValue(column))
      defer { statement.reset() }
      var run: (value: [UInt8]?, counts: Counts)?
      func close() {
        guard let run else { return }
        if let value = run.value {
          value.withUnsafeBytes { merged.add($0, run.counts) }
        } else {
          merged.add(nil, run.counts)
        }
      }
      while try statement.step() {
        guard let index = byIdentity.position(of: Int64(statement.int(1))), !isMerged[index] else { continue }
        isMerged[index] = true
        let value = statement.textBytes(0)
        if let current = run, Self.same(current.value, value) {
          run?.counts.add(byIdentity.counts[index])
          continue
        }
        close()
        run = (value.map(Array.init), byIdentity.counts[index])
      }
      close()
    } else {
      try IdentityCounts.read(byIdentity.sortedIDs(), columns: [column], reader) { id, row in
        guard let index = byIdentity.position(of: id) else { return }
        merged.add(row.textBytes(1), byIdentity.counts[index])
        isMerged[index] = true
      }
    }
    // Events without an identity, and of an identity not found: no value.
    for index in isMerged.indices where !isMerged[index] {
      merged.add(nil, byIdentity.counts[index])
    }
    for (value, counts) in merged.entries {
      aggregator.add(
        key: [value], count: counts.count, failed: counts.failed, firstSeen: counts.firstSeen,
        lastSeen: counts.lastSeen)
    }
  }

  /// Whether `finishByIdentity` walks the index of `column` (every identity, in pages read in
  /// order) rather than reading the identities met by id (scattered pages): when they are half
  /// or more of all (at a quarter, both take as long).
  func walksIndex(_ reader: StoreReader, column: String) throws -> Bool {
    guard StoreColumns.indexedIdentityColumns.contains(column) else { return false }
    let statement = try reader.statement(StoreColumns.largestIdentity)
    defer { statement.reset() }
    guard try statement.step(), !statement.isNull(0) else { return false }
    return 2 * byIdentity.ids.count >= statement.int(0)
  }

  /// Whether two values (nil: NULL) are the same bytes.
  static func same(_ stored: [UInt8]?, _ value: UnsafeRawBufferPointer?) -> Bool {
    guard let stored, let value else { return stored == nil && value == nil }
    return stored.elementsEqual(value)
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
    let keyCount = keySlots.count
    guard keyReadsTargets && targets.count > 1 else {
      // One key: the row's values, with the one target (or none) in its slots.
      var key = Array(values[..<keyCount])
      if keyReadsTargets {
        let target = targets.first.map(Raw.text) ?? .null
        for i in key.indices where keySlots[i] == .target { key[i] = target }
      }
      return count(key, values: values, targets: targets, time: time, failed: failed)
    }
    let targetValues: [Raw] = targets.map(Raw.text)
    var keys: [[Raw]] = [[]]
    for (i, slot) in keySlots.enumerated() {
      if slot == .target {
        keys = keys.flatMap { prefix in targetValues.map { prefix + [$0] } }
      } else {
        for k in keys.indices { keys[k].append(values[i]) }
      }
    }
    for key in keys { count(key, values: values, targets: targets, time: time, failed: failed) }
  }

  /// Counts one event in the part of `key`, with its distinct and listed values (`values` after
  /// the key's; every target for a target slot).
  mutating func count(_ key: [Raw], values: [Raw], targets: Set<String>, time: Timestamp?, failed: Bool) {
    let distinctSlot = distinctSlot
    let listSlots = listSlots
    var index = keySlots.count
    func insert(_ slot: Slot, into set: inout Set<Raw>) {
      if slot == .target {
        for target in targets { set.insert(.text(target)) }
      } else if values[index] != .null {
        set.insert(values[index])
      }
      index += 1
    }
    modify(&parts[key, default: Part(lists: Array(repeating: [], count: listSlots.count))]) { part in
      part.add(time: time, failed: failed)
      if let distinctSlot { insert(distinctSlot, into: &part.distinct) }
      for i in listSlots.indices { insert(listSlots[i], into: &part.lists[i]) }
    }
  }

  /// Reads the identities' columns and the times as text, and adds every part to `aggregator`.
  func finish(_ reader: StoreReader, into aggregator: inout Aggregator) throws {
    if !byIdentity.ids.isEmpty, case .identity(let column, _)? = keySlots.first {
      return try finishByIdentity(reader, column: column, into: &aggregator)
    }
    var identityColumns: [String] = []
    for case .identity(let column, _) in allSlots where !identityColumns.contains(column) {
      identityColumns.append(column)
    }
    // The columns of each identity read, one after the other (no array per identity).
    var identities: [Int64: Int] = [:]
    var identityValues: [String?] = []
    if !identityColumns.isEmpty {
      var wanted = Set<Int64>()
      for (key, part) in parts {
        for (slot, value) in zip(keySlots, key) {
          if case .identity = slot, case .integer(let id) = value { wanted.insert(id) }
        }
        if case .identity? = distinctSlot { for case .integer(let id) in part.distinct { wanted.insert(id) } }
        for (slot, values) in zip(listSlots, part.lists) {
          if case .identity = slot { for case .integer(let id) in values { wanted.insert(id) } }
        }
      }
      identities.reserveCapacity(wanted.count)
      try IdentityCounts.read(wanted.sorted(), columns: identityColumns, reader) { id, row in
        identities[id] = identityValues.count
        for column in identityColumns.indices { identityValues.append(row.text(Int32(column + 1))) }
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
    for (key, part) in parts {
      let distinct: [String] = distinctSlot.map { slot in part.distinct.compactMap { text(slot, $0) } } ?? []
      let lists = zip(listSlots, part.lists).map { slot, values in values.compactMap { text(slot, $0) } }
      aggregator.add(
        key: zip(keySlots, key).map { text($0, $1) }, count: part.count, failed: part.failed,
        firstSeen: part.firstSeen, lastSeen: part.lastSeen, distinct: distinct, lists: lists)
    }
  }
}

/// The files whose events count (a scan would read them), found by id in a table while ids
/// are small (as a store's are: rowids from 1), else by hashing.
struct KeptFiles {
  var table: [Bool] = []
  var others = Set<Int>()

  init(_ ids: [Int]) {
    for id in ids {
      if id >= 0 && id < 1 << 22 {
        if id >= table.count { table += repeatElement(false, count: id + 1 - table.count) }
        table[id] = true
      } else {
        others.insert(id)
      }
    }
  }

  func contains(_ id: Int) -> Bool {
    id >= 0 && id < table.count ? table[id] : others.contains(id)
  }
}

/// The counts of each identity met (`nil`: events without one), found by id in a table while
/// ids are small (as a store's are: rowids from 1), else by hashing.
struct IdentityCounts {
  /// By id: the index in `ids`/`counts` plus one (0: not met yet).
  var slots: [Int32] = []
  /// The ids met, in the order met, and their counts.
  var ids: [Int64?] = []
  var counts: [GroupQuery.Counts] = []
  /// The indexes of `nil` and of ids outside the table.
  var others: [Int64?: Int] = [:]
  /// Ids below this are found in `slots` (4 bytes each).
  static let tableLimit: Int64 = 1 << 22

  /// The index in `counts` of `id`, added when first met.
  mutating func index(_ id: Int64?) -> Int {
    if let id, id >= 0, id < Self.tableLimit {
      let slot = Int(id)
      if slot >= slots.count {
        let grown = min(max(slot + 1, slots.count * 2, 1024), Int(Self.tableLimit))
        slots.append(contentsOf: repeatElement(0, count: grown - slots.count))
      }
      if slots[slot] != 0 { return Int(slots[slot]) - 1 }
      slots[slot] = Int32(ids.count + 1)
    } else {
      if let index = others[id] { return index }
      others[id] = ids.count
    }
    ids.append(id)
    counts.append(GroupQuery.Counts())
    return ids.count - 1
  }

  /// The index in `counts` of `id`, if met.
  func position(of id: Int64) -> Int? {
    if id >= 0 && id < slots.count {
      let slot = slots[Int(id)]
      return slot == 0 ? nil : Int(slot) - 1
    }
    return others[id]
  }

  /// The ids met but `nil`, in increasing order.
  func sortedIDs() -> [Int64] {
    var sorted: [Int64] = []
    sorted.reserveCapacity(ids.count)
    for slot in slots.indices where slots[slot] != 0 { sorted.append(Int64(slot)) }
    let outside = others.keys.compactMap { $0 }
    if !outside.isEmpty {
      sorted += outside
      sorted.sort()
    }
    return sorted
  }

  /// Reads `columns` of each identity of `ids` (increasing, each once): `found` gets the id and
  /// the row, whose columns from 1 on are `columns`. Ids close to the one before are reached by
  /// stepping on through the table, cheaper than a lookup (a reset and a search from the root)
  /// each.
  static func read(
    _ ids: [Int64], columns: [String], _ reader: StoreReader, found: (_ id: Int64, _ row: SQLiteStatement) -> Void
  ) throws {
    guard !ids.isEmpty else { return }
    let statement = try reader.statement(StoreColumns.identitiesFrom(columns))
    defer { statement.reset() }
    // Whether the statement stands on a row, and that row's id.
    var current: Int64?
    for id in ids {
      if let row = current, row <= id, id - row <= stepLimit {
        var at = row
        while at < id {
          guard try statement.step() else {
            current = nil
            break
          }
          at = Int64(statement.int(0))
          current = at
        }
        guard current != nil else { continue }
        if at != id { continue }
      } else {
        statement.reset()
        statement.bind(1, id)
        guard try statement.step() else {
          current = nil
          continue
        }
        current = Int64(statement.int(0))
        guard current == id else { continue }
      }
      found(id, statement)
    }
  }

  /// How far ahead (in ids) stepping on beats a new lookup.
  static let stepLimit: Int64 = 16
}

/// What a group counts of its events: how many, how many failed, the first and last time.
protocol Tally {
  var count: Int { get set }
  var failed: Int { get set }
  var firstSeen: Timestamp? { get set }
  var lastSeen: Timestamp? { get set }
}

extension EventCounts: Tally {}

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

/// Runs `body` on `value` in place (a dictionary's value through its subscript: one lookup).
func modify<T>(_ value: inout T, _ body: (inout T) -> Void) { body(&value) }
