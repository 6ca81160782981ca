// trail-scan on real third-party logs: every event counted exactly once (against an independent
// Foundation-only count), `jsonl` lossless (values equal, key order kept, only whitespace gone).
import Foundation
import Testing
import TrailJSON
import TrailTestSupport

struct CorpusTests {
  static let recordsFiles = [
    "trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json",
    "trailscraper/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json.gz",
    "trailscraper/events-for-smoke-test.json",
  ]

  @Test(arguments: recordsFiles)
  func recordsFileCountsMatchAnIndependentCount(_ name: String) throws {
    let url = Paths.sharedCorpus.appendingPathComponent(name)
    let expected = try Independent.events(in: url)
    let result = try TrailBinary.run([url.path, "--format", "jsonl"])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(!expected.isEmpty && result.lines.count == expected.count)
  }

  @Test func everyCorpusEventOnceAcrossAllShapes() throws {
    // Arrays (stratus), NDJSON (elastic; one line is a digest, which is not an event), Records.
    var expected = 0
    var digests = 0
    for event in try CorpusEvents.all(folders: CorpusEvents.logFolders) {
      if event.object["digestS3Object"] != nil { digests += 1 } else { expected += 1 }
    }
    #expect(digests == 1)
    #expect(expected >= 343, "SOURCES.md: 344 events in these folders, one of them the digest")
    let result = try TrailBinary.run(
      ["stats"] + CorpusEvents.logFolders.map { "../shared/corpus/" + $0 } + ["--by", "category", "--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    let total = try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
      .reduce(0) { $0 + ($1["count"] as! Int) }
    #expect(total == expected)
  }

  @Test(arguments: [
    "stratus-red-team/detonation-logs/aws.execution.ssm-send-command.json",
    "elastic-integrations/pipeline-test-logs/test-tls-details-json.log",
    "trailscraper/events-for-smoke-test.json",
  ])
  func jsonlIsLossless(_ name: String) throws {
    let url = Paths.sharedCorpus.appendingPathComponent(name)
    let events = try CorpusEvents.events(in: url)
    let result = try TrailBinary.run([url.path, "--format", "jsonl"])
    #expect(!events.isEmpty && result.lines.count == events.count)
    for (line, event) in zip(result.lines, events) {
      let original = event.bytes
      // Values: equal to an independent parse of the original.
      let reparsed = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! NSDictionary
      #expect(reparsed == event.object as NSDictionary)
      // Text: the original with whitespace outside strings removed, nothing else.
      #expect(Array(line.utf8) == Self.stripWhitespace(original))
      // Key order: as in the original.
      let keys = try JSONDocument(parsing: Array(line.utf8)).root.members.map(\.key)
      #expect(keys == (try JSONDocument(parsing: original).root.members.map(\.key)))
      #expect(keys == Independent.topLevelKeys(ofCompactObject: line))
    }
  }

  /// Removes JSON whitespace outside strings (written here independently of JSONWriter).
  static func stripWhitespace(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var inString = false
    var escaped = false
    for b in bytes {
      if inString {
        out.append(b)
        if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
      } else if b == 0x22 {
        inString = true
        out.append(b)
      } else if ![0x20, 0x0A, 0x0D, 0x09].contains(b) {
        out.append(b)
      }
    }
    return out
  }
}
