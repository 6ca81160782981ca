// Many predicates compiled into one program, so that `check` reads each event once for all its
// rules: every distinct read (a top-level member, a chain of members, a dotted path, a field) is a
// slot read at most once per event whichever predicates need it, and a literal need on eventName
// or eventSource (a name or prefix that must hold) indexes each predicate, so an event tests only
// the predicates its name or source leaves. The `Predicate` AST stays the definition; this is a
// compiled form of it with the same answers (CheckPlanTests, CheckOnePassTests).
import TrailEvent
import TrailJSON
import TrailTime

/// Predicates compiled together for evaluation on many events: shared reads, literal prefilters.
/// Immutable and shareable; each thread keeps its own `EventReads`.
public struct PredicateProgram: Sendable {
  /// What a slot reads from the event.
  enum Read: Hashable, Sendable {
    /// Member `key` of the top level (`parent` -1) or of the object another slot read (else
    /// absent): the value of a chain of members, as `EventView.member(path:)` reads it.
    case member(parent: Int, key: String)
    /// The values a dotted path reaches (`EventView.values(atPath:)`).
    case dotted([String])
    /// The values a CloudWatch selector with index or wildcard steps reaches (nil where a
    /// branch does not resolve).
    case walk([PathStep])
    /// A field's values as text (`EventView.values(of:)`).
    case field(Field)
    /// Every scalar value of the event at any depth (Sigma keywords).
    case leaves
  }

  /// One node of a compiled predicate; `a` and `b` index the node's operands.
  struct Node: Sendable {
    enum Op: UInt8, Sendable {
      /// `b` 1: true, 0: false.
      case constant
      /// The `b` children from `children[a]`.
      case and, or
      /// Node `a`.
      case not
      /// Field slot `a` against `globs[b]`, `networks[b]`; `exists`: the slot has a value.
      case matches, inNetwork, exists
      /// `timeRanges[b]`.
      case timeRange
      /// `patternTests[b]` on member slot `a` (one value or none).
      case member
      /// `patternTests[b]` on each value of walk slot `a`.
      case walk
      /// `sigmaTests[b]` on each value of dotted slot `a`; `sigmaExists`: the slot has a value.
      case sigma, sigmaExists
      /// `fieldRefs[b]` on dotted slot `a`.
      case fieldRef
      /// `sigmaTests[b]` on each leaf (slot `a`).
      case keyword
      /// `groups[b]`.
      case inGroups
    }
    var op: Op
    var a: Int
    var b: Int
  }

  /// A Sigma `fieldref` leaf: the other field's slot and how its values must appear.
  struct FieldRef: Sendable {
    var other: Int
    var position: SigmaFieldRefPosition
    var caseSensitive: Bool
  }

  let reads: [Read]
  /// For each dotted slot, the member slots of its path's prefixes (`a`, `a.b`, …); for a path
  /// field's slot, its dotted slot; else empty.
  let chains: [[Int]]
  /// The slots of fields, for `values(of:)`.
  let fieldSlots: [Field: Int]
  let nodes: [Node]
  let children: [Int]
  let globs: [Glob]
  let networks: [IPNetwork]
  let timeRanges: [(since: Timestamp?, until: Timestamp?)]
  let patternTests: [PatternTest]
  let sigmaTests: [SigmaTest]
  let fieldRefs: [FieldRef]
  let groups: [GroupWindows]
  /// Each predicate's root node.
  let roots: [Int]
  /// Predicates tested on every event.
  let always: [Int]
  /// Predicates that need an eventName (or, without one, an eventSource) of the index.
  let byName: LiteralIndex
  let bySource: LiteralIndex
  /// The top-level slots of `eventName` and `eventSource`, when an index needs them.
  let nameSlot: Int
  let sourceSlot: Int

