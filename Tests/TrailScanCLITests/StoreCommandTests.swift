// The event store (issue 19) through the binary: every command answers from `--store` exactly
// what it answers on the archive (stdout, stderr and exit status) on the sample archive, a
// generated archive and the shared corpus; incremental runs read only new or changed files; a
// run killed with SIGKILL is completed by the next with exact counts; events two trails deliver
// are stored once; `sql` agrees with counts computed independently (Foundation over the files,
// Python's sqlite3 over the store file).
import Foundation
import Testing
import TrailTestSupport

@Suite struct StoreCommandTests {
  /// Questions asked of an archive and of its store; `--dedupe` is added to archive runs of
  /// commands that take it (the store keeps each event once, at its first delivery).
  static let questions: [[String]] = [
    ["search", "--format", "jsonl"],
    ["search", "--format", "json", "--event-source", "s3"],
    ["search", "--format", "csv", "--fields", "time,principal,action,target,origin"],
    ["search", "--format", "table", "--error", "--fields", "time,actor,error"],
    ["search", "--format", "jsonl", "--sort", "time", "--limit", "5"],
    [
      "search", "--format", "jsonl", "--where", "{ $.eventName = \"ConsoleLogin\" || $.errorCode = \"AccessDenied*\" }",
    ],
    ["search", "--format", "jsonl", "--ip", "!10.0.0.0/8", "--read-only"],
    ["search", "--format", "jsonl", "--principal", "*Role*", "--no-error"],
    ["search", "--format", "jsonl", "--since", "2024-01-01", "--until", "2024-05-14T12:00:00Z"],
    ["search", "--format", "jsonl", "--origin", "arn:aws:iam::*:user/*", "--fields", "origin"],
    ["search", "--format", "jsonl", "--rule", "cis.root-usage"],
    ["stats", "--by", "principal", "--format", "jsonl"],
    ["stats", "--by", "action,error", "--every", "1h", "--format", "csv"],
    ["stats", "--by", "target", "--distinct", "ip", "--format", "jsonl"],
    ["stats", "--by", "origin,account", "--format", "jsonl"],
    ["stats", "--by", "date,region", "--since", "2024-05-14", "--format", "table"],
    ["stats", "--by", "requestParameters.bucketName", "--access-key", "AKIA*", "--format", "jsonl"],
    ["who", "--action", "s3:*", "--format", "jsonl"],
    ["who", "--action", "iam:CreateUser", "--format", "jsonl"],
    ["who", "--resource", "arn:aws:s3:::*", "--format", "json"],
    ["what", "--principal", "ReadOnly", "--format", "jsonl"],
    ["what", "--principal", "arn:aws:iam::*:user/*", "--error", "--format", "jsonl"],
    ["timeline", "--format", "jsonl"],
    ["timeline", "--format", "csv", "--type", "AssumedRole", "--limit", "20"],
    ["fields", "--format", "jsonl"],
    ["fields", "--format", "jsonl", "--event-source", "iam"],
    ["check", "--format", "json"],
    ["check", "--format", "sarif", "--rules", "Fixtures/sigma/cloudtrail"],
    ["check", "--pattern", "{ $.eventName = \"ConsoleLogin\" }", "--every", "1h", "--format", "jsonl"],
    ["trace", "--origin", "*", "--format", "jsonl"],
    ["policy", "--principal", "*"],
  ]

  static func ingest(_ paths: [String], store: String, _ extra: [String] = []) throws -> RunResult {
    try TrailBinary.run(["ingest"] + paths + ["--store", store] + extra)
  }

