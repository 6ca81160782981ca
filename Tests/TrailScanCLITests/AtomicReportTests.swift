// Issue 13, item 5: `check --output` and `validate --output` write the report whole or not at
// all (a temporary file in the same folder, fsync, rename). A write that fails — a full disk
// (a 64 KiB tmpfs, where mounting is permitted) or a file size limit (`ulimit -f`, always) —
// leaves the previous report as it was and no temporary file behind, and exits 2.
import Foundation
import Testing
import TrailTestSupport

struct AtomicReportTests {
  static let sample = "Fixtures/archives/sample"
  static let old = "the previous report\n"

  func entries(_ folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
  }

  func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

  /// Runs the binary under a file size limit of 1 KiB (smaller than any report here).
  func runLimited(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let quoted = arguments.map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }.joined(separator: " ")
    let (status, message) = try TrailBinary.shell(
      "cd '\(Paths.packageRoot.path)' && ulimit -f 1 && '\(TrailBinary.url.path)' \(quoted)")
    return (status, String(decoding: message, as: UTF8.self))
  }

  @Test func fileSizeLimitLeavesThePreviousReport() throws {
    let dir = try TemporaryDirectory()
    let trail = try SignedTrail.write(to: dir.path("trail"), hours: 2)
    let report = try dir.write("reports/report.json", Self.old)
    for command in [
      ["check", Self.sample, "--format", "json"], ["check", Self.sample, "--format", "sarif"],
      ["validate", trail.root, "--public-keys", trail.publicKeysPath, "--format", "json"],
    ] {
      let (status, stderr) = try runLimited(command + ["--output", report])
      #expect(status == 2, "\(command): \(stderr)")
      #expect(
        stderr.contains(
          "trail-scan: \(report): cannot write the report: File too large (the previous report is unchanged)"),
        "\(command): \(stderr)")
      #expect(try contents(report) == Self.old)
      #expect(try entries(dir.path("reports")) == ["report.json"], "no temporary file is left")
      // Without the limit the report is replaced whole.
      let result = try TrailBinary.run(command + ["--output", report])
      #expect(result.status != 2, "\(command): \(result.stderr)")
      #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) is [String: Any])
      #expect(try entries(dir.path("reports")) == ["report.json"])
      try dir.write("reports/report.json", Self.old)
    }
  }

  @Test func fullDiskLeavesThePreviousReport() throws {
    let dir = try TemporaryDirectory()
    let disk = try dir.makeDirectory("disk")
    guard try TrailBinary.shell("mount -t tmpfs -o size=64k tmpfs '\(disk)' 2>/dev/null").status == 0 else {
      // Mounting is not permitted here; the file size limit test covers the same path.
      return
    }
    defer { _ = try? TrailBinary.shell("umount '\(disk)'") }
    let report = try dir.write("disk/report.sarif", Self.old)
    // Fill the disk but for one 4 KiB page: far less than the SARIF report.
    _ = try TrailBinary.shell("dd if=/dev/zero of='\(disk)/filler' bs=4k count=14 2>/dev/null")
    let full = try TrailBinary.run(["check", Self.sample, "--format", "sarif", "--output", report])
    #expect(full.status == 2)
    #expect(
      full.stderr.contains(
        "trail-scan: \(report): cannot write the report: No space left on device (the previous report is unchanged)"),
      "\(full.stderr)")
    #expect(full.out.isEmpty)
    #expect(try contents(report) == Self.old)
    #expect(try entries(disk) == ["filler", "report.sarif"], "no temporary file is left")
    // With room again, the report is replaced whole.
    try FileManager.default.removeItem(atPath: disk + "/filler")
    let roomy = try TrailBinary.run(["check", Self.sample, "--format", "sarif", "--output", report])
    #expect(roomy.status == 1, "\(roomy.stderr)")
    #expect(try contents(report).hasPrefix("{"))
    #expect(try entries(disk) == ["report.sarif"])
  }

  @Test func replacementKeepsModeAndLinks() throws {
    let dir = try TemporaryDirectory()
    let real = try dir.write("real/report.json", Self.old)
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: real)
    let link = try dir.symlink("link.json", to: real)
    let result = try TrailBinary.run(["check", Self.sample, "--format", "json", "--output", link])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
    #expect(try contents(real).hasPrefix("{"))
    #expect(try FileManager.default.attributesOfItem(atPath: real)[.posixPermissions] as? Int == 0o640)
    #expect(try entries(dir.path("real")) == ["report.json"])
    // A new report gets a new file's permissions (0666 less the umask), not mkstemp's 0600.
    let fresh = dir.path("real/fresh.json")
    _ = try TrailBinary.shell(
      "cd '\(Paths.packageRoot.path)' && umask 022 && '\(TrailBinary.url.path)' check \(Self.sample) --output '\(fresh)'"
    )
    #expect(try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int == 0o644)
  }

  @Test func reportToADeviceIsWrittenInPlace() throws {
    // /dev/stdout is no regular file: there is nothing to replace, the report goes through it.
    let result = try TrailBinary.run(["check", Self.sample, "--format", "json", "--output", "/dev/stdout"])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.out.hasPrefix("{"))
    #expect(result.out.contains("\nSTATUS"))
  }
}
