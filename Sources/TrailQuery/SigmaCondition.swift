// One leaf of a Sigma detection (`field|modifiers: value`, or a keyword) as plain data that this
// engine evaluates through the event layer's one path walker and that later backends can
// translate. TrailCheck's Sigma loader turns a rule's detection into `Predicate`s over these
// leaves (and/or/not for maps, lists and the condition); the semantics decided here are Sigma's,
// listed in docs/detections.md:
// - a field is a dotted path, read in the walker's dotted mode: arrays are searched element by
//   element, JSON held in a string is read through, and null counts as absent;
// - the test holds when it holds for some value the path reaches; an object or array value is
//   tried as its compact JSON text and as each value inside it;
// - strings compare case-insensitively unless `cased`; numbers compare as numbers (a JSON
//   number, or a string holding one); booleans also match the strings "true"/"false";
// - a keyword (no field) is searched for in every value of the event.
import TrailEvent
import TrailJSON

/// A test on the values a Sigma field (a dotted path) reaches, or, without a field, on every
/// value of the event (a keyword).
public struct SigmaCondition: Hashable, Sendable, CustomStringConvertible {
  /// The field's path (`requestParameters.bucketName` is `["requestParameters", "bucketName"]`);
  /// nil for a keyword, which searches every value of the event.
  public let field: [String]?
  /// What must hold for some value.
  public let test: SigmaTest
  let steps: [PathStep]

  /// The condition `test` on the values of `field` (nil: a keyword search).
  public init(field: [String]?, test: SigmaTest) {
    self.field = field
    self.test = test
    steps = field?.map(PathStep.member) ?? []
  }

  /// Conditions are equal when their field and test are.
  public static func == (a: SigmaCondition, b: SigmaCondition) -> Bool { a.field == b.field && a.test == b.test }
  /// Hashes what `==` compares.
  public func hash(into hasher: inout Hasher) {
    hasher.combine(field)
    hasher.combine(test)
  }

  /// `field test` (`eventName = 'deletebucket'`), or `keyword test` for a keyword.
  public var description: String { (field?.joined(separator: ".") ?? "keyword") + " " + test.description }

  /// Whether the event satisfies the condition.
  public func evaluate(_ view: EventView) -> Bool {
    guard field != nil else { return Self.anyLeaf(view) { test.holds($0) } }
    switch test {
    case .exists:
      var found = false
      view.walk(steps, mode: .dotted) { _ in found = true }
      return found
    case .fieldRef(let other, let position, let caseSensitive):
      let references = view.values(atPath: other).flatMap(Self.texts)
      guard !references.isEmpty else { return false }
      let patterns = references.map { text in
        SigmaString(plain: text, caseSensitive: caseSensitive).anchored(
          start: position == .equal || position == .startsWith, end: position == .equal || position == .endsWith)
      }
      var holds = false
      view.walk(steps, mode: .dotted) { value in
        guard !holds, let value else { return }
        holds = Self.texts(value).contains { text in patterns.contains { $0.matches(text) } }
      }
      return holds
    default:
      var holds = false
      view.walk(steps, mode: .dotted) { value in
        if !holds, let value, test.holds(value) { holds = true }
      }
      return holds
    }
  }

  /// Whether `body` holds for some scalar value anywhere in the event (objects and arrays are
  /// searched, not compared whole).
  static func anyLeaf(_ view: EventView, _ body: (JSONValue) -> Bool) -> Bool {
    func search(_ value: JSONValue) -> Bool {
      switch value.kind {
      case .object: return value.members.contains { search($0.value) }
      case .array: return value.elements.contains(where: search)
      case .null: return false
      default: return body(value)
      }
    }
    return view.members.contains { search($0.value) }
  }

  /// A value as the texts a comparison tries: a scalar's text; an object or array's compact JSON
  /// and the texts of the values inside it.
  static func texts(_ value: JSONValue) -> [String] {
    switch value.kind {
    case .object, .array:
      let children = value.kind == .object ? value.members.map(\.value) : value.elements
      return [JSONText.of(value)] + children.flatMap(texts)
    default:
      return JSONText.scalar(value).map { [$0] } ?? []
    }
  }
}

/// Where a `fieldref` value must appear in the field's value.
public enum SigmaFieldRefPosition: String, Hashable, Sendable {
  /// The whole value (plain `fieldref`).
  case equal
  /// At the start (`|fieldref|startswith`).
  case startsWith
  /// At the end (`|fieldref|endswith`).
  case endsWith
  /// Anywhere (`|fieldref|contains`).
  case contains
}

