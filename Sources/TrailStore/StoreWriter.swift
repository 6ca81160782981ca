// The one writer of a store: file rows, events with their identity and targets, problems, and
// the transactions that make a killed run harmless (a file's row is marked complete in the same
// transaction as its last events; incomplete files are removed at the next start).
import TrailArchive
import TrailEvent
import TrailIdentity
import TrailJSON
import TrailScan
import TrailTime

#if canImport(Glibc)
  import Glibc
#endif

final class StoreWriter {
  let store: EventStore
  var connection: SQLiteConnection { store.connection }
  /// Stored files by real path: (id, size, modification time, complete).
  var files: [String: (id: Int, size: Int64, modified: Int64)] = [:]
  /// Paths of stored files by id (to order deliveries of one event).
  var paths: [Int: String] = [:]
  var identities: [IdentityKey: Int64] = [:]

  let insertEvent: SQLiteStatement
  let insertTarget: SQLiteStatement
  let insertIdentity: SQLiteStatement
  let findDelivery: SQLiteStatement
  let moveEvent: SQLiteStatement
  let readRecord: SQLiteStatement
  let insertRepeat: SQLiteStatement
  /// The credentials issued by the events this run stored (for `origin`), and whether they are
  /// all the store's: false once the store held events before the run, or a stored event was
  /// replaced; then `origin` is resolved from the stored events instead.
  var credentials = CredentialIndex()
  var credentialsComplete: Bool
  /// This run fills an empty store, with a rollback journal (`write(filling:)`).
  var filling = false

  init(store: EventStore) throws {
    self.store = store
    let connection = store.connection
    try connection.execute("PRAGMA wal_autocheckpoint=20000; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536")
    try connection.execute(StoreSchema.questionIndexes)
    insertEvent = try connection.prepare(
      """
      INSERT INTO event_rows(file, seq, offset, lake, ts, tsn, identity, time, eventName, eventSource, service, action,
        account, region, ip, error, userAgent, category, readOnly, eventID, eventType, recipientAccountId, record)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
      ON CONFLICT DO NOTHING
      """)
    insertTarget = try connection.prepare("INSERT OR IGNORE INTO targets(event, target) VALUES (?1, ?2)")
    insertIdentity = try connection.prepare(
      """
      INSERT INTO identities(principal, session, actor, userName, principalId, accessKey, type, irregular, credential)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
      """)
    findDelivery = try connection.prepare(
      "SELECT id, file, seq FROM event_rows WHERE eventID = ?1 AND ifnull(recipientAccountId, '') = ?2")
    moveEvent = try connection.prepare(
      "UPDATE event_rows SET file = ?1, seq = ?2, offset = ?3, lake = ?4 WHERE id = ?5")
    readRecord = try connection.prepare("SELECT record FROM event_rows WHERE id = ?1")
    insertRepeat = try connection.prepare("INSERT INTO repeats(eventID, account, file) VALUES (?1, ?2, ?3)")
    credentialsComplete =
      try connection.scalar("SELECT count(*) FROM (SELECT 1 FROM event_rows LIMIT 1)") == .integer(0)
    let fileRows = try connection.prepare("SELECT id, path, realpath, size, mtime FROM files")
    while try fileRows.step() {
      let id = fileRows.int(0)
      paths[id] = fileRows.text(1) ?? ""
      files[fileRows.text(2) ?? ""] = (id, Int64(fileRows.int(3)), Int64(fileRows.int(4)))
    }
    let identityRows = try connection.prepare(
      "SELECT id, principal, session, actor, userName, principalId, accessKey, type, irregular, credential FROM identities"
    )
    while try identityRows.step() {
      let key = IdentityKey(
        principal: identityRows.text(1), session: identityRows.text(2), actor: identityRows.text(3),
        userName: identityRows.text(4), principalId: identityRows.text(5), accessKey: identityRows.text(6),
        type: identityRows.text(7), irregular: identityRows.int(8) != 0, credential: identityRows.text(9) ?? "")
      identities[key] = Int64(identityRows.int(0))
    }
  }

  /// How this run writes. A run that fills a store (no events once the files to read again are
  /// cleared: a first run, or one that resumes a killed first run) writes with a rollback
  /// journal: each page once, into the store, where WAL writes it twice, to its log and at the
  /// checkpoint (a fifth of the run). Every other run writes in WAL mode, where readers and the
  /// writer never wait for each other (a question left open while an hourly ingest adds files).
  /// Either way a killed run loses only its open transaction; a journal it leaves is rolled back
  /// by the next opener, reader or writer (`EventStore.rollBackInterrupted`). A mode is changed
  /// only with the store to itself: with a reader in it, the mode stays as it is.
  func write(filling: Bool) {
    self.filling = filling
    _ = try? connection.execute(filling ? "PRAGMA journal_mode=DELETE" : "PRAGMA journal_mode=WAL")
  }

