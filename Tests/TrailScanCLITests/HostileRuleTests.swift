// Hostile rule files and patterns through the binary (issue 13, findings 4 and 5): bombs are
// generated here, never committed. A rule file that aliases one 100 KB string 10,000 times made
// a 1 GB report; one with an aliased mapping key never finished loading; `a{0,1000}b` took 21 s
// on one 1 MB value. Each is now refused with `FILE:LINE:` (or, for the pattern, runs in time
// linear in the value). Timing is measured by scripts/measure-patterns.sh, not here.
import Foundation
import Testing
import TrailTestSupport

struct HostileRuleTests {
  static let sample = "Fixtures/archives/sample"

  @Test func theAliasBombIsRefusedWithFileAndLine() throws {
    let dir = try TemporaryDirectory()
    // The issue's file: 140 KB that is 1 GB of text once its aliases are copied.
    let aliases = Array(repeating: "*big", count: 10_000).joined(separator: ", ")
    let bomb = try dir.write(
      "bomb.yml",
      "description: &big \(String(repeating: "x", count: 100_000))\nrules:\n  - id: bomb\n    title: Bomb\n"
        + "    severity: high\n    match: {eventName: ConsoleLogin}\n    references: [\(aliases)]\n")
    let result = try TrailBinary.run([
      "check", Self.sample, "--rules", bomb, "--format", "json", "--output", dir.path("report.json"),
    ])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "\(bomb):7: the file holds more than 4194304 bytes of text once its aliases are expanded"),
      "\(result.stderr)")
    #expect(result.stdout.count < 4096)
    let report = (try? FileManager.default.attributesOfItem(atPath: dir.path("report.json"))[.size] as? Int) ?? 0
    #expect(report < 4096)
  }

  @Test func aSigmaRuleFileIsSizedTheSameWay() throws {
    let dir = try TemporaryDirectory()
    // Sigma files come through the same loader: the alias bomb in `references`, and a title
    // over its limit, are refused with the file and line.
    let aliases = Array(repeating: "*big", count: 10_000).joined(separator: ", ")
    let sigma =
      "title: Bomb\nid: 0d5f4c3e-0000-4000-8000-000000000001\ndescription: &big "
      + String(repeating: "x", count: 100_000) + "\nlogsource: {product: aws, service: cloudtrail}\n"
      + "detection:\n  selection: {eventName: ConsoleLogin}\n  condition: selection\nreferences: [\(aliases)]\n"
    let bomb = try dir.write("bomb-sigma.yml", sigma)
    let result = try TrailBinary.run(["check", Self.sample, "--rules", bomb, "--format", "json"])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "\(bomb):8: the file holds more than 4194304 bytes of text once its aliases are expanded"),
      "\(result.stderr)")
    #expect(result.stdout.count < 4096)
    let title = try dir.write(
      "title-sigma.yml",
      "title: \(String(repeating: "t", count: 1025))\nid: r1\nlogsource: {product: aws, service: cloudtrail}\n"
        + "detection:\n  selection: {eventName: ConsoleLogin}\n  condition: selection\n")
    let long = try TrailBinary.run(["check", Self.sample, "--rules", title])
    #expect(long.status == 2)
    #expect(long.stderr.contains("\(title):1: rule r1: 'title' is longer than 1024 bytes"), "\(long.stderr)")
  }

  @Test func anAliasedKeyIsRefusedBeforeItIsHashed() throws {
    let dir = try TemporaryDirectory()
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for n in 1...11 {
      yaml += "a\(n): &a\(n) [" + Array(repeating: "*a\(n - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let keys = try dir.write("keys.yml", yaml + "? *a11\n: 1\n")
    let result = try TrailBinary.run(["check", Self.sample, "--rules", keys])
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(keys):6: the file has more than 250000 YAML values"), "\(result.stderr)")
  }

  @Test func ruleFilesAndTheirFieldsHaveSizeLimits() throws {
    let dir = try TemporaryDirectory()
    // A file over 1 MiB is not read (a comment is enough to make one).
    let large = try dir.write(
      "large.yml",
      "- {id: a, title: A, severity: low, match: {eventName: X}}\n# " + String(repeating: "c", count: 1 << 20) + "\n")
    let tooLarge = try TrailBinary.run(["check", Self.sample, "--rules", large])
    #expect(tooLarge.status == 2)
    #expect(tooLarge.stderr.contains("\(large): larger than 1048576 bytes"), "\(tooLarge.stderr)")
    // A description over 16 KiB is refused at its line, naming the rule.
    let long = try dir.write(
      "long.yml",
      "- id: wordy\n  title: Wordy\n  severity: low\n  match: {eventName: X}\n  description: "
        + String(repeating: "w", count: 16_385) + "\n")
    let tooLong = try TrailBinary.run(["check", Self.sample, "--rules", long])
    #expect(tooLong.status == 2)
    #expect(
      tooLong.stderr.contains("\(long):5: rule wordy: 'description' is longer than 16384 bytes"), "\(tooLong.stderr)")
    // At the limits, the same rules run.
    let fits = try dir.write(
      "fits.yml",
      "- id: wordy\n  title: Wordy\n  severity: low\n  match: {eventName: ConsoleLogin}\n  description: "
        + String(repeating: "w", count: 16_384) + "\n")
    let ok = try TrailBinary.run(["check", Self.sample, "--rules", fits, "--format", "json"])
    #expect(ok.status == 1, "\(ok.stderr)")
  }

  @Test func countedRepetitionOnAMegabyteValueRuns() throws {
    // The issue's pattern on a 1 MB value (the largest a record under the 1 MiB record limit
    // holds): one pass over the value, not 21 s.
    let dir = try TemporaryDirectory()
    let value = String(repeating: "a", count: 1_000_000)
    let log = try dir.write(
      "big.json", #"{"Records":[{"eventTime":"2024-05-14T10:00:00Z","eventName":""# + value + #""}]}"#)
    let miss = try TrailBinary.run(["search", log, "--where", "{ $.eventName = %a{0,1000}b% }"])
    #expect(miss.status == 1, "\(miss.stderr)")
    #expect(miss.stdout.isEmpty)
    let hit = try TrailBinary.run(["search", log, "--where", "{ $.eventName = %^a{1000}a*$% }"])
    #expect(hit.status == 0, "\(hit.stderr)")
    #expect(hit.stdout.count > 1_000_000)
  }

  @Test func aRegexOverTheElementCapIsACaretError() throws {
    let regex = String(repeating: "\\d{1,1000}", count: 256) + "x"
    let result = try TrailBinary.run(["search", Self.sample, "--where", "{ $.eventName = %\(regex)% }"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("regex longer than 256 elements"), "\(result.stderr)")
    #expect(result.stderr.contains("^"))
  }
}
