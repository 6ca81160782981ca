// Issue 13, item 6: nothing recurses on how deep a record nests. Records at the deepest
// `--max-depth` allows (1024) go through every command that walks them — the field census, the
// printers, `--by` and `--where` paths, rule evaluation, sorting — on the parallel workers'
// small stacks too (two files); a record one level deeper is reported with its file and byte,
// and `timeline`/`--sort time` print the rest.
import Foundation
import Testing
import TrailTestSupport

struct MaximumDepthTests {
  static let maxDepth = 1024

  /// A record whose deepest level is `levels` (the record object is level 1, its
  /// `requestParameters` level 2): objects `{"a":…}` at even levels, arrays `[…]` at odd ones,
  /// `"x"` at the bottom. `levels` is even.
  static func deepRecord(name: String, second: Int, levels: Int) -> String {
    var inner = #""x""#
    for level in stride(from: levels, through: 2, by: -1) {
      inner = level % 2 == 0 ? #"{"a":"# + inner + "}" : "[" + inner + "]"
    }
    return
      #"{"eventVersion":"1.08","eventTime":"2024-05-14T10:00:0\#(second)Z","eventSource":"s3.amazonaws.com","eventName":"\#(name)","eventID":"\#(name)","requestParameters":\#(inner)}"#
  }

  /// The dotted path to the bottom `"x"` of a record of `levels` levels (arrays looked through).
  static func dottedPath(levels: Int) -> String { "requestParameters" + String(repeating: ".a", count: levels / 2) }

  /// The CloudWatch selector to the same value (every array indexed).
  static func selector(levels: Int) -> String {
    "$.requestParameters" + String(repeating: ".a[0]", count: levels / 2 - 1) + ".a"
  }

  /// Two files, each with a record 1024 deep between two plain ones (out of time order).
  func deepFolder() throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    for file in ["a", "b"] {
      let records = [
        #"{"eventVersion":"1.08","eventTime":"2024-05-14T10:00:05Z","eventName":"Late","eventID":"\#(file)-late"}"#,
        Self.deepRecord(name: "Deep-\(file)", second: 3, levels: Self.maxDepth),
        #"{"eventVersion":"1.08","eventTime":"2024-05-14T10:00:01Z","eventName":"Early","eventID":"\#(file)-early"}"#,
      ]
      try dir.write("\(file).json", #"{"Records":["# + records.joined(separator: ",") + "]}")
    }
    return dir
  }

  func run(_ arguments: [String], _ dir: TemporaryDirectory) throws -> RunResult {
    try TrailBinary.run(arguments + [dir.path, "--max-depth", String(Self.maxDepth)])
  }

  @Test func fieldsCensusesEveryLevel() throws {
    let dir = try deepFolder()
    for threads in ["1", "2"] {
      let result = try run(["fields", "--format", "csv", "--threads", threads], dir)
      #expect(result.status == 0, "\(result.stderr)")
      let rows = result.lines.filter { $0.hasPrefix("requestParameters") }
      #expect(rows.count == Self.maxDepth / 2 + 1)
      #expect(result.lines.contains(Self.dottedPath(levels: Self.maxDepth) + ",2,x"))
    }
  }

  @Test func printersWriteTheDeepRecord() throws {
    let dir = try deepFolder()
    let jsonl = try run(["--format", "jsonl", "--where", "{ $.eventName = Deep-a }"], dir)
    #expect(jsonl.status == 0, "\(jsonl.stderr)")
    #expect(jsonl.lines == [Self.deepRecord(name: "Deep-a", second: 3, levels: Self.maxDepth)])
    for format in ["table", "csv", "json"] {
      let result = try run(["--format", format, "--fields", "eventName,requestParameters.a"], dir)
      #expect(result.status == 0, "\(format): \(result.stderr)")
      #expect(result.out.contains("Deep-b"), "\(format)")
    }
  }

