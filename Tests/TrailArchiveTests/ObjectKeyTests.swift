// Key parsing from paths: ordinary, organization, key-prefix, Insight, digest and backfill
// names, odd account ids, file names without a stamp, and paths outside the layout; the ASCII
// fast path against the character path.
import Foundation
import Testing
import TrailArchive
import TrailTestSupport
import TrailTime

@Suite struct ObjectKeyTests {
  static let logName = "111122223333_CloudTrail_us-east-1_20240115T0105Z_AbCdEfGh12345678.json.gz"

  @Test func ordinaryKey() throws {
    let key = try #require(
      CloudTrailObjectKey(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/\(Self.logName)"))
    #expect(key.prefix == "")
    #expect(key.organizationID == nil)
    #expect(key.accountID == "111122223333")
    #expect(key.folder == .cloudTrail)
    #expect(key.region == "us-east-1")
    #expect(key.deliveryTime == Timestamp(year: 2024, month: 1, day: 15, hour: 1, minute: 5))
    #expect(key.deliveryDay == Timestamp(year: 2024, month: 1, day: 15))
    #expect(!key.isBackfill)
    #expect(key.trailName == nil && key.homeRegion == nil)
  }

  @Test func organizationTrail() throws {
    let key = try #require(
      CloudTrailObjectKey(
        path:
          "AWSLogs/o-exampleorgid/111122223333/CloudTrail/eu-west-1/2023/12/31/111122223333_CloudTrail_eu-west-1_20231231T2355Z_x1.json.gz"
      ))
    #expect(key.organizationID == "o-exampleorgid")
    #expect(key.accountID == "111122223333")
    #expect(key.region == "eu-west-1")
    #expect(key.deliveryTime == Timestamp(year: 2023, month: 12, day: 31, hour: 23, minute: 55))
  }

  @Test(arguments: [
    ("a/b/AWSLogs", "a/b"),
    ("/data/bucket/AWSLogs", "/data/bucket"),
    ("/AWSLogs", ""),
    ("./AWSLogs", "."),
    ("a//AWSLogs", "a"),
    ("AWSLogs/old/AWSLogs", "AWSLogs/old"),  // anchored on the last AWSLogs
  ])
  func keyPrefix(base: String, prefix: String) throws {
    let key = try #require(
      CloudTrailObjectKey(path: "\(base)/111122223333/CloudTrail/us-east-1/2024/01/15/\(Self.logName)"))
    #expect(key.prefix == prefix)
    #expect(key.accountID == "111122223333")
  }

  @Test func insightWithOrganizationAsPrefix() throws {
    // The public sample layout: the org id is both the key prefix and the org folder.
    let key = try #require(
      CloudTrailObjectKey(
        path:
          "o-xxxx/AWSLogs/o-xxxx/123456789015/CloudTrail-Insight/us-east-1/2020/02/03/123456789015_CloudTrail-Insight_us-east-1_20200203T1540Z_ZWV0aW5nIGFu.json.gz"
      ))
    #expect(key.prefix == "o-xxxx")
    #expect(key.organizationID == "o-xxxx")
    #expect(key.accountID == "123456789015")
    #expect(key.folder == .insight)
    #expect(key.deliveryTime == Timestamp(year: 2020, month: 2, day: 3, hour: 15, minute: 40))
  }

  @Test func digestNameParsedFromBothEnds() throws {
    let key = try #require(
      CloudTrailObjectKey(
        path:
          "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2024/01/15/111122223333_CloudTrail-Digest_us-east-2_my_trail.v2-prod_us-east-1_20240115T010203Z.json.gz"
      ))
    #expect(key.folder == .digest)
    #expect(key.region == "us-east-2")
    #expect(key.deliveryTime == Timestamp(year: 2024, month: 1, day: 15, hour: 1, minute: 2, second: 3))
    #expect(key.trailName == "my_trail.v2-prod")
    #expect(key.homeRegion == "us-east-1")
    #expect(!key.isBackfill)
  }

  @Test func backfillDigest() throws {
    let key = try #require(
      CloudTrailObjectKey(
        path:
          "AWSLogs/o-abc/111122223333/CloudTrail-Digest/us-east-1/2024/02/29/111122223333_CloudTrail-Digest_us-east-1_Trail_us-east-1_20240229T235959Z_backfill.json.gz"
      ))
    #expect(key.isBackfill)
    #expect(key.deliveryTime == Timestamp(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59))
    #expect(key.trailName == "Trail")
    #expect(key.homeRegion == "us-east-1")
  }

  @Test(arguments: ["12345", "123456789012345", "my-account", "ABC_def"])
  func accountIDsNeedNotBe12Digits(account: String) throws {
    let key = try #require(
      CloudTrailObjectKey(
        path:
          "AWSLogs/\(account)/CloudTrail/ap-south-1/2024/01/15/\(account)_CloudTrail_ap-south-1_20240115T0000Z_u.json.gz"
      ))
    #expect(key.accountID == account)
    #expect(key.deliveryTime == Timestamp(year: 2024, month: 1, day: 15))
  }

  @Test func otherFolders() throws {
    func folder(_ name: String) -> CloudTrailObjectKey.Folder? {
      CloudTrailObjectKey(path: "AWSLogs/1/\(name)/us-east-1/2024/01/15/f.json.gz")?.folder
    }
    #expect(folder("CloudTrail-NetworkActivity") == .networkActivity)
    #expect(folder("CloudTrail-Aggregated") == .aggregated)
    #expect(folder("Config") == .other("Config"))
  }

  @Test func fileNamesWithoutAValidStamp() throws {
    let base = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/"
    for name in [
      "events.json", "111122223333_CloudTrail_us-east-1_20241345T0105Z_u.json.gz",
      "111122223333_CloudTrail_us-east-1_2024011T0105Z_u.json.gz",
    ] {
      let key = try #require(CloudTrailObjectKey(path: base + name), "\(name)")
      #expect(key.deliveryTime == nil, "\(name)")
    }
    // The unique part may contain "_"; the stamp is still found.
    let key = CloudTrailObjectKey(path: base + "111122223333_CloudTrail_us-east-1_20240115T0105Z_Ab_Cd.json.gz")
    #expect(key?.deliveryTime == Timestamp(year: 2024, month: 1, day: 15, hour: 1, minute: 5))
  }

  @Test(arguments: [
    "",
    "events.json.gz",
    "logs/2024/01/15/\(ObjectKeyTests.logName)",
    "AWSLogs",
    "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/\(ObjectKeyTests.logName)",  // no day folder
    "AWSLogs/111122223333/CloudTrail/us-east-1/2024/13/01/\(ObjectKeyTests.logName)",  // month 13
    "AWSLogs/111122223333/CloudTrail/us-east-1/2023/02/29/\(ObjectKeyTests.logName)",  // not a leap year
    "AWSLogs/111122223333/CloudTrail/us-east-1/24/01/15/\(ObjectKeyTests.logName)",  // 2-digit year
    "AWSLogs/111122223333/CloudTrail/us-east-1/2024/1/15/\(ObjectKeyTests.logName)",  // 1-digit month
    "AWSLogs/x/111122223333/CloudTrail/us-east-1/2024/01/15/\(ObjectKeyTests.logName)",  // extra folder, not o-
    "AWSLogs/o-org/111122223333/CloudTrail/us-east-1/2024/01/15/extra/\(ObjectKeyTests.logName)",
    "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/",  // folder key
    "NotAWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/\(ObjectKeyTests.logName)",
  ])
  func pathsOutsideTheLayout(path: String) {
    #expect(CloudTrailObjectKey(path: path) == nil)
  }

  @Test func archiveObjectParsesItsKey() {
    let object = ArchiveObject(path: "x/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/\(Self.logName)")
    #expect(object.key?.accountID == "111122223333")
    #expect(!object.isStandardInput)
    let stdin = ArchiveObject(path: "-")
    #expect(stdin.isStandardInput)
    #expect(stdin.key == nil)
  }
}

