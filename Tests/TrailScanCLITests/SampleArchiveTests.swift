// trail-scan on the bundled sample archive (Fixtures/archives/sample, real S3 layout): event
// counts equal an independent count, the digest never appears, Insights files are read, and
// the accounts, regions and organization-trail path are all seen.
import Foundation
import Testing
import TrailTestSupport

struct SampleArchiveTests {
  static let root = Paths.fixtures.appendingPathComponent("archives/sample")

  /// Every event in the archive's log files, counted with Foundation and gzip only.
  static func independentEvents() throws -> [[String: Any]] {
    try Paths.files(under: root)
      .filter { !$0.path.contains("/CloudTrail-Digest/") }
      .flatMap { try Independent.events(in: $0) }
  }

  @Test func countEqualsAnIndependentCount() throws {
    let expected = try Self.independentEvents()
    #expect(expected.count > 150)
    let result = try TrailBinary.run([Self.root.path, "--format", "jsonl"])
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(result.lines.count == expected.count)
    let ids = try result.lines.map {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["eventID"] as? String
    }
    #expect(
      ids.sorted { ($0 ?? "") < ($1 ?? "") }
        == expected.map { $0["eventID"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") })
  }

  @Test func digestNeverAppearsAndInsightsAreRead() throws {
    let result = try TrailBinary.run([Self.root.path, "--format", "jsonl"])
    #expect(!result.out.contains("digestS3Object"))
    #expect(result.out.contains(#""eventType":"AwsCloudTrailInsight""#))
  }

  @Test func statsByAccountAndRegionMatchIndependentGrouping() throws {
    var expected: [String: Int] = [:]
    for event in try Self.independentEvents() {
      let identity = event["userIdentity"] as? [String: Any]
      let account = (event["recipientAccountId"] as? String) ?? (identity?["accountId"] as? String) ?? "null"
      expected["\(account) \(event["awsRegion"] as? String ?? "null")", default: 0] += 1
    }
    let result = try TrailBinary.run(["stats", Self.root.path, "--by", "account,region"])
    #expect(result.status == 0)
    var got: [String: Int] = [:]
    for line in result.lines {
      let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      got["\(row["account"] as? String ?? "null") \(row["region"] as? String ?? "null")"] = row["count"] as? Int
    }
    #expect(got == expected)
    #expect(got.keys.contains { $0.hasPrefix("111122223333 ") } && got.keys.contains { $0.hasPrefix("444455556666 ") })
    #expect(got.keys.contains { $0.hasSuffix(" us-east-1") } && got.keys.contains { $0.hasSuffix(" eu-west-1") })
  }

  @Test func filtersOnTheSample() throws {
    let consoleLogins = try Self.independentEvents().filter { $0["eventName"] as? String == "ConsoleLogin" }.count
    let result = try TrailBinary.run([Self.root.path, "--event-name", "ConsoleLogin", "--format", "jsonl"])
    #expect(consoleLogins > 0 && result.lines.count == consoleLogins)
    let failures = try Self.independentEvents().filter { Independent.errorCode($0) != nil }.count
    #expect(try TrailBinary.run([Self.root.path, "--error"]).lines.count == failures)
    let org = try TrailBinary.run([Self.root.path, "--account", "444455556666", "--format", "jsonl"])
    #expect(org.status == 0 && !org.lines.isEmpty)
  }
}