  @Test func pathsReachTheBottom() throws {
    let dir = try deepFolder()
    let path = Self.dottedPath(levels: Self.maxDepth)
    let stats = try run(["stats", "--by", path, "--format", "csv"], dir)
    #expect(stats.status == 0, "\(stats.stderr)")
    #expect(stats.lines.count == 3 && stats.lines[1].hasPrefix(",4,") && stats.lines[2].hasPrefix("x,2,"))
    let selected = try run(["--where", "{ \(Self.selector(levels: Self.maxDepth)) = x }", "--format", "csv"], dir)
    #expect(selected.status == 0, "\(selected.stderr)")
    #expect(selected.lines.count == 3)
    let wildcard = try run(
      [
        "--where", "{ $.requestParameters.a[*]" + String(repeating: ".a[0]", count: Self.maxDepth / 2 - 2) + ".a = x }",
        "--format", "csv", "--fields", "eventName",
      ], dir)
    #expect(wildcard.lines == ["eventName", "Deep-a", "Deep-b"], "\(wildcard.stderr)")
    let distinct = try run(["--format", "csv", "--fields", "eventName," + path], dir)
    #expect(distinct.lines.contains("Deep-a,x"))
  }

  @Test func rulesEvaluateTheDeepRecord() throws {
    let dir = try deepFolder()
    let ruleDir = try TemporaryDirectory()
    let rules = try ruleDir.write(
      "deep.yml",
      """
      rules:
        - id: deep-match
          title: Deep value by match
          severity: low
          match:
            # A key this long must be an explicit one (YAML's simple keys stop at 1024 characters).
            ? "\(Self.dottedPath(levels: Self.maxDepth))"
            : x
        - id: deep-pattern
          title: Deep value by pattern
          severity: low
          pattern: '{ \(Self.selector(levels: Self.maxDepth)) = "x" }'
      """)
    for threads in ["1", "2"] {
      let result = try run(["check", "--rules", rules, "--format", "json", "--threads", threads], dir)
      #expect(result.status == 1, "\(result.stderr)")
      let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
      let counts = (report["rules"] as? [[String: Any]] ?? []).map { rule in
        (rule["findings"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
      }
      #expect(counts == [2, 2], "\(result.out)")
    }
  }

  @Test func sortedOutputHoldsTheDeepRecord() throws {
    let dir = try deepFolder()
    let expected = ["eventName", "Early", "Early", "Deep-a", "Deep-b", "Late", "Late"]
    let sorted = try run(["--sort", "time", "--format", "csv", "--fields", "eventName"], dir)
    #expect(sorted.status == 0 && sorted.lines == expected, "\(sorted.stderr)")
    let timeline = try run(["timeline", "--format", "csv", "--fields", "eventName"], dir)
    #expect(timeline.status == 0 && timeline.lines == expected, "\(timeline.stderr)")
    let jsonl = try run(["--sort", "time", "--format", "jsonl", "--where", "{ $.eventName = Deep-b }"], dir)
    #expect(jsonl.lines == [Self.deepRecord(name: "Deep-b", second: 3, levels: Self.maxDepth)])
  }

  /// One record a level deeper than the limit: reported with its file and the byte of the
  /// bracket that opens level 1025; every other event printed, in time order.
  @Test func recordOverTheLimitIsReportedAndTheRestSorted() throws {
    let dir = try TemporaryDirectory()
    let tooDeep = Self.deepRecord(name: "TooDeep", second: 2, levels: Self.maxDepth + 2)
    let text =
      #"{"Records":[{"eventVersion":"1.08","eventTime":"2024-05-14T10:00:05Z","eventName":"Late"},"#
      + Self.deepRecord(name: "Deep", second: 3, levels: Self.maxDepth) + "," + tooDeep + ","
      + #"{"eventVersion":"1.08","eventTime":"2024-05-14T10:00:01Z","eventName":"Early"}]}"#
    let file = try dir.write("a.json", text)
    // The envelope object and the Records array are two levels above the record's own.
    var depth = 0
    var offset = 0
    for (i, byte) in text.utf8.enumerated() {
      if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
        depth += 1
        if depth == Self.maxDepth + 3 {
          offset = i
          break
        }
      } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
        depth -= 1
      }
    }
    let message = "trail-scan: \(file): byte \(offset): nesting deeper than the limit of 1024 levels\n"
    for command in [["--sort", "time"], ["timeline"]] {
      let result = try run(command + ["--format", "csv", "--fields", "time,eventName"], dir)
      #expect(result.status == 2)
      #expect(result.stderr == message)
      #expect(
        result.lines == [
          "time,eventName", "2024-05-14T10:00:01Z,Early", "2024-05-14T10:00:03Z,Deep", "2024-05-14T10:00:05Z,Late",
        ])
    }
  }
}
