// A Sigma rule's `detection` to one Predicate: each search identifier compiles to and/or/not over
// `SigmaCondition` leaves (a map ANDs its fields, a list ORs its items, a field's values are ORed
// unless `|all`), and the condition combines the identifiers. Every modifier is checked here, so
// a construct trail-scan does not evaluate is a load error naming file, line and construct.
import TrailQuery
import Yams

struct SigmaDetection {
  let file: String
  let rule: String?

  func error(_ node: Node, _ message: String) -> RuleError {
    RuleError(file: file, line: node.mark?.line, rule: rule, message: message)
  }

  /// The detection mapping's predicate.
  func compile(_ node: Node) throws(RuleError) -> Predicate {
    guard let mapping = node.mapping else {
      throw error(node, "'detection' must map search identifiers to selections and have a 'condition'")
    }
    var identifiers: [(name: String, predicate: Predicate)] = []
    var conditionNode: Node?
    for (key, value) in mapping {
      guard let name = key.string else { throw error(key, "detection keys must be strings") }
      switch name {
      case "condition": conditionNode = value
      case "timeframe":
        throw error(key, "'timeframe' is Sigma 1's aggregation syntax: write a correlation rule with 'timespan'")
      default: identifiers.append((name, try selection(value)))
      }
    }
    guard let conditionNode else { throw error(node, "the detection has no 'condition'") }
    guard !identifiers.isEmpty else { throw error(node, "the detection has no search identifiers") }
    var conditions: [(text: String, node: Node)] = []
    if let text = conditionNode.scalar?.string {
      conditions = [(text, conditionNode)]
    } else if let list = conditionNode.sequence, !list.isEmpty {
      for item in list {
        guard let text = item.scalar?.string else {
          throw error(item, "'condition' must be a string or a list of them")
        }
        conditions.append((text, item))
      }
    } else {
      throw error(conditionNode, "'condition' must be a string or a list of them")
    }
    var parts: [Predicate] = []
    for (text, node) in conditions {
      var parser = SigmaConditionParser(text, identifiers: identifiers)
      do {
        parts.append(try parser.parse())
      } catch {
        throw self.error(node, "condition '\(text)', column \(error.column): \(error.message)")
      }
    }
    return parts.count == 1 ? parts[0] : .or(parts)
  }

  /// One search identifier's value: a map (fields ANDed), a list (of maps or keywords, ORed),
  /// or a single keyword.
  func selection(_ node: Node) throws(RuleError) -> Predicate {
    switch node {
    case .mapping(let mapping):
      if mapping.count == 1, let key = mapping.first?.key.string, key.hasPrefix("|") {
        return try keywordMap(key: key, value: mapping.first?.value ?? node, node: node)
      }
      var parts: [Predicate] = []
      for (key, value) in mapping {
        guard let name = key.string else { throw error(key, "field names must be strings") }
        if name.hasPrefix("|") { throw error(key, "keyword modifiers ('\(name)') cannot be mixed with fields") }
        parts.append(try fieldItem(name, value, keyNode: key))
      }
      guard !parts.isEmpty else { throw error(node, "an empty selection matches nothing: give fields or keywords") }
      return parts.count == 1 ? parts[0] : .and(parts)
    case .sequence(let sequence):
      guard !sequence.isEmpty else { throw error(node, "an empty list matches nothing: give fields or keywords") }
      var parts: [Predicate] = []
      for item in sequence {
        if item.mapping != nil {
          parts.append(try selection(item))
        } else {
          parts.append(try keyword(item))
        }
      }
      return parts.count == 1 ? parts[0] : .or(parts)
    default:
      return try keyword(node)
    }
  }

  /// `'|all': [keywords]`: every keyword must appear.
  func keywordMap(key: String, value: Node, node: Node) throws(RuleError) -> Predicate {
    guard key == "|all" else {
      throw error(node, "keyword modifier '\(key)' is not supported (keywords take only '|all')")
    }
    let items = value.sequence.map(Array.init) ?? [value]
    var parts: [Predicate] = []
    for item in items { parts.append(try keyword(item)) }
    return .and(parts)
  }