/// The ASCII fast path of `CloudTrailObjectKey(path:)` against the character path, on real and odd
/// paths.
@Suite struct ObjectKeyFastPathTests {
  @Test func asciiPathsParseAsCharactersDo() throws {
    let name = ObjectKeyTests.logName
    var paths = [
      "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/\(name)",
      "/x//AWSLogs//111122223333/CloudTrail/us-east-1/2024/01/15/\(name)",
      "AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2024/01/15/\(name)",
      "AWSLogs/o-abc/111122223333/CloudTrail/us-east-1/2024/13/15/\(name)",
      "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/a_b_c.d_e.json",
      "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/x_20240115T0105Z",
      "AWSLogs/111122223333/CloudTrail/us-east-1/2024/1/15/\(name)",
      "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/15/"
        + "111122223333_CloudTrail-Digest_us-east-1_my_trail.v2_us-east-1_20240115T010527Z_backfill.json.gz",
      "AWSLogs/111122223333/Other/us-east-1/2024/01/15/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240115T010527Z.json.gz",
      "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15",
      "a/AWSLogs/b/AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/\(name)",
      "AWSLogs", "", "/", "AWSLogs/////////", "./AWSLogs/1/2/3/2024/02/29/_._",
      "AWSLogs/1/CloudTrail/r/2023/02/29/1_CloudTrail_r_20230229T0000Z_x",
      "AWSLogs/1/CloudTrail/r/2024/01/15/1_CloudTrail_r_20240115T2460Z_x.json\r\n",
    ]
    for root in [Paths.fixtures.appendingPathComponent("archives/sample"), Paths.sharedCorpus] {
      paths += Paths.files(under: root).map(\.path)
    }
    #expect(paths.count > 40)
    for path in paths {
      #expect(CloudTrailObjectKey(path: path) == CloudTrailObjectKey(characters: path), "\(path)")
    }
  }

  /// Paths near the layout: every byte of a few keys swapped for, or joined by, the bytes the
  /// parser looks at; both paths give the same key (or none).
  @Test func nearPathsParseAsCharactersDo() {
    let bases = [
      "p/AWSLogs/o-ab/111122223333/CloudTrail/us-east-1/2024/02/29/111122223333_CloudTrail_us-east-1_20240229T2355Z_x_y.json.gz",
      "AWSLogs/1/CloudTrail-Digest/r/2024/01/15/1_CloudTrail-Digest_r_t.a_r_20240115T010527Z_backfill.json.gz",
      "/a//AWSLogs/1/CloudTrail-Insight/r/2024/01/15/1_CloudTrail-Insight_r_20240115T0105Z_.json",
    ]
    let swaps: [UInt8] = Array("/_.-oTZ09AWSLogs".utf8) + [0xC3]
    var checked = 0
    for base in bases {
      let bytes = Array(base.utf8)
      for i in bytes.indices {
        for swap in swaps {
          var replaced = bytes
          replaced[i] = swap
          var inserted = bytes
          inserted.insert(swap, at: i)
          var removed = bytes
          removed.remove(at: i)
          for variant in [replaced, inserted, removed] {
            let path = String(decoding: variant, as: UTF8.self)
            checked += 1
            #expect(CloudTrailObjectKey(path: path) == CloudTrailObjectKey(characters: path), "\(path)")
          }
        }
      }
    }
    #expect(checked > 10_000)
  }
}
