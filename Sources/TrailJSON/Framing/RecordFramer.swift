// Splits a stream of JSON bytes, delivered in chunks of any size, into records: the elements of
// a `{"Records":[…]}` envelope (CloudTrail's S3 files), the elements of a top-level array, or
// top-level objects one after another (NDJSON). Memory is bounded by the largest record.
//
// States, for `{"Records":[{…},{…}]}`:
//
//   betweenValues ─'{'─▶ firstKeyOrEnd ─'"'─▶ key(first) ─'"'─▶ afterKey ─':'─▶ afterColon
//   afterColon: key was "Records" and '[' follows ─▶ element(records)   (the '{' was an envelope)
//               otherwise ─▶ value(topRecord)        (the '{' is itself a record; keep capturing)
//   element ─value─▶ value(arrayRecord) ─end─▶ afterElement ─','─▶ element, ─']'─▶ envelopeAfterMember
//   envelopeAfterMember ─','─▶ key(not first) ─…─▶ value(envelopeMember, skipped); ─'}'─▶ betweenValues
//
// A top-level '[' goes straight to element(top). Bytes outside records are checked strictly;
// bytes inside records only for their extent (ValueSkipper), the parser checks the rest.

/// Frames records out of a chunked JSON stream.
public struct RecordFramer {
  /// One framed record: its bytes (valid only during the callback) and where it starts.
  public struct Record {
    public let bytes: UnsafeRawBufferPointer
    /// Absolute offset of the record's first byte in the stream.
    public let offset: Int
  }

  enum ArrayKind { case top, records }
  enum ValueContext { case topRecord, arrayRecord(ArrayKind), envelopeMember }
  enum State {
    case betweenValues
    case firstKeyOrEnd
    case key(first: Bool)
    case nextKey
    case afterKey(first: Bool)
    case afterColon(first: Bool)
    case elementOrEnd(ArrayKind)
    case element(ArrayKind)
    case afterElement(ArrayKind)
    case value(ValueContext)
    case envelopeAfterMember
    case failed(JSONError)
  }

  public let limits: JSONLimits
  /// Absolute offset of the next byte to be fed (the number of bytes fed so far).
  public private(set) var offset = 0
  /// Records handed to `onRecord` so far.
  public private(set) var recordCount = 0

  var state = State.betweenValues
  var sawValue = false
  var skipper = ValueSkipper(insideContainerAtDepth: 0)

  // Key matching ("Records"): bytes matched so far; false once the key cannot be "Records".
  var keyMatched = 0
  var keyCanMatch = true
  var keyEscapePending = false

  // Capture of the record being framed. Invariant: while `capturing`, the record started at
  // absolute `recordOffset`; `buffer` holds its bytes from earlier chunks (unless it is already
  // over the limit), `capturedLength` counts them all, and in the current chunk it continues
  // from `captureStart`.
  var capturing = false
  var captureStart = 0
  var recordOffset = 0
  var capturedLength = 0
  var buffer: [UInt8] = []

  static let recordsKey: [UInt8] = Array("Records".utf8)

  public init(limits: JSONLimits = .default) {
    self.limits = limits
  }

