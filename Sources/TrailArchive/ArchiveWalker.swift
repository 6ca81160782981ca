// Turns command-line arguments (files, directories, "-") into the ordered list of objects to
// read. Walks directories itself with Glibc so the order is deterministic, symbolic links are
// followed safely, and digests and non-log files are skipped without being opened. The one
// directory walker: rule folders (`check --rules`) are walked by it too, for their extensions.
import Glibc

/// Expands paths into ``ArchiveObject``s.
///
/// Rules:
/// - Arguments are expanded in the order given; `"-"` is standard input.
/// - A directory is walked recursively, following symbolic links but never entering the same
///   directory (device + inode) twice within one argument. A link back to a directory being
///   walked is reported once as "directory loop through a symbolic link" and the walk goes on.
/// - Below a directory: hidden entries (name starting with `.`) are skipped, only regular
///   files named `*.json`, `*.jsonl`, `*.ndjson`, `*.log` or `*.gz` (any case) are taken, and
///   the files found are sorted by full path in byte order.
/// - A file named explicitly is always taken, whatever its name.
/// - Digest files (below a `CloudTrail-Digest` folder, or named `…_CloudTrail-Digest_…`) are
///   skipped silently wherever they are, unless `includesDigests` (for `validate`).
/// - A missing or unreadable argument is reported through `onError` and the walk goes on.
/// - With ``extensions`` (inputs that are not archives, such as rule files), below a directory
///   only files with those extensions are taken instead, digests are not special, and `"-"` is
///   a path like any other.
package struct ArchiveWalker: Sendable {
  /// The arguments, as given.
  package var paths: [String]
  /// Take digest files too (log integrity validation reads both).
  package var includesDigests: Bool
  /// Nil: archive files. Otherwise the extensions (without the dot, any case) of the files
  /// taken below a directory.
  package var extensions: [String]?

  /// A walker over `paths` (files, directories or `"-"`).
  package init(paths: [String], includesDigests: Bool = false) {
    self.paths = paths
    self.includesDigests = includesDigests
    self.extensions = nil
  }

  /// A walker over `paths` (files or directories) that takes the files with these
  /// `extensions` (`["yml", "yaml"]`) below directories.
  package init(paths: [String], extensions: [String]) {
    self.paths = paths
    self.includesDigests = true
    self.extensions = extensions
  }

  /// True when a walk of archive files without `includesDigests` (what `search` and `check`
  /// read) takes `object` from the same arguments: standard input, and every file but digests
  /// (a name containing `_CloudTrail-Digest_`, or a `CloudTrail-Digest` folder anywhere in its
  /// path, the argument's part included). `validate` walks with digests and holds every file
  /// for which this is true to a digest.
  package static func readsAsEvents(_ object: ArchiveObject) -> Bool {
    object.isStandardInput || !LogFileName.isDigestPath(object.path)
  }

  /// Expands the arguments into objects in a deterministic order, reporting problems to
  /// `onError` as they are found (a folder argument without one log file is one: reading it
  /// would give an empty answer that looks like a real one), and each regular file below a
  /// folder that is not read because of its name to `onSkip` (digests excepted: they are never
  /// events).
  package func objects(onError: (ArchiveError) -> Void, onSkip: (String) -> Void = { _ in }) -> [ArchiveObject] {
    var objects: [ArchiveObject] = []
    for path in paths {
      if path == "-" && extensions == nil {
        objects.append(ArchiveObject(path: path))
        continue
      }
      var info = stat()
      guard stat(path, &info) == 0 else {
        onError(.system(path, errno))
        continue
      }
      if isDirectory(info) {
        // A CloudTrail-Digest folder (or one below it) holds only digests.
        if LogFileName.isInDigestFolder(path) && !includesDigests { continue }
        var (files, skipped) = withoutActuallyEscaping(onError) { onError in
          var walk = DirectoryWalk(
            root: path, rootID: FileID(info), includesDigests: includesDigests,
            extensions: extensions.map { $0.map { "." + $0.lowercased() } }, onError: onError)
          walk.run()
          return (walk.files, walk.skipped)
        }
        skipped.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in skipped { onSkip(name) }
        if files.isEmpty && extensions == nil {
          onError(
            ArchiveError(
              path: path,
              reason: "no log files in this folder (a folder walk reads "
                + "\(LogFileName.logExtensions.map { "*" + $0 }.joined(separator: ", ")); "
                + "\(skipped.isEmpty ? "it holds none" : "\(skipped.count) other file(s) skipped by name")"
                + ", name a file to read it whatever its name)"))
        }
        files.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        objects += files.map { ArchiveObject(path: $0) }
      } else if includesDigests || !LogFileName.isDigestPath(path) {
        guard access(path, R_OK) == 0 else {
          onError(.system(path, errno))
          continue
        }
        objects.append(ArchiveObject(path: path))
      }
    }
    return objects
  }
}

