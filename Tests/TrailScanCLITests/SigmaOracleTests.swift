// trail-scan's Sigma engine against an independent evaluator (issue 15, "Done when", first
// bullet): for each of the 57 SigmaHQ CloudTrail rules (../shared/corpus/sigma/cloudtrail,
// Detection Rule License 1.1), the events `search FOLDER --rule-file RULE` keeps must be exactly
// the events scripts/sigma-oracle.py matches, on the shared corpus and on a generated archive.
// The oracle evaluates pySigma's parsed rule tree with an interpreter written in the script and
// shares no code with trail-scan; where Sigma leaves a point open, its choice is in its header.
// A disagreement is a bug in one of the two: find out which before changing either.
//
// The oracle on these inputs (pysigma 2.0.1), recorded when it was written:
// - shared corpus, 796 events (Panther's unwrapped; the digest and the 8 records that are not
//   CloudTrail events left out): 31 of the 57 rules match at least one event, 425 matches in
//   all (AssumeRole misuse 301, root account use 15, console login without MFA 15, backdoor
//   access keys 9, …; 26 rules match nothing).
// - `trail-fixtures archive --events 3000` (seed 1): 3008 events (8 of them Insights), 7 rules
//   match, 857 matches.
import Foundation
import Testing
import TrailTestSupport

@Suite struct SigmaOracleTests {
  static let rulesFolder = Paths.sharedCorpus.appendingPathComponent("sigma/cloudtrail")

  /// The 57 rule files and the `id` each declares (what the oracle reports matches under).
  static func rules() throws -> [(file: URL, id: String)] {
    let files = Paths.files(under: rulesFolder).filter { $0.pathExtension == "yml" }
    let rules = try files.map { file -> (file: URL, id: String) in
      let text = try String(contentsOf: file, encoding: .utf8)
      let line = text.split(separator: "\n").first { $0.hasPrefix("id:") }
      let id = line.map { $0.dropFirst(3).trimmingCharacters(in: .whitespaces) } ?? ""
      return (file, id)
    }
    #expect(rules.count == 57 && rules.allSatisfy { !$0.id.isEmpty }, "the 57 SigmaHQ rules, each with an id")
    return rules
  }

  /// The members trail-scan needs one of to count a record as a CloudTrail event (docs/output.md).
  static let eventMembers = ["eventVersion", "eventName", "eventSource", "eventTime", "userIdentity"]

  /// Writes the shared corpus as one NDJSON file: every event (Panther's test cases unwrapped to
  /// their event), as published but compacted to one line, except digests and records that are
  /// not CloudTrail events. An event without a string eventID, or repeating one already written,
  /// gets `sigma-oracle-N` (N: its place in the corpus) so every match is told apart; such an
  /// event is re-serialised by Foundation. Returns the number of events written.
  static func writeCorpus(into folder: TemporaryDirectory) throws -> Int {
    var seen = Set<String>()
    var out: [UInt8] = []
    var count = 0
    for (index, event) in try CorpusEvents.all().enumerated() {
      let object = event.object
      if object["digestS3Object"] != nil { continue }
      guard eventMembers.contains(where: { object[$0] != nil }) else { continue }
      if let id = object["eventID"] as? String, !seen.contains(id) {
        seen.insert(id)
        out += compact(event.bytes)
      } else {
        var renamed = object
        let id = "sigma-oracle-\(index)"
        renamed["eventID"] = id
        seen.insert(id)
        out += [UInt8](try JSONSerialization.data(withJSONObject: renamed))
      }
      out.append(0x0A)
      count += 1
    }
    try folder.write("corpus.ndjson", out)
    return count
  }

