// Answers from the store's columns (SQL, docs/store.md) through the binary: every aggregation
// question the columns answer must give byte for byte what the archive gives (with --dedupe)
// and what the stored records give (--from-records) — stdout, stderr, exit status — on the
// sample archive, a generated archive, the shared corpus and a hand-made archive of edges (ties,
// missing values, several targets, fractions of a second at --since/--until, a damaged file,
// late deliveries, events without a time, a repeated delivery). `--debug-statistics` says which
// path answered, so the tests also check that the columns did answer.
import Foundation
import Testing
import TrailTestSupport

@Suite struct StoreSQLAnswerTests {
  /// A question and whether the columns must answer it (false: it needs the records).
  struct Question: CustomStringConvertible {
    var arguments: [String]
    var bySQL = true
    var description: String { arguments.joined(separator: " ") }
  }

  static func q(_ arguments: String..., bySQL: Bool = true) -> Question {
    Question(arguments: arguments, bySQL: bySQL)
  }

  static let common: [Question] = [
    q("stats", "--by", "principal", "--format", "jsonl"),
    q("stats", "--by", "principal", "--since", "2024-05-14T12:00:00Z", "--format", "jsonl"),
    q("stats", "--by", "principal", "--since", "2024-05-14", "--until", "2024-05-14T18:30:00Z", "--format", "table"),
    q("stats", "--by", "action,error", "--every", "1h", "--format", "csv"),
    q("stats", "--by", "target", "--distinct", "ip", "--format", "jsonl"),
    q("stats", "--by", "date,region", "--since", "2024-05-14", "--format", "table"),
    q("stats", "--by", "account,region", "--top", "3", "--format", "jsonl"),
    q("stats", "--by", "type,outcome", "--sort", "time", "--format", "jsonl"),
    q("stats", "--by", "actor", "--distinct", "principal", "--format", "jsonl"),
    q("stats", "--by", "session,accessKey", "--error", "--format", "jsonl"),
    q("stats", "--by", "hour", "--event-source", "s3", "--read-only", "--format", "jsonl"),
    q("stats", "--by", "time", "--action", "iam:*", "--format", "jsonl"),
    q("stats", "--by", "eventName,service", "--principal", "!*Role*", "--format", "jsonl"),
    q("stats", "--by", "userAgent,category", "--no-error", "--top", "5", "--format", "jsonl"),
    q("stats", "--every", "1d", "--region", "us-*", "--format", "jsonl"),
    q("stats", "--by", "readOnly,eventSource", "--type", "AssumedRole", "--format", "jsonl"),
    // By one identity field: few of the identities (read by id) and most of them (through the
    // field's index), values missing included.
    q("stats", "--by", "session", "--since", "2024-05-16T12:00:00Z", "--format", "jsonl"),
    q("stats", "--by", "accessKey", "--sort", "time", "--format", "jsonl"),
    q("who", "--action", "s3:*", "--format", "jsonl"),
    q("who", "--action", "iam:CreateUser", "--format", "jsonl"),
    q("who", "--resource", "arn:aws:s3:::*", "--format", "json"),
    q("who", "--event-name", "ConsoleLogin", "--since", "2024-01-01", "--format", "table"),
    q("what", "--principal", "ReadOnly", "--format", "jsonl"),
    q("what", "--principal", "arn:aws:iam::*:user/*", "--error", "--format", "jsonl"),
    q("what", "--principal", "AKIA*", "--format", "csv"),
    // What the columns cannot answer exactly goes to the records.
    q("stats", "--by", "requestParameters.bucketName", "--format", "jsonl", bySQL: false),
    q("stats", "--by", "principal", "--where", "{ $.eventName = \"ConsoleLogin\" }", "--format", "jsonl", bySQL: false),
    q("stats", "--by", "principal", "--ip", "10.0.0.0/8", "--format", "jsonl", bySQL: false),
    q("stats", "--by", "origin", "--format", "jsonl", bySQL: false),
  ]

  /// Removes the lines `--debug-statistics` adds.
  static func withoutDebug(_ stderr: String) -> String {
    stderr.split(separator: "\n", omittingEmptySubsequences: false).filter {
      !$0.hasPrefix("trail-scan: store: ") && !$0.hasPrefix("trail-scan: statistics: ")
    }.joined(separator: "\n")
  }

