// The one path walker. A path is read from an event's top level (through `EventView.member`,
// so Lake events and lower-cased records read the same as any other) in one of two modes: the
// dotted paths of `--by`, `--fields` and rule `match` (arrays fan out, a number indexes, JSON
// held in a string is read through), or CloudWatch's selector rules of `--where` patterns.
import TrailJSON

/// One step of a path.
public enum PathStep: Hashable, Sendable {
  /// An object member by name. In a dotted path, a step met on an array applies to each
  /// element, or indexes it when the name is a number.
  case member(String)
  /// An array element by zero-based position (`[n]`).
  case index(Int)
  /// Any element of an array or any member value of an object (`[*]`, `.*`).
  case any
}

/// How a path reads what it meets.
public enum PathMode: Sendable {
  /// `requestParameters.bucketName`: arrays fan out to their elements (a number indexes
  /// them), a string holding a JSON object or array is read as that JSON, and the values
  /// reached are reported without nulls, a final array as its elements.
  case dotted
  /// CloudWatch Logs selectors (`$.a.b`, `$.a[0]`, `$.a[*]`): a name never reaches into an
  /// array, and every branch is reported, nil where the path does not resolve (for `NOT
  /// EXISTS` and `!=` on missing fields).
  case cloudWatch
}

extension EventView {
  /// Calls `body` with each value `steps` reach from the event's top level (see `PathMode`).
  /// In `.dotted` mode `body` never receives nil.
  public func walk(_ steps: [PathStep], mode: PathMode, _ body: (JSONValue?) -> Void) {
    JSONPath(mode: mode, foldsKeyCase: foldsKeyCase).walkRoot(root, steps[...], body)
  }

  /// The value at a chain of object members (CloudWatch's `$.a.b.c`: a name never reaches into
  /// an array), or nil where the chain does not resolve. The same answer as `walk` in
  /// `.cloudWatch` mode with `.member` steps, without a callback (the common selector's fast
  /// path).
  public func member(path keys: [String]) -> JSONValue? {
    guard let first = keys.first, var value = member(first) else { return nil }
    let folds = foldsKeyCase
    for key in keys.dropFirst() {
      guard value.kind == .object, let next = JSONPath.member(value, key, foldsKeyCase: folds) else { return nil }
      value = next
    }
    return value
  }

  /// The values a dotted path reaches (see `PathMode.dotted`).
  public func values(atPath segments: [String]) -> [JSONValue] {
    var out: [JSONValue] = []
    walk(segments.map(PathStep.member), mode: .dotted) { if let value = $0 { out.append(value) } }
    return out
  }
}

/// Walks paths over parsed JSON.
struct JSONPath {
  let mode: PathMode
  let foldsKeyCase: Bool

  /// Member `key` of `object`: the exact key first, then, for lower-cased records, without case.
  static func member(_ object: JSONValue, _ key: String, foldsKeyCase: Bool) -> JSONValue? {
    if let exact = object[key] { return exact }
    return foldsKeyCase ? object.member(key, ignoringCase: true) : nil
  }

  func walkRoot(_ root: EventRoot, _ steps: ArraySlice<PathStep>, _ body: (JSONValue?) -> Void) {
    guard let step = steps.first else {
      walk(root.event, steps, body)
      return
    }
    switch step {
    case .member(let key):
      walk(root.member(key), steps.dropFirst(), body)
    case .index:
      walk(nil, steps.dropFirst(), body)
    case .any:
      let members = root.members
      if members.isEmpty { walk(nil, steps.dropFirst(), body) }
      for member in members { walk(member.value, steps.dropFirst(), body) }
    }
  }

  /// Walks `steps` from `start` in a loop, without recursion, so that how deep a record nests
  /// (up to --max-depth's cap of 1024) costs no call stack. A single branch goes on in place;
  /// where a step fans out (array elements, `[*]`), the branches wait on a stack of our own,
  /// the first on top, so values reach `body` in the order a depth-first recursion gives.
  func walk(_ start: JSONValue?, _ steps: ArraySlice<PathStep>, _ body: (JSONValue?) -> Void) {
    var pending: [(value: JSONValue?, at: Int)] = []
    var next: (value: JSONValue?, at: Int)? = (start, steps.startIndex)
    func branch(_ values: [JSONValue], at: Int) {
      for value in values.reversed() { pending.append((value, at)) }
    }
    while let (current, at) = next ?? pending.popLast() {
      next = nil
      guard let value = current else {
        if mode == .cloudWatch { body(nil) }
        continue
      }
      guard at < steps.endIndex else {
        finish(value, body)
        continue
      }
      let rest = at + 1
      switch (mode, steps[at], value.kind) {
      case (_, .member(let key), .object):
        next = (Self.member(value, key, foldsKeyCase: foldsKeyCase), rest)
      case (.dotted, .member(let key), .array):
        if let index = Int(key) {
          next = (index >= 0 && index < value.count ? value.elements[index] : nil, rest)
        } else {
          branch(value.elements, at: at)
        }
      case (.dotted, .member, .string):
        // Some pipelines store `requestParameters` and friends as JSON-encoded strings; a path
        // that goes on reads the JSON inside.
        guard let inner = Self.embeddedJSON(value) else { continue }
        next = (inner.root, at)
      case (_, .index(let index), .array):
        next = (index >= 0 && index < value.count ? value.elements[index] : nil, rest)
      case (_, .any, .array), (_, .any, .object):
        let children = value.kind == .array ? value.elements : value.members.map(\.value)
        if children.isEmpty { next = (nil, rest) } else { branch(children, at: rest) }
      default:
        next = (nil, rest)
      }
    }
  }

  func finish(_ value: JSONValue, _ body: (JSONValue?) -> Void) {
    guard mode == .dotted else { return body(value) }
    if value.kind == .array {
      for element in value.elements where !element.isNull { body(element) }
    } else if !value.isNull {
      body(value)
    }
  }

  /// The JSON object or array a string holds, if it holds one.
  static func embeddedJSON(_ value: JSONValue, limits: JSONLimits = .default) -> JSONDocument? {
    guard let text = value.string, let first = text.utf8.first(where: { $0 > 0x20 }), first == 0x7B || first == 0x5B
    else { return nil }
    return try? JSONDocument(parsing: Array(text.utf8), limits: limits)
  }
}

/// Values as text, the same for every front end.
public enum JSONText {
  /// A scalar as the model reads it: strings as they are, numbers as written, booleans as
  /// `true`/`false`; nil for null, objects and arrays.
  public static func scalar(_ value: JSONValue) -> String? {
    switch value.kind {
    case .string: return value.string
    case .number: return value.numberText
    case .true: return "true"
    case .false: return "false"
    default: return nil
    }
  }

  /// Any value as text: a scalar as `scalar` gives it, `null`, objects and arrays as compact
  /// JSON.
  public static func of(_ value: JSONValue) -> String {
    if let scalar = scalar(value) { return scalar }
    if value.kind == .null { return "null" }
    var out: [UInt8] = []
    JSONWriter.appendCompacted(value, to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
