// Splits a stream of JSON bytes, delivered in chunks of any size, into records: the elements of
// an envelope's array (`{"Records":[…]}` of CloudTrail's S3 files, `{"Events":[…]}` of
// lookup-events, `{"events":[…]}` of CloudWatch Logs' get/filter-log-events), the elements of a
// top-level array, or top-level objects one after another (NDJSON). Memory is bounded by the
// largest record. (The framer knows only these key names; what a record holds is for the reader.)
//
// States, for `{"Records":[{…},{…}],"other":…}`:
//
//   betweenValues ─'{'─▶ firstKeyOrEnd ─'"'─▶ firstKey ─'"'─▶ afterFirstKey ─':'─▶ afterFirstColon
//   afterFirstColon: the key was "Records" and '[' follows ─▶ element(records)  (an envelope)
//                    anything else ─▶ value(topRecord)    (the '{' is itself a record: keep capturing)
//   element ─value─▶ value(arrayRecord) ─end─▶ afterElement ─','─▶ element, ─']'─▶ envelopeAfterMember
//   envelopeAfterMember ─','─▶ envelopeKey ─▶ value(envelopeKey) ─▶ envelopeAfterKey ─':'─▶
//     envelopeAfterColon ─▶ element(records) for another "Records" array, else value(envelopeValue)
//   envelopeAfterMember ─'}'─▶ betweenValues
//
// A top-level '[' goes straight to element(top). Inside a record only its extent is tracked
// (ValueSkipper); the parser checks the rest, so a bad record is skipped and framing goes on. The
// first key of a top-level object is matched against "Records" as it streams (escapes decoded),
// and any problem in it is left to the parser too, since the object may be a record. Envelope
// members other than records (later keys, other values) are gathered, bounded like records, and
// checked by the parser: bytes outside records are held to RFC 8259 as strictly as records are.

/// Frames records out of a chunked JSON stream.
public struct RecordFramer {
  /// Thrown by an `onRecord` handler whose record does not parse while a record start follows
  /// inside its bytes: the record was damaged and swallowed the records after it. The framer
  /// reports the damaged span (with `error`'s reason) and frames again from that start.
  public struct Resynchronize: Error {
    /// Why the record did not parse.
    public var error: JSONError
    /// The key records start with, to find the next one.
    public var firstKey: [UInt8]
    /// A request to frame again after the damaged record.
    public init(error: JSONError, firstKey: [UInt8]) {
      self.error = error
      self.firstKey = firstKey
    }
  }

  /// One framed record: its bytes (valid only during the callback) and where it starts.
  public struct Record {
    /// The record's JSON text, from its first byte. It points into the
    /// framer's buffer or the fed chunk: copy it to keep it beyond the `onRecord` call.
    public let bytes: UnsafeRawBufferPointer
    /// Absolute offset of the record's first byte in the stream.
    public let offset: Int
    /// The record's structural index when the framer built it while finding the record's end
    /// (`StructuralIndex.buildValue`); `JSONDocument.parse(_:limits:keeping:)` then starts at
    /// stage 2. Valid only during the callback.
    var index: RecordIndex? = nil

    /// Whether the framer indexed the record as it framed it (for tests).
    @_spi(Testing) public var isIndexed: Bool { index != nil }

    /// A record of `bytes` starting at stream offset `offset` (records framed earlier and
    /// copied, read elsewhere).
    public init(bytes: UnsafeRawBufferPointer, offset: Int) {
      self.bytes = bytes
      self.offset = offset
    }

    init(bytes: UnsafeRawBufferPointer, offset: Int, index: RecordIndex?) {
      self.bytes = bytes
      self.offset = offset
      self.index = index
    }
  }

  enum ArrayKind { case top, records }
  enum ValueContext {
    case topRecord
    case arrayRecord(ArrayKind)
    case envelopeKey, envelopeValue
  }
  enum State {
    case byteOrderMark(matched: Int)
    case betweenValues
    case firstKeyOrEnd
    case firstKey
    case afterFirstKey
    case afterFirstColon
    case elementOrEnd(ArrayKind)
    case element(ArrayKind)
    case afterElement(ArrayKind)
    case value(ValueContext)
    case envelopeAfterMember
    case envelopeKey
    case envelopeAfterKey
    case envelopeAfterColon
    /// Bytes between records that are not a record, from the absolute offset given: skipped
    /// up to the next `{` (a record) or `]`.
    case skipping(ArrayKind, from: Int)
    case failed(JSONError)
  }

