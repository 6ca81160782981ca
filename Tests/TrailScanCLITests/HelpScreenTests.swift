// Help that fits an 80-column terminal, for every command the command tree has. The commands
// are read from `trail-scan --experimental-dump-help` (argument-parser's dump of the command
// configuration), so a subcommand added later is covered without touching this file:
//
// - every line of every `--help` at COLUMNS=80 is at most 80 columns (independent of golden
//   files: a new option with a long help text or a long usage line fails here at once);
// - every help screen is pinned byte for byte (`help-COMMAND.txt` in Snapshots/, as
//   argument-parser's own tests do); after changing help text or adding options or commands,
//   re-record them all with one command and review the diff:
//
//       RECORD_SNAPSHOTS=1 swift test --filter HelpScreenTests
//
// - every example in a help screen is a complete command on one line: run against the sample
//   archive, it is never a usage error.
import Foundation
import Testing
import TrailTestSupport

struct HelpScreenTests {
  /// Every command path (`[]` for trail-scan itself, `["check"]`, …) from argument-parser's dump
  /// of the command tree, without argument-parser's own `help`.
  static let commands: [[String]] = {
    guard let result = try? TrailBinary.run(["--experimental-dump-help"]),
      let dump = try? JSONSerialization.jsonObject(with: result.stdout) as? [String: Any],
      let root = dump["command"] as? [String: Any]
    else { return [] }
    var paths: [[String]] = []
    func walk(_ command: [String: Any], _ path: [String]) {
      paths.append(path)
      for sub in command["subcommands"] as? [[String: Any]] ?? [] {
        guard let name = sub["commandName"] as? String, name != "help" else { continue }
        walk(sub, path + [name])
      }
    }
    walk(root, [])
    return paths
  }()

  static func help(_ command: [String]) throws -> RunResult {
    try TrailBinary.run(command + ["--help"], environment: ["COLUMNS": "80"])
  }

  @Test func theCommandTreeIsRead() {
    // The root and at least the ten commands of issue 17's time; new ones add to this.
    #expect(Self.commands.count >= 11, "\(Self.commands)")
    #expect(Self.commands.contains(["validate"]) && Self.commands.contains([]))
  }

  @Test(arguments: commands)
  func everyLineFitsEightyColumns(_ command: [String]) throws {
    let result = try Self.help(command)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.lines.count > 5)
    for (n, line) in result.lines.enumerated() {
      #expect(
        line.count <= 80,
        """
        trail-scan \(command.joined(separator: " ")) --help, line \(n + 1) has \(line.count) columns: \(line)
        (help texts wrap at the terminal width; write examples under 80 columns, and give a command with
        twelve or fewer options a short `usage:` in its CommandConfiguration)
        """)
    }
  }

  @Test(arguments: commands)
  func helpScreenIsPinned(_ command: [String]) throws {
    let result = try Self.help(command)
    Snapshot.check(result.out, named: "help-\(command.isEmpty ? "trail-scan" : command.joined(separator: "-")).txt")
  }

  /// Example lines: after an `Examples:` or `Example:` line, those indented by two spaces.
  static func examples(_ help: String) -> [String] {
    var result: [String] = []
    var inExamples = false
    for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
      if line == "Examples:" || line == "Example:" {
        inExamples = true
      } else if inExamples && line.hasPrefix("  ") {
        result.append(String(line.dropFirst(2)))
      } else {
        inExamples = false
      }
    }
    return result
  }

  @Test(arguments: commands)
  func examplesAreCompleteCommands(_ command: [String]) throws {
    let examples = Self.examples(try Self.help(command).out)
    // On one line each: at 80 columns the examples are the same as on a wide terminal.
    let wide = try TrailBinary.run(command + ["--help"], environment: ["COLUMNS": "250"])
    #expect(examples == Self.examples(wide.out), "an example wraps at 80 columns")
    if command.isEmpty || ["search", "stats", "who", "what", "check", "validate"].contains(command[0]) {
      #expect(!examples.isEmpty, "no examples in \(command)")
    }
    // Reports and event stores go to a scratch folder, not into the package; one store for the
    // examples of a screen, which ingest and then query it.
    let scratch = try TemporaryDirectory()
    for example in examples where example.hasPrefix("trail-scan") {
      // One command per line: the part before a pipe, with the archive in place of ./AWSLogs.
      let words = try Self.words(String(example.split(separator: "|")[0]))
      #expect(words.first == "trail-scan")
      var arguments = words.dropFirst().map { $0 == "./AWSLogs" ? "Fixtures/archives/sample" : $0 }
      if let store = arguments.firstIndex(of: "--store"), store + 1 < arguments.count {
        arguments[store + 1] = scratch.path("store.db")
      }
      if let output = arguments.firstIndex(of: "--output"), output + 1 < arguments.count {
        arguments[output + 1] = scratch.path("report")
      }
      let result = try TrailBinary.run(arguments)
      #expect(
        !result.stderr.contains("Usage:") && !result.stderr.contains("--help' for more"), "\(example): \(result.stderr)"
      )
      #expect(!result.stderr.contains("Missing expected") && !result.stderr.contains("Unknown option"), "\(example)")
    }
  }

  /// Splits a shell command line into words (single and double quotes, no expansions).
  static func words(_ line: String) throws -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for c in line {
      if let q = quote {
        if c == q { quote = nil } else { current.append(c) }
      } else if c == "'" || c == "\"" {
        quote = c
        inWord = true
      } else if c == " " {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(c)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }
}