  /// Switches a store just filled to WAL mode for the runs and readers after (`write(filling:)`);
  /// while a reader has it open it stays as it is, and the next run switches it.
  func keepInWAL() {
    guard filling else { return }
    _ = try? connection.execute("PRAGMA journal_mode=WAL")
  }

  enum Known {
    case same
    case changed(Int)
    case unknown
  }

  func known(_ identity: FileIdentity) -> Known {
    guard let stored = files[identity.realPath] else { return .unknown }
    return stored.size == identity.size && stored.modified == identity.modified ? .same : .changed(stored.id)
  }

  /// Stored files with this S3 key and size, and their hashes.
  func hashes(s3Key: String, size: Int64) -> [(id: Int, sha256: [UInt8])] {
    guard
      let statement = try? connection.prepare(
        "SELECT id, sha256 FROM files WHERE s3key = ?1 AND size = ?2 AND sha256 IS NOT NULL AND complete = 1")
    else { return [] }
    statement.bind(1, s3Key)
    statement.bind(2, size)
    var result: [(id: Int, sha256: [UInt8])] = []
    while (try? statement.step()) == true { result.append((statement.int(0), Array(statement.bytes(1)))) }
    return result
  }

  /// Files whose events were removed to be read again (kept as rows with `complete = 0`, so a
  /// run killed before reading them leaves them to the next): id → (path as walked, real path).
  var pending: [Int: (path: String, realPath: String)] = [:]

  /// Removes the events of the files an earlier run left incomplete (and of the files that hold
  /// repeats of them); returns how many files.
  func clearIncomplete() throws -> Int {
    let statement = try connection.prepare("SELECT id FROM files WHERE complete = 0")
    var ids: [Int] = []
    while try statement.step() { ids.append(statement.int(0)) }
    return try clear(ids).count
  }

  /// Removes the events, repeats and problems of `ids` and marks them incomplete, to be read
  /// again (`pending`); and so for every file that holds a repeated delivery of an event they
  /// stored, or is an alias of one: that delivery is then the event's first left in the store,
  /// so it must be read again for the event to stay stored (issue 19). One transaction: a run
  /// killed after it leaves every such file incomplete, which the next run clears and reads.
  /// Returns the files cleared.
  @discardableResult
  func clear(_ ids: [Int]) throws -> Set<Int> {
    var queue = ids
    var cleared = Set<Int>()
    // Credentials of removed events may be in this run's index: resolve from the stored events.
    if !ids.isEmpty { credentialsComplete = false }
    try connection.transaction {
      let dependents = try connection.prepare(
        """
        SELECT DISTINCT r.file FROM event_rows e
          JOIN repeats r ON r.eventID = e.eventID AND r.account = ifnull(e.recipientAccountId, '')
          WHERE e.file = ?1 AND e.eventID IS NOT NULL AND r.file != ?1
        UNION SELECT id FROM files WHERE alias = ?1
        """)
      while let id = queue.popLast() {
        guard cleared.insert(id).inserted else { continue }
        dependents.bind(1, id)
        while try dependents.step() { queue.append(dependents.int(0)) }
        dependents.reset()
        try connection.execute(
          """
          DELETE FROM targets WHERE event IN (SELECT id FROM event_rows WHERE file = \(id));
          DELETE FROM event_rows WHERE file = \(id);
          DELETE FROM repeats WHERE file = \(id);
          DELETE FROM problems WHERE file = \(id);
          UPDATE files SET complete = 0, events = 0, untimed = 0, sha256 = NULL, alias = NULL WHERE id = \(id);
          """)
      }
    }
    let rows = try connection.prepare("SELECT path, realpath FROM files WHERE id = ?1")
    for id in cleared {
      rows.bind(1, id)
      if try rows.step() { pending[id] = (rows.text(0) ?? "", rows.text(1) ?? "") }
      rows.reset()
    }
    return cleared
  }

  /// Removes a cleared file's row (it is not read again: gone, or unreadable).
  func removeFile(_ id: Int) throws {
    try connection.execute("DELETE FROM files WHERE id = \(id)")
    pending[id] = nil
    paths[id] = nil
    if let real = files.first(where: { $0.value.id == id })?.key { files[real] = nil }
  }

