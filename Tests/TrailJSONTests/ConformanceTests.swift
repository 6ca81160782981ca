// JSONTestSuite (nst/JSONTestSuite, test_parsing/) against the document parser: every y_ file
// accepted, every n_ file rejected, no i_ file crashes. The files are read from the shared
// corpus; Fixtures/README.md notes where they come from.
import Foundation
import Testing
import TrailJSON
import TrailTestSupport

struct ConformanceTests {
  static let suite = Paths.sharedCorpus.appendingPathComponent("jsontestsuite")
  static func files(_ prefix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? [])
      .filter { $0.hasPrefix(prefix) }.sorted()
  }

  @Test func suiteIsPresent() {
    #expect(Self.files("y_").count == 95)
    #expect(Self.files("n_").count == 188)
    #expect(Self.files("i_").count == 35)
  }

  @Test(arguments: files("y_"))
  func accepts(_ name: String) throws {
    let bytes = try Paths.bytes(Self.suite.appendingPathComponent(name))
    #expect(throws: Never.self, "\(name) must be accepted") { _ = try JSONDocument(parsing: bytes) }
  }

  @Test(arguments: files("n_"))
  func rejects(_ name: String) throws {
    let bytes = try Paths.bytes(Self.suite.appendingPathComponent(name))
    #expect(throws: JSONError.self, "\(name) must be rejected") { _ = try JSONDocument(parsing: bytes) }
  }

  @Test(arguments: files("i_"))
  func implementationDefinedDoesNotCrash(_ name: String) throws {
    let bytes = try Paths.bytes(Self.suite.appendingPathComponent(name))
    _ = try? JSONDocument(parsing: bytes)
    // And through the framer, wrapped as a record, to exercise both paths.
    _ = FramerHarness.frame([Array("[".utf8) + bytes + Array("]".utf8)])
  }

  @Test func acceptedValuesMatchFoundation() throws {
    // Each y_ document parses to the same value through our tape as through JSONSerialization.
    for name in Self.files("y_") {
      let bytes = try Paths.bytes(Self.suite.appendingPathComponent(name))
      let ours = JSONTree(try JSONDocument(parsing: bytes).root)
      guard let theirs = try? JSONDecoder().decode(JSONTree.self, from: Data(bytes)) else { continue }
      #expect(ours == theirs, "\(name)")
    }
  }
}
