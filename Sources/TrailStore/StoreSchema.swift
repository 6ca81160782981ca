// The store's schema, its version, and opening a store: created on first `ingest`, checked on
// every open (a store from a newer trail-scan is refused, an older one migrated step by step).
// docs/store.md documents each table and the migration rule.

import TrailScan

#if canImport(Glibc)
  import Glibc
#endif

/// The schema, as SQL.
package enum StoreSchema {
  /// The version this build writes and reads. Raise it with every change of the schema and add
  /// the step from the previous version to `migrations` (docs/store.md).
  package static let version = 3

  /// Steps from version N (the index + 1) to N + 1.
  static let migrations: [String] = [
    // 1 → 2: the record moves into its event's row (a view `records` keeps the old name), and
    // targets are kept in event order, with an index by target.
    """
    DROP VIEW IF EXISTS resources;
    ALTER TABLE event_rows ADD COLUMN record BLOB;
    UPDATE event_rows SET record = (SELECT r.record FROM records r WHERE r.id = event_rows.id);
    DROP TABLE records;
    CREATE VIEW records AS SELECT id, record FROM event_rows;
    CREATE TABLE targets_v2(event INTEGER NOT NULL, target TEXT NOT NULL, PRIMARY KEY(event, target)) WITHOUT ROWID;
    INSERT INTO targets_v2(event, target) SELECT event, target FROM targets ORDER BY event, target;
    DROP TABLE targets;
    ALTER TABLE targets_v2 RENAME TO targets;
    CREATE INDEX targets_target ON targets(target);
    CREATE VIEW resources AS SELECT target AS resource, event FROM targets;
    """,
    // 2 → 3: where the deliveries not stored are (`repeats`). A version-2 store did not note
    // them, so every file that holds one (it read more events than it stores) is marked
    // incomplete: the migrating `ingest` removes and reads those files again, which notes them.
    """
    \(repeatsTable)
    UPDATE files SET complete = 0
      WHERE complete = 1 AND alias IS NULL AND events > (SELECT count(*) FROM event_rows e WHERE e.file = files.id);
    """,
  ]

  /// One row per delivery read and not stored because its eventID and account were stored
  /// (docs/store.md): the file that holds it. When a file's events are removed, the files
  /// holding repeats of them are read again, so each event stays stored at its first delivery.
  static let repeatsTable = """
    CREATE TABLE repeats(eventID TEXT NOT NULL, account TEXT NOT NULL, file INTEGER NOT NULL);
    CREATE INDEX repeats_event ON repeats(eventID, account);
    CREATE INDEX repeats_file ON repeats(file);
    """

  /// The indexes for questions, which a first ingest builds after its inserts (sorting once
  /// beats keeping them in order row by row); every open of a writer makes sure they exist, so a
  /// run killed before building them leaves nothing missing.
  ///
  /// `event_rows_when` covers what an aggregation over a time window reads of each event
  /// (StoreGroups): its file, identity and error are in the index, so such a question reads no row;
  /// it replaces `event_rows_time` (its first columns), which stores from before it still have.
  static let questionIndexes = """
    DROP INDEX IF EXISTS event_rows_time;
    CREATE INDEX IF NOT EXISTS event_rows_when ON event_rows(ts, tsn, file, identity, error);
    CREATE INDEX IF NOT EXISTS event_rows_identity ON event_rows(identity);
    CREATE INDEX IF NOT EXISTS event_rows_action ON event_rows(action);
    CREATE INDEX IF NOT EXISTS event_rows_scope ON event_rows(account, region);
    CREATE INDEX IF NOT EXISTS targets_target ON targets(target);
    CREATE INDEX IF NOT EXISTS identities_principal ON identities(principal);
    CREATE INDEX IF NOT EXISTS identities_accessKey ON identities(accessKey);
    CREATE INDEX IF NOT EXISTS identities_origin ON identities(origin);
    CREATE INDEX IF NOT EXISTS identities_session ON identities(session);
    CREATE INDEX IF NOT EXISTS identities_userName ON identities(userName);
    CREATE INDEX IF NOT EXISTS identities_principalId ON identities(principalId);
    CREATE INDEX IF NOT EXISTS identities_actor ON identities(actor);
    """

  static let dropQuestionIndexes = """
    DROP INDEX IF EXISTS event_rows_time; DROP INDEX IF EXISTS event_rows_when;
    DROP INDEX IF EXISTS event_rows_identity;
    DROP INDEX IF EXISTS event_rows_action; DROP INDEX IF EXISTS event_rows_scope;
    DROP INDEX IF EXISTS targets_target; DROP INDEX IF EXISTS identities_principal;
    DROP INDEX IF EXISTS identities_accessKey; DROP INDEX IF EXISTS identities_origin;
    DROP INDEX IF EXISTS identities_session; DROP INDEX IF EXISTS identities_userName;
    DROP INDEX IF EXISTS identities_principalId; DROP INDEX IF EXISTS identities_actor;
    """

  static let create = """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
    CREATE TABLE dictionaries(id INTEGER PRIMARY KEY, dictionary BLOB NOT NULL);
    CREATE TABLE roots(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
    CREATE TABLE files(
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL,
      realpath TEXT NOT NULL UNIQUE,
      size INTEGER NOT NULL,
      mtime INTEGER NOT NULL,
      s3key TEXT,
      sha256 BLOB,
      events INTEGER NOT NULL DEFAULT 0,
      untimed INTEGER NOT NULL DEFAULT 0,
      complete INTEGER NOT NULL DEFAULT 0,
      alias INTEGER,
      ingested TEXT);
    CREATE INDEX files_s3key ON files(s3key) WHERE s3key IS NOT NULL;
    CREATE TABLE problems(
      file INTEGER NOT NULL, seq INTEGER NOT NULL, offset INTEGER, reason TEXT NOT NULL,
      PRIMARY KEY(file, seq)) WITHOUT ROWID;
    CREATE TABLE identities(
      id INTEGER PRIMARY KEY,
      principal TEXT, session TEXT, actor TEXT, userName TEXT, principalId TEXT, accessKey TEXT, type TEXT,
      irregular INTEGER NOT NULL DEFAULT 0,
      credential TEXT NOT NULL,
      origin TEXT);
    CREATE TABLE event_rows(
      id INTEGER PRIMARY KEY,
      file INTEGER NOT NULL, seq INTEGER NOT NULL, offset INTEGER NOT NULL, lake INTEGER NOT NULL,
      time TEXT, ts INTEGER, tsn INTEGER,
      eventName TEXT, eventSource TEXT, service TEXT, action TEXT,
      identity INTEGER,
      account TEXT, region TEXT, ip TEXT, error TEXT, userAgent TEXT, category TEXT, readOnly TEXT,
      eventID TEXT, eventType TEXT, recipientAccountId TEXT,
      record BLOB);
    CREATE UNIQUE INDEX event_rows_order ON event_rows(file, seq);
    CREATE UNIQUE INDEX event_rows_delivery ON event_rows(eventID, ifnull(recipientAccountId, ''))
      WHERE eventID IS NOT NULL;
    CREATE VIEW records AS SELECT id, record FROM event_rows;
    CREATE TABLE targets(event INTEGER NOT NULL, target TEXT NOT NULL, PRIMARY KEY(event, target)) WITHOUT ROWID;
    CREATE VIEW events AS
      SELECT e.id, f.path AS file, e.offset, e.time, substr(e.time, 1, 10) AS date, substr(e.time, 1, 13) AS hour,
        e.eventName, e.eventSource, e.service, e.action, i.principal, i.session, i.actor, i.origin, e.account,
        e.region, e.ip, e.error, CASE WHEN e.error IS NULL THEN 'success' ELSE 'failure' END AS outcome,
        i.accessKey, e.userAgent, e.category, i.type, e.readOnly, e.eventID, e.eventType, e.recipientAccountId,
        i.userName, i.principalId
      FROM event_rows e JOIN files f ON f.id = e.file LEFT JOIN identities i ON i.id = e.identity;
    CREATE VIEW resources AS SELECT target AS resource, event FROM targets;
    \(repeatsTable)
    """
}