  /// Asks every question of `paths` and of `store`; each must give the same stdout, stderr and
  /// exit status, but for the store's note of the repeated deliveries it kept once, which must
  /// give the number a scan of `paths` drops with --dedupe.
  func agree(_ paths: [String], store: String, questions: [[String]] = questions) throws {
    var compared = 0
    let note = [StoreRepeatNoteTests.note(try StoreRepeatNoteTests.repeats(in: paths))].compactMap { $0 }
    for question in questions {
      let takesDedupe = !["trace", "policy"].contains(question[0])
      let archive = try TrailBinary.run(
        [question[0]] + paths + Array(question.dropFirst()) + (takesDedupe ? ["--dedupe"] : []))
      let stored = try TrailBinary.run([question[0], "--store", store] + Array(question.dropFirst()))
      let (stderr, notes) = StoreRepeatNoteTests.withoutNote(stored.stderr)
      #expect(stored.status == archive.status, "\(question): \(stored.stderr)")
      #expect(stored.out == archive.out, "\(question)")
      #expect(stderr == archive.stderr, "\(question)")
      #expect(notes == note, "\(question): \(stored.stderr)")
      if archive.status == 0 { compared += 1 }
    }
    // Most questions must have an answer, or the comparison proves little.
    #expect(compared * 2 > questions.count, "questions with matches: \(compared) of \(questions.count)")
  }

  @Test func sampleArchiveAnswersEqual() throws {
    let folder = try TemporaryDirectory(prefix: "store-sample")
    let store = folder.path("trail.db")
    let made = try Self.ingest(["Fixtures/archives/sample"], store: store)
    #expect(made.status == 0, "\(made.stderr)")
    #expect(made.stderr.contains("16 new, 0 skipped, 0 damaged"), "\(made.stderr)")
    try agree(["Fixtures/archives/sample"], store: store)
  }

  @Test func corpusAnswersEqual() throws {
    let folder = try TemporaryDirectory(prefix: "store-corpus")
    let store = folder.path("trail.db")
    let paths = Self.corpusPaths()
    #expect(paths.count > 50)
    let made = try Self.ingest(paths, store: store)
    #expect(made.status == 0, "\(made.stderr)")
    try agree(paths, store: store)
  }

  /// Every corpus file, in path order (as the store reads its files), but the two test logs
  /// that reuse an AWS documentation eventID for two different events: the store keeps the
  /// first of them whatever the question, while `--dedupe` keeps the first that matches it
  /// (eventsDeliveredByTwoTrailsAreStoredOnce covers the rule).
  static func corpusPaths() -> [String] {
    let reusing = ["test-console-login-json.log", "test-assume-role-json.log"]
    return CorpusEvents.logFolders.sorted().flatMap { folder in
      Paths.files(under: Paths.sharedCorpus.appendingPathComponent(folder)).map(\.path)
        .filter { path in !reusing.contains { path.hasSuffix("/" + $0) } }
    }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  static func generate(_ folder: String, events: Int) throws {
    let fixtures = TrailBinary.url.deletingLastPathComponent().appendingPathComponent("trail-fixtures").path
    try #require(FileManager.default.isExecutableFile(atPath: fixtures), "\(fixtures) not built")
    let made = try TrailBinary.shell("'\(fixtures)' archive '\(folder)' --events \(events) >/dev/null")
    try #require(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
  }

  @Test func generatedArchiveAnswersEqual() throws {
    let folder = try TemporaryDirectory(prefix: "store-generated")
    try Self.generate(folder.path("archive"), events: 3000)
    let store = folder.path("trail.db")
    let made = try Self.ingest([folder.path("archive")], store: store)
    #expect(made.status == 0, "\(made.stderr)")
    try agree([folder.path("archive")], store: store)
  }

  /// The summary line's figures: new, skipped, damaged.
  static func counts(_ stderr: String) -> (new: Int, skipped: Int, damaged: Int)? {
    guard let line = stderr.split(separator: "\n").last(where: { $0.contains("ingest:") }) else { return nil }
    func number(before word: String) -> Int? {
      guard let range = line.range(of: " " + word) else { return nil }
      return Int(line[..<range.lowerBound].split(separator: " ").last ?? "")
    }
    guard let new = number(before: "new,"), let skipped = number(before: "skipped,"),
      let damaged = number(before: "damaged")
    else { return nil }
    return (new, skipped, damaged)
  }

  @Test func incrementalRunsReadOnlyNewAndChangedFiles() throws {
    let folder = try TemporaryDirectory(prefix: "store-incremental")
    let sample = Paths.fixtures.appendingPathComponent("archives/sample").path
    let files = Paths.files(under: URL(fileURLWithPath: sample)).filter { $0.path.hasSuffix(".json.gz") }
      .filter { !$0.path.contains("Digest") }
    try #require(files.count >= 10)
    let archive = folder.path("archive")
    func copy(_ urls: [URL]) throws {
      for url in urls {
        let relative = String(url.path.dropFirst(sample.count + 1))
        try folder.write("archive/" + relative, Paths.bytes(url))
      }
    }
    try copy(Array(files.prefix(6)))
    let store = folder.path("trail.db")
    var run = try Self.ingest([archive], store: store)
    #expect(Self.counts(run.stderr)?.new == 6, "\(run.stderr)")
    run = try Self.ingest([archive], store: store)
    #expect(Self.counts(run.stderr).map { [$0.new, $0.skipped] } == [0, 6], "\(run.stderr)")
    try copy(Array(files.dropFirst(6)))
    run = try Self.ingest([archive], store: store)
    #expect(Self.counts(run.stderr).map { [$0.new, $0.skipped] } == [files.count - 6, 6], "\(run.stderr)")
    try agree([archive], store: store, questions: Array(Self.questions.prefix(14)))

    // A file changed in place is read again, its old events replaced.
    let changed = files[0]
    let target = folder.path("archive/" + String(changed.path.dropFirst(sample.count + 1)))
    let replacement = try Independent.contents(of: files[1])
    try replacement.write(to: URL(fileURLWithPath: target))
    run = try Self.ingest([archive], store: store)
    #expect(run.stderr.contains("1 changed, replaced"), "\(run.stderr)")
    try agree([archive], store: store, questions: Array(Self.questions.prefix(14)))

    // The same objects synced to another folder (same S3 keys and contents) are not read again.
    let elsewhere = try TemporaryDirectory(prefix: "store-synced")
    try #require(
      try TrailBinary.shell(
        "cp -R '\(archive)/.' '\(elsewhere.path)/' && touch -d '2001-01-01' -r /dev/null '\(elsewhere.path)'"
      )
      .status == 0)
    run = try Self.ingest([elsewhere.path], store: store)
    #expect(Self.counts(run.stderr).map { [$0.new, $0.skipped] } == [0, files.count], "\(run.stderr)")
  }

