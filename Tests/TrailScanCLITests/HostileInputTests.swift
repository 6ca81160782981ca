// Hostile and broken input through the binary (issue: real-world inputs): each problem is one
// `trail-scan: PATH: byte N: reason` line, the good data around it is kept, the exit status is
// 2, and --strict stops at the first. Complements BadInputTests (gzip damage, envelopes).
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

struct HostileInputTests {
  func run(_ files: [(String, [UInt8])], _ extra: [String] = []) throws -> (RunResult, TemporaryDirectory) {
    let dir = try TemporaryDirectory()
    for (name, bytes) in files { try dir.write(name, bytes) }
    return (try TrailBinary.run([dir.path, "--format", "csv", "--fields", "eventName"] + extra), dir)
  }

  func envelope(_ middle: [UInt8]) -> [UInt8] {
    Array(#"{"Records":[{"eventName":"Before"},"#.utf8) + middle + Array(#",{"eventName":"After"}]}"#.utf8)
  }

  /// The offset of the first occurrence of `needle` in `bytes`.
  func offset(of needle: [UInt8], in bytes: [UInt8]) -> Int {
    (0...(bytes.count - needle.count)).first { Array(bytes[$0..<($0 + needle.count)]) == needle }!
  }

  @Test func invalidUTF8() throws {
    let bytes = envelope(Array(#"{"eventName":"bad"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
    let (result, dir) = try run([("a.json", bytes)])
    #expect(result.status == 2)
    #expect(result.lines == ["eventName", "Before", "After"])
    #expect(
      result.stderr
        == "trail-scan: \(dir.path)/a.json: byte \(offset(of: [0xC3, 0x28], in: bytes)): invalid UTF-8 sequence in a string\n"
    )
  }

  @Test func loneSurrogateEscape() throws {
    let bytes = envelope(Array(#"{"eventName":"\udc00"}"#.utf8))
    let (result, dir) = try run([("a.json", bytes)])
    #expect(result.status == 2 && result.lines == ["eventName", "Before", "After"])
    let at = offset(of: Array(#"\udc00"#.utf8), in: bytes)
    #expect(
      result.stderr == "trail-scan: \(dir.path)/a.json: byte \(at): unpaired surrogate escape \\uDC00 in a string\n")
  }

  @Test func nestingOverTheDepthLimit() throws {
    let deep =
      Array(#"{"eventName":"deep","x":"#.utf8) + Array(repeating: 0x5B, count: 300) + Array(repeating: 0x5D, count: 300)
      + [0x7D]
    let bytes = envelope(deep)
    let (result, dir) = try run([("a.json", bytes)])
    #expect(result.status == 2 && result.lines == ["eventName", "Before", "After"])
    // The record's object is level 1, so the 256th '[' opens level 257.
    let at = offset(of: [0x5B, 0x5B], in: bytes) + 255
    #expect(
      result.stderr == "trail-scan: \(dir.path)/a.json: byte \(at): nesting deeper than the limit of 256 levels\n")
  }

  @Test func hundredMegabyteString() throws {
    // A 100 MB string inside one record, gzip'd (100 KB on disk): skipped as over the record
    // limit without being held in memory; the events around it are kept.
    var text = Array(#"{"Records":[{"eventName":"Before"},{"eventName":"Huge","blob":""#.utf8)
    let prefix = text.count
    text += Array(repeating: 0x61, count: 100_000_000)
    text += Array(#""},{"eventName":"After"}]}"#.utf8)
    let (result, dir) = try run([("huge.json.gz", Gzip.compress(text, level: 9))])
    #expect(result.status == 2 && result.lines == ["eventName", "Before", "After"])
    let recordStart = #"{"Records":[{"eventName":"Before"},"#.utf8.count
    #expect(
      result.stderr
        == "trail-scan: \(dir.path)/huge.json.gz: byte \(recordStart): record of \(text.count - prefix + (prefix - recordStart) - #",{"eventName":"After"}]}"#.utf8.count) bytes is larger than the limit of 1 MiB\n"
    )
  }

  @Test func emptyAndBlankFiles() throws {
    let (result, dir) = try run([
      ("a.json", []), ("b.json", Array("  \n".utf8)), ("c.json", Array(#"[{"eventName":"Ok"}]"#.utf8)),
    ])
    #expect(result.status == 2 && result.lines == ["eventName", "Ok"])
    #expect(
      result.stderr == """
        trail-scan: \(dir.path)/a.json: byte 0: empty input, expected JSON
        trail-scan: \(dir.path)/b.json: byte 3: no JSON value in the input

        """)
  }

  @Test func symlinkLoopIsReportedOnceAndTheRestRead() throws {
    let dir = try TemporaryDirectory()
    try dir.write("logs/a.json", Array(#"[{"eventName":"Ok"}]"#.utf8))
    try dir.symlink("logs/loop", to: "..")
    let result = try TrailBinary.run([dir.path, "--format", "csv", "--fields", "eventName"])
    #expect(result.status == 2)
    #expect(result.lines == ["eventName", "Ok"])
    #expect(result.stderr.split(separator: "\n").count == 1)
    #expect(result.stderr.contains("loop"))
  }

  /// Root reads everything, so the binary runs as `nobody` when the tests run as root; without
  /// setpriv that cannot be done, and the test is reported as skipped rather than passed.
  @Test(
    .enabled(
      if: getuid() != 0 || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"),
      "as root, needs /usr/bin/setpriv"))
  func unreadableFile() throws {
    let dir = try TemporaryDirectory()
    let secret = try dir.write("secret.json", Array(#"[{"eventName":"Hidden"}]"#.utf8))
    try dir.write("open.json", Array(#"[{"eventName":"Ok"}]"#.utf8))
    try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: secret)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
    var arguments = [TrailBinary.url.path, dir.path, "--format", "csv", "--fields", "eventName"]
    if getuid() == 0 {
      arguments = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + arguments
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 2)
    #expect(stdout == "eventName\r\nOk\r\n")
    #expect(stderr == "trail-scan: \(secret): permission denied\n")
  }

  @Test func strictStopsAtTheFirstOfSeveralProblems() throws {
    let (result, _) = try run([("a.json", envelope(Array(#"{"x":"\udc00"}"#.utf8))), ("b.json", [])], ["--strict"])
    #expect(result.status == 2 && result.lines == ["eventName", "Before"])
    #expect(result.stderr.split(separator: "\n").count == 1)
  }
}

struct WholeCorpusTests {
  /// Every file of the shared corpus but the JSON conformance suite: read with no problem, each
  /// event counted once (a digest is not an event), against an independent count per folder.
  @Test(arguments: ["panther-analysis", "stratus-red-team", "elastic-integrations", "elastic-beats", "trailscraper"])
  func folderReadsCleanly(_ folder: String) throws {
    let url = Paths.sharedCorpus.appendingPathComponent(folder)
    let expected = try Paths.files(under: url).flatMap { try Independent.events(in: $0) }.filter {
      $0["digestS3Object"] == nil
    }.count
    let result = try TrailBinary.run(["stats", url.path, "--by", "category", "--format", "jsonl"])
    let total = try result.lines.reduce(0) {
      $0 + ((try JSONSerialization.jsonObject(with: Data($1.utf8)) as! [String: Any])["count"] as! Int)
    }
    let counts = ["stratus-red-team": 310, "elastic-integrations": 22, "elastic-beats": 4, "trailscraper": 7]
    if folder == "panther-analysis" {
      // Panther's rule tests wrap each event as {rule, name, expect, event}: test cases, not
      // events. They are reported as such, not counted (exit 2, one line for the file).
      #expect(result.status == 2)
      #expect(total == 0)
      #expect(result.stderr.split(separator: "\n").count == 1)
      #expect(result.stderr.contains(": byte 0: \(expected) records that are not a CloudTrail event"))
      #expect(expected == 461)
      return
    }
    #expect(result.status == 0)
    #expect(result.stderr == "")
    #expect(total == expected)
    #expect(total == counts[folder])
  }
}
