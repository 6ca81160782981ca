// A parsed JSON text: its bytes and its tape, reusable from record to record so the scan loop
// does not allocate per record once the buffers have grown. Readers navigate it through
// JSONValue handles (paths, Codable decoding, lossless output all start here).

/// The bytes of one JSON text and the tape of its values.
///
/// One document is reused for record after record: `parse` replaces the contents, keeping the
/// storage. Handles (`JSONValue`) taken before a `parse` must not be used after it.
public final class JSONDocument {
  /// The JSON text, exactly as read.
  public private(set) var bytes: [UInt8] = []
  /// The tape: one node per value, in document order (see `JSONNode`).
  public private(set) var nodes: [JSONNode] = []
  /// Absolute offset of `bytes[0]` in the stream it came from (for error messages).
  public private(set) var baseOffset: Int = 0

  /// An empty document, to be filled by `parse`.
  public init() {}

  /// Parses `buffer` (copied in) as one JSON text. Errors carry absolute offsets
  /// (`baseOffset` + position in the buffer).
  public func parse(_ buffer: UnsafeRawBufferPointer, baseOffset: Int = 0, limits: JSONLimits = .default)
    throws(JSONError)
  {
    self.baseOffset = baseOffset
    // Tape offsets are 32-bit: a text must stay below 4 GiB (records are far smaller).
    guard buffer.count < Int(UInt32.max) else {
      throw JSONError(.recordTooLarge, at: baseOffset, "JSON text of \(buffer.count) bytes is larger than 4 GiB")
    }
    bytes.removeAll(keepingCapacity: true)
    bytes.append(contentsOf: buffer)
    let outcome: Result<Void, JSONError> = bytes.withUnsafeBytes { raw in
      var parser = JSONParser(bytes: raw, maxDepth: limits.maxDepth)
      do throws(JSONError) {
        try parser.parseDocument(into: &nodes)
        return .success(())
      } catch {
        return .failure(error)
      }
    }
    if case .failure(let error) = outcome {
      nodes.removeAll(keepingCapacity: true)
      throw error.shifted(by: baseOffset)
    }
  }

  /// Parses `text` (copied in) as one JSON text.
  public func parse(_ text: some Collection<UInt8>, baseOffset: Int = 0, limits: JSONLimits = .default)
    throws(JSONError)
  {
    let bytes = Array(text)
    let outcome: Result<Void, JSONError> = bytes.withUnsafeBytes { raw in
      Result { () throws(JSONError) in try parse(raw, baseOffset: baseOffset, limits: limits) }
    }
    try outcome.get()
  }

  /// Parses a whole byte array as one JSON text (plain document mode).
  public convenience init(parsing bytes: [UInt8], limits: JSONLimits = .default) throws(JSONError) {
    self.init()
    let outcome: Result<Void, JSONError> = bytes.withUnsafeBytes { raw in
      Result { () throws(JSONError) in try parse(raw, limits: limits) }
    }
    try outcome.get()
  }

  /// The top-level value. Only valid after a successful `parse`.
  public var root: JSONValue { JSONValue(document: self, index: 0) }

  /// The bytes of node `index`'s value, exactly as written (strings without their quotes).
  @inline(__always)
  func slice(_ index: Int) -> ArraySlice<UInt8> {
    let node = nodes[index]
    return bytes[Int(node.start)..<Int(node.end)]
  }
}
