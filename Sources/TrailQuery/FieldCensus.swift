// The `fields` command's accumulator: every dotted path the events hold (arrays looked through,
// as paths read them), how many events have it, and an example value (the smallest seen, so
// the answer is the same however files are split between threads).
import TrailEvent
import TrailJSON

/// Counts field paths over events.
public struct FieldCensus {
  /// One path of the census.
  public struct Row: Sendable, Equatable {
    /// The dotted path (`requestParameters.bucketName`); array elements share their array's path.
    public var path: String
    /// How many events hold the path at least once.
    public var count: Int
    /// The smallest scalar text seen at the path (`null` aside), so the example does not depend on
    /// the order of reading; nil for a path that held only objects, empty arrays or `null`.
    public var example: String?
  }

  var counts: [String: Int] = [:]
  var examples: [String: String] = [:]

  /// An empty census.
  public init() {}

  /// Counts the paths of one event, as paths read it (a Lake event's `eventData` with its
  /// envelope's own fields).
  public mutating func add(_ view: EventView) {
    var seen = Set<String>()
    // Values still to visit, with their paths: a loop over a stack of our own rather than a
    // recursive walk, so that nesting (up to --max-depth's cap of 1024) costs no call stack.
    // The order of visits does not matter: `seen` is a set and each example is the smallest.
    var pending: [(value: JSONValue, path: String)] = view.members.map { ($0.value, $0.key) }
    while let (value, path) = pending.popLast() {
      switch value.kind {
      case .object:
        if !path.isEmpty { seen.insert(path) }
        for (key, member) in value.members { pending.append((member, path.isEmpty ? key : path + "." + key)) }
      case .array:
        seen.insert(path)
        for element in value.elements { pending.append((element, path)) }
      default:
        seen.insert(path)
        // The smallest value seen, so the example does not depend on the order files are read in.
        if !value.isNull {
          let text = JSONText.of(value)
          if examples[path].map({ text < $0 }) ?? true { examples[path] = text }
        }
      }
    }
    for path in seen { counts[path, default: 0] += 1 }
  }

  /// Adds another census (from a parallel worker).
  public mutating func merge(_ other: FieldCensus) {
    for (path, count) in other.counts { counts[path, default: 0] += count }
    for (path, example) in other.examples {
      if let mine = examples[path] { examples[path] = min(mine, example) } else { examples[path] = example }
    }
  }

  /// One row per path, sorted by path.
  public func rows() -> [Row] {
    counts.sorted { $0.key < $1.key }.map { Row(path: $0.key, count: $0.value, example: examples[$0.key]) }
  }
}
