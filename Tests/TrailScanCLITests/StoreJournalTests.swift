// The store's rollback journal through the binary: a writer killed in the middle of a
// transaction that had already written pages into the store leaves a "hot" journal; the next
// command reading the store must roll it back and answer from the last commit, or, when it
// cannot write there, say so (exit 2); once filled, a store is kept in WAL mode.
import Foundation
import Testing
import TrailTestSupport

@Suite struct StoreJournalTests {
  static let question = ["stats", "--by", "eventName", "--format", "jsonl"]

  /// A store of the sample archive, and its answer to `question`.
  func sampleStore(_ folder: TemporaryDirectory) throws -> (store: String, answer: RunResult) {
    let store = folder.path("trail.db")
    let ingest = try StoreCommandTests.ingest(["Fixtures/archives/sample"], store: store)
    try #require(ingest.status == 0, "\(ingest.stderr)")
    let answer = try TrailBinary.run(Self.question + ["--store", store])
    try #require(answer.status == 0 && !answer.lines.isEmpty, "\(answer.stderr)")
    return (store, answer)
  }

  /// Rewrites every event's name in a transaction whose pages go to the store before it commits
  /// (a tiny cache spills them), then kills the writer: a hot journal holds the old pages, the
  /// state of a store's first run (its fill, with a journal) killed in a transaction.
  func killWriterMidTransaction(_ store: String) throws {
    let folder = try TemporaryDirectory(prefix: "store-journal-python")
    let script = try folder.write(
      "kill.py",
      """
      import os, signal, sqlite3, sys
      db = sqlite3.connect(sys.argv[1], isolation_level=None)
      db.execute('PRAGMA journal_mode=DELETE')  # as while the store is filled
      db.execute('PRAGMA cache_size=2')
      db.execute('BEGIN IMMEDIATE')
      db.execute("UPDATE event_rows SET eventName = 'Hijacked', record = zeroblob(3000)")
      os.kill(os.getpid(), signal.SIGKILL)
      """)
    let run = try TrailBinary.shell("python3 '\(script)' '\(store)'")
    try #require(run.status != 0, "the writer was not killed")
    let journal = try FileManager.default.attributesOfItem(atPath: store + "-journal")
    try #require((journal[.size] as? Int ?? 0) > 0, "no journal left")
  }

  @Test func readersRollBackAKilledWritersJournal() throws {
    let folder = try TemporaryDirectory(prefix: "store-journal")
    let (store, answer) = try sampleStore(folder)
    try killWriterMidTransaction(store)
    let after = try TrailBinary.run(Self.question + ["--store", store])
    #expect(after.status == 0, "\(after.stderr)")
    #expect(after.out == answer.out)
    #expect(!after.out.contains("Hijacked"))
    #expect(!FileManager.default.fileExists(atPath: store + "-journal"))
    // Records too (search reads them, not columns), and the next ingest finds nothing to do.
    try killWriterMidTransaction(store)
    let search = try TrailBinary.run(["search", "--store", store, "--format", "jsonl", "--limit", "3"])
    #expect(search.status == 0 && search.lines.count == 3, "\(search.stderr)")
    let again = try StoreCommandTests.ingest(["Fixtures/archives/sample"], store: store)
    #expect(again.status == 0 && StoreCommandTests.counts(again.stderr)?.new == 0, "\(again.stderr)")
    #expect(try TrailBinary.run(Self.question + ["--store", store]).out == answer.out)
  }

