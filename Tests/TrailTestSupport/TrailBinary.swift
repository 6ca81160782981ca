// Runs the built `trail-scan` executable the way a user does, for end-to-end tests: arguments in,
// stdout, stderr and exit status out. The binary sits beside the test bundle in the build folder.
import Foundation

public struct RunResult {
  public var status: Int32
  public var stdout: Data
  public var stderr: String
  public var out: String { String(decoding: stdout, as: UTF8.self) }
  /// stdout split into lines at LF or CRLF (CSV), without a trailing empty line. (Swift reads
  /// "\r\n" as one Character, so splitting on "\n" alone would miss CSV's line ends.)
  public var lines: [String] {
    if out.isEmpty { return [] }
    return out.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).dropLast(
      out.last?.isNewline == true ? 1 : 0
    ).map(String.init)
  }
}

public enum TrailBinary {
  /// The `trail-scan` executable built with the tests.
  public static let url: URL = {
    let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = testExecutable.deletingLastPathComponent()
    // Bundles on other platforms nest the executable deeper; walk up until the binary is found.
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent("trail-scan")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder.deleteLastPathComponent()
    }
    fatalError("trail-scan executable not found near \(testExecutable.path); build it first (swift build)")
  }()

  /// Runs `trail-scan` with `arguments` from the package root, optionally feeding `stdin`.
  public static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws
    -> RunResult
  {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    process.currentDirectoryURL = Paths.packageRoot
    var env = ProcessInfo.processInfo.environment
    env["COLUMNS"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    // stdin and stderr go through temporary files, stdout through a pipe read to its end, so
    // no pipe can fill up and block the child.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("trail-scan-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let errHandle = try FileHandle(forWritingTo: errURL)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errHandle
    if let stdin {
      let inURL = scratch.appendingPathComponent("stdin")
      try stdin.write(to: inURL)
      process.standardInput = try FileHandle(forReadingFrom: inURL)
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errHandle.close()
    let errData = try Data(contentsOf: errURL)
    return RunResult(
      status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Runs `script` with bash (for pipelines such as `trail-scan … | head`); returns its exit
  /// status and what it wrote on standard error.
  public static func shell(_ script: String) throws -> (status: Int32, stderr: Data) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    let err = Pipe()
    process.standardError = err
    try process.run()
    let message = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, message)
  }
}
