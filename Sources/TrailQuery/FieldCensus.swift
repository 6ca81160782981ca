// The `fields` command's accumulator: every dotted path the events hold (arrays looked through,
// as paths read them), how many events have it, and the first scalar value seen as an example.
import TrailJSON

/// Counts field paths over events.
public struct FieldCensus {
  public struct Row: Sendable, Equatable {
    public var path: String
    public var count: Int
    public var example: String?
  }

  var counts: [String: Int] = [:]
  var examples: [String: String] = [:]

  public init() {}

  public mutating func add(_ json: JSONValue) {
    var seen = Set<String>()
    visit(json, path: "", seen: &seen)
    for path in seen { counts[path, default: 0] += 1 }
  }

  mutating func visit(_ value: JSONValue, path: String, seen: inout Set<String>) {
    switch value.kind {
    case .object:
      if !path.isEmpty { seen.insert(path) }
      for (key, member) in value.members {
        visit(member, path: path.isEmpty ? key : path + "." + key, seen: &seen)
      }
    case .array:
      seen.insert(path)
      for element in value.elements { visit(element, path: path, seen: &seen) }
    default:
      seen.insert(path)
      if examples[path] == nil && !value.isNull { examples[path] = JSONPath.text(of: value) }
    }
  }

  /// One row per path, sorted by path.
  public func rows() -> [Row] {
    counts.keys.sorted().map { Row(path: $0, count: counts[$0]!, example: examples[$0]) }
  }
}
