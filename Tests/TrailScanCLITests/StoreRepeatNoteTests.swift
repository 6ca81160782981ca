// The note a store's answers print when the store kept repeated deliveries once (issue 19): a
// question without --dedupe answers what the archive answers with it, and says so on stderr with
// the exact number, checked here against the archive scanned without and with --dedupe.
import Foundation
import Testing
import TrailTestSupport

@Suite struct StoreRepeatNoteTests {
  /// The note for `count` repeated deliveries (nil for none).
  static func note(_ count: Int) -> String? {
    guard count > 0 else { return nil }
    return "trail-scan: left out: \(count) repeated \(count == 1 ? "delivery" : "deliveries") in the store "
      + "(an event delivered again with the same eventID and account is stored once, so counts are those of "
      + "--dedupe; docs/store.md)"
  }

  /// `stderr` without the repeated-deliveries note, and how many such notes it held.
  static func withoutNote(_ stderr: String) -> (rest: String, notes: [String]) {
    let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let notes = lines.filter { $0.hasPrefix("trail-scan: left out: ") && $0.contains(" in the store (") }
    return (lines.filter { !notes.contains($0) }.joined(separator: "\n"), notes)
  }

  /// The events of a `stats` answer (sum of its groups' counts; `--by eventSource` counts each
  /// event once, an event without a source in a group of its own).
  static func total(_ arguments: [String]) throws -> Int {
    let run = try TrailBinary.run(["stats"] + arguments + ["--by", "eventSource", "--format", "jsonl"])
    #expect(run.status != 1 && !run.out.isEmpty, "\(arguments): \(run.stderr)")
    return try run.lines.map { line in
      let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
      return row["count"] as? Int ?? 0
    }.reduce(0, +)
  }

  /// Independently of the store: how many events a scan of `paths` drops with --dedupe.
  static func repeats(in paths: [String]) throws -> Int {
    try total(paths) - total(paths + ["--dedupe"])
  }

