// Issue 13, item 8: `--limit N` with `--sort time` and `timeline` keeps only the N earliest
// events (a bounded heap), with exactly the output of sorting every match and cutting: ties in
// input order, events without a time last. (Memory is measured by scripts/measure-topk.sh.)
import Foundation
import Testing
import TrailTestSupport

struct SortLimitTests {
  /// Three files of events with few distinct times (many ties), some without a time, some
  /// timed only through `@timestamp` (for `--time-field`), in random order.
  func shuffledFolder(seed: UInt64) throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    var random = SplitMix64(seed: seed)
    var id = 0
    for file in ["a", "b", "c"] {
      var records: [String] = []
      for _ in 0..<400 {
        id += 1
        let second = String(random.next() % 20).leftPadded(2)
        let time: String
        switch random.next() % 10 {
        case 0: time = ""
        case 1: time = #""@timestamp":"2024-05-14T10:00:\#(second)Z","#
        default: time = #""eventTime":"2024-05-14T10:00:\#(second)Z","#
        }
        records.append(
          #"{"eventVersion":"1.08",\#(time)"eventSource":"s3.amazonaws.com","eventName":"E\#(id)","eventID":"id-\#(id)"}"#
        )
      }
      try dir.write("\(file).json", #"{"Records":["# + records.joined(separator: ",") + "]}")
    }
    return dir
  }

  @Test(arguments: [1, 2, 7, 100, 1000, 1300])
  func limitIsTheSortedPrefix(_ limit: Int) throws {
    let dir = try shuffledFolder(seed: UInt64(limit))
    for command in [
      ["--sort", "time", "--format", "jsonl"], ["--sort", "time", "--format", "csv", "--fields", "time,eventName"],
      ["timeline", "--format", "csv"], ["timeline", "--format", "jsonl", "--time-field", "@timestamp"],
      ["--sort", "time", "--format", "jsonl", "--time-field", "@timestamp"],
    ] {
      let all = try TrailBinary.run(command + [dir.path])
      #expect(all.status == 0, "\(all.stderr)")
      let header = command.contains("csv") ? 1 : 0
      #expect(all.lines.count == 1200 + header)
      let cut = try TrailBinary.run(command + ["--limit", String(limit), dir.path])
      #expect(cut.status == 0, "\(cut.stderr)")
      #expect(cut.lines == Array(all.lines.prefix(header + limit)), "\(command) --limit \(limit)")
    }
  }

  @Test func helpSaysWhatIsHeld() throws {
    for command in ["search", "timeline"] {
      let help = try TrailBinary.run([command, "--help"]).out.split(whereSeparator: \.isWhitespace).joined(
        separator: " ")
      #expect(help.contains("holds every match in memory"), "\(help)")
    }
  }
}

extension String {
  fileprivate func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
