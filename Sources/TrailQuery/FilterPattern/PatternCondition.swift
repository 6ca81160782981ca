// One leaf of a parsed `--where` pattern (`$.path OP value`, `IS NULL`, `NOT EXISTS`, `IS TRUE`,
// `IS FALSE`) as plain data that this engine evaluates through the event layer and that later
// backends can translate; the CloudWatch semantics decided here are listed in docs/filter-language.md.
import TrailEvent
import TrailJSON

/// A condition on one selected JSON value of the record.
public struct PatternCondition: Hashable, Sendable, CustomStringConvertible {
  /// The value the condition looks at.
  public let selector: PatternSelector
  /// What must hold for the selected value.
  public let test: PatternTest

  /// The condition `selector test`.
  /// The selector's names when it has only `.member` steps (most selectors), for a walk
  /// without callbacks.
  let memberPath: [String]?

  /// A condition testing the value `selector` reaches with `test`.
  public init(selector: PatternSelector, test: PatternTest) {
    self.selector = selector
    self.test = test
    var names: [String] = []
    for step in selector.steps {
      guard case .member(let name) = step else { break }
      names.append(name)
    }
    memberPath = names.count == selector.steps.count && !names.isEmpty ? names : nil
  }

  /// The condition in pattern syntax without the braces: `$.x[*] IS FALSE` for
  /// `{ $.x.* IS FALSE }`.
  public var description: String { "\(selector) \(test)" }

  /// Whether the event satisfies the condition. The selector is read by the event layer's one
  /// path walker in CloudWatch's mode: a wildcard step (`[*]`, `.*`) makes the condition hold
  /// when it holds for some branch; a path that does not resolve is absent.
  public func evaluate(_ view: EventView) -> Bool {
    if let memberPath { return test.holds(view.member(path: memberPath)) }
    var holds = false
    view.walk(selector.steps, mode: .cloudWatch) { value in
      if !holds && test.holds(value) { holds = true }
    }
    return holds
  }
}

/// `$` followed by steps: `.name`, `.['dotted.name']`, `[n]`, `[*]` / `.*`.
public struct PatternSelector: Hashable, Sendable, CustomStringConvertible {
  /// One step of the selector: a member name, an array index, or any element or member.
  public typealias Step = PathStep

  /// The steps after `$`, in order.
  public let steps: [Step]

  /// A selector of `steps` (`[]` is `$` itself).
  public init(steps: [Step]) { self.steps = steps }

  /// The selector in pattern syntax: `.name` for plain names, `.['name']` for others, `[n]`, and
  /// `[*]` for any step (also written `.*`).
  public var description: String {
    var out = "$"
    for step in steps {
      switch step {
      case .member(let name):
        let plain =
          !name.isEmpty
          && name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_" || $0 == "-"
          }
        out += plain ? "." + name : ".['" + name + "']"
      case .index(let index): out += "[\(index)]"
      case .any: out += "[*]"
      }
    }
    return out
  }
}

/// What a condition checks on the selected value.
public enum PatternTest: Hashable, Sendable, CustomStringConvertible {
  /// `=`, `!=`, `<`, `>`, `<=`, `>=` against a value.
  case compare(PatternOperator, PatternValue)
  /// `IS NULL`: present and JSON `null`.
  case isNull
  /// `NOT EXISTS`: the path does not resolve.
  case notExists
  /// `IS TRUE`: the JSON boolean `true`.
  case isTrue
  /// `IS FALSE`: the JSON boolean `false`.
  case isFalse

  /// The test in pattern syntax: `= value`, `!= value`, …, `IS NULL`, `NOT EXISTS`, `IS TRUE`,
  /// `IS FALSE`.
  public var description: String {
    switch self {
    case .compare(let op, let value): return "\(op.rawValue) \(value)"
    case .isNull: return "IS NULL"
    case .notExists: return "NOT EXISTS"
    case .isTrue: return "IS TRUE"
    case .isFalse: return "IS FALSE"
    }
  }

  /// The test on one resolved value (nil: the path did not resolve).
  func holds(_ value: JSONValue?) -> Bool {
    switch self {
    case .notExists: return value == nil
    case .isNull: return value?.kind == .null
    case .isTrue: return value?.kind == .true
    case .isFalse: return value?.kind == .false
    case .compare(let op, let literal):
      guard let value else { return false }
      return Self.compare(value, op, literal)
    }
  }