  /// Feeds the next chunk. Calls `onRecord` for each complete record and `onRecordError` for a
  /// record that cannot be used (over the size limit) while framing goes on. Throws a
  /// `JSONError` when the stream itself is broken; after that, the framer only rethrows it.
  /// Errors thrown by the callbacks propagate unchanged.
  public mutating func feed(
    _ chunk: UnsafeRawBufferPointer,
    onRecord: (Record) throws -> Void,
    onRecordError: (JSONError) throws -> Void
  ) throws {
    if case .failed(let error) = state { throw error }
    let n = chunk.count
    var i = 0
    if capturing { captureStart = 0 }
    do {
      while i < n {
        switch state {
        case .betweenValues:
          i = skipWhitespace(chunk, i)
          guard i < n else { break }
          let b = chunk[i]
          sawValue = true
          if b == ASCII.openBrace {
            startCapture(at: i)
            state = .firstKeyOrEnd
            i += 1
          } else if b == ASCII.openBracket {
            state = .elementOrEnd(.top)
            i += 1
          } else {
            throw JSONError(.shape, at: offset + i, "expected an object or an array of records, found \(ASCII.describe(b))")
          }

        case .firstKeyOrEnd, .nextKey:
          let first: Bool
          if case .firstKeyOrEnd = state { first = true } else { first = false }
          i = skipWhitespace(chunk, i)
          guard i < n else { break }
          let b = chunk[i]
          if b == ASCII.quote {
            keyMatched = 0
            keyCanMatch = true
            keyEscapePending = false
            state = .key(first: first)
            i += 1
          } else if b == ASCII.closeBrace && first {
            i += 1
            try finishCapture(chunk, end: i, onRecord, onRecordError)
            state = .betweenValues
          } else {
            throw syntax(chunk, i, expecting: "a string key")
          }

        case .key(let first):
          while i < n {
            let b = chunk[i]
            i += 1
            if keyEscapePending {
              keyEscapePending = false
            } else if b == ASCII.quote {
              state = .afterKey(first: first)
              break
            } else if b == ASCII.backslash {
              keyEscapePending = true
              keyCanMatch = false
            } else if b < 0x20 {
              throw JSONError(.syntax, at: offset + i - 1, "control character \(ASCII.describe(b)) in a string (it must be escaped)")
            } else if keyCanMatch && keyMatched < Self.recordsKey.count && b == Self.recordsKey[keyMatched] {
              keyMatched += 1
            } else {
              keyCanMatch = false
            }
          }

        case .afterKey(let first):
          i = skipWhitespace(chunk, i)
          guard i < n else { break }
          guard chunk[i] == ASCII.colon else { throw syntax(chunk, i, expecting: "':' after an object key") }
          state = .afterColon(first: first)
          i += 1

        case .afterColon(let first):
          i = skipWhitespace(chunk, i)
          guard i < n else { break }
          let isRecords = keyCanMatch && keyMatched == Self.recordsKey.count
          if isRecords && chunk[i] == ASCII.openBracket {
            if first { cancelCapture() }
            state = .elementOrEnd(.records)
            i += 1
          } else if first {
            skipper = ValueSkipper(insideContainerAtDepth: 1)
            state = .value(.topRecord)
          } else {
            skipper = ValueSkipper(startingWith: chunk[i])
            state = .value(.envelopeMember)
          }

        case .elementOrEnd(let kind), .element(let kind):
          var allowsEnd = false
          if case .elementOrEnd = state { allowsEnd = true }
          i = skipWhitespace(chunk, i)
          guard i < n else { break }
          let b = chunk[i]
          if b == ASCII.closeBracket && allowsEnd {
            i += 1
            state = kind == .top ? .betweenValues : .envelopeAfterMember
          } else if b == ASCII.closeBracket || b == ASCII.comma || b == ASCII.closeBrace || b == ASCII.colon {
            throw syntax(chunk, i, expecting: "a record")
          } else {
            startCapture(at: i)
            skipper = ValueSkipper(startingWith: b)
            state = .value(.arrayRecord(kind))
          }

        case .afterElement(let kind):
          i = skipWhitespace(chunk, i)
          guard i < n else { break }
          let b = chunk[i]
          if b == ASCII.comma {
            state = .element(kind)
          } else if b == ASCII.closeBracket {
            state = kind == .top ? .betweenValues : .envelopeAfterMember
          } else {
            throw syntax(chunk, i, expecting: "',' or ']' after a record")
          }
          i += 1

        case .value(let context):
          guard let end = skipper.advance(chunk, from: i) else {
            i = n
            break
          }
          i = end
          switch context {
          case .topRecord:
            try finishCapture(chunk, end: end, onRecord, onRecordError)
            state = .betweenValues
          case .arrayRecord(let kind):
            try finishCapture(chunk, end: end, onRecord, onRecordError)
            state = .afterElement(kind)
          case .envelopeMember:
            state = .envelopeAfterMember
          }

        case .envelopeAfterMember:
          i = skipWhitespace(chunk, i)
          guard i < n else { break }
          let b = chunk[i]
          if b == ASCII.comma {
            state = .nextKey
          } else if b == ASCII.closeBrace {
            state = .betweenValues
          } else {
            throw syntax(chunk, i, expecting: "',' or '}' after the Records array")
          }
          i += 1

        case .failed(let error):
          throw error
        }
      }
    } catch let error as JSONError {
      state = .failed(error)
      throw error
    }
    if capturing { stash(chunk, from: captureStart) }
    offset += n
  }