  /// Compiles `predicates`; predicate `i` of the program is `predicates[i]`. `fields` are fields
  /// the caller will read with `values(of:)` (group keys), sharing the predicates' reads.
  public init(_ predicates: [Predicate], fields: [Field] = []) {
    var builder = Builder()
    for field in fields { _ = builder.fieldSlot(field) }
    var roots: [Int] = []
    var always: [Int] = []
    var byName: [(Need, Int)] = []
    var bySource: [(Need, Int)] = []
    for (index, predicate) in predicates.enumerated() {
      roots.append(builder.node(predicate))
      if let need = Need.of(predicate, on: .eventName) {
        byName.append((need, index))
      } else if let need = Need.of(predicate, on: .eventSource) {
        bySource.append((need, index))
      } else {
        always.append(index)
      }
    }
    nameSlot = byName.isEmpty ? -1 : builder.memberSlot(["eventName"])
    sourceSlot = bySource.isEmpty ? -1 : builder.memberSlot(["eventSource"])
    reads = builder.reads
    chains = builder.chains
    fieldSlots = builder.fieldSlots
    nodes = builder.nodes
    children = builder.children
    globs = builder.globs
    networks = builder.networks
    timeRanges = builder.timeRanges
    patternTests = builder.patternTests
    sigmaTests = builder.sigmaTests
    fieldRefs = builder.fieldRefs
    groups = builder.groups
    self.roots = roots
    self.always = always
    self.byName = LiteralIndex(byName)
    self.bySource = LiteralIndex(bySource)
  }

  /// How many predicates the program holds.
  public var count: Int { roots.count }

  /// How many distinct reads of an event the predicates share (for tests and statistics).
  public var readCount: Int { reads.count }

  /// How many predicates are tested on every event, whatever its eventName and eventSource.
  public var unindexedCount: Int { always.count }

  /// Tests the predicates an event's eventName and eventSource leave (the others cannot hold)
  /// and records which hold in `reads`, until `reads.clear()`; `reads.holds(i)` answers as
  /// `predicates[i].evaluate(view)` would.
  public func evaluate(_ view: EventView, _ reads: inout EventReads) {
    reads.begin(self)
    for index in always { test(index, view, &reads) }
    if nameSlot >= 0 { testCandidates(byName, key: nameSlot, view, &reads) }
    if sourceSlot >= 0 { testCandidates(bySource, key: sourceSlot, view, &reads) }
  }

  /// Tests the predicates of `index` that the event's value of the `key` slot leaves.
  func testCandidates(_ index: LiteralIndex, key: Int, _ view: EventView, _ reads: inout EventReads) {
    let value = member(key, view, &reads)
    // A value the index cannot judge (not a string, not plain ASCII): every predicate is tested.
    if !index.forEach(value, { test($0, view, &reads) }) {
      for predicate in index.all { test(predicate, view, &reads) }
    }
  }

  /// The values of `field` as `EventView.values(of:)` gives them, read once per event through
  /// `reads` when the program was compiled with the field (sharing its slot with the predicates
  /// that read it), else straight from the view.
  public func values(of field: Field, _ view: EventView, _ reads: inout EventReads) -> [String] {
    guard let slot = fieldSlots[field] else { return view.values(of: field) }
    return texts(slot, view, &reads)
  }

  /// The slot of a field the program was compiled with, for `values(ofSlot:)` without a lookup
  /// per event.
  public func slot(of field: Field) -> Int? { fieldSlots[field] }

  /// The values of the field whose slot `slot(of:)` gave, as `values(of:)` reads them.
  public func values(ofSlot slot: Int, _ view: EventView, _ reads: inout EventReads) -> [String] {
    texts(slot, view, &reads)
  }

  func test(_ index: Int, _ view: EventView, _ reads: inout EventReads) {
    guard reads.stamps[index] != reads.generation else { return }
    reads.stamps[index] = reads.generation
    let holds = holds(roots[index], view, &reads)
    reads.results[index] = holds
    if holds { reads.holding.append(index) }
  }

