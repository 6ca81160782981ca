// A thin layer over SQLite's C API: a connection, prepared statements with typed binding and
// reading, transactions, and errors carrying SQLite's own message. Only what the store needs;
// each connection is used by one thread at a time.
import CSQLite

/// An error from SQLite, with its message (what `sql` prints, exit 2).
package struct SQLiteError: Error, Sendable, CustomStringConvertible {
  package var code: Int32
  package var message: String
  package init(code: Int32, message: String) {
    self.code = code
    self.message = message
  }
  package var description: String { message }
}

/// A value read from or bound to SQLite.
package enum SQLValue: Sendable, Equatable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob([UInt8])
}

/// SQLite's `SQLITE_TRANSIENT`: SQLite copies bound bytes before the call returns.
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Set once, before the first connection: SQLite keeps no memory statistics (each of its
/// allocations would otherwise take a global mutex).
let configured: Bool = trail_sqlite_disable_memstatus() == SQLITE_OK

/// One connection to a database file.
package final class SQLiteConnection {
  let handle: OpaquePointer

  /// Opens `path`: read-only, or read-write and created when missing.
  package init(path: String, readOnly: Bool) throws(SQLiteError) {
    _ = configured
    var db: OpaquePointer?
    let flags =
      (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
    let status = sqlite3_open_v2(path, &db, flags, nil)
    guard status == SQLITE_OK, let db else {
      let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
      if let db { sqlite3_close_v2(db) }
      throw SQLiteError(code: status, message: message)
    }
    handle = db
    sqlite3_extended_result_codes(db, 1)
    // Another process ingesting holds the write lock for a moment between batches.
    sqlite3_busy_timeout(db, 10_000)
  }

  deinit { sqlite3_close_v2(handle) }

  /// The last error's message.
  var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }

  func check(_ status: Int32) throws(SQLiteError) {
    guard status == SQLITE_OK || status == SQLITE_DONE || status == SQLITE_ROW else {
      throw SQLiteError(code: status, message: errorMessage)
    }
  }

  /// Runs `sql` (one or more statements, no results).
  package func execute(_ sql: String) throws(SQLiteError) {
    var error: UnsafeMutablePointer<CChar>?
    let status = sqlite3_exec(handle, sql, nil, nil, &error)
    if status != SQLITE_OK {
      let message = error.map { String(cString: $0) } ?? errorMessage
      sqlite3_free(error)
      throw SQLiteError(code: status, message: message)
    }
  }

  /// Prepares one statement.
  package func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
    var statement: OpaquePointer?
    try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil))
    guard let statement else { throw SQLiteError(code: SQLITE_MISUSE, message: "empty statement") }
    return SQLiteStatement(statement, connection: self)
  }

  /// Runs `body` in a transaction, committed when it returns and rolled back when it throws.
  package func transaction<T>(_ body: () throws -> T) throws -> T {
    try execute("BEGIN IMMEDIATE")
    do {
      let result = try body()
      try execute("COMMIT")
      return result
    } catch {
      try? execute("ROLLBACK")
      throw error
    }
  }

  /// Rows changed by the last statement.
  package var changes: Int { Int(sqlite3_changes(handle)) }

  /// The rowid of the last insert.
  package var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

  /// The first column of the first row of `sql`, if any.
  package func scalar(_ sql: String, _ values: [SQLValue] = []) throws(SQLiteError) -> SQLValue {
    let statement = try prepare(sql)
    try statement.bind(values)
    return try statement.step() ? statement.value(0) : .null
  }
}

/// A prepared statement, reset and rebound for each use.
package final class SQLiteStatement {
  let handle: OpaquePointer
  let connection: SQLiteConnection

  init(_ handle: OpaquePointer, connection: SQLiteConnection) {
    self.handle = handle
    self.connection = connection
  }

  deinit { sqlite3_finalize(handle) }

  /// Clears the bindings and rewinds.
  package func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  package func bind(_ index: Int32, _ value: Int64?) {
    if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
  }

  package func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

  package func bind(_ index: Int32, _ value: String?) {
    guard var value else {
      sqlite3_bind_null(handle, index)
      return
    }
    value.withUTF8 { text in
      guard let base = text.baseAddress, !text.isEmpty else {
        _ = sqlite3_bind_text(handle, index, "", 0, transient)
        return
      }
      base.withMemoryRebound(to: CChar.self, capacity: text.count) { pointer in
        _ = sqlite3_bind_text(handle, index, pointer, Int32(text.count), transient)
      }
    }
  }

  /// Binds `count` bytes at `start` as text (or, `blob`, a blob) without a copy: they must stay
  /// valid until the statement is reset (`run` resets it).
  func bind(_ index: Int32, static start: UnsafeRawPointer, count: Int, blob: Bool = false) {
    if blob {
      sqlite3_bind_blob(handle, index, start, Int32(count), nil)
    } else {
      sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(count), nil)
    }
  }

  package func bind(_ index: Int32, blob: [UInt8]?) {
    guard let blob else {
      sqlite3_bind_null(handle, index)
      return
    }
    blob.withUnsafeBytes { raw in
      _ = sqlite3_bind_blob(
        handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), transient)
    }
  }

  package func bind(_ index: Int32, _ value: SQLValue) {
    switch value {
    case .null: sqlite3_bind_null(handle, index)
    case .integer(let v): sqlite3_bind_int64(handle, index, v)
    case .real(let v): sqlite3_bind_double(handle, index, v)
    case .text(let v): bind(index, v)
    case .blob(let v): bind(index, blob: v)
    }
  }

  /// Binds `values` to parameters 1, 2, ….
  package func bind(_ values: [SQLValue]) throws(SQLiteError) {
    for (i, value) in values.enumerated() { bind(Int32(i + 1), value) }
  }

  /// Steps once: true when a row is ready.
  @discardableResult
  package func step() throws(SQLiteError) -> Bool {
    let status = sqlite3_step(handle)
    if status == SQLITE_ROW { return true }
    if status == SQLITE_DONE { return false }
    throw SQLiteError(code: status, message: connection.errorMessage)
  }

  /// Runs to completion (an insert, update or delete), then resets.
  package func run() throws(SQLiteError) {
    defer { reset() }
    while try step() {}
  }

  package var columnCount: Int32 { sqlite3_column_count(handle) }

  package func columnName(_ index: Int32) -> String {
    sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
  }

  package func isNull(_ index: Int32) -> Bool { sqlite3_column_type(handle, index) == SQLITE_NULL }

  package func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }

  package func text(_ index: Int32) -> String? {
    guard let pointer = sqlite3_column_text(handle, index) else { return nil }
    let count = Int(sqlite3_column_bytes(handle, index))
    return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
  }

  /// The bytes of a text column, valid until the next step or reset; nil for NULL.
  package func textBytes(_ index: Int32) -> UnsafeRawBufferPointer? {
    guard let pointer = sqlite3_column_text(handle, index) else { return nil }
    return UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, index)))
  }

  /// The column's bytes, valid until the next step or reset.
  package func bytes(_ index: Int32) -> UnsafeRawBufferPointer {
    let pointer = sqlite3_column_blob(handle, index)
    let count = Int(sqlite3_column_bytes(handle, index))
    guard let pointer, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: pointer, count: count)
  }

  package func value(_ index: Int32) -> SQLValue {
    switch sqlite3_column_type(handle, index) {
    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
    case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
    case SQLITE_TEXT: return .text(text(index) ?? "")
    case SQLITE_BLOB: return .blob(Array(bytes(index)))
    default: return .null
    }
  }

  /// Whether the statement only reads (SQLite's own judgement).
  package var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }
}