  /// A reader that may not write next to the store cannot roll the journal back: it says what
  /// happened and what to do, and answers nothing (not the half-written transaction).
  /// (Reading as another user needs root and util-linux's setpriv, as CI has.)
  @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
  func aReaderThatCannotRollBackSaysSo() throws {
    let folder = try TemporaryDirectory(prefix: "store-journal-readonly")
    let (store, _) = try sampleStore(folder)
    try killWriterMidTransaction(store)
    let binary = folder.path("trail-scan")
    try FileManager.default.copyItem(atPath: TrailBinary.url.path, toPath: binary)
    for (path, mode) in [(folder.path, 0o755), (store, 0o644), (store + "-journal", 0o644), (binary, 0o755)] {
      try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }
    let question = (Self.question + ["--store", store]).map { "'\($0)'" }.joined(separator: " ")
    let out = folder.path("out")
    let run = try TrailBinary.shell(
      "cd / && /usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups '\(binary)' \(question) > '\(out)'")
    let stderr = String(decoding: run.stderr, as: UTF8.self)
    #expect(run.status == 2, "\(stderr)")
    #expect(stderr.contains("\(store): an ingest was interrupted"), "\(stderr)")
    #expect(stderr.contains("run trail-scan ingest --store"), "\(stderr)")
    #expect((try? String(contentsOfFile: out, encoding: .utf8)) == "")
    #expect(FileManager.default.fileExists(atPath: store + "-journal"))
  }

  /// A store is filled with a journal and then kept in WAL mode (readers and the writer never
  /// wait for each other); the runs after it write in WAL mode, their answers exact.
  @Test func aFilledStoreIsKeptInWALMode() throws {
    let folder = try TemporaryDirectory(prefix: "store-journal-wal")
    let archive = folder.path("archive")
    try StoreCommandTests.generate(archive, events: 2000)
    let store = folder.path("trail.db")
    let regions = try FileManager.default.subpathsOfDirectory(atPath: archive).filter {
      $0.hasSuffix("CloudTrail/us-east-1") || $0.hasSuffix("CloudTrail/eu-west-1")
    }.map { archive + "/" + $0 }
    try #require(regions.count >= 2, "\(regions)")
    let first = try StoreCommandTests.ingest([regions[0]], store: store)
    try #require(first.status == 0, "\(first.stderr)")
    #expect(try Self.journalMode(store) == "wal")
    let second = try StoreCommandTests.ingest([archive], store: store)
    #expect(second.status == 0 && StoreCommandTests.counts(second.stderr)?.skipped ?? 0 > 0, "\(second.stderr)")
    #expect(try Self.journalMode(store) == "wal")
    let fromStore = try TrailBinary.run(Self.question + ["--store", store])
    let fromArchive = try TrailBinary.run(Self.question + [archive, "--dedupe"])
    #expect(fromStore.out == fromArchive.out && !fromStore.lines.isEmpty)
  }

  /// Files an ingest has not finished storing are left out of the answers, and the answers say
  /// how many; a complete store says nothing of the kind.
  @Test func answersSayWhichFilesAnIngestHasNotFinished() throws {
    let folder = try TemporaryDirectory(prefix: "store-incomplete")
    let (store, answer) = try sampleStore(folder)
    #expect(!answer.stderr.contains("has not finished"), "\(answer.stderr)")
    try StoreCommandTests.alter(store, "UPDATE files SET complete = 0 WHERE id IN (SELECT min(id) FROM files);")
    for question in [Self.question, ["search", "--format", "jsonl"], ["sql", "SELECT 1 AS one"]] {
      let run = try TrailBinary.run(question + ["--store", store])
      #expect(run.status == 0, "\(question): \(run.stderr)")
      if question[0] == "sql" {
        // `sql` reads the tables as they are: it says what they hold.
        #expect(
          run.stderr.contains(
            "trail-scan: the store holds 1 file(s) an ingest has not finished storing (one is writing them, "
              + "or stopped first): the tables hold the events of them stored so far"), "\(run.stderr)")
      } else {
        #expect(
          run.stderr.contains(
            "trail-scan: left out: 1 file(s) an ingest has not finished storing (one is writing them, or stopped "
              + "first; trail-scan ingest --store \(store) completes them)"), "\(question): \(run.stderr)")
      }
    }
    let again = try StoreCommandTests.ingest(["Fixtures/archives/sample"], store: store)
    #expect(again.status == 0, "\(again.stderr)")
    let after = try TrailBinary.run(Self.question + ["--store", store])
    #expect(after.out == answer.out && !after.stderr.contains("has not finished"), "\(after.stderr)")
  }

  static func journalMode(_ store: String) throws -> String {
    try StoreCommandTests.python(
      "import sqlite3, sys\nprint(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])", [store]
    ).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