/// What a Sigma condition checks on one value.
public enum SigmaTest: Hashable, Sendable, CustomStringConvertible {
  /// The value's text matches the pattern (wildcards; `contains`, `startswith`, `endswith` and
  /// the encoding modifiers are applied to the pattern when the rule loads).
  case string(SigmaString)
  /// A number compared numerically (`=` for a plain number, `<`, `<=`, `>`, `>=` for `lt`,
  /// `lte`, `gt`, `gte`): a JSON number, or a string holding one.
  case number(PatternOperator, PatternNumber)
  /// A YAML boolean: the JSON boolean, or the strings "true"/"false" in any case.
  case boolean(Bool)
  /// `|re`: the regex occurs in the value's text.
  case regex(SigmaRegex)
  /// `|cidr`: the value is an IP address inside the network.
  case cidr(IPNetwork)
  /// `|exists: true`, and (negated) `null` and `|exists: false`: the field reaches a value
  /// other than null.
  case exists
  /// `|fieldref`: the value equals (or starts with, ends with, contains) a value of the other
  /// field, case-insensitively unless `cased`.
  case fieldRef([String], SigmaFieldRefPosition, caseSensitive: Bool)

  /// The test in a Sigma-like notation: `= 'pattern'`, `|cased = 'Pattern'`, `>= 5`, `|re 'x'`,
  /// `|cidr 10.0.0.0/8`, `|exists`, `|fieldref other.field`.
  public var description: String {
    switch self {
    case .string(let pattern): return (pattern.caseSensitive ? "|cased " : "") + "= '\(pattern)'"
    case .number(let op, let number): return "\(op.rawValue) \(number)"
    case .boolean(let value): return "= \(value)"
    case .regex(let regex): return regex.description
    case .cidr(let network): return "|cidr \(network)"
    case .exists: return "|exists"
    case .fieldRef(let other, let position, let caseSensitive):
      return "|fieldref" + (position == .equal ? "" : "|" + position.rawValue.lowercased())
        + (caseSensitive ? "|cased" : "") + " " + other.joined(separator: ".")
    }
  }

  /// The test on one non-null value.
  func holds(_ value: JSONValue) -> Bool {
    switch value.kind {
    case .null: return false
    case .object, .array:
      if case .string = self, holds(text: JSONText.of(value)) { return true }
      if case .regex = self, holds(text: JSONText.of(value)) { return true }
      let children = value.kind == .object ? value.members.map(\.value) : value.elements
      return children.contains(where: holds)
    case .string:
      switch self {
      case .string(let pattern):
        let raw = value.rawText
        let plain = raw.withUnsafeBufferPointer { bytes -> Bool? in
          // One pass: without escapes and non-ASCII bytes (most values), matched in place.
          for byte in bytes where byte >= 0x80 || byte == 0x5C {
            return byte == 0x5C || bytes.contains(0x5C) ? nil : pattern.matches(bytes: bytes)
          }
          return SigmaString.match(pattern.tokens, bytes, foldingASCII: !pattern.caseSensitive, ascii: true)
        }
        return plain ?? pattern.matches(value.string ?? "")
      case .number(let op, let number):
        guard let text = value.string, let order = number.compare(json: text.utf8) else { return false }
        return op.apply(order: order)
      case .boolean(let wanted):
        return (value.string ?? "").lowercased() == (wanted ? "true" : "false")
      default:
        return holds(text: value.string ?? "")
      }
    case .number:
      switch self {
      case .string(let pattern): return value.rawText.withUnsafeBufferPointer { pattern.matches(bytes: $0) }
      case .number(let op, let number):
        guard let order = number.compare(json: value.rawText) else { return false }
        return op.apply(order: order)
      case .regex(let regex): return regex.matches(value.numberText ?? "")
      default: return false
      }
    case .true, .false:
      let flag = value.kind == .true
      switch self {
      case .boolean(let wanted): return flag == wanted
      case .string(let pattern): return pattern.matches(flag ? "true" : "false")
      case .regex(let regex): return regex.matches(flag ? "true" : "false")
      default: return false
      }
    }
  }

  /// The string-like tests on a text.
  func holds(text: String) -> Bool {
    switch self {
    case .string(let pattern): return pattern.matches(text)
    case .regex(let regex): return regex.matches(text)
    case .cidr(let network): return network.contains(text)
    default: return false
    }
  }
}
