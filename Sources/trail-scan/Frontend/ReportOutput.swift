// Where `check` and `validate` write their reports: standard output, or with `--output FILE`
// the file (for a CI step to upload) and the table on standard output (for the CI log). The file
// is written whole or not at all (AtomicFile): a full disk or any other failure leaves the
// previous report as it was and is an error (exit 2); a closed pipe is a quiet end, as everywhere.
import TrailOutput

#if canImport(Glibc)
  import Glibc
#endif

enum ReportOutput {
  /// Calls `render` once for standard output and, with `output`, once more for the file first
  /// (`toFile` true: no terminal width, no colour). `width` is the one tables on standard output
  /// fit (nil: cut nothing).
  static func write(
    to output: String?, color: ColorChoice, width: Int?,
    render: (_ buffer: OutputBuffer, _ width: Int?, _ style: TableStyle, _ toFile: Bool) throws -> Void
  ) throws {
    do {
      if let output {
        try AtomicFile.write(to: output) { fd in
          let buffer = OutputBuffer(fd: fd)
          try render(buffer, nil, .plain, true)
          try buffer.flush()
        }
      }
      try render(OutputBuffer(), width, color.style, false)
    } catch is OutputClosed {
      // A closed pipe: the verdict still comes from the exit status.
    }
  }
}

/// Writes a file whole or not at all: into a temporary file in the target's folder, flushed to
/// disk (`fsync`), then renamed over the target, so a reader sees the old file or the new one,
/// never a part. On any failure (no space, a size limit, an error while rendering) the target is
/// left as it was and the temporary file removed. A target that exists and is not a regular file
/// (`/dev/stdout`, a pipe) is written in place: there is no file to replace.
enum AtomicFile {
  /// Calls `body` with a descriptor open for writing and commits what it wrote to `path`.
  /// Failures are `PlanError`s naming the path.
  static func write(to path: String, _ body: (Int32) throws -> Void) throws {
    var info = stat()
    let exists = stat(path, &info) == 0
    if exists && info.st_mode & S_IFMT != S_IFREG { return try writeInPlace(path, body) }
    // A symbolic link stays a link: the file it points to is the one replaced.
    let target = exists ? resolved(path) : path
    let slash = target.lastIndex(of: "/")
    let folder = slash.map { String(target[..<$0]) } ?? "."
    let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
    var template = Array("\(folder.isEmpty ? "" : folder)/.\(name).trail-scan-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
    guard fd >= 0 else { throw failure(path, errno, exists: exists) }
    let temporary = template.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { String(cString: $0) } ?? "" }
    var open = true
    var committed = false
    defer {
      if open { close(fd) }
      if !committed { unlink(temporary) }
    }
    do {
      try body(fd)
    } catch let error as OutputError {
      throw PlanError("\(TerminalText.escape(path)): cannot write the report: \(error.reason)\(unchanged(exists))")
    }
    // The new file takes the old one's permissions (and owner, where allowed), or those a new
    // file gets (0666 less the umask) — mkstemp made it 0600.
    if exists {
      _ = fchown(fd, info.st_uid, info.st_gid)
      _ = fchmod(fd, info.st_mode & 0o7777)
    } else {
      let mask = umask(0)
      umask(mask)
      _ = fchmod(fd, 0o666 & ~mask)
    }
    guard fsync(fd) == 0 else { throw failure(path, errno, exists: exists) }
    open = false
    guard close(fd) == 0 else { throw failure(path, errno, exists: exists) }
    guard rename(temporary, target) == 0 else { throw failure(path, errno, exists: exists) }
    committed = true
    // The rename itself reaches the disk with the folder.
    let folderFD = Glibc.open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY)
    if folderFD >= 0 {
      _ = fsync(folderFD)
      close(folderFD)
    }
  }

  /// A device or pipe named as the report (`--output /dev/stdout`): written as it is.
  static func writeInPlace(_ path: String, _ body: (Int32) throws -> Void) throws {
    let fd = Glibc.open(path, O_WRONLY | O_TRUNC)
    guard fd >= 0 else { throw failure(path, errno, exists: true) }
    defer { close(fd) }
    do {
      try body(fd)
    } catch let error as OutputError {
      throw PlanError("\(TerminalText.escape(path)): cannot write the report: \(error.reason)")
    }
  }

  /// The path with every symbolic link resolved (the path itself when it does not resolve).
  static func resolved(_ path: String) -> String {
    guard let real = realpath(path, nil) else { return path }
    defer { free(real) }
    return String(cString: real)
  }

  static func failure(_ path: String, _ code: Int32, exists: Bool) -> PlanError {
    PlanError(
      "\(TerminalText.escape(path)): cannot write the report: \(String(cString: strerror(code)))\(unchanged(exists))")
  }

  static func unchanged(_ exists: Bool) -> String { exists ? " (the previous report is unchanged)" : "" }
}