  /// A keyword: found in some value anywhere in the event, as `contains` would find it.
  func keyword(_ node: Node) throws(RuleError) -> Predicate {
    guard let scalar = node.scalar, node.tagName != .null else {
      throw error(node, "a keyword must be a string or a number")
    }
    let pattern = SigmaString(sigma: scalar.string).anchored(start: false, end: false)
    return .sigma(SigmaCondition(field: nil, test: .string(pattern)))
  }

  /// `field|modifiers: value or list`.
  func fieldItem(_ key: String, _ value: Node, keyNode: Node) throws(RuleError) -> Predicate {
    let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    let name = parts[0]
    let path = SigmaPaths.split(name)
    guard !name.isEmpty, !path.contains(where: \.isEmpty) else {
      throw error(keyNode, "invalid field name '\(name)': expected a dotted path such as requestParameters.bucketName")
    }
    let modifiers = try Modifiers(parts.dropFirst(), keyNode: keyNode, detection: self)
    let values: [Node]
    switch value {
    case .sequence(let sequence):
      guard !sequence.isEmpty else { throw error(value, "'\(key)' has an empty list of values") }
      values = Array(sequence)
    case .mapping:
      throw error(value, "'\(key)' must have a value or a list of values, not a mapping")
    default:
      values = [value]
    }
    var alternatives: [Predicate] = []
    for item in values {
      alternatives.append(try modifiers.predicate(path: path, value: item))
    }
    return modifiers.all ? .all(alternatives) : .any(alternatives)
  }
}

/// The modifiers of one field, checked and applied to its values.
struct Modifiers {
  enum Position { case whole, start, end, anywhere }
  enum Transform {
    case windash
    case utf16(bigEndian: Bool, byteOrderMark: Bool)
    case base64
    case base64offset
  }
  enum Kind {
    case string, regex, cidr, exists, fieldRef
    case compare(PatternOperator)
  }

  var position = Position.whole
  var all = false
  var cased = false
  var kind = Kind.string
  var flags = SigmaRegex.Flags()
  var transforms: [Transform] = []
  let keyNode: Node
  let detection: SigmaDetection

  static let unsupported: [String: String] = [
    "expand": "placeholders ('expand') are not supported: replace them with values",
    "neq": "'neq' is not supported: write a filter and 'not' it in the condition",
    "minute": "time modifiers ('minute', 'hour', 'day', 'week', 'month', 'year') are not supported",
    "hour": "time modifiers ('minute', 'hour', 'day', 'week', 'month', 'year') are not supported",
    "day": "time modifiers ('minute', 'hour', 'day', 'week', 'month', 'year') are not supported",
    "week": "time modifiers ('minute', 'hour', 'day', 'week', 'month', 'year') are not supported",
    "month": "time modifiers ('minute', 'hour', 'day', 'week', 'month', 'year') are not supported",
    "year": "time modifiers ('minute', 'hour', 'day', 'week', 'month', 'year') are not supported",
  ]

