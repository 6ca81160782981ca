// The block scanners held against the byte-by-byte ones on any bytes: one oracle shared by the
// differential tests and the `scanner` fuzz target, so both check the same promise — the block
// parser and framer give exactly the answers (tapes, records, errors, offsets) of the loops.

/// Compares the block parser and framer with their byte-by-byte references.
@_spi(Testing) public enum ScannerDifferential {
  /// Parses `text` in blocks and byte by byte: the same tape, or the same error, and the block
  /// parser accepts every text the byte loop accepts. With `keys`, the block parse leaves values
  /// off the tape, and every value read through `JSONValue` (opaque ones parsed on use) must
  /// equal the byte loop's. Returns the first difference, or nil when they agree.
  public static func parse(_ text: [UInt8], maxDepth: Int = 256, keys: JSONKeySet? = nil) -> String? {
    let limits = JSONLimits(maxRecordSize: Int.max, maxDepth: maxDepth)
    let blocks = JSONDocument()
    let scalar = JSONDocument()
    scalar.parsesByteByByte = true
    let fast = parse(blocks, text, limits, keys)
    let slow = parse(scalar, text, limits, nil)
    switch (fast, slow) {
    case (.success, .success):
      guard blocks.parsedInBlocks else { return "the block parser rejects a text the byte loop accepts" }
      if keys == nil {
        return blocks.nodes == scalar.nodes ? nil : "tapes differ: \(blocks.nodes) against \(scalar.nodes)"
      }
      return compare(blocks.root, scalar.root, path: "$")
    case (.failure(let a), .failure(let b)):
      if blocks.parsedInBlocks { return "the block parser accepted a text it then failed" }
      return a == b ? nil : "errors differ: \(a) against \(b)"
    case (.success, .failure(let error)):
      return "the block parser accepts a text the byte loop rejects (\(error))"
    case (.failure(let error), .success):
      return "the block parser rejects a text the byte loop accepts (\(error))"
    }
  }

  static func parse(_ document: JSONDocument, _ text: [UInt8], _ limits: JSONLimits, _ keys: JSONKeySet?) -> Result<
    Void, JSONError
  > {
    text.withUnsafeBytes { raw in
      Result { () throws(JSONError) in try document.parse(raw, baseOffset: 7, limits: limits, keeping: keys) }
    }
  }

  /// Every read of `a` (possibly opaque) against `b`, recursively.
  static func compare(_ a: JSONValue, _ b: JSONValue, path: String) -> String? {
    guard a.kind == b.kind, a.offset == b.offset, a.count == b.count, a.jsonText.elementsEqual(b.jsonText) else {
      return "\(path): \(a.kind) at \(a.offset) (\(a.count)) against \(b.kind) at \(b.offset) (\(b.count))"
    }
    switch a.kind {
    case .string:
      return a.string == b.string ? nil : "\(path): strings differ"
    case .number:
      return a.numberText == b.numberText ? nil : "\(path): numbers differ"
    case .array:
      let (x, y) = (a.elements, b.elements)
      guard x.count == y.count else { return "\(path): \(x.count) elements against \(y.count)" }
      for (i, (u, v)) in zip(x, y).enumerated() {
        if let difference = compare(u, v, path: "\(path)[\(i)]") { return difference }
      }
      return nil
    case .object:
      let (x, y) = (a.members, b.members)
      guard x.map(\.key) == y.map(\.key) else { return "\(path): keys differ" }
      for ((key, u), (_, v)) in zip(x, y) {
        if let difference = compare(u, v, path: "\(path).\(key)") { return difference }
        guard let first = a[key], let expected = b[key], first.offset == expected.offset,
          a.member(key, ignoringCase: true)?.offset == b.member(key, ignoringCase: true)?.offset
        else { return "\(path): lookup of \(key) differs" }
      }
      return nil
    case .null, .true, .false:
      return nil
    }
  }

  /// Frames `text` cut into chunks of `chunkSizes` (repeated; 0 feeds an empty chunk) with
  /// block scanning and byte by byte, reading records as the scan engine does (a record that
  /// does not parse while a record start follows inside it asks the framer to resynchronize).
  /// The records, their offsets, the errors and the framer's offset after each chunk must be
  /// the same. Returns the first difference, or nil.
  public static func frame(_ text: [UInt8], chunkSizes: [Int], limits: JSONLimits = .default) -> String? {
    let fast = run(text, chunkSizes, limits, scalar: false)
    let slow = run(text, chunkSizes, limits, scalar: true)
    return fast == slow ? nil : "framing differs:\n\(fast)\nagainst\n\(slow)"
  }

  static func run(_ text: [UInt8], _ sizes: [Int], _ limits: JSONLimits, scalar: Bool) -> [String] {
    var framer = RecordFramer(limits: limits, scalarScanning: scalar)
    var log: [String] = []
    let document = JSONDocument()
    let reference = JSONDocument()
    func onRecord(_ record: RecordFramer.Record) throws {
      log.append("record \(record.offset) \(Array(record.bytes))")
      if record.index != nil {
        // Indexed as it was framed: the tape must be the one of indexing its bytes alone.
        let indexed = Result { () throws(JSONError) in try document.parse(record, limits: limits) }
        let alone = Result { () throws(JSONError) in
          try reference.parse(record.bytes, baseOffset: record.offset, limits: limits)
        }
        switch (indexed, alone) {
        case (.success, .success) where document.nodes == reference.nodes && document.parsedInBlocks: break
        case (.failure(let a), .failure(let b)) where a == b: break
        default: log.append("the record's own index reads differently: \(indexed) against \(alone)")
        }
      }
      do {
        try document.parse(record, limits: limits)
      } catch {
        if RecordRecovery.nextStart(record.bytes, after: 0, firstKey: RecordRecovery.defaultFirstKey) != nil {
          throw RecordFramer.Resynchronize(error: error, firstKey: RecordRecovery.defaultFirstKey)
        }
        log.append("parse \(error)")
      }
    }
    func onRecordError(_ error: JSONError) { log.append("error \(error)") }
    var start = 0
    var turn = 0
    do {
      while start < text.count {
        let size = sizes.isEmpty ? text.count : max(0, sizes[turn % sizes.count])
        turn += 1
        let end = min(text.count, start + (size == 0 && sizes.allSatisfy({ $0 <= 0 }) ? 1 : size))
        try text[start..<end].withUnsafeBytes { try framer.feed($0, onRecord: onRecord, onRecordError: onRecordError) }
        log.append("offset \(framer.offset)")
        start = end
      }
      try framer.finish(onRecord: onRecord, onRecordError: onRecordError)
    } catch let error as JSONError {
      log.append("fatal \(error)")
    } catch {
      log.append("thrown \(error)")
    }
    log.append("records \(framer.recordCount)")
    return log
  }
}