  func remember(roots: [String]) throws {
    let statement = try connection.prepare("INSERT OR IGNORE INTO roots(path) VALUES (?1)")
    try connection.transaction {
      for root in roots {
        statement.bind(1, root)
        try statement.run()
      }
    }
  }

  func add(_ dictionary: RecordDictionary) throws {
    let statement = try connection.prepare("INSERT OR REPLACE INTO dictionaries(id, dictionary) VALUES (?1, ?2)")
    statement.bind(1, Int64(dictionary.id))
    statement.bind(2, blob: dictionary.bytes)
    try statement.run()
  }

  /// Writes what the workers send until they are done.
  func consume(
    _ queue: IngestQueue, jobs: [IngestJob], transactionSize: Int, summary: inout IngestSummary,
    onProblem: (Diagnostic) -> Void, stop: () -> Void, onProgress: ((_ files: Int, _ events: Int) -> Void)? = nil
  ) throws {
    var fileIDs: [Int: Int] = [:]
    // Files of this run cleared by an unreadable file's removal: the rest of what the workers
    // send for them is dropped, and they stay incomplete for the next run to read.
    var dropped = Set<Int>()
    var inTransaction = false
    var written = 0
    // For the progress line: files finished and events received so far.
    var filesDone = 0
    var eventsSeen = 0
    let now = Self.timestamp()
    func begin() throws {
      if !inTransaction {
        try connection.execute("BEGIN IMMEDIATE")
        inTransaction = true
      }
    }
    func fileID(_ job: Int) throws -> Int {
      if let id = fileIDs[job] { return id }
      let info = jobs[job]
      // A file cleared to be read again keeps its row (and id) until it is complete again.
      let statement = try connection.prepare(
        info.fileID == nil
          ? "INSERT INTO files(path, realpath, size, mtime, s3key, complete, ingested) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)"
          : "UPDATE files SET path = ?1, realpath = ?2, size = ?3, mtime = ?4, s3key = ?5, complete = 0, ingested = ?6 "
            + "WHERE id = ?7")
      statement.bind(1, info.object.path)
      statement.bind(2, info.identity.realPath)
      statement.bind(3, info.identity.size)
      statement.bind(4, info.identity.modified)
      statement.bind(5, info.s3Key)
      statement.bind(6, now)
      if let reused = info.fileID { statement.bind(7, reused) }
      try statement.run()
      let id = info.fileID ?? Int(connection.lastInsertRowID)
      pending[id] = nil
      fileIDs[job] = id
      paths[id] = info.object.path
      return id
    }
    do {
      while let message = queue.take() {
        try begin()
        switch message {
        case .batch(let job, let rows):
          let file = try fileID(job)
          if dropped.contains(file) { continue }
          let path = jobs[job].object.path
          let identityIDs = try rows.identityList.map(identityID)
          try rows.bytes.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            for row in 0..<rows.count {
              try insert(row, of: rows, identityIDs, base: base, file: file, path: path, summary: &summary)
            }
          }
          written += rows.count
          eventsSeen += rows.count
        case .done(let job, let outcome):
          filesDone += 1
          let file = try fileID(job)
          for problem in outcome.problems { onProblem(problem) }
          if dropped.contains(file) { continue }
          if outcome.unreadable || outcome.stopped {
            // Not stored: the next run reads it again.
            try connection.execute("COMMIT")
            inTransaction = false
            // Its events go, and the files holding repeats of them are left incomplete for the
            // next run to read again (this run's list of files is made).
            dropped.formUnion(try clear([file]))
            try removeFile(file)
            summary.unreadableFiles += 1
            if outcome.stopped { stop() }
            continue
          }
          try finish(file, outcome)
          files[jobs[job].identity.realPath] = (file, jobs[job].identity.size, jobs[job].identity.modified)
          if outcome.aliasOf != nil {
            summary.skippedFiles += 1
          } else {
            summary.newFiles += 1
            summary.eventsRead += outcome.events
            if !outcome.problems.isEmpty { summary.damagedFiles += 1 }
          }
        }
        onProgress?(filesDone, eventsSeen)
        if written >= transactionSize {
          try connection.execute("COMMIT")
          inTransaction = false
          written = 0
        }
      }
      if inTransaction { try connection.execute("COMMIT") }
    } catch {
      if inTransaction { try? connection.execute("ROLLBACK") }
      throw error
    }
    summary.changedFiles = min(summary.changedFiles, summary.newFiles)
  }

  func finish(_ file: Int, _ outcome: FileOutcome) throws {
    let statement = try connection.prepare(
      "UPDATE files SET events = ?1, untimed = ?2, sha256 = ?3, complete = 1, alias = ?4 WHERE id = ?5")
    statement.bind(1, outcome.events)
    statement.bind(2, outcome.untimed)
    statement.bind(3, blob: outcome.sha256)
    statement.bind(4, outcome.aliasOf)
    statement.bind(5, file)
    try statement.run()
    let problem = try connection.prepare("INSERT INTO problems(file, seq, offset, reason) VALUES (?1, ?2, ?3, ?4)")
    for (i, diagnostic) in outcome.problems.enumerated() {
      problem.bind(1, file)
      problem.bind(2, i)
      problem.bind(3, diagnostic.offset)
      problem.bind(4, diagnostic.reason)
      try problem.run()
    }
  }

  func identityID(_ key: IdentityKey) throws -> Int64 {
    if let id = identities[key] { return id }
    let s = insertIdentity
    s.bind(1, key.principal)
    s.bind(2, key.session)
    s.bind(3, key.actor)
    s.bind(4, key.userName)
    s.bind(5, key.principalId)
    s.bind(6, key.accessKey)
    s.bind(7, key.type)
    s.bind(8, key.irregular ? 1 : 0)
    s.bind(9, key.credential)
    try s.run()
    let id = connection.lastInsertRowID
    identities[key] = id
    return id
  }

  /// Binds `slot` of event `row` to parameter `index`, from the batch's bytes (no copy).
  func bind(
    _ statement: SQLiteStatement, _ index: Int32, _ rows: EventBatch, _ row: Int, _ slot: Slot,
    base: UnsafeRawPointer
  ) {
    guard let span = rows.span(row, slot) else { return statement.bind(index, nil as Int64?) }
    statement.bind(index, static: base + span.start, count: span.count, blob: slot == .record)
  }

  func insert(
    _ row: Int, of rows: EventBatch, _ identityIDs: [Int64], base: UnsafeRawPointer, file: Int, path: String,
    summary: inout IngestSummary
  ) throws {
    let ref = Int(rows.identityRefs[row])
    let identity = ref < 0 ? nil : identityIDs[ref]
    let s = insertEvent
    s.bind(1, file)
    s.bind(2, rows.number(row, 0))
    s.bind(3, rows.number(row, 1))
    s.bind(4, rows.number(row, 2))
    let seconds = rows.number(row, 3)
    s.bind(5, seconds == EventBatch.null ? nil : seconds)
    let nanoseconds = rows.number(row, 4)
    s.bind(6, nanoseconds == EventBatch.null ? nil : nanoseconds)
    s.bind(7, identity)
    for slot in Slot.allCases { bind(s, Int32(8 + slot.rawValue), rows, row, slot, base: base) }
    try s.run()
    guard connection.changes == 1 else {
      try deliveredAgain(row, of: rows, identityIDs, base: base, file: file, path: path, summary: &summary)
      return
    }
    let id = connection.lastInsertRowID
    for target in stride(from: rows.targetSpans(row).lowerBound, to: rows.targetSpans(row).upperBound, by: 2) {
      insertTarget.bind(1, id)
      insertTarget.bind(2, static: base + rows.targets[target], count: rows.targets[target + 1])
      try insertTarget.run()
    }
    if credentialsComplete, !rows.credentials.isEmpty, let issued = rows.credentials[row] { credentials.merge(issued) }
    summary.eventsStored += 1
  }

  /// An event already stored (same eventID and recipientAccountId): the store keeps the
  /// delivery that comes first in file order, as a scan with `--dedupe` would.
  func deliveredAgain(
    _ row: Int, of rows: EventBatch, _ identityIDs: [Int64], base: UnsafeRawPointer, file: Int, path: String,
    summary: inout IngestSummary
  ) throws {
    summary.duplicates += 1
    /// Notes that `holder` holds a delivery of this event that is not stored.
    func noteRepeat(in holder: Int) throws {
      bind(insertRepeat, 1, rows, row, .eventID, base: base)
      if rows.span(row, .recipientAccountId) == nil {
        insertRepeat.bind(2, "")
      } else {
        bind(insertRepeat, 2, rows, row, .recipientAccountId, base: base)
      }
      insertRepeat.bind(3, holder)
      try insertRepeat.run()
    }
    bind(findDelivery, 1, rows, row, .eventID, base: base)
    if rows.span(row, .recipientAccountId) == nil {
      findDelivery.bind(2, "")
    } else {
      bind(findDelivery, 2, rows, row, .recipientAccountId, base: base)
    }
    defer { findDelivery.reset() }
    guard try findDelivery.step() else { return try noteRepeat(in: file) }
    let id = Int64(findDelivery.int(0))
    let storedFile = findDelivery.int(1)
    let storedSeq = findDelivery.int(2)
    findDelivery.reset()
    let seq = Int(rows.number(row, 0))
    let storedPath = paths[storedFile] ?? ""
    let earlier =
      path.utf8.lexicographicallyPrecedes(storedPath.utf8)
      || (path == storedPath && (file < storedFile || (file == storedFile && seq < storedSeq)))
    guard earlier else { return try noteRepeat(in: file) }
    // The stored delivery becomes the repeat, in its file.
    try noteRepeat(in: storedFile)
    readRecord.bind(1, id)
    let record = rows.span(row, .record).map { UnsafeRawBufferPointer(start: base + $0.start, count: $0.count) }
    let same = try readRecord.step() && record.map { readRecord.bytes(0).elementsEqual($0) } == true
    readRecord.reset()
    if same {
      moveEvent.bind(1, file)
      moveEvent.bind(2, seq)
      moveEvent.bind(3, rows.number(row, 1))
      moveEvent.bind(4, rows.number(row, 2))
      moveEvent.bind(5, id)
      try moveEvent.run()
      return
    }
    // A different record under the same identity: replace it whole (the credentials it issued
    // go with it, so `origin` is then resolved from the stored events).
    credentialsComplete = false
    try connection.execute("DELETE FROM targets WHERE event = \(id); DELETE FROM event_rows WHERE id = \(id)")
    try insert(row, of: rows, identityIDs, base: base, file: file, path: path, summary: &summary)
    summary.duplicates -= 1
    summary.eventsStored -= 1
  }

  /// Recomputes `origin` for every identity from the credentials the stored events issue.
  func resolveOrigins(dictionaries: [RecordDictionary]) throws {
    let index =
      credentialsComplete
      ? credentials : try StoredCredentials.index(connection: connection, dictionaries: dictionaries)
    let rows = try connection.prepare("SELECT id, credential, origin FROM identities")
    var updates: [(Int64, String?)] = []
    while try rows.step() {
      let origin = Self.origin(of: rows.bytes(1), in: index)
      if origin != rows.text(2) { updates.append((Int64(rows.int(0)), origin)) }
    }
    let update = try connection.prepare("UPDATE identities SET origin = ?1 WHERE id = ?2")
    try connection.transaction {
      for (id, origin) in updates {
        update.bind(1, origin)
        update.bind(2, id)
        try update.run()
      }
    }
  }

  /// `OriginReference(encoded:)` resolved in `index`, split on the bytes (U+001F is a control
  /// character, a grapheme of its own, so splitting bytes splits exactly where `String` would).
  static func origin(of encoded: UnsafeRawBufferPointer, in index: CredentialIndex) -> String? {
    let parts = encoded.split(separator: 0x1F, maxSplits: 4, omittingEmptySubsequences: false)
    guard parts.count == 5 else { return nil }
    func text(_ part: Slice<UnsafeRawBufferPointer>) -> String? {
      part.isEmpty ? nil : String(decoding: part, as: UTF8.self)
    }
    return index.chain(
      key: text(parts[0]), session: text(parts[1]), console: parts[2].elementsEqual([UInt8(ascii: "1")]),
      principal: String(decoding: parts[4], as: UTF8.self), temporary: parts[3].elementsEqual([UInt8(ascii: "1")])
    ).origin
  }

  static func timestamp() -> String {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Timestamp(seconds: Int64(spec.tv_sec)).iso8601
  }
}

/// The credential index of the stored events (TrailIdentity), read from the events that can
/// issue credentials only.
package enum StoredCredentials {
  package static func index(connection: SQLiteConnection, dictionaries: [RecordDictionary]) throws -> CredentialIndex {
    let statement = try connection.prepare(
      """
      SELECT e.record, e.lake FROM event_rows e
      WHERE e.eventSource IN ('sts.amazonaws.com', 'signin.amazonaws.com')
      """)
    let decompressor = RecordDecompressor(dictionaries: dictionaries)
    let document = JSONDocument()
    var index = CredentialIndex()
    while try statement.step() {
      let lake = statement.int(1) != 0
      _ = decompressor.withRecord(statement.bytes(0)) { text in
        guard (try? document.parse(text, limits: JSONLimits(maxRecordSize: 1 << 30, maxDepth: 1024))) != nil else {
          return
        }
        index.add(
          EventView(
            reopening: document.root, asLakeEvent: lake, limits: JSONLimits(maxRecordSize: 1 << 30, maxDepth: 1024)))
      }
    }
    return index
  }
}
