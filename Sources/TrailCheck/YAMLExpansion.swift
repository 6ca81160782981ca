// Sizes a YAML document before Yams composes it. An alias is a reference to its anchor's node,
// so a small file can describe a huge tree: one 100 KB string aliased 10,000 times is a
// gigabyte of report text, and ten anchors of ten aliases each are 10^10 nodes. Yams and libyaml
// have no limit, and composing is not safe either: Yams hashes every mapping key to find
// duplicates, an aliased key is hashed in full (a 600-byte file with a billion-node key never
// finishes), and Yams composes and compares nested nodes recursively. So libyaml's own event
// stream (Yams's CYaml module) is read first, counting each alias as a copy of what it names:
// the running totals are exactly the expanded document's size, and the file is refused at the
// event that takes them over a limit, before anything is built. The same pass checks mapping
// keys, because Yams reports duplicate keys in the order of a comparison that does not order
// collections, nor scalars of one text with different tags, so its error changed from one run to
// the next (found by the `rules` fuzz target): a key must be a scalar, and a key's text may
// appear once per mapping, whatever its tag.
import CYaml

/// The size of a YAML document with every alias counted as a copy of its anchor's node.
struct YAMLExpansion {
  /// Nodes (scalars, sequences, mappings, keys included).
  var nodes = 0
  /// Bytes of scalar text.
  var bytes = 0
  /// The most collections (sequences, mappings) nested in one another, aliases expanded: a
  /// scalar alone is depth 0, a list of scalars 1.
  var depth = 0

  /// Why a document was refused: its line (1-based) and what is wrong.
  struct Refusal: Error {
    let line: Int
    let message: String
  }

  /// The expanded size of `text`, stopping at the first event that takes it over `maxNodes`,
  /// `maxBytes` or `maxDepth`, that starts a list or mapping as a mapping key (directly or
  /// through an alias), or that repeats a key's text in one mapping. A document libyaml cannot
  /// read, or with an undefined alias, is measured up to the problem (the composer reports it).
  static func measure(_ text: String, maxNodes: Int, maxBytes: Int, maxDepth: Int) throws(Refusal) -> YAMLExpansion {
    var text = text
    var outcome = Result<YAMLExpansion, Refusal>.success(YAMLExpansion())
    text.withUTF8 { bytes in
      outcome = Result { () throws(Refusal) in
        try measure(bytes, maxNodes: maxNodes, maxBytes: maxBytes, maxDepth: maxDepth)
      }
    }
    return try outcome.get()
  }

