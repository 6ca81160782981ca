// A handle on one value of a JSONDocument: what a path lookup returns and what the decoder
// walks. Reading a string or number converts its bytes on demand (deferred parsing, as in
// Foundation's JSONMap), so values nobody asks for cost nothing beyond the scan.

/// One value inside a `JSONDocument`.
public struct JSONValue {
  /// The document whose bytes and tape the value lives in.
  public let document: JSONDocument
  /// The value's node index in `document.nodes`; 0 is the root.
  public let index: Int

  /// A handle on node `index` of `document`; the index is not checked here.
  @inline(__always)
  public init(document: JSONDocument, index: Int) {
    self.document = document
    self.index = index
  }

  @inline(__always) var node: JSONNode { document.nodes[index] }

  /// The value with its contents on a tape: itself, or for an opaque object or array (left off
  /// the tape by a `JSONKeySet` parse) the same value parsed on its own.
  @inline(__always) var resolved: JSONValue {
    let n = node
    guard n.flag && (n.kind == .object || n.kind == .array) else { return self }
    return document.expanded(index)
  }

  /// A `null` of its own (what a decoder reads for an absent `super`).
  static var null: JSONValue {
    let document = JSONDocument()
    // The literal `null` always parses; a failure would leave no node and trap on first use.
    try? document.parse(Array("null".utf8))
    return JSONValue(document: document, index: 0)
  }

  /// The value's JSON type.
  public var kind: JSONNode.Kind { node.kind }
  /// True for JSON `null` (an absent member is a nil `JSONValue?` instead).
  public var isNull: Bool { node.kind == .null }
  /// Members of an object or elements of an array.
  public var count: Int { Int(node.count) }

  /// The value's bytes as written; for strings the raw text between the quotes (escapes kept).
  public var rawText: ArraySlice<UInt8> { document.slice(index) }

  /// The value's complete JSON text as written, quotes included for strings.
  public var jsonText: ArraySlice<UInt8> {
    let n = node
    if n.kind == .string { return document.bytes[Int(n.start) - 1..<Int(n.end) + 1] }
    return document.bytes[Int(n.start)..<Int(n.end)]
  }

  /// Absolute stream offset of the value's first byte.
  public var offset: Int {
    let n = node
    return document.baseOffset + Int(n.start) - (n.kind == .string ? 1 : 0)
  }

  // MARK: Scalars

  /// The decoded text of a string value; nil for other kinds.
  public var string: String? {
    let n = node
    guard n.kind == .string else { return nil }
    return document.bytes.withUnsafeBufferPointer { buffer in
      let text = UnsafeBufferPointer(rebasing: buffer[Int(n.start)..<Int(n.end)])
      return n.flag ? StringUnescaper.unescape(text) : String(decoding: text, as: UTF8.self)
    }
  }

