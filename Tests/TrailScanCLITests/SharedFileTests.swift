// One large file is read by every core: the worker reading it frames its records into batches
// that idle workers parse (`RecordBatches`). Through the binary, every aggregating command must
// answer exactly as on one thread, and any problem in the file must fall back to one thread's
// read, so the problems, their offsets, the counts and the exit status are a sequential scan's.
import Foundation
import Testing
import TrailGzip
import TrailTestSupport

struct SharedFileTests {
  static let commands: [[String]] = [
    ["stats", "PATH", "--by", "principal,action", "--format", "jsonl"],
    ["stats", "PATH", "--by", "eventName,ip", "--format", "json"],
    ["who", "PATH", "--action", "s3:GetObject", "--format", "jsonl"],
    ["what", "PATH", "--principal", "arn:aws:iam::111122223333:user/u1", "--format", "jsonl"],
    ["fields", "PATH", "--format", "json"],
    ["check", "PATH", "--format", "json"],
  ]

  /// The run's stderr without the statistics line, and the line's figures without
  /// `filesShared`.
  static func split(_ stderr: String) -> (messages: String, statistics: String, shared: Int?) {
    var messages: [Substring] = []
    var statistics = ""
    for line in stderr.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("trail-scan: statistics: ") {
        statistics = String(line.replacing(/, filesShared: \d+/, with: ""))
      } else {
        messages.append(line)
      }
    }
    let shared = stderr.firstMatch(of: /filesShared: (\d+)/).flatMap { Int($0.1) }
    return (messages.joined(separator: "\n"), statistics, shared)
  }

  /// Runs `command` on `path` with one thread and with two (every file large enough to share),
  /// expects the same output, messages, figures and status, and returns the two-thread run's
  /// count of shared files.
  func sameOnOneThreadAndTwo(
    _ command: [String], _ path: String, largeFrom: Int = 1, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> (shared: Int?, status: Int32) {
    let arguments = command.map { $0 == "PATH" ? path : $0 } + ["--debug-statistics"]
    let one = try TrailBinary.run(arguments + ["--threads", "1"])
    let two = try TrailBinary.run(arguments + ["--threads", "2", "--inflate-ahead-from", String(largeFrom)])
    let (oneMessages, oneFigures, _) = Self.split(one.stderr)
    let (twoMessages, twoFigures, shared) = Self.split(two.stderr)
    #expect(two.stdout == one.stdout, "\(command): stdout", sourceLocation: sourceLocation)
    #expect(twoMessages == oneMessages, "\(command): \(twoMessages)", sourceLocation: sourceLocation)
    #expect(
      !oneFigures.isEmpty && twoFigures == oneFigures, "\(command): \(twoFigures)", sourceLocation: sourceLocation)
    #expect(two.status == one.status, "\(command)", sourceLocation: sourceLocation)
    return (shared, one.status)
  }

  @Test func oneLargeFileIsSharedWithTheSameAnswers() throws {
    let dir = try TemporaryDirectory()
    let (_, gzip) = InflateAheadTests.multiMember(6_000, members: 3)
    let file = try dir.write("big.json.gz", gzip)
    for command in Self.commands {
      let run = try sameOnOneThreadAndTwo(command, file)
      #expect(run.shared == 1, "\(command)")
      #expect(run.status == 0 || command[0] == "check", "\(command)")
    }
    // Standard input is shared too (a pipe of unknown size).
    let binary = TrailBinary.url.path
    let out = dir.path + "/stdout"
    let piped = try TrailBinary.shell(
      "cat '\(file)' | '\(binary)' stats - --by principal --format jsonl --threads 2 --debug-statistics > '\(out)'")
    let one = try TrailBinary.run(["stats", file, "--by", "principal", "--format", "jsonl", "--threads", "1"])
    let pipedOut = try Data(contentsOf: URL(fileURLWithPath: out))
    #expect(piped.status == 0 && pipedOut == one.stdout)
    #expect(Self.split(String(decoding: piped.stderr, as: UTF8.self)).shared == 1)
  }

  /// Small files beside two large ones (from 20 kB here): each small file is read whole by one
  /// worker, each large one framed by one and parsed by whoever is free, and the answer is the
  /// sum.
  @Test func largeFilesAmongSmallOnes() throws {
    let dir = try TemporaryDirectory()
    _ = try dir.write("a-big.json", RecordsBuilder.envelope(0..<6_000))
    for index in 0..<5 {
      _ = try dir.write("small-\(index).json", RecordsBuilder.envelope(10_000 + index * 10..<10_000 + index * 10 + 10))
    }
    let gzip = InflateAheadTests.multiMember(3_000, members: 2).gzip
    try #require(gzip.count >= 20_000 && RecordsBuilder.envelope(0..<10).utf8.count < 20_000)
    _ = try dir.write("z-big.json.gz", gzip)
    let run = try sameOnOneThreadAndTwo(
      ["stats", "PATH", "--by", "principal", "--format", "jsonl"], dir.path, largeFrom: 20_000)
    #expect(run.status == 0)
    #expect(run.shared == 2)
  }

  /// Damage of each kind in the middle of a large file: the shared read gives up and the file is
  /// read on one thread, which reports what a sequential scan reports and keeps every good
  /// record around the damage.
  @Test func anyProblemFallsBackToOneThread() throws {
    let text = Array(RecordsBuilder.envelope(0..<6_000).utf8)
    let middle = try #require(InflateAheadTests.find(Array(#""bucketName":"b3000""#.utf8), in: text))
    // The start of the record holding it (the record of event 3000).
    let recordStart = try #require(
      InflateAheadTests.find(
        Array(
          #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u0""#.utf8),
        in: text, from: middle - 600))
    try #require(recordStart < middle)
    var variants: [(label: String, bytes: [UInt8], options: [String])] = []
    var corrupt = text
    corrupt[middle + 1] = 0x01  // a control character inside a key
    variants.append(("a corrupt record", corrupt, []))
    var strayQuote = text
    strayQuote.insert(UInt8(ascii: "\""), at: middle)  // swallows the records after it
    variants.append(("a stray quote", strayQuote, []))
    let before = Array(text[..<recordStart])
    let after = Array(text[recordStart...])
    variants.append(("a record that is not an event", before + Array(#"{"x":1},"#.utf8) + after, []))
    // A record over --max-record-size: the framer refuses it before anyone parses it.
    let long = #"{"eventVersion":"1.09","padding":""# + String(repeating: "x", count: 3_000) + #""},"#
    variants.append(("an over-size record", before + Array(long.utf8) + after, ["--max-record-size", "2000"]))
    let gzip = Gzip.compress(text)
    variants.append(("a truncated gzip stream", Array(gzip[..<(gzip.count * 2 / 3)]), []))

    for variant in variants {
      let dir = try TemporaryDirectory()
      let file = try dir.write("big.json" + (variant.label.contains("gzip") ? ".gz" : ""), variant.bytes)
      let run = try sameOnOneThreadAndTwo(
        ["stats", "PATH", "--by", "principal", "--format", "jsonl"] + variant.options, file)
      #expect(run.status == 2, "\(variant.label)")
      #expect(run.shared == 0, "\(variant.label): the file must be read again on one thread")
    }
  }
}
