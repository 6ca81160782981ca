// One large gzip file or standard input is inflated on a second thread while the first parses
// (`--inflate-ahead-from`, 8 MiB by default; a pipe always): through the binary, the output, the
// problems and their offsets must be those of the single-threaded run, byte for byte, also when
// the damage is in the middle of the file, and stopping early must not hang the inflating thread.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

struct InflateAheadTests {
  /// The JSON of `count` events cut into `members` pieces, each its own gzip member (cuts fall
  /// inside records), like a Firehose file or `trail-fixtures big-file`.
  static func multiMember(_ count: Int, members: Int) -> (text: [UInt8], gzip: [UInt8]) {
    let text = Array(RecordsBuilder.envelope(0..<count).utf8)
    let size = text.count / members + 1
    var gzip: [UInt8] = []
    for start in stride(from: 0, to: text.count, by: size) {
      gzip += Gzip.compress(Array(text[start..<min(start + size, text.count)]))
    }
    return (text, gzip)
  }

  static let commands: [[String]] = [
    ["--format", "jsonl"],
    ["stats", "--by", "principal,action", "--format", "jsonl"],
    ["search", "--format", "csv", "--fields", "time,principal,eventID"],
    ["fields"],
  ]

  /// What one run gave.
  struct Run {
    var status: Int32
    var stdout: Data
    var stderr: String
    init(status: Int32, stdout: Data, stderr: String) {
      self.status = status
      self.stdout = stdout
      self.stderr = stderr
    }
    init(_ result: RunResult) { self.init(status: result.status, stdout: result.stdout, stderr: result.stderr) }
    var lines: [Substring] { String(decoding: stdout, as: UTF8.self).split(separator: "\n") }
  }

  /// `arguments` (a command with `PATH` where the input goes) run three ways: on one thread, on
  /// two with every gzip file inflated ahead, and reading the file from a pipe on two threads.
  func threeWays(_ arguments: [String], file: String) throws -> [(String, Run)] {
    func with(_ path: String) -> [String] {
      arguments.first.map { $0.hasPrefix("-") } ?? true
        ? [path] + arguments : [arguments[0], path] + arguments.dropFirst()
    }
    let one = Run(try TrailBinary.run(with(file) + ["--threads", "1"]))
    let ahead = Run(try TrailBinary.run(with(file) + ["--threads", "2", "--inflate-ahead-from", "1"]))
    let quoted = with("-").map { "'\($0)'" }.joined(separator: " ")
    let dir = try TemporaryDirectory()
    let out = dir.path + "/stdout"
    let piped = try TrailBinary.shell(
      "cat '\(file)' | timeout 120 '\(TrailBinary.url.path)' \(quoted) --threads 2 > '\(out)'")
    let pipe = Run(
      status: piped.status, stdout: try Data(contentsOf: URL(fileURLWithPath: out)),
      stderr: String(decoding: piped.stderr, as: UTF8.self).replacingOccurrences(of: "trail-scan: -:", with: "PATH:"))
    var oneForPipe = one
    oneForPipe.stderr = one.stderr.replacingOccurrences(of: "trail-scan: \(file):", with: "PATH:")
    return [("one thread", one), ("inflate ahead", ahead), ("pipe", pipe), ("one thread, as PATH", oneForPipe)]
  }