  init(_ names: ArraySlice<String>, keyNode: Node, detection: SigmaDetection) throws(RuleError) {
    self.keyNode = keyNode
    self.detection = detection
    func fail(_ message: String) -> RuleError { detection.error(keyNode, message) }
    var seenKind = false
    func setKind(_ new: Kind, _ name: String) throws(RuleError) {
      if seenKind { throw fail("modifier '\(name)' cannot be combined with another type modifier") }
      seenKind = true
      kind = new
    }
    for name in names {
      switch name.lowercased() {
      case "contains", "startswith", "endswith":
        if position != .whole { throw fail("only one of contains, startswith and endswith may be given") }
        position = name.lowercased() == "contains" ? .anywhere : name.lowercased() == "startswith" ? .start : .end
      case "all": all = true
      case "cased": cased = true
      case "re": try setKind(.regex, name)
      case "i", "m", "s":
        guard case .regex = kind else { throw fail("modifier '\(name)' is a flag of 're' and must follow it") }
        switch name.lowercased() {
        case "i": flags.caseInsensitive = true
        case "m": flags.multiline = true
        default: flags.dotAll = true
        }
      case "cidr": try setKind(.cidr, name)
      case "exists": try setKind(.exists, name)
      case "fieldref": try setKind(.fieldRef, name)
      case "lt": try setKind(.compare(.less), name)
      case "lte": try setKind(.compare(.lessOrEqual), name)
      case "gt": try setKind(.compare(.greater), name)
      case "gte": try setKind(.compare(.greaterOrEqual), name)
      case "windash": transforms.append(.windash)
      case "wide", "utf16le": transforms.append(.utf16(bigEndian: false, byteOrderMark: false))
      case "utf16be": transforms.append(.utf16(bigEndian: true, byteOrderMark: false))
      case "utf16": transforms.append(.utf16(bigEndian: false, byteOrderMark: true))
      case "base64": transforms.append(.base64)
      case "base64offset": transforms.append(.base64offset)
      case "":
        throw fail("an empty modifier (`||`)")
      default:
        if let reason = Self.unsupported[name.lowercased()] { throw fail(reason) }
        throw fail("unknown modifier '\(name)'")
      }
    }
    // Combinations that have no meaning.
    switch kind {
    case .string, .fieldRef: break
    default:
      if position != .whole { throw fail("contains, startswith and endswith apply to strings, not with this modifier") }
      if !transforms.isEmpty {
        throw fail("windash, utf16 and base64 modifiers apply to strings, not with this modifier")
      }
    }
    if case .fieldRef = kind, !transforms.isEmpty {
      throw fail("windash, utf16 and base64 modifiers cannot be applied to a field reference")
    }
    if case .regex = kind, cased {
      throw fail("'cased' does not apply to 're' (regexes are case-sensitive unless 'i')")
    }
    var encodedToBytes = false
    for (i, transform) in transforms.enumerated() {
      switch transform {
      case .windash:
        if encodedToBytes { throw fail("'windash' must come before utf16 and base64 modifiers") }
      case .utf16:
        if encodedToBytes { throw fail("utf16 modifiers must come before base64 modifiers") }
        encodedToBytes = true
        guard
          transforms[(i + 1)...].contains(where: {
            if case .base64 = $0 { true } else if case .base64offset = $0 { true } else { false }
          })
        else {
          throw fail("utf16/wide modifiers are only meaningful before base64 or base64offset")
        }
      case .base64, .base64offset:
        if i + 1 < transforms.count { throw fail("base64 modifiers must come last among the encoding modifiers") }
        if case .base64offset = transform, position != .anywhere {
          throw fail("'base64offset' needs 'contains': the encoded value sits inside a longer Base64 text")
        }
      }
    }
  }

