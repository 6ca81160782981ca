// The validating fast skip through the binary: commands that leave unread values off the tape
// (search, stats, who, what) answer exactly as with every value parsed (`--parse-everything`),
// and a record corrupt only inside a skipped value is still reported, at the same byte.
import Foundation
import Testing
import TrailTestSupport

struct FastSkipTests {
  /// Records whose damage sits inside `requestParameters`, which `search --event-name` and
  /// `stats --by principal` never read, between good ones; a record with lower-cased keys; a
  /// Lake event; an event whose `userIdentity` comes after a repeated `requestParameters`.
  static func damagedFile() -> (text: String, problems: [(offset: Int, reason: String)]) {
    let good = (0..<3).map { RecordsBuilder.event($0, name: $0 == 1 ? "ConsoleLogin" : "GetObject") }
    let damaged: [(String, String, String)] = [
      // (record, the text before the bad byte, reason)
      (
        #"{"eventVersion":"1.09","eventName":"ConsoleLogin","requestParameters":{"k":"a\qb"},"userIdentity":{"type":"Root"}}"#,
        #"{"eventVersion":"1.09","eventName":"ConsoleLogin","requestParameters":{"k":"a\"#,
        "invalid escape '\\q' in a string"
      ),
      (
        #"{"eventVersion":"1.09","eventName":"GetObject","requestParameters":{"k":[1,2,]},"userIdentity":{}}"#,
        #"{"eventVersion":"1.09","eventName":"GetObject","requestParameters":{"k":[1,2,"#,
        "expected a value, found ']'"
      ),
      (
        #"{"eventVersion":"1.09","eventName":"GetObject","resources":[{"ARN":tru}],"userIdentity":{}}"#,
        #"{"eventVersion":"1.09","eventName":"GetObject","resources":[{"ARN":"#,
        "invalid literal, expected 'true'"
      ),
    ]
    let extra = [
      #"{"eventversion":"1.09","eventname":"ConsoleLogin","useridentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/lower"},"requestparameters":{"a":[{}]}}"#,
      #"{"eventVersion":"1.09","eventName":"GetObject","requestParameters":{"x":1},"requestParameters":{"y":[2]},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/twice"}}"#,
    ]
    var text = #"{"Records":["#
    var problems: [(Int, String)] = []
    for (i, record) in (good + extra).enumerated() {
      if i > 0 { text += "," }
      if i < damaged.count {
        let (bad, before, reason) = damaged[i]
        problems.append((text.utf8.count + before.utf8.count, reason))
        text += bad + ","
      }
      text += record
    }
    return (text + "]}", problems)
  }

  static let commands: [[String]] = [
    ["--event-name", "ConsoleLogin", "--format", "jsonl"],
    ["--format", "jsonl"],
    ["--event-name", "GetObject", "--format", "csv"],
    ["--where", #"{ $.requestParameters.bucketName = "b2" }"#, "--format", "jsonl"],
    ["stats", "--by", "principal", "--format", "jsonl"],
    ["stats", "--by", "principal,error", "--format", "jsonl"],
    ["who", "--event-name", "GetObject", "--format", "jsonl"],
    ["what", "--principal", "*", "--format", "jsonl"],
    ["search", "--sort", "time", "--fields", "time,principal,requestParameters.bucketName", "--format", "csv"],
  ]

  @Test func damageInsideSkippedValuesIsReportedAtItsByte() throws {
    let dir = try TemporaryDirectory()
    let (text, problems) = Self.damagedFile()
    let path = try dir.write("damaged.json", text)
    for command in [["--event-name", "ConsoleLogin", "--format", "jsonl"], ["stats", "--by", "principal"]] {
      let result = try TrailBinary.run(command + [path])
      #expect(result.status == 2)
      let expected = problems.map { "trail-scan: \(path): byte \($0.offset): \($0.reason)\n" }.joined()
      #expect(result.stderr == expected, "\(command)")
    }
    let consoleLogins = try TrailBinary.run(["--event-name", "ConsoleLogin", "--format", "jsonl", path])
    #expect(consoleLogins.lines.count == 2)  // event 1 and the lower-cased record
  }

  @Test(arguments: commands)
  func answersAreTheSameWithEveryValueParsed(_ command: [String]) throws {
    let dir = try TemporaryDirectory()
    let path = try dir.write("damaged.json", Self.damagedFile().text)
    let inputs = [
      path, "Fixtures/archives/sample", "Fixtures/shapes",
      Paths.sharedCorpus.appendingPathComponent("stratus-red-team").path,
      Paths.sharedCorpus.appendingPathComponent("trailscraper").path,
    ]
    for threads in ["1", "2"] {
      let skipping = try TrailBinary.run(command + ["--threads", threads] + inputs)
      let everything = try TrailBinary.run(command + ["--threads", threads, "--parse-everything"] + inputs)
      #expect(skipping.status == everything.status, "\(command)")
      #expect(skipping.out == everything.out, "\(command)")
      #expect(skipping.stderr == everything.stderr, "\(command)")
      #expect(!skipping.out.isEmpty && skipping.stderr.contains("damaged.json"), "\(command)")
    }
  }
}