  /// Ends the stream: throws when it stops inside a value, or held no JSON at all.
  public mutating func finish() throws {
    let error: JSONError
    switch state {
    case .betweenValues:
      if sawValue { return }
      error = JSONError(.truncated, at: offset, offset == 0 ? "empty input, expected JSON" : "no JSON value in the input")
    case .failed(let failure):
      throw failure
    case .value(.topRecord), .value(.arrayRecord), .firstKeyOrEnd, .key(first: true), .afterKey(first: true), .afterColon(first: true):
      error = JSONError(.truncated, at: offset, "unexpected end of input inside the record that starts at byte \(recordOffset)")
    default:
      error = JSONError(.truncated, at: offset, "unexpected end of input, the array of records is not closed")
    }
    state = .failed(error)
    throw error
  }

  // MARK: Helpers

  @inline(__always)
  func skipWhitespace(_ chunk: UnsafeRawBufferPointer, _ start: Int) -> Int {
    var i = start
    while i < chunk.count && ASCII.isWhitespace(chunk[i]) { i += 1 }
    return i
  }

  func syntax(_ chunk: UnsafeRawBufferPointer, _ i: Int, expecting what: String) -> JSONError {
    JSONError(.syntax, at: offset + i, "expected \(what), found \(ASCII.describe(chunk[i]))")
  }

  mutating func startCapture(at i: Int) {
    capturing = true
    captureStart = i
    recordOffset = offset + i
    capturedLength = 0
    buffer.removeAll(keepingCapacity: true)
  }

  mutating func cancelCapture() {
    capturing = false
    buffer.removeAll(keepingCapacity: true)
  }

  /// Keeps the current chunk's part of the record for the next chunk, unless the record is
  /// already over the limit (then only its length is counted).
  mutating func stash(_ chunk: UnsafeRawBufferPointer, from start: Int) {
    let length = chunk.count - start
    capturedLength += length
    if capturedLength <= limits.maxRecordSize {
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
    } else {
      buffer.removeAll(keepingCapacity: true)
    }
  }

  mutating func finishCapture(
    _ chunk: UnsafeRawBufferPointer, end: Int,
    _ onRecord: (Record) throws -> Void, _ onRecordError: (JSONError) throws -> Void
  ) throws {
    capturing = false
    let length = capturedLength + (end - captureStart)
    guard length <= limits.maxRecordSize else {
      buffer.removeAll(keepingCapacity: true)
      try onRecordError(JSONError(
        .recordTooLarge, at: recordOffset,
        "record of \(length) bytes is larger than the limit of \(JSONLimits.describe(bytes: limits.maxRecordSize))"))
      return
    }
    recordCount += 1
    let tail = UnsafeRawBufferPointer(rebasing: chunk[captureStart..<end])
    if buffer.isEmpty {
      try onRecord(Record(bytes: tail, offset: recordOffset))
    } else {
      buffer.append(contentsOf: tail)
      defer { buffer.removeAll(keepingCapacity: true) }
      try buffer.withUnsafeBytes { try onRecord(Record(bytes: $0, offset: recordOffset)) }
    }
  }
}
