// Corrupt and unusual input through the binary: each problem is one line
// `trail-scan: PATH: byte N: reason` on stderr, the good events around it are still printed, the
// other files are still read, and the exit status is 2 (spec §4); --strict stops at the first.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

struct BadInputTests {
  func ids(_ result: RunResult) throws -> [String] {
    try result.lines.map {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["eventID"] as! String
    }
  }

  func id(_ i: Int) -> String { "00000000-0000-4000-8000-" + String(format: "%012d", i) }

  @Test func truncatedGzipKeepsEventsBeforeTheDamageAndOtherFiles() throws {
    let dir = try TemporaryDirectory()
    let gz = RecordsBuilder.gzip(RecordsBuilder.envelope(0..<400))
    let cut = dir.path + "/b-truncated.json.gz"
    try dir.write("b-truncated.json.gz", Array(gz.prefix(gz.count / 2)))
    try dir.write("a-good.json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope(1000..<1003)))
    try dir.write("c-good.json", RecordsBuilder.envelope(2000..<2002))
    let result = try TrailBinary.run([dir.path, "--format", "jsonl"])
    #expect(result.status == 2)
    #expect(result.stderr == "trail-scan: \(cut): byte \(gz.count / 2): gzip: truncated gzip stream\n")
    let got = try ids(result)
    #expect(Array(got.prefix(3)) == (1000..<1003).map(id))
    #expect(Array(got.suffix(2)) == (2000..<2002).map(id))
    let survivors = got.count - 5
    #expect(survivors > 50 && survivors < 400)
    #expect(Array(got[3..<(3 + survivors)]) == (0..<survivors).map(id))
  }

  @Test func corruptRecordIsReportedAndItsNeighboursKept() throws {
    let dir = try TemporaryDirectory()
    let text =
      #"{"Records":["# + RecordsBuilder.event(1) + "," + #"{"eventName": tru}"# + "," + RecordsBuilder.event(2) + "]}"
    let path = try dir.write("x.json", text)
    let offset = 12 + RecordsBuilder.event(1).utf8.count + 1 + #"{"eventName": "#.utf8.count
    let result = try TrailBinary.run([path, "--format", "jsonl"])
    #expect(result.status == 2)
    #expect(result.stderr == "trail-scan: \(path): byte \(offset): invalid literal, expected 'true'\n")
    #expect(try ids(result) == [id(1), id(2)])
  }

  @Test func bytesBetweenRecordsKeepTheRecordsAroundThem() throws {
    let dir = try TemporaryDirectory()
    let text = #"{"Records":["# + RecordsBuilder.event(1) + " garbage " + RecordsBuilder.event(2) + "]}"
    let path = try dir.write("x.json", Array(text.utf8))
    let result = try TrailBinary.run([path, "--format", "jsonl"])
    #expect(result.status == 2)
    let offset = 12 + RecordsBuilder.event(1).utf8.count + 1
    #expect(
      result.stderr
        == "trail-scan: \(path): byte \(offset): bytes \(offset)–\(offset + 7) between records are not a record ('g'…); skipped to the next record\n"
    )
    #expect(try ids(result) == [id(1), id(2)])
  }

  /// Damage inside an array, as seen in real third-party captures and in the issue: every whole
  /// record before and after it is kept, the damage is reported with its bytes, exit 2.
  /// How a test damages the second of three records.
  enum Damage: String, CaseIterable, Sendable {
    case missingComma, strayByte, truncatedRecord, brokenString

    func apply(_ a: String, _ b: String, _ c: String) -> String {
      switch self {
      case .missingComma: return a + " " + b + "," + c
      case .strayByte: return a + ",x" + b + "," + c
      case .truncatedRecord: return a + "," + String(b.prefix(b.count / 2)) + "," + c
      case .brokenString: return a + "," + b.replacingOccurrences(of: #""b2""#, with: #""b"2""#) + "," + c
      }
    }

    /// The records kept: all three when the damage is between records.
    var kept: [Int] { self == .missingComma || self == .strayByte ? [1, 2, 3] : [1, 3] }
  }

