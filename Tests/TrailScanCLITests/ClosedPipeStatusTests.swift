// Issue 13, item 7: once an input error is reported, the run exits 2 whatever happens to
// standard output afterwards — a reader that closes the pipe (`| head -1`) must not turn the
// error into success under `set -o pipefail`.
import Foundation
import Testing
import TrailTestSupport

struct ClosedPipeStatusTests {
  /// A folder whose first file is cut short (an input error) and whose second holds far more
  /// output than a pipe buffers, so `head -1` closes the pipe while trail-scan still writes.
  func damagedFolder() throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    try dir.write("a.json", #"{"Records":[{"eventName":"A"},{"eventName":"#)
    try dir.write("b.json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope(0..<20_000)))
    return dir
  }

  func pipedToHead(_ arguments: String, in dir: TemporaryDirectory) throws -> (status: Int32, stderr: String) {
    let script = "set -o pipefail; '\(TrailBinary.url.path)' \(arguments) '\(dir.path)' | head -1 > /dev/null"
    let (status, message) = try TrailBinary.shell(script)
    return (status, String(decoding: message, as: UTF8.self))
  }

  @Test(arguments: [
    "--format jsonl",  // every core, input order kept (OrderedParallelScan)
    "--format jsonl --threads 1",
    "--format csv",
    "--format json",
    "--sort time --format jsonl",
    "timeline --format csv",
    "stats --by eventID --format csv",
    "fields --format csv --threads 1",
  ])
  func inputErrorThenClosedPipeExitsTwo(_ arguments: String) throws {
    let dir = try damagedFolder()
    let (status, stderr) = try pipedToHead(arguments, in: dir)
    #expect(status == 2, "\(arguments): \(stderr)")
    #expect(stderr.contains("\(dir.path)/a.json: byte "), "\(arguments): \(stderr)")
  }

  @Test func closedPipeWithoutAnErrorStaysClean() throws {
    let dir = try TemporaryDirectory()
    try dir.write("b.json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope(0..<20_000)))
    for arguments in ["--format jsonl", "--format csv", "stats --by eventID --format csv"] {
      let (status, stderr) = try pipedToHead(arguments, in: dir)
      #expect(status == 0 && stderr.isEmpty, "\(arguments): \(stderr)")
    }
  }
}
