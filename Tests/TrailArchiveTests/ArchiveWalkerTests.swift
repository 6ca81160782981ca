// Walker behaviour on real directory trees: deterministic order, digest, hidden and
// extension filtering, explicit files, errors that do not stop the walk, symbolic-link loops.
import Glibc
import Testing
import TrailArchive
import TrailTestSupport

@Suite struct ArchiveWalkerTests {
  static let day = "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15"

  func walk(_ paths: [String]) -> (objects: [String], errors: [ArchiveError]) {
    var errors: [ArchiveError] = []
    let objects = ArchiveWalker(paths: paths).objects { errors.append($0) }
    return (objects.map(\.path), errors)
  }

  /// Relative paths of objects below `root`.
  func relative(_ paths: [String], to root: TemporaryDirectory) -> [String] {
    paths.map { $0.hasPrefix(root.path + "/") ? String($0.dropFirst(root.path.count + 1)) : $0 }
  }

  @Test func orderFilteringAndDigests() throws {
    let root = try TemporaryDirectory()
    let names = [
      "\(Self.day)/b.json.gz", "\(Self.day)/a.json.gz", "\(Self.day)/A.json.gz",
      "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/15/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240115T010203Z.json.gz",
      "loose/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240115T010203Z.json.gz",
      ".hidden.json", ".git/x.json", "sub/.also-hidden.json.gz",
      "notes.txt", "data.csv", "README",
      "events.jsonl", "events.ndjson", "app.log", "app.log.gz", "UPPER.JSON", "blob.gz",
      "events.jsonl.gz", "events.ndjson.gz", "sub/z.json", "sub-z.json",
    ]
    for name in names { try root.write(name, "{}") }
    let (objects, errors) = walk([root.path])
    #expect(errors.isEmpty)
    #expect(
      relative(objects, to: root) == [
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/A.json.gz",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/a.json.gz",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/b.json.gz",
        "UPPER.JSON", "app.log", "app.log.gz", "blob.gz", "events.jsonl", "events.jsonl.gz",
        "events.ndjson", "events.ndjson.gz", "sub-z.json", "sub/z.json",
      ])
    // Walking the same tree again gives the same list.
    #expect(walk([root.path]).objects == objects)
  }

  @Test func argumentsKeepTheirOrderAndExplicitFilesAreAlwaysTaken() throws {
    let root = try TemporaryDirectory()
    let notes = try root.write("notes.txt", "x")
    let hidden = try root.write(".hidden", "x")
    try root.write("dir/2.json", "{}")
    try root.write("dir/1.json", "{}")
    let digest = try root.write("111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240115T010203Z.json.gz", "x")
    let inDigestFolder = try root.write("AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/15/plain.json.gz", "x")
    let (objects, errors) = walk([notes, root.path("dir/"), "-", digest, inDigestFolder, hidden, root.path("dir")])
    #expect(errors.isEmpty)
    #expect(
      objects == [
        notes, root.path("dir/1.json"), root.path("dir/2.json"), "-", hidden,
        root.path("dir/1.json"), root.path("dir/2.json"),
      ])
  }

  @Test func missingPathIsReportedAndTheWalkGoesOn() throws {
    let root = try TemporaryDirectory()
    let file = try root.write("a.json", "{}")
    let missing = root.path("missing.json")
    let (objects, errors) = walk([missing, file, root.path("missing-dir")])
    #expect(objects == [file])
    #expect(
      errors == [
        ArchiveError(path: missing, reason: "no such file or directory"),
        ArchiveError(path: root.path("missing-dir"), reason: "no such file or directory"),
      ])
    #expect(errors.first?.description == "\(missing): no such file or directory")
  }

  @Test(.timeLimit(.minutes(1)))
  func symlinkToParentIsALoopReportedOnce() throws {
    let root = try TemporaryDirectory()
    try root.write("a/x.json", "{}")
    try root.write("a/b/y.json", "{}")
    try root.symlink("a/b/up", to: "..")  // → a
    try root.symlink("a/self", to: ".")  // → a
    let (objects, errors) = walk([root.path])
    #expect(relative(objects, to: root) == ["a/b/y.json", "a/x.json"])
    #expect(
      errors == [
        ArchiveError(path: root.path("a/b/up"), reason: "directory loop through a symbolic link"),
        ArchiveError(path: root.path("a/self"), reason: "directory loop through a symbolic link"),
      ])
  }

  @Test(.timeLimit(.minutes(1)))
  func linkToTheRootArgumentIsALoop() throws {
    let root = try TemporaryDirectory()
    try root.write("x.json", "{}")
    try root.symlink("sub", to: root.path)
    let (objects, errors) = walk([root.path])
    #expect(relative(objects, to: root) == ["x.json"])
    #expect(errors.map(\.path) == [root.path("sub")])
  }

  @Test func linkedDirectoriesAreFollowedButWalkedOnce() throws {
    let root = try TemporaryDirectory()
    let outside = try TemporaryDirectory()
    try outside.write("o.json", "{}")
    try root.write("real/r.json", "{}")
    try root.symlink("ext", to: outside.path)
    try root.symlink("link-to-real", to: "real")  // sorts after "ext", before "real"
    let (objects, errors) = walk([root.path])
    #expect(errors.isEmpty)
    // "link-to-real" is met first, so real's files are listed under it, once.
    #expect(relative(objects, to: root) == ["ext/o.json", "link-to-real/r.json"])
  }

  @Test func danglingLinksAndLinkedFiles() throws {
    let root = try TemporaryDirectory()
    let target = try root.write("data/real.txt", "{}")
    try root.symlink("linked.json", to: target)
    try root.symlink("gone.json", to: root.path("nowhere"))
    try root.symlink("gone-notes", to: root.path("nowhere"))  // not a log name: silent
    try root.symlink("loop1.json", to: "loop2.json")
    try root.symlink("loop2.json", to: "loop1.json")
    let (objects, errors) = walk([root.path])
    #expect(relative(objects, to: root) == ["linked.json"])
    #expect(errors.map { relative([$0.path], to: root)[0] } == ["gone.json", "loop1.json", "loop2.json"])
    #expect(errors.first?.reason == "no such file or directory")
    #expect(errors.last?.reason == "too many levels of symbolic links")
  }

  @Test func digestFolderBelowAnArgumentIsNotEntered() throws {
    let root = try TemporaryDirectory()
    try root.write("CloudTrail-Digest/x.json.gz", "{}")
    try root.write("CloudTrail/y.json.gz", "{}")
    #expect(relative(walk([root.path]).objects, to: root) == ["CloudTrail/y.json.gz"])
    // Named as an argument, a digest folder gives nothing and no error.
    let (objects, errors) = walk([root.path("CloudTrail-Digest"), root.path("CloudTrail-Digest/")])
    #expect(objects.isEmpty && errors.isEmpty)
  }

  @Test(.enabled(if: geteuid() != 0, "root reads any file"))
  func unreadableArgumentsAreReported() throws {
    let root = try TemporaryDirectory()
    let file = try root.write("secret.json", "{}")
    let directory = try root.makeDirectory("closed")
    chmod(file, 0)
    chmod(directory, 0)
    let (objects, errors) = walk([file, directory])
    #expect(objects.isEmpty)
    #expect(errors.map(\.reason) == ["permission denied", "permission denied"])
  }
}