  @Test(arguments: Damage.allCases)
  func damageInsideAnArrayKeepsTheWholeRecords(_ damage: Damage) throws {
    let dir = try TemporaryDirectory()
    let body = damage.apply(RecordsBuilder.event(1), RecordsBuilder.event(2), RecordsBuilder.event(3))
    let path = try dir.write("x.json", Array((#"{"Records":["# + body + "]}").utf8))
    let result = try TrailBinary.run([path, "--format", "jsonl"])
    #expect(result.status == 2, "\(damage)")
    #expect(try ids(result) == damage.kept.map(id), "\(damage): \(result.stderr)")
    #expect(result.stderr.hasPrefix("trail-scan: \(path): byte "), "\(damage)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(damage): \(result.stderr)")
  }

  /// A damaged record followed by more than the record size limit of whole records: the framer
  /// finds them again in what it held.
  @Test func aDamagedRecordBeforeMuchDataKeepsEverythingAfterIt() throws {
    let dir = try TemporaryDirectory()
    let after = (3..<40).map { RecordsBuilder.event($0) }
    let text =
      #"{"Records":["# + RecordsBuilder.event(1) + "," + String(RecordsBuilder.event(2).prefix(100)) + ","
      + after.joined(separator: ",") + "]}"
    let path = try dir.write("x.json", Array(text.utf8))
    let result = try TrailBinary.run([path, "--format", "jsonl", "--max-record-size", "4096"])
    #expect(result.status == 2)
    #expect(try ids(result) == ([1] + Array(3..<40)).map(id), "\(result.stderr)")
    #expect(result.stderr.contains("damaged record"))
  }

  @Test func strictStopsAtTheFirstProblem() throws {
    let dir = try TemporaryDirectory()
    try dir.write("a.json", "{\"Records\":[" + RecordsBuilder.event(1) + ",{]}")
    try dir.write("b.json", RecordsBuilder.envelope(5..<6))
    let lenient = try TrailBinary.run([dir.path, "--format", "jsonl"])
    let lenientIDs = try ids(lenient)
    #expect(lenient.status == 2 && lenientIDs == [id(1), id(5)])
    let strict = try TrailBinary.run([dir.path, "--format", "jsonl", "--strict"])
    let strictIDs = try ids(strict)
    #expect(strict.status == 2 && strictIDs == [id(1)])
    #expect(strict.stderr.split(separator: "\n").count == 1)
  }

  @Test func oversizedRecordIsSkippedWithAnError() throws {
    let dir = try TemporaryDirectory()
    let big = #"{"eventName":"Big","blob":""# + String(repeating: "x", count: 3000) + #""}"#
    let path = try dir.write("x.json", #"{"Records":["# + big + "," + RecordsBuilder.event(7) + "]}")
    let result = try TrailBinary.run([path, "--format", "jsonl", "--max-record-size", "2048"])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "trail-scan: \(path): byte 12: record of \(big.utf8.count) bytes is larger than the limit of 2 KiB\n")
    #expect(try ids(result) == [id(7)])
  }

  @Test func emptyAndMissingFiles() throws {
    let dir = try TemporaryDirectory()
    let empty = try dir.write("empty.json", "")
    let result = try TrailBinary.run([empty, dir.path + "/missing.json.gz"])
    #expect(result.status == 2)
    #expect(
      result.stderr == """
        trail-scan: \(dir.path)/missing.json.gz: no such file or directory
        trail-scan: \(empty): byte 0: empty input, expected JSON

        """)
    #expect(result.stdout.isEmpty)
  }

  @Test func gzipOfGarbageAndTrailingBytes() throws {
    let dir = try TemporaryDirectory()
    let garbage = try dir.write("garbage.json.gz", [0x1F, 0x8B, 0x08, 0x00] + Array(repeating: 0xAB, count: 64))
    var trailing = RecordsBuilder.gzip(RecordsBuilder.envelope(0..<2))
    let end = trailing.count
    trailing += Array("junk".utf8)
    let tail = try dir.write("trailing.json.gz", trailing)
    let result = try TrailBinary.run([garbage, tail, "--format", "jsonl"])
    #expect(result.status == 2)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines[0].hasPrefix("trail-scan: \(garbage): byte "))
    #expect(lines[1] == "trail-scan: \(tail): byte \(end): gzip: extra bytes after the gzip stream")
    #expect(try ids(result) == [id(0), id(1)])
  }

  @Test func hostilePathsAreEscapedInMessages() throws {
    let dir = try TemporaryDirectory()
    let result = try TrailBinary.run([dir.path + "/\u{1B}[31mred.json"])
    #expect(result.status == 2)
    #expect(result.stderr == "trail-scan: \(dir.path)/\\x1b[31mred.json: no such file or directory\n")
  }
}