/// SQLite's SQLITE_READONLY_ROLLBACK (SQLITE_READONLY | 3 << 8): a read-only connection met a
/// journal it must roll back.
let readOnlyRollback: Int32 = 776

/// A store file, open.
package final class EventStore {
  package let path: String
  package let connection: SQLiteConnection

  /// Opens the store at `path`; `create` makes a new one when the file is missing or empty.
  package init(path: String, readOnly: Bool, create: Bool = false) throws {
    self.path = path
    if readOnly || !create {
      var info = stat()
      guard stat(path, &info) == 0 else {
        throw StoredEventsError("\(path): no such store (trail-scan ingest PATH --store \(path) makes one)")
      }
    }
    if readOnly { Self.rollBackInterrupted(path) }
    do {
      connection = try SQLiteConnection(path: path, readOnly: readOnly)
    } catch {
      throw StoredEventsError("\(path): cannot open the store: \(error.message)")
    }
    try prepare(readOnly: readOnly, create: create)
  }

  /// An `ingest` killed in the middle of a transaction that had written pages into the store
  /// leaves their former content in a journal ("hot"), to be put back before the store is read;
  /// a read-only connection cannot put it back. So when a journal is there, the store is opened
  /// for writing once and read, which makes SQLite roll it back (a journal of a run still going
  /// is left alone: that run holds its lock). Without write access the read-only open then
  /// fails, and says so (`prepare`).
  static func rollBackInterrupted(_ path: String) {
    var info = stat()
    guard stat(path + "-journal", &info) == 0, info.st_size > 0,
      let connection = try? SQLiteConnection(path: path, readOnly: false)
    else { return }
    _ = try? connection.scalar("SELECT count(*) FROM sqlite_master")
  }

  func prepare(readOnly: Bool, create: Bool) throws {
    do {
      let tables = try connection.scalar("SELECT count(*) FROM sqlite_master")
      if tables == .integer(0) {
        guard create, !readOnly else { throw StoredEventsError("\(path): the store is empty (run ingest first)") }
        try connection.execute("PRAGMA page_size=8192")
        try connection.transaction {
          try connection.execute(StoreSchema.create)
          try connection.execute(StoreSchema.questionIndexes)
          try connection.execute("INSERT INTO meta VALUES ('schema_version', '\(StoreSchema.version)')")
        }
        return
      }
      let found = try connection.scalar("SELECT value FROM meta WHERE key = 'schema_version'")
      guard case .text(let text) = found, let version = Int(text) else {
        throw StoredEventsError("\(path): not a trail-scan store (no schema version)")
      }
      if version > StoreSchema.version {
        throw StoredEventsError(
          "\(path): store schema version \(version) is newer than this trail-scan reads (\(StoreSchema.version))")
      }
      if version < StoreSchema.version {
        guard !readOnly else {
          throw StoredEventsError(
            "\(path): store schema version \(version) is older than \(StoreSchema.version): "
              + "run trail-scan ingest --store on it once to migrate")
        }
        try connection.transaction {
          for step in StoreSchema.migrations[(version - 1)...] { try connection.execute(step) }
          try connection.execute("UPDATE meta SET value = '\(StoreSchema.version)' WHERE key = 'schema_version'")
        }
      }
    } catch let error as SQLiteError where error.code == readOnlyRollback {
      throw StoredEventsError(
        "\(path): an ingest was interrupted, and rolling back its unfinished transaction needs write access "
          + "to the store and its folder: run trail-scan ingest --store \(path) where it has")
    } catch let error as SQLiteError {
      throw StoredEventsError("\(path): not a trail-scan store: \(error.message)")
    }
  }

  /// The dictionaries records are compressed with.
  package func dictionaries() throws -> [RecordDictionary] {
    let statement = try connection.prepare("SELECT dictionary FROM dictionaries ORDER BY id")
    var result: [RecordDictionary] = []
    while try statement.step() { result.append(RecordDictionary(bytes: Array(statement.bytes(0)))) }
    return result
  }

  /// How many deliveries the store's complete files read and did not store, as repeats of an
  /// eventID and account already stored: the `repeats` rows of those files (aliases hold none).
  static func repeatedDeliveries(_ connection: SQLiteConnection) throws -> Int {
    let count = try connection.scalar(
      "SELECT count(*) FROM repeats WHERE file IN (SELECT id FROM files WHERE complete = 1 AND alias IS NULL)")
    guard case .integer(let value) = count else { return 0 }
    return Int(value)
  }

  /// The paths `ingest` was given, in the order first given.
  package func roots() throws -> [String] {
    let statement = try connection.prepare("SELECT path FROM roots ORDER BY id")
    var result: [String] = []
    while try statement.step() { result.append(statement.text(0) ?? "") }
    return result
  }
}
