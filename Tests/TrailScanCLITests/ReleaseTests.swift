// The release anyone can install: scripts/release.sh runs, and its tarball, unpacked into an
// empty folder, holds a binary that runs with an empty environment (`env -i`) and needs no Swift
// runtime library (`ldd`), its man page covering every subcommand, shell completions, README and
// licences; the action, the GitLab template and the shell snippet install it and run check.
//
// A release build takes minutes, so these run when TRAIL_SCAN_RELEASE_TESTS=1, as `.ci/run`
// sets after building the release in a step of its own (timed there). The script builds in
// RELEASE_SCRATCH_PATH (default here `.build-release`), not in `.build`, which `swift test`
// holds while it runs.
import Foundation
import Testing
import TrailTestSupport

struct ReleaseTests {
  static let enabled = ProcessInfo.processInfo.environment["TRAIL_SCAN_RELEASE_TESTS"] == "1"

  struct Release: Sendable {
    let tarball: String
    let notes: String
    let log: String
    let status: Int32
  }

  /// scripts/release.sh, run once for the suite into a scratch folder that stays for the run.
  static let release: Release = {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("trail-scan-release-\(UUID())").path
    let scratch = ProcessInfo.processInfo.environment["RELEASE_SCRATCH_PATH"] ?? ".build-release"
    let log = output + ".log"
    let script = """
      cd '\(Paths.packageRoot.path)' && RELEASE_SCRATCH_PATH='\(scratch)' scripts/release.sh --output '\(output)' \
      > '\(log)' 2>&1
      """
    let status = (try? TrailBinary.shell(script).status) ?? -1
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    let tarball = text.split(separator: "\n").last.map(String.init) ?? ""
    let notes = tarball.hasSuffix(".tar.gz") ? String(tarball.dropLast(".tar.gz".count)) + ".md" : ""
    return Release(tarball: tarball, notes: notes, log: text, status: status)
  }()

  /// Runs `command` with bash in `directory`; its status and what it printed (stdout, stderr).
  static func sh(_ command: String, in directory: String) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", command]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let scratch = try TemporaryDirectory(prefix: "trail-scan-sh")
    let out = scratch.path("out")
    let err = scratch.path("err")
    FileManager.default.createFile(atPath: out, contents: nil)
    FileManager.default.createFile(atPath: err, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try process.run()
    process.waitUntilExit()
    return (
      process.terminationStatus, try String(contentsOfFile: out, encoding: .utf8),
      try String(contentsOfFile: err, encoding: .utf8)
    )
  }

  /// The release unpacked into a new empty folder; the folder of its files.
  static func unpacked(in dir: TemporaryDirectory) throws -> String {
    #expect(release.status == 0, "scripts/release.sh failed:\n\(release.log)")
    let empty = try dir.makeDirectory("empty")
    #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
    let untar = try sh("tar -xzf '\(release.tarball)'", in: empty)
    #expect(untar.status == 0, "\(untar.err)")
    let top = try FileManager.default.contentsOfDirectory(atPath: empty)
    #expect(top.count == 1 && top[0] + ".tar.gz" == URL(fileURLWithPath: release.tarball).lastPathComponent)
    return empty + "/" + (top.first ?? "")
  }

