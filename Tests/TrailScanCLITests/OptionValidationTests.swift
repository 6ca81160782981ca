// Every subcommand × every numeric, duration and time option it takes, given values it must
// refuse, through the built binary: exit status 2, a `trail-scan: …` message naming the option
// on stderr (not an unknown-option error), nothing on stdout, and no trap. A trap
// (precondition, overflow, stack overflow) ends the process by a signal — SIGILL, SIGTRAP or
// SIGSEGV, which Process reports as the signal's number (4, 5, 11), never 2 — and leaves the
// runtime's crash report on stderr, which is rejected too.
//
// Each (subcommand, option) pair is run with the option's first bad value, the one that
// trapped or slipped through before (or the plainest), and each other bad value of the option
// on one of its subcommands in turn: every pair and every value, without the full product (a
// run costs about 0.1 s). Each subcommand is also run once with a good value of every option,
// so that the rules are known not to refuse what they should accept.
import Foundation
import Testing
import TrailTestSupport

struct OptionValidationTests {
  /// A subcommand, as run with arguments that work, to which one option is added.
  enum Subcommand: String, CaseIterable, Sendable {
    case defaultSearch = "(default)"
    case search, stats, who, what, timeline, fields, check
    case checkPattern = "check --pattern"
    case validate, trace, policy, ingest, sql

    static let sample = "Fixtures/archives/sample"

    /// A store of the sample archive, for `sql` (and written again by `ingest`'s runs).
    static let store: String = {
      let path = FileManager.default.temporaryDirectory.appendingPathComponent(
        "trail-scan-option-store-\(UUID().uuidString).db"
      ).path
      _ = try? TrailBinary.run(["ingest", sample, "--store", path])
      return path
    }()

    var arguments: [String] {
      switch self {
      case .defaultSearch: return [Self.sample]
      case .search, .timeline, .fields, .check, .validate: return [rawValue, Self.sample]
      case .stats: return ["stats", Self.sample, "--by", "action"]
      case .who: return ["who", Self.sample, "--action", "s3:*"]
      case .what: return ["what", Self.sample, "--principal", "arn:aws:iam::*"]
      case .checkPattern: return ["check", Self.sample, "--pattern", #"{ $.eventName = "ConsoleLogin" }"#]
      case .trace: return ["trace", Self.sample, "--origin", "*"]
      case .policy: return ["policy", Self.sample, "--principal", "arn:aws:iam::111122223333:role/ReadOnly"]
      case .ingest: return ["ingest", Self.sample, "--store", Self.store]
      case .sql: return ["sql", "--store", Self.store, "SELECT count(*) FROM events"]
      }
    }

    /// The name `trail-scan --help` lists it under.
    var name: String { self == .defaultSearch ? "search" : String(rawValue.prefix { $0 != " " }) }

    /// Every subcommand that scans events (all but validate, and sql, which reads a store).
    static let scans = allCases.filter { $0 != .validate && $0 != .sql }

    /// Every subcommand with a time window (trace follows chains over the whole archive).
    static let windowed = allCases.filter { $0 != .trace && $0 != .sql }

    /// Every subcommand that reads files (sql reads a store).
    static let reading = allCases.filter { $0 != .sql }
  }

  /// An option, the subcommands that take it, a value it accepts and values it must refuse.
  struct Rule: Sendable {
    let option: String
    let takenBy: [Subcommand]
    let good: String
    let bad: [String]
  }

  /// Values no `--since`/`--until` accepts: impossible dates and times, garbage, and relative
  /// times beyond 10,000 years (the first overflowed before).
  static let impossibleTimes = [
    "-9223372036854775807s", "2024-02-30", "2023-02-29", "2024-13-01", "2024-05-14T25:00", "2024-05-14T12:60:00Z",
    "25:00", "last week", "", "5000000w",
  ]

