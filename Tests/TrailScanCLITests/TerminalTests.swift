// What trail-scan does only when a person is watching: under a real pseudo-terminal (`script`
// from util-linux), tables are the default with colour unless NO_COLOR is set, and long scans
// draw a progress line on stderr that is cleared at the end. Every other test runs with pipes,
// where none of this may appear.
import Foundation
import Testing
import TrailTestSupport

struct TerminalTests {
  static let script = "/usr/bin/script"

  /// Runs `command` on a pseudo-terminal; returns everything the terminal received.
  func onTerminal(_ command: String, environment: String = "") throws -> String {
    // A file of its own per call: the tests of this suite run in parallel.
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("trail-scan-tty-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: url) }
    let (status, _) = try TrailBinary.shell(
      "cd '\(Paths.packageRoot.path)' && \(environment) \(Self.script) -qec \"\(command)\" /dev/null > '\(url.path)'")
    #expect(status == 0)
    return String(decoding: try Data(contentsOf: url), as: UTF8.self)
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script)))
  func tablesAndColourOnATerminal() throws {
    let binary = TrailBinary.url.path
    // The test runner may set NO_COLOR itself; the coloured run must not inherit it.
    let coloured = try onTerminal(
      "'\(binary)' Fixtures/archives/sample --type Root", environment: "env -u NO_COLOR COLUMNS=120")
    #expect(coloured.contains("\u{1B}[1mTIME"))
    // Fitted to the 120 columns: the principal keeps its end (`arn:…:root`).
    #expect(coloured.contains("2024-05-14T04:03:09Z  111122223333  us-east-1  arn:…:root"))
    let plain = try onTerminal(
      "'\(binary)' Fixtures/archives/sample --type Root", environment: "env COLUMNS=120 NO_COLOR=1")
    #expect(plain.contains("TIME ") && !plain.contains("\u{1B}["))
  }

  /// Six gzip files of `eventsPerFile` generated events each.
  func archive(eventsPerFile count: Int) throws -> TemporaryDirectory {
    let dir = try TemporaryDirectory()
    for i in 0..<6 {
      try dir.write("f\(i).json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope((i * count)..<((i + 1) * count))))
    }
    return dir
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script)))
  func progressLineOnlyOnATerminal() throws {
    let dir = try archive(eventsPerFile: 15_000)
    let binary = TrailBinary.url.path
    let screen = try onTerminal("'\(binary)' stats '\(dir.path)' --by principal --format jsonl --threads 1 > /dev/null")
    #expect(screen.contains(" files, "))
    #expect(screen.contains(" events/s"))
    #expect(screen.hasSuffix("\r\u{1B}[K"))  // cleared at the end
    let quiet = try onTerminal(
      "'\(binary)' stats '\(dir.path)' --by principal --format jsonl --threads 1 --quiet > /dev/null")
    #expect(!quiet.contains("events/s"))
  }

  /// `ingest` draws its own line: files stored and events per second while reading, then each
  /// stage after it; cleared before its summary. None with --quiet, and none through a pipe.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script)))
  func ingestProgressLineOnlyOnATerminal() throws {
    let dir = try archive(eventsPerFile: 2_000)
    let binary = TrailBinary.url.path
    let screen = try onTerminal("'\(binary)' ingest '\(dir.path)' --store '\(dir.path("a.db"))' --threads 1")
    #expect(screen.contains("\r\u{1B}[Ktrail-scan: ingest: 6 file(s) read; building the indexes"))
    // Cleared before the summary, which starts a line of its own.
    #expect(screen.contains("\r\u{1B}[Ktrail-scan: ingest: 6 file(s): 6 new, 0 skipped, 0 damaged;"))
    let quiet = try onTerminal("'\(binary)' ingest '\(dir.path)' --store '\(dir.path("b.db"))' --quiet")
    #expect(!quiet.contains("building the indexes") && quiet.contains("trail-scan: ingest: 6 file(s): 6 new"))
    let piped = try StoreCommandTests.ingest([dir.path], store: dir.path("c.db"))
    #expect(piped.status == 0 && !piped.stderr.contains("building") && !piped.stderr.contains("\u{1B}"))
  }
}