  /// Asks every question of `paths` (with `--dedupe`), of the store's columns and of its records
  /// (which both note the repeated deliveries the store kept once, as many as a scan of `paths`
  /// drops with --dedupe), and of the store with `--dedupe` (no note).
  func agree(_ paths: [String], store: String, _ questions: [Question] = common) throws {
    var answered = 0
    let note = [StoreRepeatNoteTests.note(try StoreRepeatNoteTests.repeats(in: paths))].compactMap { $0 }
    for question in questions {
      let command = question.arguments[0]
      let rest = Array(question.arguments.dropFirst())
      let archive = try TrailBinary.run([command] + paths + rest + ["--dedupe"])
      let columns = try TrailBinary.run([command, "--store", store] + rest + ["--debug-statistics"])
      let records = try TrailBinary.run([command, "--store", store] + rest + ["--from-records"])
      let bySQL = columns.stderr.contains("trail-scan: store: answered from columns by SQL\n")
      #expect(bySQL == question.bySQL, "\(question): \(columns.stderr)")
      #expect(columns.status == archive.status, "\(question): \(columns.stderr)")
      #expect(columns.out == archive.out, "\(question)")
      let fromColumns = StoreRepeatNoteTests.withoutNote(Self.withoutDebug(columns.stderr))
      #expect(fromColumns.rest == archive.stderr, "\(question)")
      #expect(fromColumns.notes == note, "\(question): \(columns.stderr)")
      let fromRecords = StoreRepeatNoteTests.withoutNote(records.stderr)
      #expect(records.status == archive.status && records.out == archive.out && fromRecords.rest == archive.stderr)
      #expect(fromRecords.notes == note, "\(question): \(records.stderr)")
      // The same question with --dedupe asked of the store.
      let deduped = try TrailBinary.run([command, "--store", store] + rest + ["--dedupe"])
      #expect(deduped.out == archive.out && deduped.status == archive.status, "\(question) --dedupe")
      #expect(deduped.stderr == archive.stderr, "\(question) --dedupe: \(deduped.stderr)")
      // An answer with groups (exit 0, or 2 beside a damaged file's problem).
      if !archive.out.isEmpty && archive.status != 1 { answered += 1 }
    }
    #expect(answered * 2 > questions.count, "questions with matches: \(answered) of \(questions.count)")
  }

  @Test func sampleArchive() throws {
    let folder = try TemporaryDirectory(prefix: "store-sql-sample")
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", "Fixtures/archives/sample", "--store", store]).status == 0)
    try agree(["Fixtures/archives/sample"], store: store)
  }

  @Test func generatedArchive() throws {
    let folder = try TemporaryDirectory(prefix: "store-sql-generated")
    try StoreCommandTests.generate(folder.path("archive"), events: 4000)
    let store = folder.path("trail.db")
    #expect(try TrailBinary.run(["ingest", folder.path("archive"), "--store", store]).status == 0)
    try agree(
      [folder.path("archive")], store: store,
      Self.common + [
        Self.q("stats", "--by", "principal", "--since", "2024-05-16", "--format", "jsonl"),
        Self.q("what", "--principal", "arn:aws:iam::111122223333:user/alice", "--format", "jsonl"),
        Self.q(
          "stats", "--by", "principal", "--account", "111122223333", "--since", "2024-05-15T06:00:00Z", "--format",
          "jsonl"),
        Self.q("stats", "--by", "region", "--until", "2024-05-15", "--format", "jsonl"),
      ])
  }

  @Test func corpus() throws {
    let folder = try TemporaryDirectory(prefix: "store-sql-corpus")
    let store = folder.path("trail.db")
    let paths = StoreCommandTests.corpusPaths()
    #expect(try TrailBinary.run(["ingest"] + paths + ["--store", store]).status == 0)
    try agree(paths, store: store)
  }