  @Test(.enabled(if: enabled)) func tarballHoldsWhatAnInstallNeeds() throws {
    let dir = try TemporaryDirectory()
    let root = try Self.unpacked(in: dir)
    let name = URL(fileURLWithPath: root).lastPathComponent
    let machine = try Self.sh("uname -m", in: root).out.trimmingCharacters(in: .newlines)
    #expect(name.hasPrefix("trail-scan-") && name.hasSuffix("-linux-\(machine)"))
    for file in [
      "trail-scan", "trail-scan.1", "README.md", "completions/trail-scan.bash", "completions/_trail-scan",
      "completions/trail-scan.fish", "licenses/swift-argument-parser-LICENSE.txt", "licenses/Yams-LICENSE",
      "licenses/swift-crypto-LICENSE.txt", "licenses/swift-crypto-NOTICE.txt",
    ] {
      #expect(FileManager.default.fileExists(atPath: root + "/" + file), "\(file) missing from \(name)")
    }
    #expect(
      try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        == String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8))
  }

  /// One version: the name of the tarball, the binary's `--version`, the notes.
  @Test(.enabled(if: enabled)) func binaryRunsWithAnEmptyEnvironmentAndNoSwift() throws {
    let dir = try TemporaryDirectory()
    let root = try Self.unpacked(in: dir)
    let name = URL(fileURLWithPath: root).lastPathComponent
    let version = try Self.sh("env -i ./trail-scan --version", in: root)
    #expect(version.status == 0, "\(version.err)")
    let printed = version.out.trimmingCharacters(in: .newlines)
    #expect(name.hasPrefix("trail-scan-\(printed)-linux-"), "\(name) vs --version \(printed)")
    #expect(try TrailBinary.run(["--version"]).out.trimmingCharacters(in: .newlines) == printed)
    // Real work, the input on standard input: the same answer as the binary the tests built.
    let sample = Paths.fixtures.appendingPathComponent(
      "archives/sample/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/14"
    ).path
    let file = try #require(try FileManager.default.contentsOfDirectory(atPath: sample).sorted().first)
    let input = sample + "/" + file
    let released = try Self.sh(
      "env -i ./trail-scan stats - --by principal,action --format jsonl < '\(input)'", in: root)
    #expect(released.status == 0 && released.err.isEmpty, "\(released.err)")
    let built = try TrailBinary.run(["stats", input, "--by", "principal,action", "--format", "jsonl"])
    #expect(!released.out.isEmpty && released.out == built.out)
    // No Swift runtime library: only the system's (the notes list exactly those).
    let ldd = try Self.sh("ldd ./trail-scan", in: root)
    #expect(ldd.status == 0, "\(ldd.err)")
    for swift in ["libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "lib_FoundationICU"] {
      #expect(!ldd.out.contains(swift), "\(ldd.out)")
    }
    let libraries = ldd.out.split(separator: "\n").compactMap {
      $0.split(separator: " ").first.map { String($0).trimmingCharacters(in: .whitespaces) }
    }
    let notes = try String(contentsOfFile: Self.release.notes, encoding: .utf8)
    #expect(notes.contains("# trail-scan \(printed) (linux"))
    for library in libraries { #expect(notes.contains("`\(library)`"), "\(library) not in the notes:\n\(notes)") }
  }

  @Test(.enabled(if: enabled)) func manPageAndCompletionsCoverEverySubcommand() throws {
    let dir = try TemporaryDirectory()
    let root = try Self.unpacked(in: dir)
    let page = try String(contentsOfFile: root + "/trail-scan.1", encoding: .utf8)
    #expect(page.contains(".Dt TRAIL-SCAN 1") && page.contains(".Nm trail-scan"))
    let subcommands = HelpScreenTests.commands.filter { $0.count == 1 }.map { $0[0] }
    #expect(subcommands.count >= 10)
    let bash = try String(contentsOfFile: root + "/completions/trail-scan.bash", encoding: .utf8)
    let zsh = try String(contentsOfFile: root + "/completions/_trail-scan", encoding: .utf8)
    let fish = try String(contentsOfFile: root + "/completions/trail-scan.fish", encoding: .utf8)
    for name in subcommands {
      #expect(page.contains(".It Em \(name)\n"), "the man page lacks \(name)")
      #expect(bash.contains(name) && zsh.contains(name) && fish.contains(name), "a completion lacks \(name)")
    }
    #expect(zsh.hasPrefix("#compdef trail-scan") && fish.contains("complete -c 'trail-scan'"))
    #expect(try Self.sh("bash -n completions/trail-scan.bash", in: root).status == 0)
    // The page renders (groff, where installed) without a warning.
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") {
      // (grotty draws bold by overstriking: X backspace X.)
      let render = try Self.sh(#"groff -mandoc -Tutf8 -ww trail-scan.1 | sed 's/.\x08//g'"#, in: root)
      #expect(render.status == 0 && render.out.contains("SYNOPSIS") && render.err.isEmpty, "\(render.err)")
    }
  }

  @Test(.enabled(if: enabled)) func ciIntegrationsInstallTheRelease() throws {
    let work = try TemporaryDirectory()
    let action = try CIRunner.runAction(["paths": CIRunner.sample, "tarball": Self.release.tarball], in: work)
    #expect(action.status == 1 && action.outputs["exit-code"] == "1", "\(action.log)")
    #expect(FileManager.default.fileExists(atPath: work.path("trail-scan.sarif")))
    let gitlab = try CIRunner.runGitLab(
      ["TRAIL_SCAN_TARBALL": Self.release.tarball, "TRAIL_SCAN_PATHS": CIRunner.sample], in: work)
    #expect(gitlab.0 == 1, "\(gitlab.1)")
    let snippetWork = try TemporaryDirectory()
    let snippet = try CIRunner.runSnippet(tarball: Self.release.tarball, in: snippetWork)
    #expect(snippet.0 == 1, "\(snippet.1)")
  }
}
