// Our Codable `Decoder`: decodes any Decodable type from a parsed JSONValue by walking the tape,
// without Foundation. Strings and numbers are converted only when a model asks for them, and
// keyed lookups resume where the previous one matched (declaration order usually equals
// document order), so decoding a record costs about one pass over the keys it uses.

/// Decodes `Decodable` values from a `JSONValue`.
public struct JSONValueDecoder: Sendable {
  /// Match keys without regard to ASCII case (`eventname` for `eventName`), for records whose
  /// keys a storage pipeline lower-cased. Off by default: JSON keys are case-sensitive.
  public var ignoresKeyCase: Bool

  /// Makes a decoder; `ignoresKeyCase` matches keys without regard to ASCII case (off: exact keys).
  public init(ignoresKeyCase: Bool = false) {
    self.ignoresKeyCase = ignoresKeyCase
  }

  /// Decodes a `T` from `value` by walking the tape, converting strings and numbers only where `T`
  /// asks for them; throws `DecodingError` (with the coding path) when the value does not fit `T`.
  public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
    try T(from: TapeDecoder(value: value, codingPath: [], ignoresKeyCase: ignoresKeyCase))
  }
}

/// A `Decoder` positioned on one value of a tape.
struct TapeDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  var ignoresKeyCase = false
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard value.kind == .object else { throw mismatch([String: Any].self, value, codingPath) }
    return KeyedDecodingContainer(
      TapeKeyedContainer<Key>(object: value, codingPath: codingPath, ignoresKeyCase: ignoresKeyCase))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard value.kind == .array else { throw mismatch([Any].self, value, codingPath) }
    return TapeUnkeyedContainer(array: value, codingPath: codingPath, ignoresKeyCase: ignoresKeyCase)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    TapeSingleValueContainer(value: value, codingPath: codingPath, ignoresKeyCase: ignoresKeyCase)
  }
}

// MARK: - Scalars, shared by the three containers

/// What a JSON kind is called in a message.
func describeKind(_ kind: JSONNode.Kind) -> String {
  switch kind {
  case .null: return "null"
  case .true, .false: return "a boolean"
  case .number: return "a number"
  case .string: return "a string"
  case .object: return "an object"
  case .array: return "an array"
  }
}

func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: @autoclosure () -> [any CodingKey]) -> DecodingError {
  .typeMismatch(
    type,
    DecodingError.Context(
      codingPath: path(),
      debugDescription: "expected \(type), found \(describeKind(value.kind)) at byte \(value.offset)"))
}

extension JSONValue {
  func decodeBool(_ path: @autoclosure () -> [any CodingKey]) throws -> Bool {
    guard let b = bool else { throw mismatch(Bool.self, self, path()) }
    return b
  }

  func decodeString(_ path: @autoclosure () -> [any CodingKey]) throws -> String {
    guard let s = string else { throw mismatch(String.self, self, path()) }
    return s
  }

  /// A finite double; a number too large (`1e400`) or too small to represent (`1e-400`) is an
  /// error, as in Foundation's JSONDecoder.
  func decodeDouble(_ path: @autoclosure () -> [any CodingKey]) throws -> Double {
    guard kind == .number, let text = numberText, let d = Double(text) else {
      throw mismatch(Double.self, self, path())
    }
    guard d.isFinite, d != 0 || !Self.hasNonZeroDigit(text) else { throw notRepresentable("Double", path()) }
    return d
  }

  func decodeFloat(_ path: @autoclosure () -> [any CodingKey]) throws -> Float {
    let d = try decodeDouble(path())
    let f = Float(d)
    guard f.isFinite, f != 0 || d == 0 else { throw notRepresentable("Float", path()) }
    return f
  }

  /// True when the mantissa of a number's text has a non-zero digit.
  static func hasNonZeroDigit(_ text: String) -> Bool {
    for c in text.utf8 {
      if c == 0x65 || c == 0x45 { return false }
      if c >= 0x31 && c <= 0x39 { return true }
    }
    return false
  }

  func notRepresentable(_ type: String, _ path: [any CodingKey]) -> DecodingError {
    .dataCorrupted(
      DecodingError.Context(
        codingPath: path, debugDescription: "number \(numberText ?? "") at byte \(offset) does not fit in \(type)"))
  }

