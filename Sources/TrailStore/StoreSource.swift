// The store as a source of events for the engine (`--store FILE` on every command): it lists
// the stored files as the archive's objects, and for each gives back the stored records that
// may match the plan — narrowed by SQL on the indexed columns (Narrowing) — with the file's
// counts and problems, so the engine's predicate, sinks and statistics give the archive's answer.
import Synchronization
import TrailArchive
import TrailEvent
import TrailIdentity
import TrailQuery
import TrailScan

/// A store opened for reading by a scan.
package final class StoreSource: StoredEventSource, @unchecked Sendable {
  package let path: String
  /// The stored files, in scan order.
  package let objects: [ArchiveObject]
  /// The paths `ingest` was given.
  package let roots: [String]
  let dictionaries: [RecordDictionary]
  let files: [String: StoredFileInfo]
  /// The store holds events of files that `objects` does not list (a file an interrupted
  /// ingest left incomplete): SQL over all events must name the listed files.
  let hasUnlistedFiles: Bool
  /// Files an ingest has not finished storing (one is writing them, or stopped before it did):
  /// their events are left out of every answer until an ingest completes them.
  package let incompleteFiles: Int
  let readers = Mutex<[StoreReader]>([])
  /// The candidate rows of each file (in the order read), per narrowing condition.
  let candidateRows = Mutex<[String: [Int: [Int64]]]>([:])

  struct StoredFileInfo {
    var id: Int
    var events: Int
    var untimed: Int
    var problems: [Diagnostic]
  }

  package init(path: String) throws {
    self.path = path
    let store = try EventStore(path: path, readOnly: true)
    dictionaries = try store.dictionaries()
    roots = try store.roots()
    let list = try store.connection.prepare(
      "SELECT id, path, events, untimed FROM files WHERE alias IS NULL AND complete = 1 ORDER BY path, id")
    var objects: [ArchiveObject] = []
    var files: [String: StoredFileInfo] = [:]
    var byID: [Int: String] = [:]
    // Room for every file at once (the largest id bounds their number): no table grown and
    // rehashed step by step.
    if case .integer(let largest) = try store.connection.scalar("SELECT max(id) FROM files") {
      let capacity = Int(max(0, min(largest, 1 << 16)))
      objects.reserveCapacity(capacity)
      files.reserveCapacity(capacity)
      byID.reserveCapacity(capacity)
    }
    var unlisted = false
    while try list.step() {
      let filePath = list.text(1) ?? ""
      let info = StoredFileInfo(id: list.int(0), events: list.int(2), untimed: list.int(3), problems: [])
      // One hash of the path: the first row of a path (the lowest id) stays.
      if let first = files.updateValue(info, forKey: filePath) {
        files[filePath] = first
        unlisted = true
        continue
      }
      objects.append(ArchiveObject(path: filePath))
      byID[info.id] = filePath
    }
    let problems = try store.connection.prepare("SELECT file, offset, reason FROM problems ORDER BY file, seq")
    while try problems.step() {
      guard let filePath = byID[problems.int(0)] else { continue }
      files[filePath]?.problems.append(
        Diagnostic(
          path: filePath, offset: problems.isNull(1) ? nil : problems.int(1), reason: problems.text(2) ?? ""))
    }
    self.objects = objects
    self.files = files
    let incomplete = try store.connection.scalar(StoreColumns.incompleteFiles)
    if case .integer(let count) = incomplete { incompleteFiles = Int(count) } else { incompleteFiles = 0 }
    hasUnlistedFiles = unlisted || incompleteFiles > 0
    readers.withLock { $0.append(StoreReader(connection: store.connection, dictionaries: dictionaries)) }
  }

  /// The credential index of the stored events (what `origin` needs), read from the events
  /// that issue credentials.
  package func credentialIndex() throws -> CredentialIndex {
    try withReader { reader in try StoredCredentials.index(connection: reader.connection, dictionaries: dictionaries) }
  }

  /// How many repeated deliveries (an eventID and account already stored) the stored files held
  /// and the store keeps once: what its answers leave out of a scan of the archive without
  /// `--dedupe` (docs/store.md): the `repeats` rows of its complete files.
  package func repeatedDeliveries() throws -> Int {
    try withReader { reader in try EventStore.repeatedDeliveries(reader.connection) }
  }

  func withReader<T>(_ body: (StoreReader) throws -> T) throws -> T {
    let reader = try readers.withLock { $0.popLast() } ?? StoreReader(path: path, dictionaries: dictionaries)
    defer { readers.withLock { $0.append(reader) } }
    return try body(reader)
  }

  package func read(
    _ object: ArchiveObject, for plan: ScanPlan, file: (StoredFile) throws -> Void,
    record: (StoredRecord) throws -> Void
  ) throws {
    guard let info = files[object.path] else {
      return try file(StoredFile(events: 0, untimedLeftOut: 0, problems: []))
    }
    // A time window over times taken from another field cannot use the stored times: every
    // event is read, and the engine counts those without a time.
    let usesTimeField = plan.timeField != nil
    var condition =
      usesTimeField && plan.hasTimeWindow ? nil : Narrowing.condition(plan.predicate, timeField: usesTimeField)
    let excludesUntimed = plan.hasTimeWindow && !usesTimeField
    if excludesUntimed {
      let timed = SQLCondition(sql: "e.ts IS NOT NULL", values: [])
      condition = condition.map { Narrowing.join([timed, $0], with: " AND ") } ?? timed
    }
    try file(
      StoredFile(events: info.events, untimedLeftOut: excludesUntimed ? info.untimed : 0, problems: info.problems))
    do {
      try read(info.id, condition: condition, record)
    } catch let error as SQLiteError {
      throw StoredEventsError("\(path): \(error.message)")
    }
  }

  func read(_ id: Int, condition: SQLCondition?, _ record: (StoredRecord) throws -> Void) throws {
    try withReader { reader in
      guard let condition else { return try reader.records(file: id, record) }
      // The candidates of every file, found once by the indexes, then read by rowid.
      let key = condition.sql + "\u{0}" + condition.values.map { "\($0)" }.joined(separator: "\u{0}")
      let candidates: [Int: [Int64]]
      if let known = candidateRows.withLock({ $0[key] }) {
        candidates = known
      } else {
        candidates = try reader.candidates(condition)
        candidateRows.withLock { $0[key] = candidates }
      }
      guard let rows = candidates[id] else { return }
      try reader.records(rows, record)
    }
  }
}

