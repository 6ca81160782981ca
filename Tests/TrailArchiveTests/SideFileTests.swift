// What other modules read through TrailArchive besides archives: a file's bytes as stored
// (integrity hashing), a small file whole under a size cap (keys, signatures, rules), and a
// folder walked for given extensions (rule folders).
import Testing
import TrailArchive
import TrailGzip
import TrailTestSupport

@Suite struct SideFileTests {
  static let content = Array((0..<500).map { "line \($0)\n" }.joined().utf8)

  @Test(arguments: [1, 7, 4096])
  func storedBytesAreNotInflatedAndTheFirstChunkHoldsTheMagic(chunkSize: Int) throws {
    let root = try TemporaryDirectory()
    let stored = Gzip.compress(Self.content)
    let path = try root.write("a.json.gz", stored)
    var bytes: [UInt8] = []
    var first: Int?
    let count = try ObjectReader.readStored(ArchiveObject(path: path), chunkSize: chunkSize) { chunk in
      if first == nil { first = chunk.count }
      bytes += chunk
    }
    #expect(bytes == stored)
    #expect(count == stored.count)
    #expect((first ?? 0) >= 2)
  }

  @Test func wholeContentsInflatedOrStoredAndCapped() throws {
    let root = try TemporaryDirectory()
    let stored = Gzip.compress(Self.content)
    let path = try root.write("keys.json.gz", stored)
    #expect(try ObjectReader.contents(of: ArchiveObject(path: path), limit: 1 << 20) == Self.content)
    #expect(try ObjectReader.contents(of: ArchiveObject(path: path), limit: 1 << 20, inflating: false) == stored)
    #expect(try ObjectReader.contents(of: ArchiveObject(path: path), limit: Self.content.count) == Self.content)
    #expect(throws: ArchiveError.self) {
      try ObjectReader.contents(of: ArchiveObject(path: path), limit: Self.content.count - 1)
    }
    let missing = root.path("none.json")
    #expect(throws: ArchiveError.self) { try ObjectReader.contents(of: ArchiveObject(path: missing), limit: 10) }
  }

  @Test func walkingForExtensions() throws {
    let root = try TemporaryDirectory()
    for name in [
      "rules/b.yaml", "rules/a.yml", "rules/sub/C.YML", "rules/x.json", "rules/.hidden.yml",
      "rules/CloudTrail-Digest/d.yml", "rules/111122223333_CloudTrail-Digest_x.yml",
    ] {
      try root.write(name, "x")
    }
    let named = try root.write("one.txt", "x")
    var errors: [ArchiveError] = []
    let objects = ArchiveWalker(
      paths: [root.path("rules"), named, "-", root.path("gone")], extensions: ["yml", "yaml"]
    )
    .objects { errors.append($0) }
    #expect(
      objects.map(\.path) == [
        root.path("rules/111122223333_CloudTrail-Digest_x.yml"), root.path("rules/CloudTrail-Digest/d.yml"),
        root.path("rules/a.yml"), root.path("rules/b.yaml"), root.path("rules/sub/C.YML"), named,
      ])
    // "-" is a path like any other here, and missing.
    #expect(errors.map(\.path) == ["-", root.path("gone")])
  }
}
