// `sql`: one SQL statement over a store, read-only. The store is opened read-only and the
// connection refuses writes (`query_only`); statements SQLite does not judge read-only are
// refused before they run. A temporary view `events` adds the record itself as `json` (the
// stored records are compressed, docs/store.md), readable with SQLite's JSON functions.
import CSQLite

/// A read-only query over a store.
package final class StoreQuery {
  let connection: SQLiteConnection
  let decompressor: RecordDecompressor
  /// Files an ingest has not finished storing: the events it stored of them so far are in the
  /// tables, though they are in no other command's answer (`sql` says so).
  package let incompleteFiles: Int

  package init(path: String) throws {
    let store = try EventStore(path: path, readOnly: true)
    connection = store.connection
    decompressor = RecordDecompressor(dictionaries: try store.dictionaries())
    if case .integer(let count) = try connection.scalar(StoreColumns.incompleteFiles) {
      incompleteFiles = Int(count)
    } else {
      incompleteFiles = 0
    }
    registerFunctions(connection)
    sqlite3_create_function_v2(
      connection.handle, "record_json", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
      Unmanaged.passUnretained(decompressor).toOpaque(),
      { context, count, arguments in
        guard count == 1, let arguments, let value = arguments[0], let user = sqlite3_user_data(context),
          sqlite3_value_type(value) == SQLITE_BLOB, let blob = sqlite3_value_blob(value)
        else {
          sqlite3_result_null(context)
          return
        }
        let decompressor = Unmanaged<RecordDecompressor>.fromOpaque(user).takeUnretainedValue()
        let frame = UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_value_bytes(value)))
        let readable = decompressor.withRecord(frame) { text in
          sqlite3_result_text(
            context, text.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(text.count), transient)
        }
        if !readable { sqlite3_result_error(context, "record_json: not a record of this store", -1) }
      }, nil, nil, nil)
    try connection.execute(
      """
      CREATE TEMP VIEW events AS
        SELECT v.*, (SELECT record_json(r.record) FROM main.records r WHERE r.id = v.id) AS json FROM main.events v;
      PRAGMA query_only = 1;
      """)
  }

  /// Runs `sql` (one statement): `columns` gets the column names, then `row` each row.
  package func run(_ sql: String, columns: ([String]) throws -> Void, row: ([SQLValue]) throws -> Void) throws {
    var statement: OpaquePointer?
    var tail: UnsafePointer<CChar>?
    let status = sql.withCString { text in
      let status = sqlite3_prepare_v2(connection.handle, text, -1, &statement, &tail)
      // Anything but blanks and comments after the first statement is a second one.
      if status == SQLITE_OK, let tail, tail.pointee != 0 {
        var rest: OpaquePointer?
        let second = sqlite3_prepare_v2(connection.handle, tail, -1, &rest, nil)
        defer { sqlite3_finalize(rest) }
        if second != SQLITE_OK { return second }
        if rest != nil { return SQLITE_MISUSE }
      }
      return status
    }
    if status == SQLITE_MISUSE {
      sqlite3_finalize(statement)
      throw SQLiteError(code: status, message: "give one SQL statement")
    }
    guard status == SQLITE_OK else {
      sqlite3_finalize(statement)
      throw SQLiteError(code: status, message: connection.errorMessage)
    }
    guard let statement else { throw SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement") }
    let prepared = SQLiteStatement(statement, connection: connection)
    guard prepared.isReadOnly else {
      throw SQLiteError(code: SQLITE_READONLY, message: "the store is read-only here: give a statement that only reads")
    }
    try columns((0..<prepared.columnCount).map(prepared.columnName))
    while try prepared.step() {
      try row((0..<prepared.columnCount).map(prepared.value))
    }
  }
}
