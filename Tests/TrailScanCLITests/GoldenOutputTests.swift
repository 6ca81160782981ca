// Every output format pinned byte for byte on the sample archive (docs/output.md describes
// them). Re-record with RECORD_SNAPSHOTS=1 swift test --filter GoldenOutputTests, then review
// the diff: a change here is a change scripts will see. Tables are whole here (into a pipe,
// no COLUMNS); TableLayoutTests pins them fitted to 80, 120 and 200 columns.
import Foundation
import Testing
import TrailTestSupport

struct GoldenOutputTests {
  static let sample = "Fixtures/archives/sample"

  static let cases: [(String, [String])] = [
    ("search-table.txt", ["--event-name", "ConsoleLogin", "--format", "table"]),
    (
      "search-csv.csv",
      [
        "--action", "s3:*", "--format", "csv", "--fields",
        "time,principal,action,requestParameters.bucketName,requestParameters.key",
      ]
    ),
    ("search-jsonl.jsonl", ["--error", "AccessDenied", "--format", "jsonl"]),
    ("search-json.json", ["--type", "Root", "--format", "json"]),
    ("search-sorted-limited.csv", ["--sort", "time", "--limit", "5", "--format", "csv"]),
    ("stats-table.txt", ["stats", "--by", "service,error", "--format", "table"]),
    ("stats-every.jsonl", ["stats", "--by", "account,region", "--every", "6h", "--sort", "time", "--format", "jsonl"]),
    ("stats-distinct.csv", ["stats", "--by", "principal", "--distinct", "ip", "--top", "5", "--format", "csv"]),
    ("who-table.txt", ["who", "--action", "iam:*", "--format", "table"]),
    ("who.jsonl", ["who", "--action", "iam:*", "--format", "jsonl"]),
    ("what-table.txt", ["what", "--principal", "bob", "--format", "table"]),
    ("timeline-table.txt", ["timeline", "--principal", "bob", "--format", "table"]),
    ("timeline.jsonl", ["timeline", "--principal", "bob", "--format", "jsonl"]),
    ("fields-table.txt", ["fields", "--event-name", "ConsoleLogin", "--format", "table"]),
    ("search-color.txt", ["--type", "Root", "--format", "table", "--color", "always"]),
  ]

  @Test(arguments: cases)
  func output(_ name: String, _ arguments: [String]) throws {
    var environment = ["NO_COLOR": ""]
    var args: [String] = []
    for argument in arguments {
      if argument.hasPrefix("@COLUMNS=") {
        environment["COLUMNS"] = String(argument.dropFirst(9))
      } else {
        args.append(argument)
      }
    }
    // The subcommand (if any) comes first, then the archive.
    if let first = args.first, ["stats", "who", "what", "timeline", "fields"].contains(first) {
      args.insert(Self.sample, at: 1)
    } else {
      args.insert(Self.sample, at: 0)
    }
    let result = try TrailBinary.run(args, environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "")
    Snapshot.check(result.out, named: name)
  }
}
