// Issue 19: an event stored from one file and delivered again by another must not be lost when
// the first file changes, is left incomplete by a killed run, or the store is migrated: after the
// next ingest the store answers exactly what the archive answers with --dedupe.
import Foundation
import Testing
import TrailTestSupport

@Suite struct StoreRepeatLossTests {
  typealias Note = StoreRepeatNoteTests

  /// File A (first in path order) stores e-1…e-4; file B delivers e-1 and e-3 again.
  static func archive(_ folder: TemporaryDirectory) throws -> (archive: String, fileA: String) {
    try Note.file(folder, trail: "a-trail", name: "1005Z_a", (1...4).map { Note.event("e-\($0)", second: $0) })
    try Note.file(
      folder, trail: "b-trail", name: "1005Z_b", [Note.event("e-1", second: 1), Note.event("e-3", second: 3)])
    let fileA = Paths.files(under: URL(fileURLWithPath: folder.path("archive/a-trail"))).map(\.path)
    #expect(fileA.count == 1)
    return (folder.path("archive"), fileA.first ?? "")
  }

  /// Rewrites A in place without e-1 (and with e-9), so B holds e-1's only delivery.
  static func rewriteWithoutFirst(_ fileA: String) throws {
    let events = [2, 3, 4, 9].map { Note.event("e-\($0)", second: $0) }
    try "{\"Records\":[\(events.joined(separator: ","))]}".write(toFile: fileA, atomically: false, encoding: .utf8)
  }

  static func eventIDs(_ arguments: [String]) throws -> [String] {
    try TrailBinary.run(["search", "--format", "jsonl"] + arguments).lines.map { line in
      let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
      return row["eventID"] as? String ?? ""
    }
  }

  /// The store answers what the archive answers with --dedupe, and notes the archive's repeats.
  static func expectArchiveAnswers(_ archive: String, store: String) throws {
    let expected = try Note.repeats(in: [archive])
    #expect(try Note.total(["--store", store]) == Note.total([archive, "--dedupe"]))
    #expect(try eventIDs(["--store", store]) == eventIDs([archive, "--dedupe"]))
    #expect(try Note.recorded(store) == ["value", String(expected)])
    for question in [["search", "--format", "jsonl"], ["stats", "--by", "eventName", "--format", "jsonl"]] {
      try Note().expectNote(question, archive: archive, store: store, expected: expected)
    }
  }

  @Test func aChangedFirstDeliveryLeavesTheRepeatStored() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-changed")
    let (archive, fileA) = try Self.archive(folder)
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    try Self.expectArchiveAnswers(archive, store: store)
    try Self.rewriteWithoutFirst(fileA)
    let again = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("1 changed, replaced; 1 holding repeats"), "\(again.stderr)")
    #expect(try Self.eventIDs(["--store", store]).contains("e-1"), "e-1 lost")
    try Self.expectArchiveAnswers(archive, store: store)
    // Ingesting only A's folder reads B again too, from where it was: e-1 back in A, then out.
    try Note.file(
      folder, trail: "a-trail", name: "1005Z_a", [1, 2, 3, 4, 9].map { Note.event("e-\($0)", second: $0) })
    #expect(try TrailBinary.run(["ingest", folder.path("archive/a-trail"), "--store", store]).status == 0)
    try Self.rewriteWithoutFirst(fileA)
    let partOnly = try TrailBinary.run(["ingest", folder.path("archive/a-trail"), "--store", store])
    #expect(partOnly.status == 0 && partOnly.stderr.contains("1 holding repeats"), "\(partOnly.stderr)")
    try Self.expectArchiveAnswers(archive, store: store)
  }

  @Test func aDeletedFileKeepsItsEvents() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-deleted")
    let (archive, fileA) = try Self.archive(folder)
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    let before = try Self.eventIDs([archive, "--dedupe"])
    let repeats = try Note.repeats(in: [archive])
    try FileManager.default.removeItem(atPath: fileA)
    // A store keeps the events of files gone from the archive: nothing is removed, nothing lost.
    let again = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(again.status == 0 && again.stderr.contains("0 new, 1 skipped"), "\(again.stderr)")
    #expect(try Self.eventIDs(["--store", store]) == before)
    #expect(try Note.recorded(store) == ["value", String(repeats)])
  }

  /// The state a run killed after moving e-1's row into an incomplete A leaves (A's row with
  /// `complete = 0`, its rows committed), then A changed before the next run.
  @Test func anIncompleteFileChangedBeforeTheNextRunLosesNothing() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-incomplete")
    let (archive, fileA) = try Self.archive(folder)
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    try StoreCommandTests.alter(
      store,
      "UPDATE files SET complete = 0 WHERE path LIKE '%a-trail%'")
    try Self.rewriteWithoutFirst(fileA)
    let again = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(again.status == 0 && again.stderr.contains("2 left incomplete"), "\(again.stderr)")
    try Self.expectArchiveAnswers(archive, store: store)
    // And gone: B's delivery is stored, A's events are gone with A.
    try StoreCommandTests.alter(store, "UPDATE files SET complete = 0 WHERE path LIKE '%a-trail%'")
    try FileManager.default.removeItem(atPath: fileA)
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    try Self.expectArchiveAnswers(archive, store: store)
  }

  /// A version-2 store (no `repeats`) is refused by readers and migrated by ingest, which reads
  /// the files holding repeats again to note them: a later change loses nothing.
  @Test func aVersionTwoStoreIsMigratedWithItsRepeats() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-migrate")
    let (archive, fileA) = try Self.archive(folder)
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    try StoreCommandTests.alter(store, "DROP TABLE repeats; UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    let refused = try TrailBinary.run(["search", "--store", store])
    #expect(refused.status == 2 && refused.stderr.contains("schema version 2 is older than 3"), "\(refused.stderr)")
    let migrated = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(migrated.status == 0 && migrated.stderr.contains("1 left incomplete"), "\(migrated.stderr)")
    try Self.expectArchiveAnswers(archive, store: store)
    try Self.rewriteWithoutFirst(fileA)
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    try Self.expectArchiveAnswers(archive, store: store)
  }

  /// A run that moves e-1's row into a new file A and then stops at A's damage (--strict) removes
  /// A: B, which held e-1's other delivery, is read again by the next run, even once A no longer
  /// holds e-1.
  @Test func aStoppedFileThatTookARowLosesNothing() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-stopped")
    try Note.file(
      folder, trail: "b-trail", name: "1005Z_b", [Note.event("e-1", second: 1), Note.event("e-3", second: 3)])
    let archive = folder.path("archive")
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    let key = "a-trail/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T"
    let fileA = try folder.write(
      "archive/" + key + "1005Z_a.jsonl",
      [Note.event("e-1", second: 1), Note.event("e-2", second: 2), "{not json"].joined(separator: "\n") + "\n")
    let stopped = try TrailBinary.run(["ingest", archive, "--store", store, "--strict"])
    #expect(stopped.status == 2, "\(stopped.stderr)")
    try (Note.event("e-2", second: 2) + "\n").write(toFile: fileA, atomically: false, encoding: .utf8)
    let again = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try Self.eventIDs(["--store", store]).contains("e-1"), "e-1 lost")
    try Self.expectArchiveAnswers(archive, store: store)
  }
}