  /// Whether node `index` holds on the event.
  func holds(_ index: Int, _ view: EventView, _ reads: inout EventReads) -> Bool {
    let node = nodes[index]
    switch node.op {
    case .constant:
      return node.b != 0
    case .and:
      for child in children[node.a..<(node.a + node.b)] where !holds(child, view, &reads) { return false }
      return true
    case .or:
      for child in children[node.a..<(node.a + node.b)] where holds(child, view, &reads) { return true }
      return false
    case .not:
      return !holds(node.a, view, &reads)
    case .matches:
      return texts(node.a, view, &reads).contains(where: globs[node.b].matches)
    case .inNetwork:
      return texts(node.a, view, &reads).contains(where: networks[node.b].contains)
    case .exists:
      return !texts(node.a, view, &reads).isEmpty
    case .timeRange:
      let range = timeRanges[node.b]
      guard let time = view.eventTime else { return range.since == nil && range.until == nil }
      if let since = range.since, time < since { return false }
      if let until = range.until, time >= until { return false }
      return true
    case .member:
      let value = member(node.a, view, &reads)
      // Tests are used in place (through the buffer), not copied out of their array.
      return patternTests.withUnsafeBufferPointer { $0[node.b].holds(value) }
    case .walk:
      return patternTests.withUnsafeBufferPointer { tests in some(node.a, view, &reads) { tests[node.b].holds($0) } }
    case .sigma, .keyword:
      return sigmaTests.withUnsafeBufferPointer { tests in
        some(node.a, view, &reads) { value in value.map { tests[node.b].holds($0) } ?? false }
      }
    case .sigmaExists:
      return some(node.a, view, &reads) { _ in true }
    case .fieldRef:
      let reference = fieldRefs[node.b]
      let texts = values(reference.other, view, &reads).flatMap { $0.map(SigmaCondition.texts) ?? [] }
      guard !texts.isEmpty else { return false }
      let patterns = texts.map { text in
        SigmaString(plain: text, caseSensitive: reference.caseSensitive).anchored(
          start: reference.position == .equal || reference.position == .startsWith,
          end: reference.position == .equal || reference.position == .endsWith)
      }
      return some(node.a, view, &reads) { value in
        guard let value else { return false }
        return SigmaCondition.texts(value).contains { text in patterns.contains { $0.matches(text) } }
      }
    case .inGroups:
      return groups[node.b].contains(view)
    }
  }

  // MARK: Slots

  /// A member slot's value (nil: absent, or its parent is not an object).
  func member(_ slot: Int, _ view: EventView, _ reads: inout EventReads) -> JSONValue? {
    switch reads.memo[slot] {
    case .one(let value): return value
    case .none: return nil
    default: break
    }
    guard case .member(let parent, let key) = self.reads[slot] else { return nil }
    var value: JSONValue?
    if parent < 0 {
      value = view.member(key)
    } else if let object = member(parent, view, &reads), object.kind == .object {
      value = object[key] ?? (view.foldsKeyCase ? object.member(key, ignoringCase: true) : nil)
    }
    reads.store(value.map(EventReads.Memo.one) ?? .none, at: slot)
    return value
  }

  /// Whether `body` holds for some value of a dotted, walk or leaves slot (no array is made for
  /// the usual single value).
  func some(_ slot: Int, _ view: EventView, _ reads: inout EventReads, _ body: (JSONValue?) -> Bool) -> Bool {
    if case .unread = reads.memo[slot] { read(slot, view, &reads) }
    switch reads.memo[slot] {
    case .one(let value): return body(value)
    case .many(let values): return values.contains(where: body)
    default: return false
    }
  }

  /// The values of a dotted, walk or leaves slot.
  func values(_ slot: Int, _ view: EventView, _ reads: inout EventReads) -> [JSONValue?] {
    if case .unread = reads.memo[slot] { read(slot, view, &reads) }
    switch reads.memo[slot] {
    case .many(let values): return values
    case .one(let value): return [value]
    default: return []
    }
  }

  /// Reads a dotted, walk or leaves slot into `reads`.
  func read(_ slot: Int, _ view: EventView, _ reads: inout EventReads) {
    let memo: EventReads.Memo
    switch self.reads[slot] {
    case .dotted(let path): memo = dotted(path, chain: chains[slot], view, &reads)
    case .walk(let steps):
      var found: [JSONValue?] = []
      view.walk(steps, mode: .cloudWatch) { found.append($0) }
      memo = .many(found)
    case .leaves: memo = .many(Self.leaves(of: view))
    case .member, .field: memo = .none
    }
    reads.store(memo, at: slot)
  }

  /// A dotted path through member slots while each step meets an object (most paths); where one
  /// meets an array or a string (which a dotted path fans out or reads through), the full walk.
  func dotted(_ path: [String], chain: [Int], _ view: EventView, _ reads: inout EventReads) -> EventReads.Memo {
    for slot in chain.dropLast() {
      guard let value = member(slot, view, &reads) else { return .none }
      switch value.kind {
      case .object: continue
      case .array, .string: return .many(view.values(atPath: path))
      default: return .none
      }
    }
    guard let last = chain.last, let value = member(last, view, &reads) else { return .none }
    switch value.kind {
    case .null: return .none
    case .array: return .many(value.elements.filter { !$0.isNull })
    default: return .one(value)
    }
  }