/// One thread's connection, statements and decompressor (used by one thread at a time: the pool
/// hands it out).
final class StoreReader: @unchecked Sendable {
  let connection: SQLiteConnection
  let decompressor: RecordDecompressor
  var statements: [String: SQLiteStatement] = [:]

  init(connection: SQLiteConnection, dictionaries: [RecordDictionary]) {
    self.connection = connection
    decompressor = RecordDecompressor(dictionaries: dictionaries)
    registerFunctions(connection)
  }

  convenience init(path: String, dictionaries: [RecordDictionary]) throws {
    do {
      self.init(connection: try SQLiteConnection(path: path, readOnly: true), dictionaries: dictionaries)
    } catch {
      throw StoredEventsError("\(path): cannot open the store: \(error.message)")
    }
  }

  func statement(_ sql: String) throws -> SQLiteStatement {
    if let statement = statements[sql] { return statement }
    let statement = try connection.prepare(sql)
    statements[sql] = statement
    return statement
  }

  /// The rows meeting `condition`, by file, in the order they were read.
  func candidates(_ condition: SQLCondition) throws -> [Int: [Int64]] {
    let statement = try statement("SELECT e.file, e.id FROM event_rows e WHERE \(condition.sql) ORDER BY e.file, e.seq")
    defer { statement.reset() }
    try statement.bind(condition.values)
    var rows: [Int: [Int64]] = [:]
    while try statement.step() { rows[statement.int(0), default: []].append(Int64(statement.int(1))) }
    return rows
  }

  /// Every record of `file`, in the order they were read.
  func records(file: Int, _ body: (StoredRecord) throws -> Void) throws {
    let statement = try statement(
      "SELECT r.record, e.offset, e.lake FROM event_rows e JOIN records r ON r.id = e.id WHERE e.file = ? ORDER BY e.seq"
    )
    defer { statement.reset() }
    statement.bind(1, file)
    while try statement.step() { try pass(statement, body) }
  }

  /// The records of `rows`, in that order.
  func records(_ rows: [Int64], _ body: (StoredRecord) throws -> Void) throws {
    let statement = try statement(
      "SELECT r.record, e.offset, e.lake FROM event_rows e JOIN records r ON r.id = e.id WHERE e.id = ?")
    for row in rows {
      statement.bind(1, row)
      defer { statement.reset() }
      if try statement.step() { try pass(statement, body) }
    }
  }

  func pass(_ statement: SQLiteStatement, _ body: (StoredRecord) throws -> Void) throws {
    let offset = statement.int(1)
    let lake = statement.int(2) != 0
    let readable = try decompressor.withRecord(statement.bytes(0)) { text in
      try body(StoredRecord(bytes: text, offset: offset, isLakeEvent: lake))
    }
    // A record that does not decompress is reported by the engine as not JSON.
    if !readable {
      try body(StoredRecord(bytes: UnsafeRawBufferPointer(start: nil, count: 0), offset: offset, isLakeEvent: lake))
    }
  }
}
