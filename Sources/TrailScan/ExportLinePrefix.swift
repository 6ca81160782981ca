// CloudWatch Logs export files hold one log event per line as `TIMESTAMP MESSAGE`
// (`2024-05-14T09:12:33.000Z {"eventVersion":…}`). Overwriting each line's timestamp with spaces
// leaves plain JSON values one after another, which the framer already reads, and keeps every
// byte offset pointing at the same byte of the file. A line that does not start with a
// timestamp is passed on unchanged (a message that spans lines continues there).

/// Blanks the timestamp prefix of each line, across chunk boundaries.
struct ExportLinePrefix {
  /// Bytes held back because the chunk ended inside what may be a prefix.
  var pending: [UInt8] = []
  var atLineStart = true
  var scratch: [UInt8] = []

  /// The longest prefix: `YYYY-MM-DDTHH:MM:SS.fffffffffZ ` (fraction up to 9 digits).
  static let longest = 31

  /// Passes `chunk` on (through `emit`) with prefixes blanked; may hold back a short tail.
  mutating func process(_ chunk: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: pending)
    scratch.append(contentsOf: chunk)
    pending.removeAll(keepingCapacity: true)
    var i = 0
    var holdFrom: Int?
    let n = scratch.count
    while i < n {
      if atLineStart {
        atLineStart = false
        switch Self.prefixLength(scratch, from: i) {
        case .length(let length):
          for k in i..<(i + length) { scratch[k] = 0x20 }
          i += length
          continue
        case .undecided:
          holdFrom = i
          i = n
          continue
        case .none:
          break
        }
      }
      if scratch[i] == 0x0A { atLineStart = true }
      i += 1
    }
    let end = holdFrom ?? n
    if let hold = holdFrom {
      pending.append(contentsOf: scratch[hold...])
      atLineStart = true
    }
    if end > 0 { try scratch.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[..<end])) } }
  }

  /// Passes on whatever was held back at the end of the input.
  mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
    guard !pending.isEmpty else { return }
    let rest = pending
    pending.removeAll()
    try rest.withUnsafeBytes { try emit($0) }
  }

  enum Match {
    case length(Int)
    case undecided, none
  }

  /// Whether the bytes at `start` are a timestamp prefix, and how long; `undecided` when the
  /// bytes end before it can be told.
  static func prefixLength(_ b: [UInt8], from start: Int) -> Match {
    // D D D D - D D - D D T D D : D D : D D [. D…] Z space
    let shape: [UInt8] = Array("dddd-dd-ddTdd:dd:dd".utf8)
    var i = start
    for expected in shape {
      guard i < b.count else { return .undecided }
      let c = b[i]
      if expected == UInt8(ascii: "d") {
        guard c >= 0x30 && c <= 0x39 else { return .none }
      } else {
        guard c == expected else { return .none }
      }
      i += 1
    }
    guard i < b.count else { return .undecided }
    if b[i] == UInt8(ascii: ".") {
      i += 1
      var digits = 0
      while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 && digits < 9 {
        i += 1
        digits += 1
      }
      guard i < b.count else { return .undecided }
      guard digits > 0 else { return .none }
    }
    guard b[i] == UInt8(ascii: "Z") else { return .none }
    i += 1
    guard i < b.count else { return .undecided }
    guard b[i] == 0x20 else { return .none }
    return .length(i + 1 - start)
  }
}
