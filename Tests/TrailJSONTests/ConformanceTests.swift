// JSONTestSuite (nst/JSONTestSuite, test_parsing/) against the document parser: every y_ file
// accepted with Foundation's value, every n_ file rejected, each i_ file accepted with
// Foundation's value or rejected at a byte of the input. The files are read from the shared
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

  /// Foundation's reading of `bytes` (JSONDecoder into a JSONTree), nil where it rejects them.
  static func foundation(_ bytes: [UInt8]) -> JSONTree? {
    try? JSONDecoder().decode(JSONTree.self, from: Data(bytes))
  }

  /// Our parser's reading of `bytes`: its value as a tree, or its error.
  static func read(_ bytes: [UInt8]) -> Result<JSONTree, JSONError> {
    Result { () throws(JSONError) in JSONTree(try JSONDocument(parsing: bytes).root) }
  }

  /// Whether `error` points at a byte of `input` (a truncation may point just past its end).
  static func isWithin(_ error: JSONError, _ input: [UInt8]) -> Bool {
    (0..<input.count).contains(error.offset) || (error.kind == .truncated && error.offset == input.count)
  }

  /// The spec leaves these to the parser: each is either accepted, with the value Foundation
  /// reads where Foundation accepts it too, or rejected with a JSONError at a byte of the input.
  /// Wrapped as a record, the framer frames it where the parser accepts it, and the record it
  /// frames reads as the whole document does (same value, or same error shifted to the record).
  @Test(arguments: files("i_"))
  func implementationDefinedDoesNotCrash(_ name: String) throws {
    let bytes = try Paths.bytes(Self.suite.appendingPathComponent(name))
    let ours = Self.read(bytes)
    switch ours {
    case .success(let tree):
      if let theirs = Self.foundation(bytes) {
        #expect(tree == theirs, "\(name): ours \(tree), Foundation's \(theirs)")
      }
    case .failure(let error):
      #expect(Self.isWithin(error, bytes), "\(name): \(error) outside its \(bytes.count) bytes")
    }

    let wrapped = Array("[".utf8) + bytes + Array("]".utf8)
    let framed = FramerHarness.frame([wrapped])
    for error in framed.recordErrors + [framed.fatal].compactMap({ $0 }) {
      #expect(Self.isWithin(error, wrapped), "\(name): framer's \(error) outside its \(wrapped.count) bytes")
    }
    for (record, offset) in zip(framed.records, framed.offsets) {
      #expect(
        offset >= 1 && offset + record.count <= bytes.count + 1
          && Array(wrapped[offset..<(offset + record.count)]) == record,
        "\(name): record at \(offset) is not a span of the input")
    }
    guard framed.fatal == nil && framed.recordErrors.isEmpty else {
      // Only text that is not plain UTF-8 JSON stops the framer: a byte-order mark (legal at the
      // start of a document alone, not inside the wrapper) or UTF-16 (NUL bytes).
      #expect(
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.contains(0),
        "\(name): framer failed: \(String(describing: framed.fatal))")
      return
    }
    try #require(framed.records.count == 1, "\(name): \(framed.records.count) records")
    let record = framed.records[0]
    let shift = framed.offsets[0] - 1
    let again = Self.read(record).mapError { $0.shifted(by: shift) }
    #expect(again == ours, "\(name): the framed record reads \(again), the document \(ours)")
  }

  @Test func acceptedValuesMatchFoundation() throws {
    // Each y_ document parses to the same value through our tape as through Foundation.
    var compared = 0
    for name in Self.files("y_") {
      let bytes = try Paths.bytes(Self.suite.appendingPathComponent(name))
      let ours = JSONTree(try JSONDocument(parsing: bytes).root)
      let theirs = try #require(Self.foundation(bytes), "Foundation rejects \(name)")
      #expect(ours == theirs, "\(name)")
      compared += 1
    }
    #expect(compared >= 95, "compared \(compared) of the suite's 95 y_ documents")
  }
}
