// Issue 13, item 9: path arguments are parsed in linear time (20,000 took 17 s: argument-parser
// removes each positional value from its list one at a time), and in the order given, however
// they mix with options and `--`; `--help` and `--version` report write errors.
// (scripts/measure-paths.sh times 20,000 paths.)
import Foundation
import Testing
import TrailTestSupport

struct PathArgumentTests {
  /// `count` one-event files named by number, in a folder with a short name (so 20,000 paths
  /// fit in the argument list). Made and removed by the shell: Foundation takes seconds for
  /// 20,000 files.
  final class NumberedFiles {
    let dir: TemporaryDirectory
    let paths: [String]
    init(_ count: Int) throws {
      let dir = try TemporaryDirectory(prefix: "ts")
      self.dir = dir
      paths = (0..<count).map { dir.path(String($0)) }
      let made = try TrailBinary.shell(
        #"cd '\#(dir.path)' && for ((i = 0; i < \#(count); i++)); do printf '{"eventVersion":"1.08","eventName":"E%d"}' $i > $i; done"#
      )
      precondition(made.status == 0)
    }
    deinit { _ = try? TrailBinary.shell("find '\(dir.path)' -mindepth 1 -delete") }
  }

  func files(_ count: Int) throws -> (NumberedFiles, [String]) {
    let files = try NumberedFiles(count)
    return (files, files.paths)
  }

  func names(_ result: RunResult) -> [String] { Array(result.lines.dropFirst()) }

  @Test func twentyThousandPathsInTheirOrder() throws {
    let (dir, paths) = try files(20_000)
    defer { withExtendedLifetime(dir) {} }
    let order = paths.indices.map { ($0 * 7919) % paths.count }
    let result = try TrailBinary.run(["--format", "csv", "--fields", "eventName"] + order.map { paths[$0] })
    #expect(result.status == 0, "\(result.stderr)")
    #expect(names(result) == order.map { "E\($0)" })
  }

  @Test func pathsMixedWithOptionsKeepTheirOrder() throws {
    let (dir, paths) = try files(40)
    try dir.dir.write("-dash.json", #"{"eventVersion":"1.08","eventName":"Dash"}"#)
    var arguments: [String] = ["search"]
    arguments += paths[0..<12]
    arguments += ["--format", "csv"]
    arguments += paths[12..<25]
    arguments += ["--fields", "eventName", paths[25], "--quiet"]
    arguments += paths[26..<30]
    arguments += ["--error"]
    arguments += paths[30..<40]
    let withError = try TrailBinary.run(arguments)
    // The bare --error (any error) keeps only the event with an error: none here.
    #expect(withError.status == 1, "\(withError.stderr)")
    let plain = Array(arguments.filter { $0 != "--error" })
    let result = try TrailBinary.run(plain)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(names(result) == (0..<40).map { "E\($0)" })
    // After `--` every argument is a path, dashes and all; `-` is standard input. (Run in the
    // folder, for a relative path that starts with a dash.)
    let names = paths.map { URL(fileURLWithPath: $0).lastPathComponent }
    var words: [String] = ["--format", "csv", "--fields", "eventName"]
    words += names[0..<10]
    words += ["-", "--"]
    words += names[10..<20]
    words += ["-dash.json"]
    words += names[20..<30]
    let out = dir.dir.path + ".out"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let (status, message) = try TrailBinary.shell(
      "cd '\(dir.dir.path)' && echo '{\"eventVersion\":\"1.08\",\"eventName\":\"Stdin\"}' | '\(TrailBinary.url.path)' "
        + words.joined(separator: " ") + " > '\(out)'")
    #expect(status == 0, "\(String(decoding: message, as: UTF8.self))")
    let lines = try String(contentsOfFile: out, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map(
      String.init)
    let expected: [String] = (0..<10).map { "E\($0)" } + ["Stdin"] + (10..<20).map { "E\($0)" }
    #expect(lines == expected + ["Dash"] + (20..<30).map { "E\($0)" })
  }

  @Test func everyCommandTakesManyPaths() throws {
    let (dir, paths) = try files(30)
    defer { withExtendedLifetime(dir) {} }
    for command in [
      ["stats", "--by", "eventName"], ["who", "--event-name", "E29"], ["what", "--principal", "alice"], ["timeline"],
      ["fields"],
    ] {
      // Every file read (one event each), none taken for an option's value or lost.
      let result = try TrailBinary.run(command + ["--format", "json", "--debug-statistics"] + paths)
      #expect(result.status != 2, "\(command): \(result.stderr)")
      #expect(
        result.stderr.contains("files: 30,") && result.stderr.contains("events: 30,"), "\(command): \(result.stderr)")
    }
    let check = try TrailBinary.run(["check", "--format", "json"] + paths)
    #expect(check.status == 0, "\(check.stderr)")
    #expect(check.stderr.contains("30 events in 30 files"), "\(check.stderr)")
    let validate = try TrailBinary.run(["validate"] + paths)
    #expect(validate.stderr.contains("\u{0}") == false)
  }

  @Test(arguments: [["--help"], ["--version"], ["search", "--help"], ["help", "check"]])
  func helpReportsWriteErrors(_ arguments: [String]) throws {
    let command = "'\(TrailBinary.url.path)' " + arguments.joined(separator: " ")
    let (full, message) = try TrailBinary.shell(command + " > /dev/full")
    #expect(full == 2)
    #expect(String(decoding: message, as: UTF8.self) == "trail-scan: cannot write output: No space left on device\n")
    let (piped, quiet) = try TrailBinary.shell("set -o pipefail; " + command + " | head -c 1 > /dev/null")
    #expect(piped == 0 && quiet.isEmpty)
    let shown = try TrailBinary.run(arguments)
    #expect(shown.status == 0 && !shown.out.isEmpty && shown.stderr.isEmpty)
  }
}