  /// A field slot's texts; a path's are its dotted slot's values as text.
  func texts(_ slot: Int, _ view: EventView, _ reads: inout EventReads) -> [String] {
    if case .texts(let texts) = reads.memo[slot] { return texts }
    guard case .field(let field) = self.reads[slot] else { return [] }
    let texts: [String]
    if let dotted = chains[slot].first {
      texts = values(dotted, view, &reads).compactMap { $0.map(JSONText.of) }
    } else {
      texts = view.values(of: field)
    }
    reads.store(.texts(texts), at: slot)
    return texts
  }

  /// Every scalar value of the event, objects and arrays searched, in document order.
  static func leaves(of view: EventView) -> [JSONValue?] {
    var out: [JSONValue?] = []
    func search(_ value: JSONValue) {
      switch value.kind {
      case .object: for member in value.members { search(member.value) }
      case .array: for element in value.elements { search(element) }
      case .null: break
      default: out.append(value)
      }
    }
    for member in view.members { search(member.value) }
    return out
  }
}

/// One thread's per-event memory of a `PredicateProgram`: each slot's value once read, and which
/// predicates held. Reused from event to event; `clear()` after each event drops what it holds.
public struct EventReads {
  enum Memo {
    case unread
    case none
    case one(JSONValue)
    case many([JSONValue?])
    case texts([String])
  }

  var memo: [Memo]
  /// Slots read since the last `clear()`.
  var touched: [Int] = []
  /// `results[i]` is predicate i's answer when `stamps[i] == generation`; else it was not a
  /// candidate, so it does not hold.
  var stamps: [UInt32]
  var results: [Bool]
  var generation: UInt32 = 0
  /// The predicates that held on the event, in the order they were tested.
  var holding: [Int] = []

  /// Memory for `program`'s reads.
  public init(for program: PredicateProgram) {
    memo = Array(repeating: .unread, count: program.reads.count)
    stamps = Array(repeating: 0, count: program.count)
    results = Array(repeating: false, count: program.count)
  }

  /// Whether predicate `index` held on the event last evaluated.
  public func holds(_ index: Int) -> Bool { stamps[index] == generation && results[index] }

  /// Calls `body` with each predicate that held on the event last evaluated.
  public func forEachHolding(_ body: (Int) -> Void) {
    for index in holding { body(index) }
  }

  /// Forgets the event's values (call once its predicates and fields have been read).
  public mutating func clear() {
    for slot in touched { memo[slot] = .unread }
    touched.removeAll(keepingCapacity: true)
  }

  mutating func begin(_ program: PredicateProgram) {
    if !touched.isEmpty { clear() }
    holding.removeAll(keepingCapacity: true)
    generation &+= 1
    if generation == 0 {
      // After 2^32 events stamps could repeat: start them over.
      for index in stamps.indices { stamps[index] = 0 }
      generation = 1
    }
  }

  mutating func store(_ value: Memo, at slot: Int) {
    memo[slot] = value
    touched.append(slot)
  }
}

extension PredicateProgram {
  /// Compiles predicates into nodes and slots, sharing identical reads and identical subtrees.
  struct Builder {
    var reads: [Read] = []
    var chains: [[Int]] = []
    var readIndex: [Read: Int] = [:]
    var nodes: [Node] = []
    var nodeIndex: [Predicate: Int] = [:]
    var children: [Int] = []
    var globs: [Glob] = []
    var networks: [IPNetwork] = []
    var timeRanges: [(since: Timestamp?, until: Timestamp?)] = []
    var patternTests: [PatternTest] = []
    var sigmaTests: [SigmaTest] = []
    var fieldRefs: [FieldRef] = []
    var groups: [GroupWindows] = []
    var fieldSlots: [Field: Int] = [:]
    /// Each node's cost class (`cost(of:)`), for ordering the parts of and/or.
    var costs: [Int] = []

