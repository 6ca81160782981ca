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
  /// The tape: one node per value, in document order (see `JSONNode`); an object or array whose
  /// `flag` is set is opaque (parsed with `JSONKeySet`: its contents are not on this tape).
  public private(set) var nodes: [JSONNode] = []
  /// Absolute offset of `bytes[0]` in the stream it came from (for error messages).
  public private(set) var baseOffset: Int = 0

  /// Read texts byte by byte only (`JSONParser`), never in blocks: the reference the block
  /// parser is tested and fuzzed against.
  @_spi(Testing) public var parsesByteByByte = false
  /// Whether the last `parse` was done by the block parser (false: byte by byte, which is also
  /// how every text the block parser rejects is read, for its error).
  @_spi(Testing) public private(set) var parsedInBlocks = false

  // Scratch of the block parser, reused from text to text.
  var positions: [UInt32] = []
  var escapes: [UInt32] = []
  var stack: [UInt32] = []
  /// Where the block parser writes the tape (then copied into `nodes` whole).
  var tape = UnsafeMutablePointer<JSONNode>.allocate(capacity: 64)
  var tapeCapacity = 64
  /// Opaque values read so far, each parsed into a document of its own, and documents to reuse.
  var expansions: [(index: Int, document: JSONDocument)] = []
  var spareDocuments: [JSONDocument] = []

  /// An empty document, to be filled by `parse`.
  public init() {}

  deinit { tape.deallocate() }

  /// Parses `buffer` (copied in) as one JSON text. Errors carry absolute offsets
  /// (`baseOffset` + position in the buffer). With `keys`, the value of a top-level member of
  /// a root object whose key `keys` does not hold is validated but, when it is an object or an
  /// array, kept as one opaque node (its contents are parsed on first use, see `JSONKeySet`).
  public func parse(
    _ buffer: UnsafeRawBufferPointer, baseOffset: Int = 0, limits: JSONLimits = .default,
    keeping keys: JSONKeySet? = nil
  ) throws(JSONError) {
    try parse(buffer, baseOffset: baseOffset, limits: limits, keeping: keys, index: nil)
  }

  /// Parses a framed record (its bytes copied in) as `parse(record.bytes, baseOffset:
  /// record.offset, …)` does, with the same tape or the same error; when the framer indexed the
  /// record as it found its end (`RecordFramer.Record.index`), stage 1 is not run again.
  public func parse(
    _ record: RecordFramer.Record, limits: JSONLimits = .default, keeping keys: JSONKeySet? = nil
  ) throws(JSONError) {
    try parse(record.bytes, baseOffset: record.offset, limits: limits, keeping: keys, index: record.index)
  }

  func parse(
    _ buffer: UnsafeRawBufferPointer, baseOffset: Int, limits: JSONLimits, keeping keys: JSONKeySet?,
    index: RecordIndex?
  ) throws(JSONError) {
    self.baseOffset = baseOffset
    // Tape offsets are 32-bit: a text must stay below 4 GiB (records are far smaller).
    guard buffer.count < Int(UInt32.max) else {
      throw JSONError(.recordTooLarge, at: baseOffset, "JSON text of \(buffer.count) bytes is larger than 4 GiB")
    }
    releaseExpansions()
    bytes.removeAll(keepingCapacity: true)
    bytes.append(contentsOf: buffer)
    if parsesByteByByte {
      parsedInBlocks = false
    } else if let index {
      parsedInBlocks =
        index.count > 0
        && index.scratch.escapes.withUnsafeBufferPointer { escapeList in
          buildTape(
            positions: UnsafeBufferPointer(start: index.scratch.positions.baseAddress, count: index.count),
            escapes: escapeList, maxDepth: limits.maxDepth, keys: keys)
        }
    } else {
      parsedInBlocks = parseInBlocks(maxDepth: limits.maxDepth, keys: keys)
    }
    if parsedInBlocks { return }
    // The byte-by-byte parser: for the error of a text the block parser rejects (and, were the
    // two ever to disagree, for its tape).
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

  /// Stage 1 (`StructuralIndex`) and stage 2 (`TapeBuilder`); false when the text is not JSON.
  func parseInBlocks(maxDepth: Int, keys: JSONKeySet?) -> Bool {
    let needed = bytes.count + StructuralIndex.slack
    if positions.count < needed { positions = Array(repeating: 0, count: max(needed, 2 * positions.count)) }
    escapes.removeAll(keepingCapacity: true)
    let indexed = bytes.withUnsafeBytes { raw in
      let start = raw.count >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF ? 3 : 0
      return positions.withUnsafeMutableBufferPointer {
        StructuralIndex.build(raw, from: start, into: $0, escapes: &escapes)
      }
    }
    guard let count = indexed, count > 0 else { return false }
    return positions.withUnsafeBufferPointer { all in
      escapes.withUnsafeBufferPointer { escapeList in
        buildTape(
          positions: UnsafeBufferPointer(rebasing: all[0..<count]), escapes: escapeList, maxDepth: maxDepth, keys: keys)
      }
    }
  }

  /// Stage 2 (`TapeBuilder`) over the structural index `positions` of `bytes`, into `nodes`;
  /// false when the text is not JSON.
  func buildTape(
    positions: UnsafeBufferPointer<UInt32>, escapes escapeList: UnsafeBufferPointer<UInt32>, maxDepth: Int,
    keys: JSONKeySet?
  ) -> Bool {
    let count = positions.count
    // At most one node per entry, and one open container per entry within the depth limit.
    if tapeCapacity < count {
      tape.deallocate()
      tapeCapacity = max(count, 2 * tapeCapacity)
      tape = UnsafeMutablePointer<JSONNode>.allocate(capacity: tapeCapacity)
    }
    let depth = min(maxDepth, count) + 1
    if stack.count < depth { stack = Array(repeating: 0, count: max(depth, 2 * stack.count)) }
    let built: Int? = bytes.withUnsafeBytes { raw in
      stack.withUnsafeMutableBufferPointer { open in
        TapeBuilder.build(
          raw, positions: positions, escapes: escapeList, maxDepth: maxDepth, keys: keys, nodes: tape,
          open: open.baseAddress.unsafelyUnwrapped)
      }
    }
    guard let written = built else { return false }
    nodes.removeAll(keepingCapacity: true)
    nodes.append(contentsOf: UnsafeBufferPointer(start: tape, count: written))
    return true
  }

  /// The value of opaque node `index` (see `JSONKeySet`), parsed into a document of its own on
  /// first use; valid until the next `parse`.
  func expanded(_ index: Int) -> JSONValue {
    for expansion in expansions where expansion.index == index { return expansion.document.root }
    let child = spareDocuments.popLast() ?? JSONDocument()
    let node = nodes[index]
    let start = Int(node.start)
    let end = Int(node.end)
    let parsed: Bool = bytes.withUnsafeBytes { raw in
      do throws(JSONError) {
        // Already validated as part of this text, so it parses; its depth is below this one's.
        try child.parse(
          UnsafeRawBufferPointer(rebasing: raw[start..<end]), baseOffset: baseOffset + start,
          limits: JSONLimits(maxRecordSize: Int.max, maxDepth: Int.max))
        return true
      } catch {
        return false
      }
    }
    if !parsed { try? child.parse(Array("null".utf8)) }
    expansions.append((index, child))
    return child.root
  }

  func releaseExpansions() {
    guard !expansions.isEmpty else { return }
    for expansion in expansions { spareDocuments.append(expansion.document) }
    expansions.removeAll(keepingCapacity: true)
  }

  /// Parses `text` (copied in) as one JSON text (`keys` as for the buffer form).
  public func parse(
    _ text: some Collection<UInt8>, baseOffset: Int = 0, limits: JSONLimits = .default, keeping keys: JSONKeySet? = nil
  ) throws(JSONError) {
    let bytes = Array(text)
    let outcome: Result<Void, JSONError> = bytes.withUnsafeBytes { raw in
      Result { () throws(JSONError) in try parse(raw, baseOffset: baseOffset, limits: limits, keeping: keys) }
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
