// libFuzzer target `json`: the strict parser is the first thing hostile bytes meet, so every
// input is parsed, and whatever parses is read back every way the scan reads it (tape walk,
// compaction for `jsonl`, Codable decoding of the event model). Run it with scripts/fuzz.sh.

import TrailEvent
import TrailJSON
import TrailModel

/// A document reused from input to input, as the scan loop reuses one per record.
nonisolated(unsafe) let reused = JSONDocument()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))

  // Reusing a document must give the same outcome and tape as a fresh one (and errors move
  // with the base offset).
  let reusedOutcome: Result<Void, JSONError> = bytes.withUnsafeBytes { raw in
    Result { () throws(JSONError) in try reused.parse(raw, baseOffset: 1000) }
  }.mapError { $0.shifted(by: -1000) }
  let document: JSONDocument
  do {
    document = try JSONDocument(parsing: bytes)
  } catch {
    guard case .failure(let again) = reusedOutcome, again == error else {
      fatalError("a reused document disagrees with a fresh one: \(reusedOutcome) vs \(error)")
    }
    check(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside the input of \(size) bytes")
    check(!error.reason.isEmpty, "an error without a reason")
    return 0
  }
  check((try? reusedOutcome.get()) != nil, "a reused document failed where a fresh one parsed")
  check(reused.nodes == document.nodes, "a reused document built another tape")

  let root = document.root
  let (visited, depth) = walk(root, document)
  check(visited == document.nodes.count, "the walk did not visit every node once")
  // The depth limit admits exactly `depth` levels.
  do throws(JSONError) {
    _ = try JSONDocument(parsing: bytes, limits: JSONLimits(maxDepth: depth))
  } catch {
    fatalError("a text \(depth) levels deep fails with maxDepth \(depth): \(error)")
  }
  if depth > 0 {
    do throws(JSONError) {
      _ = try JSONDocument(parsing: bytes, limits: JSONLimits(maxDepth: depth - 1))
      fatalError("a text \(depth) levels deep parses with maxDepth \(depth - 1)")
    } catch {
      check(error.kind == .tooDeep, "a text \(depth) levels deep fails with maxDepth \(depth - 1) as \(error)")
    }
  }
  check(Int(document.nodes[0].next) == document.nodes.count, "the root does not span the tape")

  // Compaction keeps the data: it re-parses to an equal tree, and compacting again changes nothing.
  var compact: [UInt8] = []
  JSONWriter.appendCompacted(root, to: &compact)
  let reparsed: JSONDocument
  do {
    reparsed = try JSONDocument(parsing: compact)
  } catch {
    fatalError("compacted text does not parse: \(error)\n\(String(decoding: compact, as: UTF8.self))")
  }
  let tree = JSONTree(root)
  check(JSONTree(reparsed.root) == tree, "compaction changed the value")
  var twice: [UInt8] = []
  JSONWriter.appendCompacted(reparsed.root, to: &twice)
  check(twice == compact, "compaction is not idempotent")
  check(compact == compactedFromTape(document), "compaction removed other bytes than whitespace between tokens")

  // The tree's own writer (sorted keys, re-quoted strings) round-trips too.
  var written: [UInt8] = []
  tree.write(to: &written)
  do {
    let rewritten = try JSONDocument(parsing: written, limits: JSONLimits(maxRecordSize: 1 << 30, maxDepth: 1 << 20))
    check(JSONTree(rewritten.root) == tree, "JSONTree.write changed the value")
  } catch {
    fatalError("JSONTree.write produced text that does not parse: \(error)")
  }

  // The event model: errors are fine, traps are not. Equality re-parses RawJSON members.
  if let event = try? JSONValueDecoder().decode(CloudTrailEvent.self, from: root) {
    check(event == event, "a decoded event is not equal to itself")
  }
  // The event layer: every derived field of an object, read straight from the tape, and the
  // identity read from the tape agreeing with the decoded model's.
  if root.kind == .object {
    let view = EventView(json: root)
    for (field, _) in Field.derived { _ = view.values(of: field) }
    check(view.identity?.principal == view.event.userIdentity?.principal, "tape and model disagree on principal")
  }
  _ = try? JSONValueDecoder().decode(JSONTree.self, from: root)
  _ = try? JSONValueDecoder().decode([CloudTrailEvent].self, from: root)
  return 0
}

/// Reads every value the way readers do; returns the number of nodes visited and the nesting
/// depth (containers on the deepest path).
func walk(_ value: JSONValue, _ document: JSONDocument) -> (nodes: Int, depth: Int) {
  _ = value.rawText
  _ = value.jsonText
  _ = value.offset
  switch value.kind {
  case .string:
    let text = value.string
    check(text != nil, "a string node without a string")
    check(value.stringEquals(text!), "a string does not equal its own text")
    return (1, 0)
  case .number:
    check(value.numberText != nil, "a number node without text")
    return (1, 0)
  case .null, .true, .false:
    return (1, 0)
  case .array:
    let elements = value.elements
    check(elements.count == value.count, "array count \(value.count) but \(elements.count) elements")
    var visited = 1
    var depth = 0
    for element in elements {
      let (n, d) = walk(element, document)
      visited += n
      depth = max(depth, d)
    }
    return (visited, depth + 1)
  case .object:
    let members = value.members
    check(members.count == value.count, "object count \(value.count) but \(members.count) members")
    var visited = 1
    var depth = 0
    for (key, member) in members {
      let (n, d) = walk(member, document)
      visited += 1 + n
      depth = max(depth, d)
      // A repeated key reads as its first occurrence.
      guard let first = value[key] else { fatalError("member \(key) not found by name") }
      check(first.index <= member.index, "a lookup found a later occurrence of \(key)")
    }
    return (visited, depth + 1)
  }
}

/// The root's text without the whitespace between tokens, worked out from the tape: every byte
/// inside a string (quotes included) is kept, every other whitespace byte dropped.
func compactedFromTape(_ document: JSONDocument) -> [UInt8] {
  let root = document.nodes[0]
  let start = Int(root.start) - (root.kind == .string ? 1 : 0)
  let end = Int(root.end) + (root.kind == .string ? 1 : 0)
  var inString = [Bool](repeating: false, count: document.bytes.count + 1)
  for node in document.nodes where node.kind == .string {
    for i in (Int(node.start) - 1)...Int(node.end) { inString[i] = true }
  }
  var out: [UInt8] = []
  for i in start..<end {
    let b = document.bytes[i]
    if inString[i] || !(b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D) { out.append(b) }
  }
  return out
}

@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