    mutating func slot(_ read: Read, chain: [Int] = []) -> Int {
      if let index = readIndex[read] { return index }
      reads.append(read)
      chains.append(chain)
      readIndex[read] = reads.count - 1
      return reads.count - 1
    }

    /// The slot of a chain of members (each prefix gets its own, shared with other paths).
    mutating func memberSlot(_ keys: [String]) -> Int {
      var parent = -1
      for key in keys { parent = slot(.member(parent: parent, key: key)) }
      return parent
    }

    mutating func dottedSlot(_ path: [String]) -> Int {
      if let index = readIndex[.dotted(path)] { return index }
      var chain: [Int] = []
      var parent = -1
      for key in path {
        parent = slot(.member(parent: parent, key: key))
        chain.append(parent)
      }
      return slot(.dotted(path), chain: chain)
    }

    /// A field's slot; a path's reads its dotted slot.
    mutating func fieldSlot(_ field: Field) -> Int {
      if let index = fieldSlots[field] { return index }
      var chain: [Int] = []
      if case .path(let segments) = field { chain = [dottedSlot(segments)] }
      let index = slot(.field(field), chain: chain)
      fieldSlots[field] = index
      return index
    }

    mutating func add(_ op: Node.Op, _ a: Int = 0, _ b: Int = 0) -> Int {
      nodes.append(Node(op: op, a: a, b: b))
      costs.append(0)
      costs[nodes.count - 1] = cost(of: nodes[nodes.count - 1])
      return nodes.count - 1
    }

    mutating func node(_ predicate: Predicate) -> Int {
      if let index = nodeIndex[predicate] { return index }
      let index: Int
      switch predicate {
      case .always:
        index = add(.constant, 0, 1)
      case .and, .or:
        // Nested and/or of the same kind flatten, and the parts run cheapest first: evaluation
        // has no effect but its answer, so the order changes only how soon it is known.
        let isAnd: Bool
        if case .and = predicate { isAnd = true } else { isAnd = false }
        let compiled = Self.flattened(predicate, isAnd: isAnd).map { node($0) }
        let ordered = compiled.enumerated().sorted { a, b in
          (costs[a.element], a.offset) < (costs[b.element], b.offset)
        }.map(\.element)
        let start = children.count
        children += ordered
        index = add(isAnd ? .and : .or, start, ordered.count)
        costs[index] = ordered.map { costs[$0] }.max() ?? 0
      case .not(let part):
        index = add(.not, node(part))
      case .matches(let field, let glob):
        globs.append(glob)
        index = add(.matches, fieldSlot(field), globs.count - 1)
      case .exists(let field):
        index = add(.exists, fieldSlot(field))
      case .inNetwork(let field, let network):
        networks.append(network)
        index = add(.inNetwork, fieldSlot(field), networks.count - 1)
      case .timeRange(let since, let until):
        timeRanges.append((since, until))
        index = add(.timeRange, 0, timeRanges.count - 1)
      case .pattern(let condition):
        patternTests.append(condition.test)
        if let path = condition.memberPath {
          index = add(.member, memberSlot(path), patternTests.count - 1)
        } else {
          index = add(.walk, slot(.walk(condition.selector.steps)), patternTests.count - 1)
        }
      case .sigma(let condition):
        guard let field = condition.field else {
          sigmaTests.append(condition.test)
          index = add(.keyword, slot(.leaves), sigmaTests.count - 1)
          break
        }
        let values = dottedSlot(field)
        switch condition.test {
        case .exists:
          index = add(.sigmaExists, values)
        case .fieldRef(let other, let position, let caseSensitive):
          fieldRefs.append(FieldRef(other: dottedSlot(other), position: position, caseSensitive: caseSensitive))
          index = add(.fieldRef, values, fieldRefs.count - 1)
        default:
          sigmaTests.append(condition.test)
          index = add(.sigma, values, sigmaTests.count - 1)
        }
      case .inGroups(let windows):
        groups.append(windows)
        index = add(.inGroups, 0, groups.count - 1)
      }
      nodeIndex[predicate] = index
      return index
    }

    /// The parts of nested `and`s (or `or`s) as one list.
    static func flattened(_ predicate: Predicate, isAnd: Bool) -> [Predicate] {
      switch (predicate, isAnd) {
      case (.and(let parts), true), (.or(let parts), false): return parts.flatMap { flattened($0, isAnd: isAnd) }
      default: return [predicate]
      }
    }