  func expectSame(_ runs: [(String, Run)], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let (one, ahead, pipe, onePath) = (runs[0].1, runs[1].1, runs[2].1, runs[3].1)
    #expect(ahead.stdout == one.stdout, "\(label): inflate ahead", sourceLocation: sourceLocation)
    #expect(
      ahead.stderr == one.stderr && ahead.status == one.status, "\(label): \(ahead.stderr)",
      sourceLocation: sourceLocation)
    #expect(pipe.stdout == one.stdout, "\(label): pipe", sourceLocation: sourceLocation)
    #expect(
      pipe.stderr == onePath.stderr && pipe.status == one.status, "\(label): \(pipe.stderr)",
      sourceLocation: sourceLocation)
  }

  @Test func sameOutputOnOneThreadAndTwo() throws {
    let dir = try TemporaryDirectory()
    let (_, gzip) = Self.multiMember(6_000, members: 3)
    let file = try dir.write("big.json.gz", gzip)
    for command in Self.commands {
      let runs = try threeWays(command, file: file)
      #expect(runs[0].1.status == 0 && runs[0].1.stderr.isEmpty, "\(command): \(runs[0].1.stderr)")
      expectSame(runs, "\(command)")
    }
    // Every event, in order (4 MB of JSON: the ring of 4 × 256 KiB went round many times).
    let lines = try TrailBinary.run([file, "--format", "jsonl", "--threads", "2", "--inflate-ahead-from", "1"]).lines
    #expect(lines.count == 6_000)
    #expect(lines.last?.contains("00000000-0000-4000-8000-000000005999") == true)
  }

  /// A deflate error in the middle of the second member: the events before it are printed, the
  /// error is where zlib finds it, in compressed bytes, and the next file is read.
  @Test func damageInTheMiddleKeepsWhatCameBefore() throws {
    let dir = try TemporaryDirectory()
    let (text, gzip) = Self.multiMember(6_000, members: 3)
    let firstMember = try Self.memberLength(gzip)
    // A stored block's length in the middle of member 2 would be hard to find; instead the
    // member is replaced by one of stored blocks whose second block header is damaged.
    var damaged = Array(gzip[..<firstMember])
    let secondStart = damaged.count
    let rest = try Gzip.decompress(Array(gzip[firstMember...]))
    let stored = StoredGzip.member(rest, blockSize: 60_000, trailer: false)
    damaged += stored
    damaged[secondStart + 10 + 60_005] = 0x06  // reserved block type in the second block's header
    let file = try dir.write("a-damaged.json.gz", damaged)
    _ = try dir.write("b-good.json", RecordsBuilder.envelope(9_000..<9_002))

    // What zlib says, independently of trail-scan's reader.
    var inflated: [UInt8] = []
    var zlibError: GzipError?
    do {
      let zlib = GzipInflater(engine: .zlib)
      try damaged.withUnsafeBytes { try zlib.feed($0) { inflated.append(contentsOf: $0) } }
    } catch let error as GzipError { zlibError = error }
    let error = try #require(zlibError)
    #expect(error.reason == "corrupt deflate data (invalid block type)")
    #expect(Array(inflated) == Array(text[..<inflated.count]))

    for command in [[dir.path, "--format", "jsonl"], ["stats", dir.path, "--by", "principal", "--format", "jsonl"]] {
      let all = try TrailBinary.run(command + ["--threads", "1"])
      let ahead = try TrailBinary.run(command + ["--threads", "2", "--inflate-ahead-from", "1"])
      #expect(all.status == 2)
      #expect(all.stderr == "trail-scan: \(file): byte \(error.offset): gzip: \(error.reason)\n")
      #expect(ahead.stdout == all.stdout && ahead.stderr == all.stderr && ahead.status == all.status)
    }
    // The events whose record ended before the damage, then the other file's.
    let lines = try TrailBinary.run([dir.path, "--format", "jsonl", "--threads", "2", "--inflate-ahead-from", "1"])
      .lines
    let whole = Self.completeRecords(in: Array(inflated))
    #expect(whole > 100)
    #expect(lines.count == whole + 2)
    #expect(lines[whole - 1].contains("8000-\(String(whole - 1).leftPadded(12))"))
    #expect(lines.last?.contains("000000009001") == true)
  }

  /// A corrupt record in the middle of a big file: reported at its decompressed offset, every
  /// other record printed, the same on one thread and two.
  @Test func corruptRecordInTheMiddle() throws {
    let dir = try TemporaryDirectory()
    var text = Array(RecordsBuilder.envelope(0..<6_000).utf8)
    let target = Array(#""bucketName":"b3000""#.utf8)
    let at = try #require(Self.find(target, in: text))
    text[at + 1] = 0x01  // a control character inside a key: invalid JSON
    let file = try dir.write("big.json.gz", Gzip.compress(text))
    let runs = try threeWays(["--format", "jsonl"], file: file)
    expectSame(runs, "corrupt record")
    let one = runs[0].1
    #expect(one.status == 2)
    #expect(one.stderr.hasPrefix("trail-scan: \(file): byte \(at + 1): "), "\(one.stderr)")
    #expect(one.lines.count == 5_999)
  }

  /// The input ends inside the deflate data, read from a pipe: the events before the cut, and
  /// the truncation at the number of bytes read.
  @Test func truncatedOnAPipe() throws {
    let dir = try TemporaryDirectory()
    let (_, gzip) = Self.multiMember(6_000, members: 2)
    let cut = Array(gzip[..<(gzip.count * 3 / 4)])
    let file = try dir.write("cut.json.gz", cut)
    let runs = try threeWays(["--format", "jsonl"], file: file)
    expectSame(runs, "truncated")
    #expect(runs[0].1.stderr == "trail-scan: \(file): byte \(cut.count): gzip: truncated gzip stream\n")
    #expect(runs[0].1.lines.count > 3_000 && runs[0].1.lines.count < 6_000)
  }

  /// Stopping early (`--limit`, a closed pipe) stops the inflating thread instead of waiting
  /// for it to finish the file, or hanging on a full ring.
  @Test func stoppingEarlyDoesNotHang() throws {
    let dir = try TemporaryDirectory()
    let (_, gzip) = Self.multiMember(6_000, members: 3)
    let file = try dir.write("big.json.gz", gzip)
    let limited = try TrailBinary.run([
      file, "--limit", "3", "--format", "jsonl", "--threads", "2", "--inflate-ahead-from", "1",
    ])
    #expect(limited.status == 0 && limited.lines.count == 3)
    let binary = TrailBinary.url.path
    let closed = try TrailBinary.shell(
      "set -o pipefail; cat '\(file)' | timeout 60 '\(binary)' - --format jsonl --threads 2 | head -1 > /dev/null")
    #expect(closed.status == 0, "\(String(decoding: closed.stderr, as: UTF8.self))")
  }

  /// The compressed length of the first gzip member of `bytes`.
  static func memberLength(_ bytes: [UInt8]) throws -> Int {
    let inflater = GzipInflater(engine: .zlib)
    struct SecondMember: Error {}
    var end = 0
    do {
      try bytes.withUnsafeBytes { buffer in
        try inflater.feed(buffer) { _ in if inflater.membersCompleted > 0 { throw SecondMember() } }
      }
    } catch is SecondMember {}
    end = try #require(inflater.firstMemberEnd)
    return end
  }

  /// The number of records of `text` (an envelope of RecordsBuilder events) that end in it.
  static func completeRecords(in text: [UInt8]) -> Int {
    let marker = Array(#""recipientAccountId":"111122223333"}"#.utf8)
    var count = 0
    var index = 0
    while let found = find(marker, in: text, from: index) {
      count += 1
      index = found + marker.count
    }
    return count
  }

  static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
    guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
    for index in start...(haystack.count - needle.count) where haystack[index] == needle[0] {
      if Array(haystack[index..<index + needle.count]) == needle { return index }
    }
    return nil
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