  /// Only strings and numbers are compared; null, booleans, objects and arrays fail every
  /// operator, `!=` included (CloudWatch: "the selector must point to a value node").
  static func compare(_ value: JSONValue, _ op: PatternOperator, _ literal: PatternValue) -> Bool {
    switch value.kind {
    case .string:
      switch literal {
      case .text(let text): return op.apply(equal: text.matches(string: value))
      case .regex(let regex): return op.apply(equal: regex.matches(value.string ?? ""))
      case .number(let number):
        // A string is never ordered; `=`/`!=` compare it with the literal as written.
        guard op == .equal || op == .notEqual else { return false }
        return op.apply(equal: value.stringEquals(number.text))
      }
    case .number:
      guard let written = value.numberText else { return false }
      switch literal {
      case .number(let number):
        guard let order = number.compare(json: value.rawText) else { return false }
        return op.apply(order: order)
      case .text(let text): return op.apply(equal: text.matches(text: written))
      case .regex(let regex): return op.apply(equal: regex.matches(written))
      }
    default:
      return false
    }
  }
}

/// A comparison operator.
public enum PatternOperator: String, Hashable, Sendable, CaseIterable {
  case equal = "="
  case notEqual = "!="
  case less = "<"
  case greater = ">"
  case lessOrEqual = "<="
  case greaterOrEqual = ">="

  /// `=` and `!=` on a match/no-match outcome (the parser allows only these with text).
  func apply(equal: Bool) -> Bool {
    switch self {
    case .equal: return equal
    case .notEqual: return !equal
    default: return false
    }
  }

  /// Any operator on a numeric order (negative: the record's value is smaller).
  func apply(order: Int) -> Bool {
    switch self {
    case .equal: return order == 0
    case .notEqual: return order != 0
    case .less: return order < 0
    case .greater: return order > 0
    case .lessOrEqual: return order <= 0
    case .greaterOrEqual: return order >= 0
    }
  }
}

/// The right-hand side of a comparison.
public enum PatternValue: Hashable, Sendable, CustomStringConvertible {
  /// A quoted string or a bare word, with `*` wildcards at its start and/or end.
  case text(PatternText)
  /// An unquoted number.
  case number(PatternNumber)
  /// `%regex%`.
  case regex(PatternRegex)

  /// The value in pattern syntax, as `PatternText`, `PatternNumber` or `PatternRegex` write it.
  public var description: String {
    switch self {
    case .text(let text): return text.description
    case .number(let number): return number.description
    case .regex(let regex): return regex.description
    }
  }
}

/// A string value. As the CloudWatch documentation puts it, `*Event` matches `PutEvent`,
/// `Event*` matches `EventId`, and `Ev*ent` matches only the text `Ev*ent`: a `*` is a
/// wildcard at the start or the end of the value, and an ordinary character elsewhere.
public struct PatternText: Hashable, Sendable, CustomStringConvertible {
  /// The value as written, without quotes (escapes resolved).
  public let text: String
  /// Whether it was written in double quotes.
  public let quoted: Bool
  /// A leading `*`: anything may come before `core`.
  public let anyPrefix: Bool
  /// A trailing `*`: anything may follow `core`.
  public let anySuffix: Bool
  /// The part between the wildcards, matched literally.
  public let core: String
  private let coreBytes: [UInt8]

  /// A value written as `text` (escapes resolved, wildcards kept); a leading and a trailing `*` are
  /// wildcards, and `quoted` says whether it stood in double quotes.
  public init(_ text: String, quoted: Bool) {
    self.text = text
    self.quoted = quoted
    var core = Substring(text)
    anyPrefix = core.first == "*"
    if anyPrefix { core = core.dropFirst() }
    anySuffix = core.last == "*"
    if anySuffix { core = core.dropLast() }
    self.core = String(core)
    coreBytes = Array(core.utf8)
  }

  /// The value in pattern syntax: as written when bare, else in double quotes with `"` and `\`
  /// escaped.
  public var description: String {
    guard quoted else { return text }
    var out = "\""
    for c in text {
      if c == "\"" || c == "\\" { out.append("\\") }
      out.append(c)
    }
    return out + "\""
  }

  /// Whether the JSON string `value` matches.
  func matches(string value: JSONValue) -> Bool {
    if !anyPrefix && !anySuffix { return value.stringEquals(core) }
    return matches(text: value.string ?? "")
  }

  /// Whether `text` matches, comparing UTF-8 bytes (no Unicode normalisation).
  func matches(text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      let core = coreBytes
      guard bytes.count >= core.count else { return false }
      switch (anyPrefix, anySuffix) {
      case (false, false): return bytes.elementsEqual(core)
      case (false, true): return bytes.prefix(core.count).elementsEqual(core)
      case (true, false): return bytes.suffix(core.count).elementsEqual(core)
      case (true, true):
        if core.isEmpty { return true }
        var i = 0
        while i + core.count <= bytes.count {
          if bytes[i] == core[0] && bytes[i..<(i + core.count)].elementsEqual(core) { return true }
          i += 1
        }
        return false
      }
    }
  }
}
