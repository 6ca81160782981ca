// The generator's file I/O: create folders, write whole files, append in pieces (big-file),
// read the corpus file. Plain libc calls; this is a dev tool, so failures end the process
// with a message rather than being thrown up through every layer.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum FileSystem {
  /// Creates `path` and its missing parents (like `mkdir -p`).
  static func makeDirectories(_ path: String) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      current += "/" + part
      if mkdir(current, 0o755) != 0 && errno != EEXIST { fail("cannot create folder \(current)") }
    }
  }

  /// The folder part of `path` (`.` when there is none).
  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }

  /// Writes `bytes` to `path`, replacing it, after creating its folder.
  static func write(_ bytes: [UInt8], to path: String) {
    let file = OutputFile(path: path)
    file.append(bytes)
    file.close()
  }

  /// Whether a regular file exists at `path`.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// The whole content of `path`.
  static func read(_ path: String) -> [UInt8] {
    guard let handle = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(handle) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
      if n == 0 { break }
      result.append(contentsOf: chunk[0..<n])
    }
    if ferror(handle) != 0 { fail("cannot read \(path)") }
    return result
  }

  /// Prints `trail-fixtures: message` on standard error and exits with status 1.
  static func fail(_ message: String) -> Never {
    printError("trail-fixtures: \(message)")
    exit(1)
  }
}

/// Writes `line` and a newline to standard error.
func printError(_ line: String) {
  let bytes = Array((line + "\n").utf8)
  _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

/// A file opened for writing, filled in pieces.
final class OutputFile {
  private let handle: UnsafeMutablePointer<FILE>
  let path: String

  init(path: String) {
    self.path = path
    FileSystem.makeDirectories(FileSystem.parent(of: path))
    guard let handle = fopen(path, "wb") else { FileSystem.fail("cannot create \(path)") }
    self.handle = handle
  }

  func append(_ bytes: [UInt8]) {
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
    if written != bytes.count { FileSystem.fail("cannot write \(path)") }
  }

  func close() {
    if fclose(handle) != 0 { FileSystem.fail("cannot write \(path)") }
  }
}