  @Test func killedIngestIsCompletedExactly() throws {
    let folder = try TemporaryDirectory(prefix: "store-kill")
    let archive = folder.path("archive")
    try Self.generate(archive, events: 20000)
    let store = folder.path("trail.db")
    let process = Process()
    process.executableURL = TrailBinary.url
    process.arguments = ["ingest", archive, "--store", store, "--threads", "1", "--commit-every", "200"]
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Kill it once some of the files are stored, and before all of them are.
    var stored = 0
    for _ in 0..<2000 where process.isRunning {
      stored = try Self.completeFiles(store)
      if stored >= 5 { break }
      usleep(10_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal, "ingest finished before it could be killed")
    let partial = try Self.completeFiles(store)
    // The killed run left files incomplete: the answers from columns leave their events out as
    // the records do (they read only complete files).
    for question in [["stats", "--by", "principal"], ["what", "--principal", "*", "--format", "jsonl"]] {
      let columns = try TrailBinary.run(question + ["--store", store, "--debug-statistics"])
      let records = try TrailBinary.run(question + ["--store", store, "--from-records"])
      #expect(columns.stderr.contains("answered from columns by SQL"), "\(columns.stderr)")
      #expect(columns.out == records.out && columns.status == records.status, "\(question)")
    }
    let all = try TrailBinary.run(["stats", archive, "--by", "date", "--format", "jsonl"])
    let total = all.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
      .compactMap { $0["count"] as? Int }.reduce(0, +)
    let fileCount = Paths.files(under: URL(fileURLWithPath: archive)).filter {
      !$0.path.contains("Digest") && $0.path.hasSuffix(".json.gz")
    }.count
    #expect(partial > 0 && partial < fileCount, "stored \(partial) of \(fileCount) files when killed")

    let second = try Self.ingest([archive], store: store)
    #expect(second.status == 0, "\(second.stderr)")
    #expect(Self.counts(second.stderr).map { $0.new + $0.skipped } == fileCount, "\(second.stderr)")
    #expect(Self.counts(second.stderr)?.skipped == partial, "\(second.stderr)")
    let count = try TrailBinary.run(["sql", "--store", store, "SELECT count(*) AS n FROM events", "--format", "csv"])
    let distinct = try TrailBinary.run(["search", archive, "--dedupe", "--format", "jsonl"]).lines.count
    #expect(count.lines == ["n", String(distinct)])
    #expect(distinct > 0 && distinct <= total)
    try agree([archive], store: store, questions: [Self.questions[0], Self.questions[11]])
  }

  /// Runs a Python script (Python's own sqlite3 reads the store); returns its stdout.
  static func python(_ script: String, _ arguments: [String]) throws -> String {
    let folder = try TemporaryDirectory(prefix: "store-python")
    let file = try folder.write("script.py", script)
    let quoted = ([file] + arguments).map { "'\($0)'" }.joined(separator: " ")
    let scratch = folder.path("out")
    let run = try TrailBinary.shell("python3 \(quoted) > '\(scratch)'")
    #expect(run.status == 0, "\(String(decoding: run.stderr, as: UTF8.self))")
    return (try? String(contentsOfFile: scratch, encoding: .utf8)) ?? ""
  }

  /// Runs SQL `statements` on `store` and commits (to make the states a crash or an older
  /// version leaves), through Python's sqlite3, independently of the binary.
  static func alter(_ store: String, _ statements: String) throws {
    _ = try python(
      """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1])
      db.executescript(r'''
      \(statements)
      ''')
      db.commit()
      """, [store])
  }

  static func completeFiles(_ store: String) throws -> Int {
    guard FileManager.default.fileExists(atPath: store) else { return 0 }
    let output = try Self.python(
      """
      import sqlite3, sys
      try:
          # Read-write, though it only reads: a journal a killed run left is rolled back first.
          db = sqlite3.connect(sys.argv[1], timeout=5)
          print(db.execute('SELECT count(*) FROM files WHERE complete = 1').fetchone()[0])
      except sqlite3.Error:
          print(0)
      """, [store])
    return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
  }

  @Test func eventsDeliveredByTwoTrailsAreStoredOnce() throws {
    let folder = try TemporaryDirectory(prefix: "store-two-trails")
    func event(_ id: String, account: String, name: String) -> String {
      """
      {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::\(account):user/alice","accountId":"\(account)"},\
      "eventTime":"2024-05-14T10:00:0\(id.suffix(1))Z","eventSource":"iam.amazonaws.com","eventName":"\(name)",\
      "awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","eventID":"\(id)","recipientAccountId":"\(account)"}
      """
    }
    let shared = [
      event("e-1", account: "111122223333", name: "CreateUser"),
      event("e-2", account: "111122223333", name: "ListUsers"),
    ]
    // The organisation trail and the account trail deliver the same two events; the account
    // trail also has one of its own, and another account has an event with the same eventID.
    try folder.write(
      "org/AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T1005Z_a.json",
      "{\"Records\":[\(shared.joined(separator: ","))]}")
    try folder.write(
      "own/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T1005Z_b.json",
      "{\"Records\":[\(shared.reversed().joined(separator: ",")),\(event("e-3", account: "111122223333", name: "GetUser"))]}"
    )
    try folder.write(
      "own/AWSLogs/444455556666/CloudTrail/us-east-1/2024/05/14/444455556666_CloudTrail_us-east-1_20240514T1005Z_c.json",
      "{\"Records\":[\(event("e-1", account: "444455556666", name: "CreateUser"))]}")
    let store = folder.path("trail.db")
    // Two runs in the order that stores the later delivery first: the store still keeps the first.
    var run = try Self.ingest([folder.path("own")], store: store)
    #expect(run.status == 0, "\(run.stderr)")
    run = try Self.ingest([folder.path("org")], store: store)
    #expect(run.stderr.contains("2 event(s) read, 0 stored, 2 already stored"), "\(run.stderr)")
    let count = try TrailBinary.run(
      [
        "sql", "--store", store, "SELECT eventID, recipientAccountId, file FROM events ORDER BY 1, 2", "--format",
        "csv",
      ])
    #expect(count.lines.count == 5, "\(count.out)")
    #expect(count.lines.filter { $0.contains("/org/") }.count == 2, "the first deliveries, in file order: \(count.out)")
    let stored = try TrailBinary.run(["search", "--store", store, "--format", "jsonl"])
    #expect(stored.lines.count == 4)
    #expect(Set(stored.lines).count == 4)
  }

  @Test func sqlAgreesWithIndependentCounts() throws {
    let folder = try TemporaryDirectory(prefix: "store-sql")
    let store = folder.path("trail.db")
    let paths = CorpusEvents.logFolders.sorted().map { "../shared/corpus/" + $0 }
    #expect(try Self.ingest(paths, store: store).status == 0)
    // Foundation over the files: events per eventName, each (eventID, recipientAccountId) once.
    var seen = Set<String>()
    var expected: [String: Int] = [:]
    for event in try CorpusEvents.all(folders: CorpusEvents.logFolders).map(\.object) {
      guard event["eventVersion"] != nil || event["eventName"] != nil else { continue }
      if let id = event["eventID"] as? String {
        guard seen.insert(id + "/" + (event["recipientAccountId"] as? String ?? "")).inserted else { continue }
      }
      expected[event["eventName"] as? String ?? "", default: 0] += 1
    }
    let result = try TrailBinary.run(
      [
        "sql", "--store", store, "SELECT ifnull(eventName, '') AS name, count(*) AS n FROM events GROUP BY 1",
        "--format", "jsonl",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    var got: [String: Int] = [:]
    for line in result.lines {
      let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
      got[row["name"] as? String ?? "?"] = row["n"] as? Int
    }
    #expect(got == expected)
    #expect(got.count > 50)

    // Python's sqlite3 reads the same store file (the schema needs no function of ours).
    let python = try Self.python(
      """
      import sqlite3, sys
      db = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True)
      print(db.execute("SELECT count(*) FROM events WHERE outcome = 'failure'").fetchone()[0])
      """, [store])
    let failures = try TrailBinary.run(["search", "--store", store, "--error", "--format", "jsonl"])
    #expect(python.trimmingCharacters(in: .whitespacesAndNewlines) == String(failures.lines.count))
    #expect(failures.lines.count > 10)
  }

  @Test func sqlFormatsAndErrors() throws {
    let folder = try TemporaryDirectory(prefix: "store-sql-formats")
    let store = folder.path("trail.db")
    #expect(try Self.ingest(["Fixtures/archives/sample"], store: store).status == 0)
    let query = "SELECT action, count(*) AS n FROM events WHERE action LIKE 's3:%' GROUP BY 1 ORDER BY 2 DESC, 1"
    let csv = try TrailBinary.run(["sql", "--store", store, query, "--format", "csv"])
    let jsonl = try TrailBinary.run(["sql", "--store", store, query, "--format", "jsonl"])
    let json = try TrailBinary.run(["sql", "--store", store, query, "--format", "json"])
    let table = try TrailBinary.run(["sql", "--store", store, query, "--format", "table"])
    #expect(csv.status == 0 && jsonl.status == 0 && json.status == 0 && table.status == 0)
    let stats = try TrailBinary.run([
      "stats", "--store", store, "--by", "action", "--action", "s3:*", "--format", "jsonl",
    ])
    func pairs(_ lines: [String], name: String, count: String) throws -> Set<String> {
      Set(
        try lines.map { line in
          let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
          return "\(row[name] ?? "") \(row[count] ?? "")"
        })
    }
    #expect(try pairs(jsonl.lines, name: "action", count: "n") == pairs(stats.lines, name: "action", count: "count"))
    #expect(csv.lines.first == "action,n" && csv.lines.count == jsonl.lines.count + 1)
    let array = try JSONSerialization.jsonObject(with: json.stdout) as? [[String: Any]]
    #expect(array?.count == jsonl.lines.count)
    #expect(table.lines.count == jsonl.lines.count + 1)
    let record = try TrailBinary.run(
      [
        "sql", "--store", store, "SELECT json_extract(json, '$.eventID') = eventID AS same FROM events", "--format",
        "csv",
      ])
    #expect(Set(record.lines.dropFirst()) == ["1"])

    let syntax = try TrailBinary.run(["sql", "--store", store, "SELEC 1"])
    #expect(syntax.status == 2 && syntax.stderr == "trail-scan: sql: near \"SELEC\": syntax error\n")
    let write = try TrailBinary.run(["sql", "--store", store, "DELETE FROM files"])
    #expect(write.status == 2 && write.stderr.contains("read-only"))
    let none = try TrailBinary.run(["sql", "--store", store, "SELECT 1 WHERE 0"])
    #expect(none.status == 1 && none.out.isEmpty)
    let missing = try TrailBinary.run(["stats", "--store", folder.path("missing.db"), "--by", "principal"])
    #expect(missing.status == 2 && missing.stderr.contains("no such store"))
    let both = try TrailBinary.run(["stats", "Fixtures/archives/sample", "--store", store, "--by", "principal"])
    #expect(both.status == 2)
  }

  @Test func olderSchemaIsMigratedByIngest() throws {
    let folder = try TemporaryDirectory(prefix: "store-migrate")
    let store = folder.path("trail.db")
    let sample = "Fixtures/archives/sample"
    #expect(try Self.ingest([sample], store: store).status == 0)
    // The files holding repeated deliveries, which migrating to version 3 reads again.
    let holding =
      try TrailBinary.run([
        "sql", "--store", store, "SELECT count(DISTINCT file) AS n FROM repeats", "--format", "csv",
      ]).lines.last.flatMap { Int($0) } ?? -1
    #expect(holding >= 0)
    // Back to the layout of schema version 1: records in their own table, targets keyed by target.
    _ = try Self.python(
      """
      import sqlite3, sys
      db = sqlite3.connect(sys.argv[1])
      db.executescript('''
      DROP VIEW records; DROP VIEW resources;
      CREATE TABLE records(id INTEGER PRIMARY KEY, record BLOB NOT NULL);
      INSERT INTO records SELECT id, record FROM event_rows;
      ALTER TABLE event_rows DROP COLUMN record;
      CREATE TABLE targets_v1(target TEXT NOT NULL, event INTEGER NOT NULL, PRIMARY KEY(target, event)) WITHOUT ROWID;
      INSERT INTO targets_v1 SELECT target, event FROM targets;
      DROP TABLE targets;
      ALTER TABLE targets_v1 RENAME TO targets;
      CREATE VIEW resources AS SELECT target AS resource, event FROM targets;
      DROP TABLE repeats;
      UPDATE meta SET value = '1' WHERE key = 'schema_version';
      ''')
      db.commit()
      """, [store])
    let refused = try TrailBinary.run(["search", "--store", store])
    #expect(refused.status == 2 && refused.stderr.contains("schema version 1 is older than 3"), "\(refused.stderr)")
    let migrated = try Self.ingest([sample], store: store)
    #expect(
      Self.counts(migrated.stderr).map { [$0.new, $0.skipped] } == [holding, 16 - holding], "\(migrated.stderr)")
    let version = try TrailBinary.run([
      "sql", "--store", store, "SELECT value FROM meta WHERE key = 'schema_version'", "--format", "csv",
    ])
    #expect(version.lines == ["value", "3"])
    let counts = try TrailBinary.run([
      "sql", "--store", store,
      "SELECT (SELECT count(*) FROM records) AS r, (SELECT count(*) FROM events) AS e, "
        + "(SELECT count(*) FROM event_rows WHERE record IS NULL) AS missing",
      "--format", "csv",
    ])
    let row = counts.lines.last?.split(separator: ",") ?? []
    #expect(row.count == 3 && row[0] == row[1] && row[2] == "0" && row[0] != "0", "\(counts.out)")
    try agree(
      [sample], store: store,
      questions: Self.questions.filter { $0.contains("target") || $0.contains("--resource") || $0[0] == "search" })
  }

  @Test func newerSchemaIsRefused() throws {
    let folder = try TemporaryDirectory(prefix: "store-schema")
    let store = folder.path("trail.db")
    #expect(try Self.ingest(["Fixtures/archives/sample"], store: store).status == 0)
    try StoreCommandTests.alter(store, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    let result = try TrailBinary.run(["search", "--store", store])
    #expect(result.status == 2 && result.stderr.contains("schema version 99 is newer"), "\(result.stderr)")
  }
}
