// JSON as an ordinary Swift tree. The hot path never builds one; it exists to move values
// between our tape and other Codable decoders (Foundation's, in the differential tests) and to
// compare JSON semantically (member order and number spelling ignored).

/// A JSON value as a tree.
public indirect enum JSONTree: Codable, Sendable, Equatable {
  case null
  case bool(Bool)
  /// Numbers compare by value; the text is kept for lossless writing.
  case number(text: String)
  case string(String)
  case array([JSONTree])
  case object([String: JSONTree])

  /// Builds the tree of a parsed value.
  public init(_ value: JSONValue) {
    switch value.kind {
    case .null: self = .null
    case .true: self = .bool(true)
    case .false: self = .bool(false)
    case .number: self = .number(text: value.numberText ?? "0")
    case .string: self = .string(value.string ?? "")
    case .array: self = .array(value.elements.map(JSONTree.init))
    case .object:
      var members: [String: JSONTree] = [:]
      for (key, member) in value.members where members[key] == nil { members[key] = JSONTree(member) }
      self = .object(members)
    }
  }

  /// Decodes a tree from any `Decoder` (Foundation's, in the differential tests), trying null,
  /// `Bool`, `String`, `Int64`, `Double`, array and object in that order; a number is kept as the
  /// text of the decoded `Int64` or `Double`, not as originally written.
  public init(from decoder: any Decoder) throws {
    let single = try decoder.singleValueContainer()
    if single.decodeNil() {
      self = .null
    } else if let b = try? single.decode(Bool.self) {
      self = .bool(b)
    } else if let s = try? single.decode(String.self) {
      self = .string(s)
    } else if let i = try? single.decode(Int64.self) {
      self = .number(text: String(i))
    } else if let d = try? single.decode(Double.self) {
      self = .number(text: "\(d)")
    } else if let a = try? single.decode([JSONTree].self) {
      self = .array(a)
    } else {
      self = .object(try single.decode([String: JSONTree].self))
    }
  }

  /// Encodes the tree through any `Encoder`: a number whose text is an integer as `Int64`, any
  /// other number as `Double` (digits beyond a `Double`'s precision are lost; `write(to:)` keeps
  /// them).
  public func encode(to encoder: any Encoder) throws {
    var single = encoder.singleValueContainer()
    switch self {
    case .null: try single.encodeNil()
    case .bool(let b): try single.encode(b)
    case .number(let text):
      if let i = Int64(text) { try single.encode(i) } else { try single.encode(Double(text) ?? 0) }
    case .string(let s): try single.encode(s)
    case .array(let a): try single.encode(a)
    case .object(let o): try single.encode(o)
    }
  }

  /// Compact JSON text (object members sorted by key, so the output is deterministic).
  public func write(to out: inout [UInt8]) {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let text): out.append(contentsOf: text.utf8)
    case .string(let s): JSONWriter.appendString(s, to: &out)
    case .array(let a):
      out.append(ASCII.openBracket)
      for (i, element) in a.enumerated() {
        if i > 0 { out.append(ASCII.comma) }
        element.write(to: &out)
      }
      out.append(ASCII.closeBracket)
    case .object(let o):
      out.append(ASCII.openBrace)
      for (i, member) in o.sorted(by: { $0.key < $1.key }).enumerated() {
        if i > 0 { out.append(ASCII.comma) }
        JSONWriter.appendString(member.key, to: &out)
        out.append(ASCII.colon)
        member.value.write(to: &out)
      }
      out.append(ASCII.closeBrace)
    }
  }

  /// Semantic equality: object members compare regardless of order, and numbers compare equal
  /// when their texts are identical or denote the same `Double` (`1.0` equals `1`, `1e2` equals
  /// `100`).
  public static func == (lhs: JSONTree, rhs: JSONTree) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b || (Double(a) != nil && Double(a) == Double(b))
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)): return a == b
    default: return false
    }
  }
}