  /// The predicate for one value of the field.
  func predicate(path: [String], value: Node) throws(RuleError) -> Predicate {
    func fail(_ message: String) -> RuleError { detection.error(value, message) }
    guard let scalar = value.scalar else { throw fail("a value must be a string, a number, a boolean or null") }
    let tag = value.tagName
    func leaf(_ test: SigmaTest) -> Predicate { .sigma(SigmaCondition(field: path, test: test)) }
    if tag == .null {
      guard case .string = kind, position == .whole, transforms.isEmpty else {
        throw fail("null cannot take modifiers: 'field: null' means the field is absent or null")
      }
      return .not(leaf(.exists))
    }
    switch kind {
    case .exists:
      guard tag == .bool, let flag = value.bool else { throw fail("'exists' takes true or false") }
      return flag ? leaf(.exists) : .not(leaf(.exists))
    case .compare(let op):
      guard tag == .int || tag == .float, let number = Self.number(value) else {
        throw fail("'lt', 'lte', 'gt' and 'gte' take a number")
      }
      return leaf(.number(op, number))
    case .regex:
      guard tag != .bool else { throw fail("'re' takes a regular expression string") }
      do {
        return leaf(.regex(try SigmaRegex(scalar.string, flags: flags)))
      } catch {
        throw fail("invalid regular expression '\(scalar.string)': \(error)")
      }
    case .cidr:
      guard let network = IPNetwork(scalar.string), scalar.string.contains("/") else {
        throw fail("'cidr' takes a network such as 10.0.0.0/8 or 2001:db8::/32 (got '\(scalar.string)')")
      }
      return leaf(.cidr(network))
    case .fieldRef:
      let other = SigmaPaths.split(scalar.string)
      guard !scalar.string.isEmpty, !other.contains(where: \.isEmpty) else {
        throw fail("'fieldref' takes a field name (got '\(scalar.string)')")
      }
      let refPosition: SigmaFieldRefPosition =
        switch position {
        case .whole: .equal
        case .start: .startsWith
        case .end: .endsWith
        case .anywhere: .contains
        }
      return leaf(.fieldRef(other, refPosition, caseSensitive: cased))
    case .string:
      if position == .whole && transforms.isEmpty {
        if tag == .bool, let flag = value.bool { return leaf(.boolean(flag)) }
        if tag == .int || tag == .float, let number = Self.number(value) { return leaf(.number(.equal, number)) }
      }
      if tag == .bool {
        throw fail("a boolean cannot take contains, startswith, endswith or encoding modifiers; quote it")
      }
      var alternatives: [Predicate] = []
      for pattern in try patterns(scalar.string, node: value) { alternatives.append(leaf(.string(pattern))) }
      return .any(alternatives)
    }
  }

  /// The string patterns one value becomes after the transforms and the position modifier.
  func patterns(_ text: String, node: Node) throws(RuleError) -> [SigmaString] {
    func fail(_ message: String) -> RuleError { detection.error(node, message) }
    let encodes = transforms.contains { if case .windash = $0 { false } else { true } }
    var texts = [text]
    var bytes: [[UInt8]]? = nil
    for transform in transforms {
      switch transform {
      case .windash:
        var expanded: [String] = []
        for text in texts {
          guard let variants = SigmaEncodings.windash(text) else {
            throw fail("'windash' expands this value into more than \(SigmaEncodings.maxVariants) variants")
          }
          expanded += variants
        }
        texts = expanded
      case .utf16(let bigEndian, let byteOrderMark):
        bytes = try plain(texts, node).map {
          SigmaEncodings.utf16($0, bigEndian: bigEndian, byteOrderMark: byteOrderMark)
        }
      case .base64, .base64offset:
        let input: [[UInt8]]
        if let bytes { input = bytes } else { input = try plain(texts, node).map { Array($0.utf8) } }
        if case .base64 = transform {
          texts = input.map(SigmaEncodings.base64)
        } else {
          texts = input.flatMap(SigmaEncodings.base64Offsets)
        }
      }
    }
    return texts.map { text in
      let pattern =
        encodes ? SigmaString(plain: text, caseSensitive: cased) : SigmaString(sigma: text, caseSensitive: cased)
      return pattern.anchored(
        start: position == .whole || position == .start, end: position == .whole || position == .end)
    }
  }

  /// The values as plain text for encoding: wildcards cannot be encoded.
  func plain(_ texts: [String], _ node: Node) throws(RuleError) -> [String] {
    var out: [String] = []
    for text in texts {
      let pattern = SigmaString(sigma: text, caseSensitive: true)
      guard let plain = pattern.plainText else {
        throw detection.error(node, "wildcards cannot be encoded by utf16 or base64 modifiers (escape them: \\* \\?)")
      }
      out.append(plain)
    }
    return out
  }

  /// A YAML number as the decimal text comparisons read (`0x17` is 23, `1e3` is 1000.0).
  static func number(_ node: Node) -> PatternNumber? {
    if node.tagName == .int, let int = node.int { return PatternNumber(String(int)) }
    if let double = node.float, double.isFinite { return PatternNumber(String(double)) }
    return nil
  }
}