  /// JSON text without the white space between tokens (strings kept byte for byte).
  static func compact(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var inString = false
    var escaped = false
    for byte in bytes {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
      } else if byte == UInt8(ascii: "\"") {
        inString = true
      } else if [0x20, 0x09, 0x0A, 0x0D].contains(byte) {
        continue
      }
      out.append(byte)
    }
    return out
  }

  /// Runs the oracle over `folder` with all 57 rules: rule id → sorted matching eventIDs.
  static func oracle(_ folder: String) throws -> [String: [String]] {
    let result = try Python.runScript("sigma-oracle.py", ["--summary", rulesFolder.path, folder])
    try #require(result.status == 0, "sigma-oracle.py failed (pip install pysigma?): \(result.stderr)")
    let object = try JSONSerialization.jsonObject(with: result.stdout)
    return try #require(object as? [String: [String]], "sigma-oracle.py output: \(result.out.prefix(200))")
  }

  /// trail-scan's matches for one rule: the eventIDs of `search --rule-file`, sorted.
  static func trailScan(_ folder: String, rule: URL) throws -> (ids: [String], run: RunResult) {
    let run = try TrailBinary.run(["search", folder, "--rule-file", rule.path, "--format", "jsonl"])
    let ids = try run.lines.map { line -> String in
      let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      return event?["eventID"] as? String ?? "(no eventID) \(line.prefix(120))"
    }
    return (ids.sorted(), run)
  }

  /// `a` minus `b`, counting repeats (an event delivered twice is matched twice).
  static func minus(_ a: [String], _ b: [String]) -> [String] {
    var left = b
    return a.filter { id in
      if let i = left.firstIndex(of: id) {
        left.remove(at: i)
        return false
      }
      return true
    }
  }

  /// Every rule: trail-scan's matches on `folder` equal the oracle's, with the exit status.
  func agree(on folder: String, oracle: [String: [String]]) throws {
    for rule in try Self.rules() {
      let name = rule.file.lastPathComponent
      let expected = try #require(oracle[rule.id], "the oracle has no result for \(name) (\(rule.id))")
      let (got, run) = try Self.trailScan(folder, rule: rule.file)
      #expect(
        run.status == (expected.isEmpty ? 1 : 0),
        "\(name): exit status \(run.status) for \(expected.count) expected matches; stderr: \(run.stderr.prefix(400))")
      #expect(
        got == expected,
        """
        \(name) (\(rule.id)): trail-scan \(got.count) matches, the oracle \(expected.count); \
        only trail-scan: \(Self.minus(got, expected).prefix(10)), only the oracle: \(Self.minus(expected, got).prefix(10))
        """)
    }
  }

  @Test func oracleSelfTest() throws {
    let result = try Python.runScript("sigma-oracle.py", ["--self-test"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("checks passed"), "\(result.stderr)")
  }

  @Test func sharedCorpus() throws {
    let folder = try TemporaryDirectory(prefix: "sigma-oracle-corpus")
    let count = try Self.writeCorpus(into: folder)
    #expect(count == 796, "SOURCES.md: 805 events, one a digest, 8 Panther records with lower-case keys only")
    let oracle = try Self.oracle(folder.path)
    // The oracle itself, pinned: the corpus is fixed, so a change here is a change of semantics.
    let matching = oracle.values.filter { !$0.isEmpty }
    #expect(oracle.count == 57)
    #expect(matching.count == 31, "rules matching at least one corpus event")
    #expect(matching.map(\.count).reduce(0, +) == 425, "matches on the corpus")
    try agree(on: folder.path, oracle: oracle)
  }

  @Test func generatedArchive() throws {
    let folder = try TemporaryDirectory(prefix: "sigma-oracle-archive")
    let fixtures = TrailBinary.url.deletingLastPathComponent().appendingPathComponent("trail-fixtures").path
    try #require(
      FileManager.default.isExecutableFile(atPath: fixtures),
      "\(fixtures) not built (swift build --build-tests builds it)")
    let made = try TrailBinary.shell("'\(fixtures)' archive '\(folder.path)' --events 3000 >/dev/null")
    try #require(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
    let oracle = try Self.oracle(folder.path)
    #expect(oracle.count == 57)
    // The generator may change; only insist that the archive exercises some rules.
    #expect(oracle.values.filter { !$0.isEmpty }.count >= 3, "rules matching the generated archive")
    try agree(on: folder.path, oracle: oracle)
  }
}