  /// Calls `body` with the text of a string that holds no escapes, where it lies in the
  /// document (its decoded text, without making a `String`); nil for other values.
  @inline(__always)
  public func withPlainString<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
    let n = node
    guard n.kind == .string, !n.flag else { return nil }
    return try document.bytes.withUnsafeBytes { raw in
      try body(UnsafeRawBufferPointer(rebasing: raw[Int(n.start)..<Int(n.end)]))
    }
  }

  /// The value of `true`/`false`; nil for other kinds.
  public var bool: Bool? {
    switch node.kind {
    case .true: return true
    case .false: return false
    default: return nil
    }
  }

  /// The number's text exactly as written; nil for other kinds.
  public var numberText: String? {
    guard node.kind == .number else { return nil }
    return String(decoding: rawText, as: UTF8.self)
  }

  /// True when this is a string whose decoded text equals `text` (no allocation for unescaped strings).
  public func stringEquals(_ text: String) -> Bool {
    let n = node
    guard n.kind == .string else { return false }
    if n.flag { return string == text }
    var text = text
    return text.withUTF8 { wanted in
      document.bytes.withUnsafeBufferPointer { buffer in
        let length = Int(n.end - n.start)
        guard length == wanted.count else { return false }
        guard length > 0, let base = buffer.baseAddress, let text = wanted.baseAddress else { return length == 0 }
        return memcmpEqual(base + Int(n.start), text, length)
      }
    }
  }

  // MARK: Containers

  /// The value of member `key` of an object (the first one, if the key repeats); nil when absent
  /// or when this is not an object.
  public subscript(key: String) -> JSONValue? {
    guard node.kind == .object else { return nil }
    let object = resolved
    guard let keyIndex = object.memberKeyIndex(key) else { return nil }
    return JSONValue(document: object.document, index: keyIndex + 1)
  }

  /// The value of member `key`, comparing ASCII letters without case when `ignoringCase`.
  public func member(_ key: String, ignoringCase: Bool) -> JSONValue? {
    guard node.kind == .object else { return nil }
    let object = resolved
    guard let keyIndex = object.memberKeyIndex(key, ignoringCase: ignoringCase) else { return nil }
    return JSONValue(document: object.document, index: keyIndex + 1)
  }

  /// The node index of the first member named `key` (a repeated key's first occurrence, as
  /// Foundation and every path lookup see it), in `document` (the caller resolves an opaque
  /// object first). With `ignoringCase`, ASCII letters compare
  /// without case (for records whose keys were lower-cased by the pipeline that stored them).
  func memberKeyIndex(_ key: String, ignoringCase: Bool = false) -> Int? {
    var key = key
    return key.withUTF8 { wanted in
      document.nodes.withUnsafeBufferPointer { nodes in
        document.bytes.withUnsafeBufferPointer { bytes in
          var i = index + 1
          let end = Int(nodes[index].next)
          while i < end {
            if ignoringCase
              ? Self.keyMatchesIgnoringCase(nodes[i], bytes, wanted, document, i)
              : Self.keyMatches(nodes[i], bytes, wanted, document, i)
            {
              return i
            }
            i = Int(nodes[i + 1].next)
          }
          return nil
        }
      }
    }
  }

  static func keyMatchesIgnoringCase(
    _ node: JSONNode, _ bytes: UnsafeBufferPointer<UInt8>, _ wanted: UnsafeBufferPointer<UInt8>,
    _ document: JSONDocument, _ keyIndex: Int
  ) -> Bool {
    @inline(__always) func fold(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
    if node.flag {
      guard let text = JSONValue(document: document, index: keyIndex).string else { return false }
      return text.utf8.count == wanted.count && zip(text.utf8, wanted).allSatisfy { fold($0) == fold($1) }
    }
    let length = Int(node.end &- node.start)
    guard length == wanted.count else { return false }
    let start = Int(node.start)
    for k in 0..<length where fold(bytes[start + k]) != fold(wanted[k]) { return false }
    return true
  }

  /// Whether key node `node` spells `wanted`. Keys without escapes compare as bytes.
  @inline(__always)
  static func keyMatches(
    _ node: JSONNode, _ bytes: UnsafeBufferPointer<UInt8>, _ wanted: UnsafeBufferPointer<UInt8>,
    _ document: JSONDocument, _ keyIndex: Int
  ) -> Bool {
    let length = Int(node.end &- node.start)
    if node.flag {
      return JSONValue(document: document, index: keyIndex).string?.utf8.elementsEqual(wanted) ?? false
    }
    guard length == wanted.count else { return false }
    guard length > 0, let base = bytes.baseAddress, let text = wanted.baseAddress else { return length == 0 }
    return memcmpEqual(base + Int(node.start), text, length)
  }

  /// The elements of an array (empty for other kinds).
  public var elements: [JSONValue] {
    guard node.kind == .array else { return [] }
    let array = resolved
    let document = array.document
    let index = array.index
    let node = array.node
    var result: [JSONValue] = []
    result.reserveCapacity(count)
    var i = index + 1
    let end = Int(node.next)
    while i < end {
      result.append(JSONValue(document: document, index: i))
      i = Int(document.nodes[i].next)
    }
    return result
  }

  /// The members of an object in document order (empty for other kinds).
  public var members: [(key: String, value: JSONValue)] {
    guard node.kind == .object else { return [] }
    let object = resolved
    let document = object.document
    let index = object.index
    let node = object.node
    var result: [(key: String, value: JSONValue)] = []
    result.reserveCapacity(count)
    var i = index + 1
    let end = Int(node.next)
    while i < end {
      let key = JSONValue(document: document, index: i).string ?? ""
      result.append((key, JSONValue(document: document, index: i + 1)))
      i = Int(document.nodes[i + 1].next)
    }
    return result
  }
}

/// Whether the `count` bytes at `a` and `b` are equal: eight at a time, then one by one.
@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
  var i = 0
  while i &+ 8 <= count {
    let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
    let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
    if x != y { return false }
    i &+= 8
  }
  while i < count {
    if a[i] != b[i] { return false }
    i += 1
  }
  return true
}