  /// Decoding of a `\` escape inside the first key, for matching the envelope keys.
  enum KeyEscape {
    case none, backslash
    case unicode(digits: Int, value: UInt32)
  }

  /// The bounds applied: a record over `maxRecordSize` goes to `onRecordError`, envelope members
  /// are held to the same size and to `maxDepth`.
  public let limits: JSONLimits
  /// Absolute offset of the next byte to be fed (the number of bytes fed so far).
  public private(set) var offset = 0
  /// Records handed to `onRecord` so far.
  public private(set) var recordCount = 0

  var state = State.byteOrderMark(matched: 0)
  /// The key records of this stream start with, learned from the first one (CloudTrail's
  /// `eventVersion` until then): how a record start is found again after damage.
  var recordFirstKey: [UInt8]?
  /// A capture inside an array that went over the size limit: its bytes so far and where they
  /// start, to look for the records it swallowed once the chunk is done.
  var pendingResync: (bytes: [UInt8], offset: Int, context: ValueContext)?
  var sawValue = false
  var skipper = ValueSkipper(insideContainerAtDepth: 0)
  /// Records are scanned byte by byte (`ValueSkipper.scalarOnly`), for differential tests.
  var scalarScanning = false
  /// Records are indexed as they are framed (stage 1 of the parser in the same pass), for a
  /// caller that parses them in the callback. Off for a caller that copies records to parse
  /// them elsewhere (the index would be lost): the end is then found by `ValueSkipper` alone.
  public var indexesRecords = true

  // Matching the first key against the envelope keys: characters matched so far, and which
  // keys (bits of `envelopeKeys`) the key can still be.
  var keyMatched = 0
  var keyCandidates: UInt8 = RecordFramer.allEnvelopeKeys
  var keyEscape = KeyEscape.none
  /// The envelope key just read was "Records".
  var memberIsRecords = false

  // Capture of the record (or envelope member) being framed. Invariant: while `capturing`, it
  // started at absolute `captureOffset`; `buffer` holds its bytes from earlier chunks (unless it
  // is already over the limit), `capturedLength` counts them all, and in the current chunk it
  // continues from `captureStart`.
  var capturing = false
  var captureStart = 0
  var captureOffset = 0
  var capturedLength = 0
  var buffer: [UInt8] = []
  /// Tape scratch for checking envelope members.
  var scratchNodes: [JSONNode] = []
  /// Where records of an array are indexed as their end is found (created on first use).
  var indexScratch: RecordIndexScratch?
  /// Entries of `indexScratch` that index the record being finished, if it was indexed.
  var indexedCount: Int?

  /// Keys of a top-level object whose array value holds records (the object is an envelope
  /// when one of them is its first key).
  public static let envelopeKeys = ["Records", "Events", "events"]
  static let envelopeKeyBytes: [[UInt8]] = envelopeKeys.map { Array($0.utf8) }
  static let allEnvelopeKeys: UInt8 = (1 << UInt8(envelopeKeys.count)) - 1

  /// The first key matched one envelope key exactly.
  var firstKeyIsEnvelope: Bool {
    Self.envelopeKeyBytes.indices.contains {
      keyCandidates & (1 << UInt8($0)) != 0 && Self.envelopeKeyBytes[$0].count == keyMatched
    }
  }

  /// A framer at the start of a stream; a leading UTF-8 byte order mark is skipped.
  public init(limits: JSONLimits = .default) {
    self.limits = limits
  }

  /// A framer that finds where records end byte by byte (`scalarScanning`) instead of 64 bytes
  /// at a time: the reference the block scan is tested and fuzzed against. Same answers, slower.
  @_spi(Testing) public init(limits: JSONLimits = .default, scalarScanning: Bool) {
    self.limits = limits
    self.scalarScanning = scalarScanning
  }

