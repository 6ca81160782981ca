// Runs the repository's Python helper scripts (scripts/*.py) for tests that check output with
// external readers (jsonschema, junitparser): stdout, stderr and exit status, nothing shared.
import Foundation

public enum Python {
  public struct Output {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var out: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// Runs `python3 scripts/<script> arguments…` from the package root.
  public static func runScript(_ script: String, _ arguments: [String]) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", Paths.packageRoot.appendingPathComponent("scripts/\(script)").path] + arguments
    process.currentDirectoryURL = Paths.packageRoot
    process.standardInput = FileHandle.nullDevice
    // stderr goes to a file and stdout through a pipe read to its end, so neither can block.
    let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("trail-scan-python-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errURL) }
    let errHandle = try FileHandle(forWritingTo: errURL)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errHandle
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errHandle.close()
    let errData = try Data(contentsOf: errURL)
    return Output(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
  }
}