  private static func measure(
    _ bytes: UnsafeBufferPointer<UInt8>, maxNodes: Int, maxBytes: Int, maxDepth: Int
  ) throws(Refusal) -> YAMLExpansion {
    let reader = EventReader(bytes)
    var size = YAMLExpansion()
    var open: [Collection] = []
    // Each anchor's node: its expanded size, height (0 for a scalar) and a scalar's text.
    var anchors: [String: (nodes: Int, bytes: Int, height: Int, text: String?)] = [:]
    // Whether the next node is a key of the innermost open mapping.
    var atKey: Bool { open.last?.keys != nil && (open.last?.entries ?? 0) % 2 == 0 }

    func add(nodes: Int, bytes: Int, height: Int, key: String?, line: Int) throws(Refusal) {
      if let last = open.indices.last, open[last].keys != nil {
        if open[last].entries % 2 == 0 {
          guard height == 0, let key else {
            throw Refusal(line: line, message: "a mapping key must be a plain value, not a list or a mapping")
          }
          if let first = open[last].keys?[key] {
            throw Refusal(line: line, message: "duplicate key '\(key.clipped)' (first on line \(first))")
          }
          open[last].keys?[key] = line
        }
        open[last].entries += 1
      }
      size.nodes += nodes
      size.bytes += bytes
      size.depth = max(size.depth, open.count + height)
      if size.nodes > maxNodes {
        throw Refusal(
          line: line, message: "the file has more than \(maxNodes) YAML values once its aliases are expanded")
      }
      if size.bytes > maxBytes {
        throw Refusal(
          line: line,
          message: "the file holds more than \(maxBytes) bytes of text once its aliases are expanded "
            + "(an alias counts as a copy of what it names)")
      }
      if size.depth > maxDepth {
        throw Refusal(line: line, message: "values nested deeper than \(maxDepth) levels")
      }
      if let last = open.indices.last { open[last].height = max(open[last].height, height + 1) }
    }

    while let event = reader.next() {
      let line = Int(event.start_mark.line) + 1
      switch event.type {
      case YAML_SCALAR_EVENT:
        let length = Int(event.data.scalar.length)
        let anchor = name(event.data.scalar.anchor)
        let text =
          atKey || anchor != nil
          ? String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: length), as: UTF8.self) : nil
        try add(nodes: 1, bytes: length, height: 0, key: text, line: line)
        if let anchor { anchors[anchor] = (1, length, 0, text) }
      case YAML_ALIAS_EVENT:
        // An undefined alias is the composer's error to report: it stops there.
        guard let target = name(event.data.alias.anchor).flatMap({ anchors[$0] }) else { return size }
        try add(nodes: target.nodes, bytes: target.bytes, height: target.height, key: target.text, line: line)
      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        let anchor =
          event.type == YAML_SEQUENCE_START_EVENT
          ? name(event.data.sequence_start.anchor) : name(event.data.mapping_start.anchor)
        try add(nodes: 1, bytes: 0, height: 1, key: nil, line: line)
        open.append(
          Collection(
            nodes: size.nodes - 1, bytes: size.bytes, anchor: anchor,
            keys: event.type == YAML_MAPPING_START_EVENT ? [:] : nil))
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        guard let collection = open.popLast() else { break }
        if let last = open.indices.last { open[last].height = max(open[last].height, collection.height + 1) }
        if let anchor = collection.anchor {
          anchors[anchor] = (size.nodes - collection.nodes, size.bytes - collection.bytes, collection.height, nil)
        }
      default:
        break
      }
    }
    return size
  }

  /// A list or mapping being read.
  private struct Collection {
    /// The totals when it began.
    let nodes: Int
    let bytes: Int
    let anchor: String?
    /// The most collections nested in one another within it so far, itself included.
    var height = 1
    /// For a mapping, each key's text and line; nil for a list.
    var keys: [String: Int]?
    /// Keys and values begun in it (the next is a key when even).
    var entries = 0

    init(nodes: Int, bytes: Int, anchor: String?, keys: [String: Int]?) {
      (self.nodes, self.bytes, self.anchor, self.keys) = (nodes, bytes, anchor, keys)
    }
  }

  /// An anchor's name, from libyaml's NUL-terminated bytes.
  private static func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
  }
}

/// libyaml's parser over one buffer, handing out events until the stream ends or an error.
/// The parser and event live on the heap: libyaml keeps a pointer to the parser inside it.
private final class EventReader {
  private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
  private let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
  private var initialized = false
  private var holdsEvent = false
  private var done = false

  /// A reader of `bytes`, which must outlive it.
  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    parser.initialize(to: yaml_parser_t())
    event.initialize(to: yaml_event_t())
    initialized = yaml_parser_initialize(parser) == 1
    done = !initialized
    if initialized { yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count) }
  }

  deinit {
    if holdsEvent { yaml_event_delete(event) }
    if initialized { yaml_parser_delete(parser) }
    parser.deallocate()
    event.deallocate()
  }

  /// The next event (valid until the next call), or nil at the end of the stream or on an error.
  func next() -> yaml_event_t? {
    if holdsEvent {
      yaml_event_delete(event)
      holdsEvent = false
    }
    guard !done, yaml_parser_parse(parser, event) == 1 else {
      done = true
      return nil
    }
    holdsEvent = true
    if event.pointee.type == YAML_STREAM_END_EVENT { done = true }
    return event.pointee
  }
}