  /// Feeds the next chunk. Calls `onRecord` for each complete record and `onRecordError` for a
  /// record that cannot be used (over the size limit) while framing goes on. Throws a
  /// `JSONError` when the stream itself is broken; after that, the framer only rethrows it.
  /// Errors thrown by the callbacks propagate unchanged (and do not mark the stream broken); the
  /// caller is expected to stop feeding after one.
  public mutating func feed(
    _ chunk: UnsafeRawBufferPointer,
    onRecord: (Record) throws -> Void,
    onRecordError: (JSONError) throws -> Void
  ) throws {
    if case .failed(let error) = state { throw error }
    let n = chunk.count
    var i = 0
    if capturing { captureStart = 0 }
    while i < n {
      switch state {
      case .byteOrderMark(let matched):
        // A UTF-8 byte order mark at the very start is skipped, as the parser does.
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        if chunk[i] == mark[matched] {
          i += 1
          state = matched == 2 ? .betweenValues : .byteOrderMark(matched: matched + 1)
        } else if matched == 0 {
          state = .betweenValues
        } else {
          throw fail(JSONError(.encoding, at: offset + i, "invalid UTF-8 byte order mark"))
        }

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
        } else if b == ASCII.quote || b == ASCII.minus || ASCII.isDigit(b) || b == 0x74 || b == 0x66 || b == 0x6E {
          throw fail(
            JSONError(.shape, at: offset + i, "expected an object or an array of records, found a scalar value"))
        } else {
          throw fail(
            JSONError(.syntax, at: offset + i, "expected an object or an array of records, found \(ASCII.describe(b))"))
        }

      case .firstKeyOrEnd:
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        if chunk[i] == ASCII.quote {
          keyMatched = 0
          keyCandidates = Self.allEnvelopeKeys
          keyEscape = .none
          state = .firstKey
          i += 1
        } else {
          // `{}` or a malformed object: a record either way; the parser judges it.
          becomeTopRecord()
        }

      case .firstKey:
        while i < n {
          let b = chunk[i]
          i += 1
          switch keyEscape {
          case .backslash:
            if b == 0x75 {
              keyEscape = .unicode(digits: 0, value: 0)
            } else {
              keyCandidates = 0  // \" \\ \/ \b … never spell a letter of an envelope key
              keyEscape = .none
            }
            continue
          case .unicode(let digits, let value):
            if let h = ASCII.hexValue(b) {
              if digits == 3 {
                matchKeyCharacter(value << 4 | h)
                keyEscape = .none
              } else {
                keyEscape = .unicode(digits: digits + 1, value: value << 4 | h)
              }
            } else {
              keyCandidates = 0
              keyEscape = .none
            }
            continue
          case .none:
            break
          }
          if b == ASCII.quote {
            state = .afterFirstKey
            break
          } else if b == ASCII.backslash {
            keyEscape = .backslash
          } else {
            matchKeyCharacter(UInt32(b))
          }
        }

      case .afterFirstKey:
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        if chunk[i] == ASCII.colon {
          state = .afterFirstColon
          i += 1
        } else {
          becomeTopRecord()
        }

      case .afterFirstColon:
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        if firstKeyIsEnvelope && chunk[i] == ASCII.openBracket {
          cancelCapture()
          state = .elementOrEnd(.records)
          i += 1
        } else {
          becomeTopRecord()
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
        } else if b == ASCII.closeBracket {
          // `[…,]`: a trailing comma; the records before it are whole.
          try onRecordError(
            JSONError(.syntax, at: offset + i, "expected a record after ',', found ']' (a trailing comma)"))
          i += 1
          state = kind == .top ? .betweenValues : .envelopeAfterMember
        } else if !Self.startsValue(b) {
          state = .skipping(kind, from: offset + i)
        } else {
          startCapture(at: i)
          if b == ASCII.openBrace && !scalarScanning && indexesRecords, let end = indexRecord(chunk, from: i) {
            // Found its end and indexed it in one pass; from here on as in `.value` below.
            let context = ValueContext.arrayRecord(kind)
            let damaged = try finishRecord(chunk, end: end, onRecord, onRecordError)
            state = Self.stateAfterRecord(context)
            i = end
            if let damaged {
              try resynchronize(
                damaged.bytes, at: damaged.start, context: context, firstKey: damaged.request.firstKey,
                cause: damaged.request.error, onRecord, onRecordError)
              if capturing { captureStart = end }
            }
          } else {
            skipper = ValueSkipper(startingWith: b, scalarOnly: scalarScanning)
            state = .value(.arrayRecord(kind))
          }
        }

      case .afterElement(let kind):
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        let b = chunk[i]
        if b == ASCII.comma {
          state = .element(kind)
          i += 1
        } else if b == ASCII.closeBracket {
          state = kind == .top ? .betweenValues : .envelopeAfterMember
          i += 1
        } else if b == ASCII.openBrace {
          // Two records without a comma between them: both are whole; say so and read on.
          try onRecordError(JSONError(.syntax, at: offset + i, "missing ',' between records (before this record)"))
          state = .element(kind)
        } else {
          state = .skipping(kind, from: offset + i)
        }

      case .skipping(let kind, let from):
        while i < n && chunk[i] != ASCII.openBrace && chunk[i] != ASCII.closeBracket { i += 1 }
        guard i < n else { break }
        try onRecordError(
          JSONError(
            .syntax, at: from,
            "bytes \(from)–\(offset + i - 1) between records are not a record (\(ASCII.describe(firstSkipped(chunk, i, from)))…); skipped to the next record"
          ))
        if chunk[i] == ASCII.openBrace {
          state = .element(kind)
        } else {
          i += 1
          state = kind == .top ? .betweenValues : .envelopeAfterMember
        }

      case .value(let context):
        guard let end = skipper.advance(chunk, from: i) else {
          i = n
          break
        }
        i = end
        switch context {
        case .topRecord, .arrayRecord:
          let damaged = try finishRecord(chunk, end: end, onRecord, onRecordError)
          state = Self.stateAfterRecord(context)
          if let damaged {
            // Frame the damaged record's bytes again from the record start inside them; what
            // follows `end` in this chunk goes on from the state that leaves.
            try resynchronize(
              damaged.bytes, at: damaged.start, context: context, firstKey: damaged.request.firstKey,
              cause: damaged.request.error, onRecord, onRecordError)
            if capturing { captureStart = end }
          }
        case .envelopeKey:
          let key = try finishMember(chunk, end: end, what: "key")
          memberIsRecords = key.map(Self.envelopeKeys.contains) ?? false
          state = .envelopeAfterKey
        case .envelopeValue:
          _ = try finishMember(chunk, end: end, what: "value")
          state = .envelopeAfterMember
        }

      case .envelopeAfterMember:
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        let b = chunk[i]
        if b == ASCII.comma {
          state = .envelopeKey
        } else if b == ASCII.closeBrace {
          state = .betweenValues
        } else {
          throw fail(syntax(chunk, i, expecting: "',' or '}' after the Records array"))
        }
        i += 1

      case .envelopeKey:
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        guard chunk[i] == ASCII.quote else { throw fail(syntax(chunk, i, expecting: "a string key")) }
        startCapture(at: i)
        skipper = ValueSkipper(startingWith: ASCII.quote, scalarOnly: scalarScanning)
        state = .value(.envelopeKey)

      case .envelopeAfterKey:
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        guard chunk[i] == ASCII.colon else { throw fail(syntax(chunk, i, expecting: "':' after an object key")) }
        state = .envelopeAfterColon
        i += 1

      case .envelopeAfterColon:
        i = skipWhitespace(chunk, i)
        guard i < n else { break }
        if memberIsRecords && chunk[i] == ASCII.openBracket {
          // Another "Records" array: its elements are records too.
          state = .elementOrEnd(.records)
          i += 1
        } else {
          startCapture(at: i)
          skipper = ValueSkipper(startingWith: chunk[i], scalarOnly: scalarScanning)
          state = .value(.envelopeValue)
        }

      case .failed(let error):
        throw error
      }
    }
    if capturing { stash(chunk, from: captureStart) }
    offset += n
    if let pending = pendingResync {
      pendingResync = nil
      try resynchronize(pending.bytes, at: pending.offset, context: pending.context, onRecord, onRecordError)
    }
  }

  /// A record went on past the size limit or the end of the input, or did not parse: if a
  /// record start follows its own start in `bytes` (its bytes from absolute offset `start` on),
  /// it was damaged and swallowed what came after. Reports the damaged span and frames again
  /// from that start, so the records after it are kept. Returns false when no record start
  /// follows (a record that is simply too long, or cut at the very end).
  @discardableResult
  mutating func resynchronize(
    _ bytes: [UInt8], at start: Int, context: ValueContext, firstKey: [UInt8]? = nil, cause: JSONError? = nil,
    _ onRecord: (Record) throws -> Void, _ onRecordError: (JSONError) throws -> Void
  ) throws -> Bool {
    let key = firstKey ?? recordFirstKey ?? RecordRecovery.defaultFirstKey
    guard let next = bytes.withUnsafeBytes({ RecordRecovery.nextStart($0, after: 0, firstKey: key) }) else {
      return false
    }
    let why = cause.map { "\($0.reason) at byte \($0.offset)" } ?? "it does not end before the next record starts"
    try onRecordError(
      JSONError(
        .syntax, at: start,
        "bytes \(start)–\(start + next - 1) are a damaged record (\(why)); the records after it are kept"))
    capturing = false
    buffer.removeAll(keepingCapacity: true)
    capturedLength = 0
    state = Self.stateBeforeRecord(context)
    let resumeAt = offset
    offset = start + next
    try bytes.withUnsafeBytes { all in
      try feed(UnsafeRawBufferPointer(rebasing: all[next...]), onRecord: onRecord, onRecordError: onRecordError)
    }
    offset = resumeAt
    return true
  }

  /// Whether values of `context` are records (not envelope members).
  static func isRecord(_ context: ValueContext) -> Bool {
    switch context {
    case .topRecord, .arrayRecord: return true
    case .envelopeKey, .envelopeValue: return false
    }
  }

  /// Where framing stands just before a record of `context`.
  static func stateBeforeRecord(_ context: ValueContext) -> State {
    if case .arrayRecord(let kind) = context { return .element(kind) }
    return .betweenValues
  }

  /// Where framing stands just after a record of `context`.
  static func stateAfterRecord(_ context: ValueContext) -> State {
    if case .arrayRecord(let kind) = context { return .afterElement(kind) }
    return .betweenValues
  }

  /// Whether `b` can start a JSON value (anything else between records is skipped).
  static func startsValue(_ b: UInt8) -> Bool {
    b == ASCII.openBrace || b == ASCII.openBracket || b == ASCII.quote || b == ASCII.minus || ASCII.isDigit(b)
      || b == 0x74 || b == 0x66 || b == 0x6E
  }

  /// The first byte skipped between records (for the message).
  func firstSkipped(_ chunk: UnsafeRawBufferPointer, _ i: Int, _ from: Int) -> UInt8 {
    let local = from - offset
    return local >= 0 && local < chunk.count ? chunk[local] : chunk[i]
  }

  /// Ends the stream: throws when it stops inside a value, or held no JSON at all.
  public mutating func finish() throws {
    try finish(onRecord: { _ in }, onRecordError: { _ in })
  }

  /// Ends the stream, first recovering the whole records that a damaged record at the end of an
  /// array swallowed (passed to `onRecord`, the damage to `onRecordError`); then throws as
  /// `finish()` does when the stream stops inside a value.
  public mutating func finish(onRecord: (Record) throws -> Void, onRecordError: (JSONError) throws -> Void) throws {
    // Each pass consumes at least one byte of the held record, so this ends.
    while case .value(let context) = state, Self.isRecord(context), capturing,
      capturedLength <= limits.maxRecordSize, !buffer.isEmpty
    {
      let held = buffer
      guard try resynchronize(held, at: captureOffset, context: context, onRecord, onRecordError) else { break }
    }
    switch state {
    case .betweenValues, .byteOrderMark(matched: 0):
      if sawValue { return }
      throw fail(
        JSONError(.truncated, at: offset, offset == 0 ? "empty input, expected JSON" : "no JSON value in the input"))
    case .failed(let failure):
      throw failure
    case .value(.topRecord), .value(.arrayRecord), .firstKeyOrEnd, .firstKey, .afterFirstKey, .afterFirstColon:
      throw fail(
        JSONError(
          .truncated, at: offset, "unexpected end of input inside the record that starts at byte \(captureOffset)"))
    default:
      throw fail(JSONError(.truncated, at: offset, "unexpected end of input, the array of records is not closed"))
    }
  }

  // MARK: Helpers

  /// Marks the stream broken; every later call rethrows `error`.
  mutating func fail(_ error: JSONError) -> JSONError {
    state = .failed(error)
    capturing = false
    buffer.removeAll(keepingCapacity: true)
    return error
  }

  @inline(__always)
  func skipWhitespace(_ chunk: UnsafeRawBufferPointer, _ start: Int) -> Int {
    var i = start
    while i < chunk.count && ASCII.isWhitespace(chunk[i]) { i += 1 }
    return i
  }

  func syntax(_ chunk: UnsafeRawBufferPointer, _ i: Int, expecting what: String) -> JSONError {
    JSONError(.syntax, at: offset + i, "expected \(what), found \(ASCII.describe(chunk[i]))")
  }

  mutating func matchKeyCharacter(_ c: UInt32) {
    for (k, key) in Self.envelopeKeyBytes.enumerated() where keyCandidates & (1 << UInt8(k)) != 0 {
      if keyMatched >= key.count || c != UInt32(key[keyMatched]) { keyCandidates &= ~(1 << UInt8(k)) }
    }
    keyMatched += 1
  }

  /// The top-level object being captured is a record: scan on to its end (we are inside it, at
  /// depth 1, outside any string).
  mutating func becomeTopRecord() {
    skipper = ValueSkipper(insideContainerAtDepth: 1, scalarOnly: scalarScanning)
    state = .value(.topRecord)
  }

  mutating func startCapture(at i: Int) {
    capturing = true
    captureStart = i
    captureOffset = offset + i
    capturedLength = 0
    buffer.removeAll(keepingCapacity: true)
  }

  mutating func cancelCapture() {
    capturing = false
    buffer.removeAll(keepingCapacity: true)
  }

  /// Keeps the current chunk's part of the capture for the next chunk, unless it is already
  /// over the limit (then only its length is counted).
  mutating func stash(_ chunk: UnsafeRawBufferPointer, from start: Int) {
    let length = chunk.count - start
    let wasWithinLimit = capturedLength <= limits.maxRecordSize
    capturedLength += length
    if capturedLength <= limits.maxRecordSize {
      buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
    } else {
      if wasWithinLimit, case .value(let context) = state, Self.isRecord(context) {
        // Over the limit: a damaged record may have swallowed the records after it. Look once,
        // when the chunk is done.
        var held = buffer
        held.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[start...]))
        pendingResync = (held, captureOffset, context)
      }
      buffer.removeAll(keepingCapacity: true)
    }
  }

  /// Indexes the record that starts at `chunk[i]` (a `{`) while finding its end, which it
  /// returns when the record ends in this chunk within the size limit and stage 1 takes it
  /// whole; `finishRecord` then hands the index on with the record. Nil otherwise: the byte
  /// loops (`ValueSkipper`) then find the end as for any value, with the same answers.
  mutating func indexRecord(_ chunk: UnsafeRawBufferPointer, from i: Int) -> Int? {
    let scratch: RecordIndexScratch
    if let existing = indexScratch {
      scratch = existing
    } else {
      scratch = RecordIndexScratch()
      indexScratch = scratch
    }
    let available = chunk.count - i
    let upTo = available > limits.maxRecordSize ? i + limits.maxRecordSize + 1 : chunk.count
    let bytes = UnsafeRawBufferPointer(rebasing: chunk[i..<upTo])
    while true {
      scratch.escapes.removeAll(keepingCapacity: true)
      let found = StructuralIndex.buildValue(bytes, into: scratch.positions, escapes: &scratch.escapes)
      switch found {
      case .value(let count, let end):
        indexedCount = count
        return i + end
      case .needsRoom:
        scratch.grow()
      case .incomplete, .unknown:
        return nil
      }
    }
  }

  /// Calls `body` with the whole captured value ending at `end` in `chunk`, or returns its
  /// length when it is over the size limit.
  mutating func withCapture<T>(
    _ chunk: UnsafeRawBufferPointer, end: Int, _ body: (UnsafeRawBufferPointer) throws -> T
  ) throws -> (length: Int, result: T?) {
    capturing = false
    let length = capturedLength + (end - captureStart)
    defer { buffer.removeAll(keepingCapacity: true) }
    guard length <= limits.maxRecordSize else { return (length, nil) }
    let tail = UnsafeRawBufferPointer(rebasing: chunk[captureStart..<end])
    if buffer.isEmpty { return (length, try body(tail)) }
    buffer.append(contentsOf: tail)
    return (length, try buffer.withUnsafeBytes { try body($0) })
  }

  /// What became of a framed record in its handler.
  enum RecordOutcome {
    /// Handled; the first key of the stream's first record, once.
    case handled(firstKey: [UInt8]?)
    /// The handler asked to frame the record's bytes again.
    case damaged([UInt8], Resynchronize)
  }

  /// Hands the record ending at `end` to `onRecord`; returns its bytes when the handler asks to
  /// resynchronize (a damaged record).
  mutating func finishRecord(
    _ chunk: UnsafeRawBufferPointer, end: Int,
    _ onRecord: (Record) throws -> Void, _ onRecordError: (JSONError) throws -> Void
  ) throws -> (bytes: [UInt8], start: Int, request: Resynchronize)? {
    let start = captureOffset
    let learn = recordFirstKey == nil
    let index = indexedCount.flatMap { count in indexScratch.map { RecordIndex(scratch: $0, count: count) } }
    indexedCount = nil
    let (length, outcome) = try withCapture(chunk, end: end) { bytes -> RecordOutcome in
      do {
        try onRecord(Record(bytes: bytes, offset: start, index: index))
      } catch let request as Resynchronize {
        return .damaged(Array(bytes), request)
      }
      return learn ? .handled(firstKey: Self.firstKey(of: bytes)) : .handled(firstKey: nil)
    }
    switch outcome {
    case .damaged(let bytes, let request)?: return (bytes, start, request)
    case .handled(let key?)?: recordFirstKey = key
    default: break
    }
    if outcome == nil {
      try onRecordError(
        JSONError(
          .recordTooLarge, at: start,
          "record of \(length) bytes is larger than the limit of \(JSONLimits.describe(bytes: limits.maxRecordSize))"))
    } else {
      recordCount += 1
    }
    return nil
  }

  /// The first key of a record written `{"key":…` (no escapes), if it has one.
  static func firstKey(of bytes: UnsafeRawBufferPointer) -> [UInt8]? {
    var i = 0
    while i < bytes.count && ASCII.isWhitespace(bytes[i]) { i += 1 }
    guard i < bytes.count, bytes[i] == ASCII.openBrace else { return nil }
    i += 1
    while i < bytes.count && ASCII.isWhitespace(bytes[i]) { i += 1 }
    guard i < bytes.count, bytes[i] == ASCII.quote else { return nil }
    let start = i + 1
    var end = start
    while end < bytes.count && bytes[end] != ASCII.quote && bytes[end] != ASCII.backslash { end += 1 }
    guard end < bytes.count, bytes[end] == ASCII.quote, end > start else { return nil }
    return Array(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
  }

  /// Checks an envelope member (a key or a value beside the Records array) with the parser;
  /// returns the decoded text when it is a string.
  mutating func finishMember(_ chunk: UnsafeRawBufferPointer, end: Int, what: String) throws -> String? {
    let start = captureOffset
    var nodes = scratchNodes
    defer { scratchNodes = nodes }
    let maxDepth = limits.maxDepth
    let (length, outcome) = try withCapture(chunk, end: end) { bytes -> Result<String?, JSONError> in
      var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
      do throws(JSONError) {
        try parser.parseDocument(into: &nodes)
      } catch {
        return .failure(error.shifted(by: start))
      }
      guard nodes.count == 1, nodes[0].kind == .string else { return .success(nil) }
      let text = UnsafeBufferPointer(
        rebasing: bytes.bindMemory(to: UInt8.self)[Int(nodes[0].start)..<Int(nodes[0].end)])
      return .success(nodes[0].flag ? StringUnescaper.unescape(text) : String(decoding: text, as: UTF8.self))
    }
    switch outcome {
    case nil:
      throw fail(
        JSONError(
          .recordTooLarge, at: start,
          "envelope \(what) of \(length) bytes is larger than the limit of \(JSONLimits.describe(bytes: limits.maxRecordSize))"
        ))
    case .failure(let error)?:
      throw fail(error)
    case .success(let text)?:
      return text
    }
  }
}

/// The structural index of a framed record, in the framer's scratch (`RecordFramer.Record`).
struct RecordIndex {
  let scratch: RecordIndexScratch
  /// Entries of `scratch.positions` that index the record.
  let count: Int
}

/// A framer's buffers for indexing records as it frames them, reused from record to record.
final class RecordIndexScratch {
  /// Room for the entries of records up to about 50 KB at first; doubled when a record needs
  /// more. Not initialized: only entries stage 1 wrote are read.
  var positions = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 16_384 + StructuralIndex.slack)
  var escapes: [UInt32] = []

  deinit { positions.deallocate() }

  /// Twice the room.
  func grow() {
    let count = positions.count
    positions.deallocate()
    positions = .allocate(capacity: 2 * count)
  }
}