/// A directory's identity, so a directory reached twice (through links) is walked once.
struct FileID: Hashable {
  var device: UInt64
  var inode: UInt64
  init(_ info: stat) {
    device = UInt64(info.st_dev)
    inode = UInt64(info.st_ino)
  }
}

@inline(__always)
func isDirectory(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFDIR }

@inline(__always)
func isRegularFile(_ info: stat) -> Bool { info.st_mode & S_IFMT == S_IFREG }

/// One recursive walk below a directory argument.
///
/// Invariants: `visited` holds every directory entered so far (the root included);
/// `ancestors` holds the directories on the path from the root to the one being read, so a
/// link to one of them is a loop, while a link to another visited directory is a duplicate.
struct DirectoryWalk {
  let root: String
  let includesDigests: Bool
  /// Lower-case name endings (`.yml`) to take instead of archive files; nil: archive files.
  let extensions: [String]?
  var files: [String] = []
  /// Regular files not taken because of their name (digests aside).
  var skipped: [String] = []
  private var visited: Set<FileID>
  private var ancestors: [FileID]
  private let onError: (ArchiveError) -> Void

  init(
    root: String, rootID: FileID, includesDigests: Bool = false, extensions: [String]? = nil,
    onError: @escaping (ArchiveError) -> Void
  ) {
    self.root = root
    self.includesDigests = includesDigests
    self.extensions = extensions
    self.visited = [rootID]
    self.ancestors = [rootID]
    self.onError = onError
  }

  mutating func run() {
    walk(root)
  }

  private mutating func walk(_ directory: String) {
    for (name, type) in entries(of: directory) {
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      let takenByName = isTaken(name)
      if type == DT_REG {
        if takenByName { files.append(path) } else { noteSkipped(name, path) }
        continue
      }
      // Directories, symbolic links and unknown types: look through links with stat.
      var info = stat()
      guard stat(path, &info) == 0 else {
        // A dangling link is worth a message only when it would have been read.
        let code = errno
        if takenByName || code == ELOOP { onError(.system(path, code)) }
        continue
      }
      if isDirectory(info) {
        guard includesDigests || name != LogFileName.digestFolder else { continue }
        let id = FileID(info)
        if ancestors.contains(id) {
          onError(.directoryLoop(path))
          continue
        }
        guard visited.insert(id).inserted else { continue }
        ancestors.append(id)
        walk(path)
        ancestors.removeLast()
      } else if isRegularFile(info) {
        if takenByName { files.append(path) } else { noteSkipped(name, path) }
      }
    }
  }

  /// Counts a file skipped by its name, unless it is a digest (never read as events).
  private mutating func noteSkipped(_ name: String, _ path: String) {
    if extensions == nil && LogFileName.isDigest(name) { return }
    skipped.append(path)
  }

  /// True when a file named `name` is read: an archive file (a digest only with
  /// `includesDigests`), or one with an extension of `extensions`.
  private func isTaken(_ name: String) -> Bool {
    guard let extensions else { return LogFileName.isLog(name) && (includesDigests || !LogFileName.isDigest(name)) }
    let lower = name.lowercased()
    return extensions.contains { lower.hasSuffix($0) }
  }

  /// The non-hidden entries of `directory` with their `d_type`, sorted by name; reports an
  /// unreadable directory.
  private func entries(of directory: String) -> [(name: String, type: Int32)] {
    guard let handle = opendir(directory) else {
      onError(.system(directory, errno))
      return []
    }
    defer { closedir(handle) }
    var result: [(name: String, type: Int32)] = []
    while true {
      errno = 0
      guard let entry = readdir(handle) else {
        if errno != 0 { onError(.system(directory, errno)) }
        break
      }
      let type = Int32(entry.pointee.d_type)
      let raw = withUnsafeBytes(of: &entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      // Hidden entries (and "." and "..") are skipped.
      if raw.first == UInt8(ascii: ".") { continue }
      guard let name = String(validating: raw, as: UTF8.self) else {
        // A name that is not UTF-8 cannot round-trip through a String path: say so, skip it.
        onError(
          ArchiveError(
            path: directory + "/" + String(decoding: raw, as: UTF8.self),
            reason: "file name is not valid utf-8"))
        continue
      }
      result.append((name, type))
    }
    // readdir order is arbitrary: sort so that which of two links to one directory is walked
    // (and so the paths reported) does not depend on the file system.
    return result.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
  }
}