    /// How costly a node is, in three classes: 1 for tests of members, paths and fields read
    /// straight from the record; 2 for selector walks, firing groups and derived fields that
    /// decode `userIdentity` or search `resources`; 3 for regexes, field references and keyword
    /// searches of the whole event (and/or: their costliest part). Parts of an and/or run by
    /// class and, within a class, in the order written, which is usually most selective first.
    func cost(of node: Node) -> Int {
      switch node.op {
      case .constant: return 0
      case .and, .or: return 1
      case .not: return costs[node.a]
      case .timeRange, .member, .sigmaExists: return 1
      case .walk, .inGroups: return 2
      case .fieldRef, .keyword: return 3
      case .matches, .inNetwork, .exists:
        guard case .field(let field) = reads[node.a], chains[node.a].isEmpty else { return 1 }
        switch field {
        case .eventName, .eventSource, .readOnly, .region, .ip, .userAgent, .category, .error, .outcome, .time, .date,
          .hour, .service, .action:
          return 1
        default: return 2
        }
      case .sigma:
        if case .regex = sigmaTests[node.b] { return 3 }
        return 1
      }
    }
  }

  /// What a predicate needs of one top-level string field: its value, lower-cased, is one of
  /// `names` or starts with one of `prefixes` (ASCII, so lower-casing keeps them prefixes).
  /// Read off equalities and prefixes that must hold; a necessary condition, never sufficient.
  struct Need: Equatable {
    var names: Set<String> = []
    var prefixes: Set<String> = []

    enum Key { case eventName, eventSource }

    static func of(_ predicate: Predicate, on key: Key) -> Need? {
      switch predicate {
      case .and(let parts):
        // Any part's need is the whole's; the one without prefixes indexes best.
        let needs = parts.compactMap { of($0, on: key) }
        return needs.first { $0.prefixes.isEmpty } ?? needs.first
      case .or(let parts):
        var all = Need()
        for part in parts {
          guard let need = of(part, on: key) else { return nil }
          all.names.formUnion(need.names)
          all.prefixes.formUnion(need.prefixes)
        }
        return all
      case .matches(let field, let glob) where names(field, key):
        let pieces = glob.pattern.split(separator: "*", omittingEmptySubsequences: false)
        if pieces.count == 1 { return exactly(glob.pattern) }
        if pieces.count == 2 && pieces[1].isEmpty { return prefix(String(pieces[0])) }
        return nil
      case .sigma(let condition) where condition.field == [key.name]:
        guard case .string(let pattern) = condition.test else { return nil }
        if let text = pattern.plainText { return exactly(text) }
        if let text = pattern.prefixText { return prefix(text) }
        return nil
      case .pattern(let condition) where condition.selector.steps == [.member(key.name)]:
        guard case .compare(.equal, .text(let text)) = condition.test, !text.anyPrefix else { return nil }
        return text.anySuffix ? prefix(text.core) : exactly(text.core)
      default:
        return nil
      }
    }

    static func names(_ field: Field, _ key: Key) -> Bool {
      switch key {
      case .eventName: return field == .eventName || field == .path(["eventName"])
      case .eventSource: return field == .eventSource || field == .path(["eventSource"])
      }
    }

    /// A name that can be indexed: ASCII (see `LiteralIndex`), and not empty (the empty name
    /// stands for an event without one).
    static func exactly(_ name: String) -> Need? {
      guard !name.isEmpty, name.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
      return Need(names: [name.lowercased()])
    }

    /// A prefix that can be indexed: ASCII and not empty.
    static func prefix(_ text: String) -> Need? {
      guard !text.isEmpty, text.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
      return Need(prefixes: [text.lowercased()])
    }
  }
}

extension PredicateProgram.Need.Key {
  var name: String {
    switch self {
    case .eventName: return "eventName"
    case .eventSource: return "eventSource"
    }
  }
}

extension SigmaString {
  /// The text a `startswith` pattern without other wildcards begins with, nil for others.
  var prefixText: String? {
    guard tokens.count == 2, case .literal(let bytes) = tokens[0], tokens[1] == .any else { return nil }
    return String(decoding: bytes, as: UTF8.self)
  }
}