  /// One event of the hand-made archive.
  static func event(
    _ id: String, time: String?, name: String = "ListUsers", source: String = "iam.amazonaws.com",
    identity: String? =
      #"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"}"#,
    extra: String = ""
  ) -> String {
    var members = [#""eventVersion":"1.09""#]
    if let identity { members.append(#""userIdentity":"# + identity) }
    if let time { members.append(#""eventTime":""# + time + #"""#) }
    members += [
      #""eventSource":""# + source + #"""#, #""eventName":""# + name + #"""#, #""awsRegion":"us-east-1""#,
      #""sourceIPAddress":"203.0.113.9""#, #""eventID":""# + id + #"""#, #""recipientAccountId":"111122223333""#,
    ]
    if !extra.isEmpty { members.append(extra) }
    return "{" + members.joined(separator: ",") + "}"
  }

  static func user(_ name: String, type: String = "IAMUser") -> String {
    #"{"type":""# + type + #"","arn":"arn:aws:iam::111122223333:user/"# + name
      + #"","accountId":"111122223333","userName":""# + name + #"","accessKeyId":"AKIA"# + name.uppercased() + #""}"#
  }

  @Test func edges() throws {
    let folder = try TemporaryDirectory(prefix: "store-sql-edges")
    let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14/111122223333_CloudTrail_us-east-1_20240514T"
    let role =
      #"{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/Deploy/s1","accountId":"111122223333","#
      + #""sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/Deploy"}}}"#
    let first = [
      Self.event(
        "e-1", time: "2024-05-14T10:00:00Z", name: "CreateUser",
        extra: #""resources":[{"ARN":"arn:aws:iam::111122223333:user/x"},{"ARN":"arn:aws:iam::111122223333:user/y"}]"#
      ),
      Self.event(
        "e-2", time: "2024-05-14T10:00:00.500Z", name: "GetObject", source: "s3.amazonaws.com", identity: role,
        extra: #""requestParameters":{"bucketName":"b","key":"k/1"},"readOnly":true"#),
      Self.event("e-3", time: "2024-05-14T10:00:00.499Z", identity: nil, extra: #""errorCode":"AccessDenied""#),
      Self.event("e-4", time: nil, identity: Self.user("bob")),
      Self.event("e-5", time: "2024-05-14T10:30:00Z", identity: Self.user("zoë"), extra: #""errorMessage":"no""#),
      Self.event("e-6", time: "2024-05-14T10:31:00Z", identity: Self.user("carol")),
      Self.event("e-7", time: "2024-05-14T10:32:00Z", identity: Self.user("dave")),
      Self.event("e-8", time: "2024-05-14T10:33:00Z", identity: Self.user("dave")),
      Self.event("e-9", time: "2024-05-14T10:34:00Z", identity: Self.user("carol")),
      Self.event(
        "e-10", time: "2024-05-14T10:35:00Z", name: "PutObject", source: "s3.amazonaws.com",
        identity: Self.user("carol"),
        extra: #""requestParameters":{"bucketName":"b","key":"k/2"},"resources":[{"ARN":"arn:aws:s3:::b"}]"#),
    ]
    try folder.write("archive/" + day + "1005Z_a.json", "{\"Records\":[\(first.joined(separator: ","))]}")
    // The same event delivered again, and a file damaged after its first record.
    try folder.write(
      "archive/" + day + "1105Z_b.json",
      "{\"Records\":[\(first[5]),\(Self.event("e-11", time: "2024-05-14T11:00:00Z", identity: Self.user("erin"))),{\"eventVersion\":\"1.0"
    )
    // Delivered late: pruned by --until with the default slack, so a scan says so.
    try folder.write(
      "archive/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/15/111122223333_CloudTrail_us-east-1_20240515T2355Z_c.json",
      "{\"Records\":[\(Self.event("e-12", time: "2024-05-14T10:10:00Z", identity: Self.user("erin")))]}")
    // Outside the S3 layout: never pruned.
    try folder.write(
      "archive/loose/events.json",
      "{\"Records\":[\(Self.event("e-13", time: "2024-05-13T23:59:59.999Z", identity: Self.user("frank")))]}")
    let store = folder.path("trail.db")
    let made = try TrailBinary.run(["ingest", folder.path("archive"), "--store", store])
    #expect(made.status == 2 && made.stderr.contains("1 damaged"), "\(made.stderr)")
    try agree(
      [folder.path("archive")], store: store,
      [
        Self.q("stats", "--by", "principal", "--format", "jsonl"),
        Self.q("stats", "--by", "principal", "--since", "2024-05-14T10:00:00.500Z", "--format", "jsonl"),
        Self.q("stats", "--by", "principal", "--until", "2024-05-14T10:00:00.500Z", "--format", "jsonl"),
        Self.q("stats", "--by", "principal", "--since", "2024-05-14T10:00:00.499Z", "--until", "2024-05-14T10:31:00Z"),
        Self.q("stats", "--by", "target", "--format", "jsonl"),
        Self.q("stats", "--by", "target,principal", "--distinct", "target", "--format", "csv"),
        Self.q("stats", "--by", "error,outcome", "--format", "csv"),
        Self.q("stats", "--by", "time", "--format", "jsonl"),
        Self.q("stats", "--by", "date,hour", "--every", "15m", "--format", "jsonl"),
        Self.q("stats", "--by", "principal", "--top", "2", "--format", "jsonl"),
        Self.q("stats", "--by", "actor", "--sort", "time", "--format", "jsonl"),
        Self.q("stats", "--by", "accessKey,userAgent", "--format", "table"),
        Self.q("stats", "--by", "region", "--no-prune", "--until", "2024-05-14T11:00:00Z", "--format", "jsonl"),
        Self.q("who", "--action", "iam:*", "--format", "jsonl"),
        Self.q("who", "--resource", "arn:aws:s3:::b*", "--format", "jsonl"),
        Self.q("what", "--principal", "carol", "--format", "jsonl"),
        Self.q("what", "--principal", "zoë", "--format", "jsonl"),
        Self.q("what", "--principal", "Deploy", "--since", "2024-05-14T10:00:00.5Z", "--format", "jsonl"),
        Self.q("stats", "--by", "principal", "--event-name", "!ListUsers", "--format", "jsonl"),
        Self.q("stats", "--by", "type", "--principal", "!carol", "--format", "jsonl"),
        Self.q("stats", "--by", "principal", "--strict", "--format", "jsonl", bySQL: false),
      ])
    // The records of the first file, repeated later in file order, are counted once with --dedupe
    // by both; and a question without matches exits 1 from both.
    let none = try TrailBinary.run(["stats", "--store", store, "--by", "principal", "--action", "ec2:*"])
    #expect(none.status == 2 && none.out.isEmpty, "the damaged file's problem makes it 2: \(none.stderr)")
  }
}