  static func event(_ id: String?, second: Int, name: String = "ListUsers") -> String {
    let identity =
      #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"}"#
    let eventID = id.map { #","eventID":""# + $0 + #"""# } ?? ""
    return #"{"eventVersion":"1.09","userIdentity":"# + identity
      + #","eventTime":"2024-05-14T10:00:"# + String(format: "%02d", second) + #"Z","eventSource":"iam.amazonaws.com","#
      + #""eventName":""# + name + #"","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9""# + eventID
      + #","recipientAccountId":"111122223333"}"#
  }

  static func file(_ folder: TemporaryDirectory, trail: String, name: String, _ events: [String]) throws {
    let key =
      "\(trail)/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T"
    _ = try folder.write("archive/" + key + name + ".json", "{\"Records\":[\(events.joined(separator: ","))]}")
  }

  /// Asks `question` of the store without and with --dedupe and of the archive with --dedupe:
  /// the answers agree, only the first has the note, with `expected` repeats.
  func expectNote(_ question: [String], archive: String, store: String, expected: Int) throws {
    let stored = try TrailBinary.run(question + ["--store", store])
    let deduped = try TrailBinary.run(question + ["--store", store, "--dedupe"])
    let scanned = try TrailBinary.run(question + [archive, "--dedupe"])
    let (rest, notes) = Self.withoutNote(stored.stderr)
    #expect(notes == [Self.note(expected)].compactMap { $0 }, "\(question): \(stored.stderr)")
    #expect(rest == scanned.stderr, "\(question)")
    #expect(stored.out == scanned.out && stored.status == scanned.status, "\(question)")
    #expect(deduped.stderr == scanned.stderr, "\(question) --dedupe: \(deduped.stderr)")
    #expect(deduped.out == scanned.out && deduped.status == scanned.status, "\(question) --dedupe")
  }

  static func recorded(_ store: String) throws -> [String] {
    try TrailBinary.run([
      "sql", "--store", store, "SELECT count(*) AS value FROM repeats", "--format", "csv",
    ]).lines
  }

  @Test func repeatedDeliveriesAreNotedWithTheirNumber() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-note")
    let archive = folder.path("archive")
    let own = (1...5).map { Self.event("e-\($0)", second: $0) } + [Self.event(nil, second: 6, name: "GetUser")]
    // An organisation trail delivers three of them again, and the event without an eventID
    // (kept every time: it is no repeat).
    try Self.file(folder, trail: "own", name: "1005Z_a", own)
    try Self.file(folder, trail: "org", name: "1005Z_b", [own[0], own[5], own[2], own[4]])
    let store = folder.path("trail.db")
    let made = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(made.status == 0, "\(made.stderr)")
    let expected = try Self.repeats(in: [archive])
    #expect(expected == 3)
    #expect(made.stderr.contains("\(expected) already stored"), "\(made.stderr)")
    #expect(try Self.recorded(store) == ["value", String(expected)])

    // Answered from columns by SQL, and from the records: the same note.
    let columns = try TrailBinary.run(["stats", "--store", store, "--by", "principal", "--debug-statistics"])
    #expect(columns.stderr.contains("answered from columns by SQL"), "\(columns.stderr)")
    #expect(Self.withoutNote(columns.stderr).notes == [Self.note(expected)], "\(columns.stderr)")
    let records = try TrailBinary.run([
      "stats", "--store", store, "--by", "principal", "--debug-statistics", "--from-records",
    ])
    #expect(records.stderr.contains("answered from the stored records"), "\(records.stderr)")
    #expect(Self.withoutNote(records.stderr).notes == [Self.note(expected)], "\(records.stderr)")
    for question in [
      ["stats", "--by", "eventName", "--format", "jsonl"],
      ["who", "--action", "iam:*", "--format", "jsonl"],
      ["what", "--principal", "alice", "--format", "jsonl"],
      ["stats", "--by", "principal", "--since", "2024-05-14T10:00:03Z", "--format", "jsonl"],
      ["search", "--format", "jsonl"],
      ["search", "--format", "jsonl", "--where", "{ $.eventName = \"ListUsers\" }"],
      ["timeline", "--format", "csv"],
      ["fields", "--format", "jsonl"],
    ] {
      try expectNote(question, archive: archive, store: store, expected: expected)
    }
    // No match is still exit 1, with the note.
    let none = try TrailBinary.run(["stats", "--store", store, "--by", "principal", "--action", "ec2:*"])
    #expect(none.status == 1 && none.out.isEmpty)
    #expect(Self.withoutNote(none.stderr).notes == [Self.note(expected)], "\(none.stderr)")

    // A second run adding a file with more repeats updates the number.
    try Self.file(
      folder, trail: "own2", name: "1010Z_c", [own[1], own[3], own[4], Self.event("e-6", second: 7)])
    let again = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(again.status == 0 && again.stderr.contains("1 new, 2 skipped"), "\(again.stderr)")
    let more = try Self.repeats(in: [archive])
    #expect(more == expected + 3)
    #expect(try Self.recorded(store) == ["value", String(more)])
    try expectNote(["stats", "--by", "principal", "--format", "jsonl"], archive: archive, store: store, expected: more)
    try expectNote(["search", "--format", "jsonl"], archive: archive, store: store, expected: more)
    // A run that reads nothing keeps it.
    let unchanged = try TrailBinary.run(["ingest", archive, "--store", store])
    #expect(unchanged.stderr.contains("0 new, 3 skipped"), "\(unchanged.stderr)")
    #expect(try Self.recorded(store) == ["value", String(more)])
  }

  @Test func aStoreWithoutRepeatsSaysNothing() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-none")
    let archive = folder.path("archive")
    // The same record without an eventID twice is no repeat: both are stored.
    let untracked = Self.event(nil, second: 9, name: "GetUser")
    try Self.file(
      folder, trail: "own", name: "1005Z_a", (1...4).map { Self.event("e-\($0)", second: $0) } + [untracked])
    try Self.file(folder, trail: "org", name: "1005Z_b", [untracked])
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    #expect(try Self.repeats(in: [archive]) == 0)
    #expect(try Self.recorded(store) == ["value", "0"])
    for question in [["stats", "--by", "principal"], ["search", "--format", "jsonl"]] {
      let stored = try TrailBinary.run(question + ["--store", store])
      let scanned = try TrailBinary.run(question + [archive])
      #expect(stored.stderr == scanned.stderr && stored.stderr.isEmpty, "\(question): \(stored.stderr)")
      #expect(stored.out == scanned.out && stored.status == 0)
    }
  }

  /// A generated archive (its rare repeated deliveries are spread over its files): the number
  /// is what its scans drop with --dedupe.
  @Test func generatedArchiveNotesWhatItsScansDrop() throws {
    let folder = try TemporaryDirectory(prefix: "store-repeat-generated")
    let archive = folder.path("archive")
    try StoreCommandTests.generate(archive, events: 20000)
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", archive, "--store", store]).status == 0)
    let expected = try Self.repeats(in: [archive])
    #expect(expected > 0, "the generated archive has repeated deliveries")
    try expectNote(
      ["stats", "--by", "principal", "--format", "jsonl"], archive: archive, store: store, expected: expected)
    try expectNote(
      ["who", "--action", "s3:*", "--format", "jsonl"], archive: archive, store: store, expected: expected)
  }
}
