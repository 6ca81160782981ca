// Tables at a terminal's width, through the binary: every table of every command pinned at 80,
// 120 and 200 columns (golden files `table-NAME-WIDTH.txt`, with the stderr note of columns
// left out), every line within the width, and nothing cut with --wide or into a pipe. Re-record
// with RECORD_SNAPSHOTS=1 swift test --filter TableLayoutTests, then review the diff.
import Foundation
import Testing
import TrailTestSupport

struct TableLayoutTests {
  static let sample = "Fixtures/archives/sample"
  static let widths = [80, 120, 200]

  /// One table of each kind; `@ARCHIVE` is the sample archive, `@CHAINS` an archive of
  /// credential chains (IdentityChainTests).
  static let tables: [(String, [String])] = [
    ("search", ["search", "@ARCHIVE", "--event-name", "ConsoleLogin"]),
    ("search-assumed", ["search", "@ARCHIVE", "--event-name", "AssumeRole"]),
    ("stats", ["stats", "@ARCHIVE", "--by", "principal,action", "--top", "8"]),
    ("who", ["who", "@ARCHIVE", "--action", "iam:*"]),
    ("what", ["what", "@ARCHIVE", "--principal", "bob"]),
    ("timeline", ["timeline", "@ARCHIVE", "--principal", "bob"]),
    ("fields", ["fields", "@ARCHIVE", "--event-name", "ConsoleLogin"]),
    ("check", ["check", "@ARCHIVE"]),
    ("check-rules", ["check", "--list-rules", "--pack", "cis"]),
    ("validate", ["validate", "@ARCHIVE", "--all"]),
    ("trace", ["trace", "@CHAINS", "--access-key", "ASIAK2DEPLOY00000002"]),
    ("trace-origin", ["trace", "@CHAINS", "--origin", ChainArchive.alice]),
  ]

  static let cases: [(String, [String], Int)] = tables.flatMap { name, arguments in
    widths.map { (name, arguments, $0) }
  }

  /// Runs a table's command with `environment`, the archives in place.
  func run(_ arguments: [String], _ environment: [String: String], chains: String) throws -> RunResult {
    let args = arguments.map { $0 == "@ARCHIVE" ? Self.sample : $0 == "@CHAINS" ? chains : $0 }
    return try TrailBinary.run(args, environment: environment.merging(["NO_COLOR": "1"]) { $1 })
  }

  @Test(arguments: cases)
  func tableAtWidth(_ name: String, _ arguments: [String], _ width: Int) throws {
    let dir = try TemporaryDirectory()
    let chains = try ChainArchive.build().write(to: dir)
    let result = try run(arguments + ["--format", "table"], ["COLUMNS": "\(width)"], chains: chains)
    #expect(result.status != 2, "\(result.stderr)")
    for line in result.lines {
      #expect(line.count <= width, "\(name) at \(width): \(line.count) columns: \(line)")
    }
    // What goes to stderr about the table (columns left out), not the commands' own summaries.
    let notes = result.stderr.split(separator: "\n").filter { $0.contains("column(s)") }
    let text = result.out + (notes.isEmpty ? "" : "[stderr]\n" + notes.joined(separator: "\n") + "\n")
    Snapshot.check(text, named: "table-\(name)-\(width).txt")
  }

  /// `--wide` cuts nothing, whatever COLUMNS says, and a table into a pipe (no COLUMNS) is the same.
  @Test(arguments: tables)
  func wideAndPipedCutNothing(_ name: String, _ arguments: [String]) throws {
    let dir = try TemporaryDirectory()
    let chains = try ChainArchive.build().write(to: dir)
    let wide = try run(arguments + ["--format", "table", "--wide"], ["COLUMNS": "80"], chains: chains)
    let piped = try run(arguments + ["--format", "table"], [:], chains: chains)
    #expect(wide.out == piped.out)
    #expect(!wide.out.contains("…"), "\(name): \(wide.out)")
    #expect(!wide.stderr.contains("column(s)") && !piped.stderr.contains("column(s)"))
  }

  /// The issue's cases: a narrow table still tells iam:CreateUser from iam:CreateLoginProfile
  /// and one long role session from another, and a long file path keeps its unique end.
  @Test func cutsKeepWhatIdentifies() throws {
    let dir = try TemporaryDirectory()
    func event(_ n: Int, _ name: String, _ role: String, _ session: String) -> String {
      #"{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/\#(role)/\#(session)","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/\#(role)","userName":"\#(role)"}}},"eventTime":"2024-05-14T10:00:0\#(n)Z","eventSource":"iam.amazonaws.com","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.\#(n)","requestParameters":{"userName":"intruder"},"eventID":"00000000-0000-4000-8000-00000000000\#(n)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    }
    let records = [
      event(1, "CreateUser", "aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_5e3c4d2a", "alice"),
      event(2, "CreateLoginProfile", "aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_77aa00bc", "bob"),
    ]
    let long = "incident-2024-05-14/evidence/exported-from-the-audit-account/AWSLogs/111122223333/CloudTrail/us-east-1"
    let path = try dir.write(
      "\(long)/111122223333_CloudTrail_us-east-1_20240514T1000Z_uniqueSuffixA1.json",
      #"{"Records":["# + records.joined(separator: ",") + "]}")
    let timeline = try TrailBinary.run(["timeline", path, "--format", "table"], environment: ["COLUMNS": "80"])
    #expect(timeline.status == 0, "\(timeline.stderr)")
    #expect(timeline.out.contains("iam:CreateUser") && timeline.out.contains("iam:CreateLoginProfile"))
    #expect(timeline.out.contains("AdministratorAccess_5e3c4d2a") || timeline.out.contains("…/alice"))
    let principals = try TrailBinary.run(
      ["who", path, "--event-name", "*", "--format", "table"], environment: ["COLUMNS": "80"])
    let rows = principals.lines.dropFirst().map { String($0.prefix(while: { $0 != " " })) }
    #expect(rows.count == 2 && Set(rows).count == 2, "\(principals.out)")
    #expect(rows.allSatisfy { $0.hasSuffix("5e3c4d2a") || $0.hasSuffix("77aa00bc") }, "\(rows)")
    // A file name longer than the terminal keeps its unique suffix, even at COLUMNS=400.
    try FileManager.default.removeItem(atPath: path)
    let bad = try dir.write(
      "\(long)/111122223333_CloudTrail_us-east-1_20240514T1000Z_uniqueSuffixA1.json.gz", [0x1F, 0x8B, 0x08, 0x00])
    for (width, kept) in [(60, "A1.json.gz"), (400, "_CloudTrail_us-east-1_20240514T1000Z_uniqueSuffixA1.json.gz")] {
      let validate = try TrailBinary.run(
        ["validate", dir.path, "--format", "table"], environment: ["COLUMNS": "\(width)"])
      #expect(validate.out.contains(kept), "\(width): \(validate.out)")
      #expect(validate.lines.allSatisfy { $0.count <= width })
    }
    _ = bad
  }
}
