// libFuzzer target `framer`: the record framer sees every byte of every file before the parser
// does and keeps state across chunk boundaries, so its answer must not depend on how the stream
// is cut, and on valid JSON it must agree with the parser. Run it with scripts/fuzz.sh.
import TrailJSON

/// What the framer reported, in order.
enum Event: Equatable {
  case record(offset: Int, bytes: [UInt8])
  case recordError(JSONError)
}

struct Outcome: Equatable {
  var events: [Event] = []
  var fatal: JSONError?
  var recordCount = 0
}

func frame(_ chunks: [ArraySlice<UInt8>], limits: JSONLimits) -> Outcome {
  var framer = RecordFramer(limits: limits)
  var out = Outcome()
  var fed = 0
  do {
    for chunk in chunks {
      try chunk.withUnsafeBytes { raw in
        try framer.feed(
          raw,
          onRecord: { record in
            out.events.append(.record(offset: record.offset, bytes: Array(record.bytes)))
          }, onRecordError: { out.events.append(.recordError($0)) })
      }
      fed += chunk.count
      check(framer.offset == fed, "framer offset \(framer.offset) after \(fed) bytes")
    }
    try framer.finish()
  } catch let error as JSONError {
    out.fatal = error
    // A broken stream stays broken with the same error.
    do {
      try [UInt8]("{}".utf8).withUnsafeBytes { raw in
        try framer.feed(
          raw, onRecord: { _ in fatalError("a record after a fatal error") },
          onRecordError: { _ in fatalError("a record error after a fatal error") })
      }
      fatalError("feeding after a fatal error did not throw")
    } catch let again as JSONError {
      check(again == error, "after \(error), feeding threw \(again)")
    } catch {
      fatalError("unexpected error \(error)")
    }
  } catch {
    fatalError("unexpected error \(error)")
  }
  out.recordCount = framer.recordCount
  return out
}

/// Cuts `input` into chunks whose sizes cycle through `sizes`.
func split(_ input: [UInt8], _ sizes: [Int]) -> [ArraySlice<UInt8>] {
  var chunks: [ArraySlice<UInt8>] = []
  var start = 0
  var k = 0
  while start < input.count {
    let end = min(input.count, start + sizes[k % sizes.count])
    chunks.append(input[start..<end])  // empty chunks are fed too
    start = end
    k += 1
  }
  return chunks
}

/// Whether the framer treats an array under key `key` as records (the envelope key names are
/// the framer's design; the oracle asks it once per key, spelled plainly).
nonisolated(unsafe) var envelopeKeyCache: [String: Bool] = [:]
func isEnvelopeKey(_ key: String) -> Bool {
  if let known = envelopeKeyCache[key] { return known }
  var probe = Array("{".utf8)
  JSONWriter.appendString(key, to: &probe)
  probe += Array(":[0]}".utf8)
  let out = frame([probe[...]], limits: .default)
  let answer = out.fatal == nil && out.events == [.record(offset: probe.count - 3, bytes: Array("0".utf8))]
  if envelopeKeyCache.count < 10_000 { envelopeKeyCache[key] = answer }
  return answer
}

/// What the framer must report for a stream holding one valid JSON text: records with their
/// offsets, or nil when the text is a scalar (a fatal `shape` error).
func expectedRecords(_ document: JSONDocument) -> [Event]? {
  let root = document.root
  func record(_ value: JSONValue) -> Event { .record(offset: value.offset, bytes: Array(value.jsonText)) }
  switch root.kind {
  case .array:
    return root.elements.map(record)
  case .object:
    let members = root.members
    guard let first = members.first, first.value.kind == .array, isEnvelopeKey(first.key) else { return [record(root)] }
    return members.filter { $0.value.kind == .array && isEnvelopeKey($0.key) }.flatMap { $0.value.elements.map(record) }
  default:
    return nil
  }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  // Chunk sizes from the first bytes: 0 to 63, or a larger read now and then.
  var sizes = input.prefix(4).map { $0 >= 0xF0 ? 1000 : Int($0 & 0x3F) }
  if sizes.allSatisfy({ $0 == 0 }) { sizes.append(1) }

  let small = JSONLimits(maxRecordSize: 64, maxDepth: 8)
  var wholeDefault = Outcome()
  for limits in [JSONLimits.default, small] {
    let whole = frame([input[...]], limits: limits)
    if limits == .default { wholeDefault = whole }
    let chunked = frame(split(input, sizes), limits: limits)
    check(whole == chunked, "chunks \(sizes) changed the outcome:\n whole   \(whole)\n chunked \(chunked)")
    if size <= 512 {
      let bytewise = frame(split(input, [1]), limits: limits)
      check(whole == bytewise, "one-byte chunks changed the outcome:\n whole    \(whole)\n bytewise \(bytewise)")
    }

    var records = 0
    var lastOffset = -1
    for event in whole.events {
      switch event {
      case .record(let offset, let bytes):
        records += 1
        check(offset > lastOffset, "record offsets do not increase")
        lastOffset = offset
        check(bytes.count <= limits.maxRecordSize, "a record of \(bytes.count) bytes passed the limit")
        check(
          !bytes.isEmpty && offset + bytes.count <= size && input[offset..<offset + bytes.count].elementsEqual(bytes),
          "record at \(offset) is not the input's bytes there")
      case .recordError(let error):
        check(error.kind == .recordTooLarge, "record error of kind \(error.kind)")
        check(error.offset > lastOffset && error.offset < size, "record error offset \(error.offset)")
        lastOffset = error.offset
      }
    }
    check(records == whole.recordCount, "recordCount \(whole.recordCount) but \(records) records")
    if let fatal = whole.fatal {
      check(fatal.offset >= 0 && fatal.offset <= size, "fatal offset \(fatal.offset) outside \(size) bytes")
    }
  }

  // On one valid JSON text the framer agrees with the parser.
  if let document = try? JSONDocument(parsing: input) {
    if let expected = expectedRecords(document) {
      check(
        wholeDefault.fatal == nil && wholeDefault.events == expected,
        "framer and parser disagree:\n framer \(wholeDefault)\n parser \(expected)")
      // Texts one after another (NDJSON, concatenated envelopes) give their records in turn.
      let bom = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
      let second = input.count + 1 - bom
      let doubled = frame(split(input + [0x0A] + input[bom...], sizes), limits: .default)
      let shifted = expected.map { event -> Event in
        guard case .record(let offset, let bytes) = event else { return event }
        return .record(offset: offset + second, bytes: bytes)
      }
      check(
        doubled.fatal == nil && doubled.events == expected + shifted,
        "a text twice is not its records twice:\n once  \(wholeDefault)\n twice \(doubled)")
    } else {
      check(wholeDefault.fatal?.kind == .shape, "a scalar text framed as \(wholeDefault)")
    }
  }
  return 0
}

@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