  /// Integers parse from their digits; a number with a fraction or exponent is accepted when it
  /// is exactly an integer in range (as Foundation's JSONDecoder does).
  func decodeInteger<T: FixedWidthInteger>(_ type: T.Type, _ path: @autoclosure () -> [any CodingKey]) throws -> T {
    guard kind == .number, let text = numberText else { throw mismatch(T.self, self, path()) }
    if !node.flag {
      if let v = T(text) { return v }
    } else if let dot = text.firstIndex(of: "."), !text.contains(where: { $0 == "e" || $0 == "E" }),
      text[text.index(after: dot)...].allSatisfy({ $0 == "0" })
    {
      // `100.0`: exact from the integer digits, whatever their size.
      if let v = T(text[..<dot]) { return v }
    } else if let d = Double(text), d.rounded() == d, abs(d) < 9_007_199_254_740_992, let v = T(exactly: d) {
      // `1e2`: exact only below 2^53, where every integer is a double (text above it may have rounded).
      return v
    }
    throw DecodingError.dataCorrupted(
      DecodingError.Context(
        codingPath: path(),
        debugDescription: "number \(numberText ?? "") at byte \(offset) does not fit in \(T.self)"))
  }

  func decodeNested<T: Decodable>(
    _ type: T.Type, _ path: @autoclosure () -> [any CodingKey], ignoresKeyCase: Bool = false
  ) throws -> T {
    // Types the models use most go straight to the tape instead of through a nested Decoder
    // (an existential box and, for RawJSON, a dynamic cast per value).
    if T.self == RawJSON.self, let raw = RawJSON(self) as? T { return raw }
    if T.self == String.self, let string = try decodeString(path()) as? T { return string }
    return try T(from: TapeDecoder(value: self, codingPath: path(), ignoresKeyCase: ignoresKeyCase))
  }
}

// MARK: - Keyed

struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let object: JSONValue
  let codingPath: [any CodingKey]
  let ignoresKeyCase: Bool

  init(object: JSONValue, codingPath: [any CodingKey], ignoresKeyCase: Bool) {
    self.object = object.resolved
    self.codingPath = codingPath
    self.ignoresKeyCase = ignoresKeyCase
  }

  /// Each key once, in document order.
  var allKeys: [Key] {
    var seen = Set<String>()
    return object.members.compactMap { seen.insert($0.key).inserted ? Key(stringValue: $0.key) : nil }
  }

  func find(_ key: Key) -> JSONValue? {
    guard let keyIndex = object.memberKeyIndex(key.stringValue, ignoringCase: ignoresKeyCase) else { return nil }
    return JSONValue(document: object.document, index: keyIndex + 1)
  }

  func require(_ key: Key) throws -> JSONValue {
    guard let v = find(key) else {
      throw DecodingError.keyNotFound(
        key,
        DecodingError.Context(
          codingPath: codingPath,
          debugDescription: "no member \"\(key.stringValue)\" in the object at byte \(object.offset)"))
    }
    return v
  }

  func path(_ key: Key) -> [any CodingKey] { codingPath + [key] }

  func contains(_ key: Key) -> Bool { object.memberKeyIndex(key.stringValue, ignoringCase: ignoresKeyCase) != nil }

  func decodeNil(forKey key: Key) throws -> Bool { try require(key).isNull }
  func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try require(key).decodeBool(path(key)) }
  func decode(_ type: String.Type, forKey key: Key) throws -> String { try require(key).decodeString(path(key)) }
  func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try require(key).decodeDouble(path(key)) }
  func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try require(key).decodeFloat(path(key)) }
  func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try require(key).decodeInteger(type, path(key)) }
  func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try require(key).decodeInteger(type, path(key)) }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try require(key).decodeNested(type, path(key), ignoresKeyCase: ignoresKeyCase)
  }

  // `decodeIfPresent` treats an absent key and `null` alike, as Foundation does; overriding the
  // common ones avoids a second lookup.
  func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
    guard let v = find(key), !v.isNull else { return nil }
    return try v.decodeString(path(key))
  }
  func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
    guard let v = find(key), !v.isNull else { return nil }
    return try v.decodeBool(path(key))
  }
  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    guard let v = find(key), !v.isNull else { return nil }
    return try v.decodeNested(type, path(key), ignoresKeyCase: ignoresKeyCase)
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try TapeDecoder(value: try require(key), codingPath: path(key), ignoresKeyCase: ignoresKeyCase).container(
      keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try TapeDecoder(value: try require(key), codingPath: path(key), ignoresKeyCase: ignoresKeyCase).unkeyedContainer()
  }

  /// A decoder for member `super`, or over `null` when it is absent (as Foundation does).
  func superDecoder() throws -> any Decoder {
    let value =
      object.memberKeyIndex("super").map { JSONValue(document: object.document, index: $0 + 1) } ?? JSONValue.null
    return TapeDecoder(value: value, codingPath: codingPath + [SuperKey()], ignoresKeyCase: ignoresKeyCase)
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    TapeDecoder(value: find(key) ?? JSONValue.null, codingPath: path(key), ignoresKeyCase: ignoresKeyCase)
  }
}

