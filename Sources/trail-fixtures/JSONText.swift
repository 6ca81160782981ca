// A small streaming JSON writer for the generator: fields are written in the order given
// (CloudTrail's own key order), compact or pretty-printed with 2-space indents like AWS's
// samples, with correct string escaping and a way to emit pre-escaped text (`\u00e9`).

/// Writes JSON text into a byte buffer, one token at a time.
struct JSONWriter {
  var bytes: [UInt8] = []
  let pretty: Bool
  /// Number of values written so far in each open container.
  private var counts: [Int] = []
  private var afterKey = false

  init(pretty: Bool, capacity: Int = 0) {
    self.pretty = pretty
    bytes.reserveCapacity(capacity)
  }

  /// Hands over the text written so far and empties the buffer, keeping the nesting state
  /// (for streaming a large document out in pieces).
  mutating func take() -> [UInt8] {
    defer { bytes.removeAll(keepingCapacity: true) }
    return bytes
  }

  // MARK: Structure

  mutating func beginObject() {
    beforeValue()
    bytes.append(UInt8(ascii: "{"))
    counts.append(0)
  }
  mutating func endObject() { close(UInt8(ascii: "}")) }
  mutating func beginArray() {
    beforeValue()
    bytes.append(UInt8(ascii: "["))
    counts.append(0)
  }
  mutating func endArray() { close(UInt8(ascii: "]")) }

  mutating func key(_ name: String) {
    beforeValue()
    appendQuoted(name)
    bytes.append(UInt8(ascii: ":"))
    if pretty { bytes.append(UInt8(ascii: " ")) }
    afterKey = true
  }

  // MARK: Scalars

  mutating func string(_ value: String) {
    beforeValue()
    appendQuoted(value)
  }
  /// A string whose JSON-escaped contents are given as is (without the quotes), so the output
  /// holds escapes such as `\u00e9` or a surrogate pair that plain text would not produce.
  mutating func escapedString(_ contents: String) {
    beforeValue()
    bytes.append(UInt8(ascii: "\""))
    bytes.append(contentsOf: contents.utf8)
    bytes.append(UInt8(ascii: "\""))
  }
  mutating func int<T: BinaryInteger>(_ value: T) {
    beforeValue()
    bytes.append(contentsOf: String(value).utf8)
  }
  /// A number written from its exact text (e.g. `85.4202380952`).
  mutating func number(_ text: String) {
    beforeValue()
    bytes.append(contentsOf: text.utf8)
  }
  mutating func bool(_ value: Bool) {
    beforeValue()
    bytes.append(contentsOf: (value ? "true" : "false").utf8)
  }
  mutating func null() {
    beforeValue()
    bytes.append(contentsOf: "null".utf8)
  }

  // MARK: Conveniences (key + value)

  mutating func field(_ name: String, _ value: String) {
    key(name)
    string(value)
  }
  /// Writes the field only when `value` is present.
  mutating func field(_ name: String, ifPresent value: String?) {
    if let value { field(name, value) }
  }
  mutating func field(_ name: String, _ value: Int) {
    key(name)
    int(value)
  }
  mutating func field(_ name: String, _ value: Bool) {
    key(name)
    bool(value)
  }
  mutating func nullField(_ name: String) {
    key(name)
    null()
  }

  mutating func object(_ name: String, _ body: (inout JSONWriter) -> Void) {
    key(name)
    object(body)
  }
  mutating func object(_ body: (inout JSONWriter) -> Void) {
    beginObject()
    body(&self)
    endObject()
  }
  mutating func array(_ name: String, _ body: (inout JSONWriter) -> Void) {
    key(name)
    beginArray()
    body(&self)
    endArray()
  }
  /// `name: {…}` when `body` is given, `name: null` otherwise.
  mutating func objectOrNull(_ name: String, _ body: ((inout JSONWriter) -> Void)?) {
    if let body { object(name, body) } else { nullField(name) }
  }

  // MARK: Layout

  private mutating func beforeValue() {
    if afterKey {
      afterKey = false
      return
    }
    guard !counts.isEmpty else { return }
    if counts[counts.count - 1] > 0 { bytes.append(UInt8(ascii: ",")) }
    counts[counts.count - 1] += 1
    if pretty { newline(depth: counts.count) }
  }

  private mutating func close(_ bracket: UInt8) {
    let written = counts.removeLast()
    if pretty && written > 0 { newline(depth: counts.count) }
    bytes.append(bracket)
  }

  private mutating func newline(depth: Int) {
    bytes.append(UInt8(ascii: "\n"))
    for _ in 0..<(2 * depth) { bytes.append(UInt8(ascii: " ")) }
  }

  private static let hex = Array("0123456789abcdef".utf8)

  private mutating func appendQuoted(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    for b in text.utf8 {
      switch b {
      case UInt8(ascii: "\""):
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(b)
      case UInt8(ascii: "\\"):
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(b)
      case 0x0A:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "n"))
      case 0x0D:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "r"))
      case 0x09:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "t"))
      case 0x08:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "b"))
      case 0x0C:
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "f"))
      case 0..<0x20:
        bytes.append(contentsOf: Array("\\u00".utf8))
        bytes.append(Self.hex[Int(b >> 4)])
        bytes.append(Self.hex[Int(b & 0xF)])
      default: bytes.append(b)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }
}