  static let rules: [Rule] = [
    Rule(
      option: "--limit", takenBy: [.defaultSearch, .search, .timeline], good: "2",
      bad: ["-1", "0", "99999999999999999999", "ten", ""]),
    Rule(option: "--top", takenBy: [.stats], good: "1", bad: ["-1", "0", "x"]),
    Rule(
      option: "--every", takenBy: [.stats, .checkPattern], good: "1h",
      bad: ["0m", "-5m", "5", "soon", "30m1h", "9223372036854775807s", ""]),
    Rule(option: "--threshold", takenBy: [.checkPattern], good: "0", bad: ["-1", "x"]),
    Rule(option: "--threads", takenBy: Subcommand.reading, good: "1", bad: ["0", "-1", "many"]),
    Rule(option: "--max-record-size", takenBy: Subcommand.scans, good: "1048576", bad: ["0", "-1", "2147483648"]),
    Rule(option: "--max-depth", takenBy: Subcommand.scans, good: "64", bad: ["1000000", "0", "-1"]),
    Rule(option: "--inflate-ahead-from", takenBy: Subcommand.scans, good: "1", bad: ["0", "-1", "8M"]),
    Rule(
      option: "--delivery-slack", takenBy: Subcommand.scans, good: "0m", bad: ["-1h", "1hour", "9223372036854775807s"]),
    Rule(option: "--since", takenBy: Subcommand.windowed, good: "2024-01-01", bad: impossibleTimes),
    Rule(option: "--until", takenBy: Subcommand.windowed, good: "2030-01-01T00:00:00Z", bad: impossibleTimes),
  ]

  /// One run: a subcommand with options set to values (`--option=value`, so that a negative
  /// value is the option's, not read as another option).
  struct Case: Sendable, CustomTestStringConvertible {
    let subcommand: Subcommand
    let values: [(option: String, value: String)]
    var arguments: [String] { subcommand.arguments + values.map { "\($0.option)=\($0.value)" } }
    var testDescription: String {
      ([subcommand.rawValue] + values.map { "\($0.option)=\($0.value)" }).joined(separator: " ")
    }
  }

  /// Each pair with the first bad value; the other values each on one subcommand, in turn.
  static let badCases: [Case] = rules.flatMap { rule in
    rule.takenBy.map { Case(subcommand: $0, values: [(rule.option, rule.bad[0])]) }
      + rule.bad.dropFirst().enumerated().map { index, value in
        Case(subcommand: rule.takenBy[index % rule.takenBy.count], values: [(rule.option, value)])
      }
  }

  /// Each subcommand with a good value of every option it takes.
  static let goodCases: [Case] = Subcommand.allCases.map { subcommand in
    Case(subcommand: subcommand, values: rules.filter { $0.takenBy.contains(subcommand) }.map { ($0.option, $0.good) })
  }

  @Test(arguments: badCases)
  func badValueIsAUsageError(_ run: Case) throws {
    let result = try TrailBinary.run(run.arguments)
    #expect(result.status == 2, "exit status \(result.status): \(result.stderr)")
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("trail-scan: "))
    #expect(result.stderr.contains(run.values[0].option), "the message names the option: \(result.stderr)")
    #expect(!result.stderr.contains("Unknown option"))
    #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("crashed"))
  }

  @Test(arguments: goodCases)
  func goodValueIsAccepted(_ run: Case) throws {
    let result = try TrailBinary.run(run.arguments)
    #expect(result.status == 0 || result.status == 1, "exit status \(result.status): \(result.stderr)")
  }

  /// The table covers every subcommand the command has, every pair and every bad value.
  @Test func everySubcommandIsCovered() throws {
    let help = try TrailBinary.run(["--help"]).out
    // The lines after `SUBCOMMANDS:` up to the blank line; a name starts a line after two spaces.
    let section = (help.components(separatedBy: "SUBCOMMANDS:\n").last ?? "").components(separatedBy: "\n\n")[0]
    let listed = Set(
      section.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first else {
          return nil
        }
        return String(word)
      })
    #expect(listed.count >= 8)
    #expect(listed == Set(Subcommand.allCases.map(\.name)))
    // Every pair is run, and every bad value of every option.
    for rule in Self.rules {
      let runs = Self.badCases.filter { $0.values[0].option == rule.option }
      #expect(Set(runs.map(\.subcommand)) == Set(rule.takenBy))
      #expect(Set(runs.map(\.values[0].value)) == Set(rule.bad))
    }
  }
}