struct SuperKey: CodingKey {
  var stringValue: String { "super" }
  var intValue: Int? { nil }
  init() {}
  init?(stringValue: String) { nil }
  init?(intValue: Int) { nil }
}

struct IndexKey: CodingKey {
  let intValue: Int?
  var stringValue: String { "Index \(intValue ?? 0)" }
  init(_ index: Int) { intValue = index }
  init?(stringValue: String) { nil }
  init?(intValue: Int) { self.intValue = intValue }
}

// MARK: - Unkeyed

struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
  let array: JSONValue
  let codingPath: [any CodingKey]
  let ignoresKeyCase: Bool
  var currentIndex = 0
  /// Node index of the next element.
  var position: Int

  init(array: JSONValue, codingPath: [any CodingKey], ignoresKeyCase: Bool) {
    let array = array.resolved
    self.array = array
    self.codingPath = codingPath
    self.ignoresKeyCase = ignoresKeyCase
    self.position = array.index + 1
  }

  var count: Int? { array.count }
  var isAtEnd: Bool { currentIndex >= array.count }

  /// Decodes the current element with `body` and moves past it only when that succeeds (a
  /// failed attempt can be retried as another type, as with Foundation).
  mutating func next<T>(_ type: Any.Type, _ body: (JSONValue, [any CodingKey]) throws -> T) throws -> T {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        type,
        DecodingError.Context(
          codingPath: codingPath + [IndexKey(currentIndex)],
          debugDescription: "the array at byte \(array.offset) has only \(array.count) elements"))
    }
    let value = JSONValue(document: array.document, index: position)
    let result = try body(value, codingPath + [IndexKey(currentIndex)])
    position = Int(array.document.nodes[position].next)
    currentIndex += 1
    return result
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Never.self,
        DecodingError.Context(
          codingPath: codingPath + [IndexKey(currentIndex)],
          debugDescription: "the array at byte \(array.offset) has only \(array.count) elements"))
    }
    guard JSONValue(document: array.document, index: position).isNull else { return false }
    position = Int(array.document.nodes[position].next)
    currentIndex += 1
    return true
  }

  mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try $0.decodeBool($1) } }
  mutating func decode(_ type: String.Type) throws -> String { try next(type) { try $0.decodeString($1) } }
  mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try $0.decodeDouble($1) } }
  mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try $0.decodeFloat($1) } }
  mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try $0.decodeInteger(type, $1) } }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let folding = ignoresKeyCase
    return try next(type) { try $0.decodeNested(type, $1, ignoresKeyCase: folding) }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
    NestedKey
  > {
    let folding = ignoresKeyCase
    return try next([String: Any].self) {
      try TapeDecoder(value: $0, codingPath: $1, ignoresKeyCase: folding).container(keyedBy: type)
    }
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let folding = ignoresKeyCase
    return try next([Any].self) {
      try TapeDecoder(value: $0, codingPath: $1, ignoresKeyCase: folding).unkeyedContainer()
    }
  }

  mutating func superDecoder() throws -> any Decoder {
    let folding = ignoresKeyCase
    return try next(Any.self) { TapeDecoder(value: $0, codingPath: $1, ignoresKeyCase: folding) }
  }
}

// MARK: - Single value

struct TapeSingleValueContainer: SingleValueDecodingContainer {
  let value: JSONValue
  let codingPath: [any CodingKey]
  var ignoresKeyCase = false

  func decodeNil() -> Bool { value.isNull }
  func decode(_ type: Bool.Type) throws -> Bool { try value.decodeBool(codingPath) }
  func decode(_ type: String.Type) throws -> String { try value.decodeString(codingPath) }
  func decode(_ type: Double.Type) throws -> Double { try value.decodeDouble(codingPath) }
  func decode(_ type: Float.Type) throws -> Float { try value.decodeFloat(codingPath) }
  func decode(_ type: Int.Type) throws -> Int { try value.decodeInteger(type, codingPath) }
  func decode(_ type: Int8.Type) throws -> Int8 { try value.decodeInteger(type, codingPath) }
  func decode(_ type: Int16.Type) throws -> Int16 { try value.decodeInteger(type, codingPath) }
  func decode(_ type: Int32.Type) throws -> Int32 { try value.decodeInteger(type, codingPath) }
  func decode(_ type: Int64.Type) throws -> Int64 { try value.decodeInteger(type, codingPath) }
  func decode(_ type: UInt.Type) throws -> UInt { try value.decodeInteger(type, codingPath) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { try value.decodeInteger(type, codingPath) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { try value.decodeInteger(type, codingPath) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { try value.decodeInteger(type, codingPath) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { try value.decodeInteger(type, codingPath) }
  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try value.decodeNested(type, codingPath, ignoresKeyCase: ignoresKeyCase)
  }
}
