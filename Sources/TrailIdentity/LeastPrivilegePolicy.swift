// A least-privilege IAM policy from observed calls: each call adds the actions it needs and the
// targets it acted on; the document allows exactly those actions (never a wildcard action), on
// the observed targets where every call of the action named one that fits its resource type, on
// `*` otherwise. Statements group the actions that share one resource set. Memory grows with
// the distinct actions and resources, not with the calls.
import TrailJSON

/// A least-privilege IAM policy built from observed calls (docs/identity.md).
package struct LeastPrivilegePolicy: Sendable {
  /// What the policy knows of one action.
  struct Grant: Sendable {
    /// False once a call of the action could not be narrowed: the resource is `*`.
    var narrowed = true
    /// The fitting targets of every call so far.
    var resources: Set<String> = []
  }

  private var grants: [String: Grant] = [:]

  package init() {}

  /// Adds one successful (or, by the caller's choice, denied) call of `action` on `targets`
  /// (the event's `target` values). Returns false, adding nothing, when `action` is not an
  /// action of the Service Authorization Reference: a wildcard, a misspelling, a service the
  /// catalog does not know.
  @discardableResult
  package mutating func add(action: String, targets: [String]) -> Bool {
    guard IAMActions.isKnown(action) else { return false }
    var grant = grants[action] ?? Grant()
    if grant.narrowed {
      if let fitting = IAMResources.resources(of: action, targets: targets) {
        grant.resources.formUnion(fitting)
      } else {
        grant = Grant(narrowed: false, resources: [])
      }
    }
    grants[action] = grant
    return true
  }

  /// Adds the call `eventName` of `eventSource` on `targets` through `IAMActions.mapping`, and
  /// returns that mapping (so the caller can report calls that need no permission or have no
  /// known action).
  @discardableResult
  package mutating func add(eventSource: String, eventName: String, targets: [String]) -> IAMActions.Mapping {
    let mapping = IAMActions.mapping(eventSource: eventSource, eventName: eventName)
    if case .permissions(let permissions) = mapping {
      for permission in permissions {
        add(action: permission.action, targets: permission.usesTargets ? targets : [])
      }
    }
    return mapping
  }

  /// Whether no action was added.
  package var isEmpty: Bool { grants.isEmpty }

  /// The allowed actions, sorted.
  package var actions: [String] { grants.keys.sorted() }

  /// The resources of `action`: its fitting targets (sorted, escaped as a policy names them), or
  /// `["*"]`; empty when the action was not added.
  package func resources(of action: String) -> [String] {
    guard let grant = grants[action] else { return [] }
    guard grant.narrowed, !grant.resources.isEmpty else { return ["*"] }
    return grant.resources.map(IAMResources.escaped).sorted()
  }

  /// One statement of the document.
  package struct Statement: Hashable, Sendable {
    /// The actions, sorted.
    package var actions: [String]
    /// The resources, sorted: ARNs, or `["*"]`.
    package var resources: [String]
  }

  /// The statements: one per distinct resource set, holding every action with that set, ordered
  /// by resource set (`*` first).
  package var statements: [Statement] {
    var byResources: [[String]: [String]] = [:]
    for action in grants.keys { byResources[resources(of: action), default: []].append(action) }
    return byResources.map { Statement(actions: $0.value.sorted(), resources: $0.key) }
      .sorted { $0.resources.lexicographicallyPrecedes($1.resources) }
  }

  /// The policy document: `{"Version": "2012-10-17", "Statement": […]}`, two-space indented,
  /// the same bytes for the same calls in any order. `Resource` is `"*"` or an array of ARNs,
  /// `Action` always an array. No calls: `"Statement": []`.
  package func json() -> String {
    var out: [UInt8] = []
    func line(_ indent: Int, _ text: String) {
      out += Array(repeating: UInt8(ascii: " "), count: indent)
      out += Array(text.utf8)
    }
    func strings(_ values: [String], indent: Int) {
      out += Array("[\n".utf8)
      for (index, value) in values.enumerated() {
        line(indent + 2, "")
        JSONWriter.appendString(value, to: &out)
        out += Array((index + 1 < values.count ? ",\n" : "\n").utf8)
      }
      line(indent, "]")
    }
    let statements = statements
    line(0, "{\n")
    line(2, "\"Version\": \"2012-10-17\",\n")
    guard !statements.isEmpty else {
      line(2, "\"Statement\": []\n}\n")
      return String(decoding: out, as: UTF8.self)
    }
    line(2, "\"Statement\": [\n")
    for (index, statement) in statements.enumerated() {
      line(4, "{\n")
      line(6, "\"Effect\": \"Allow\",\n")
      line(6, "\"Action\": ")
      strings(statement.actions, indent: 6)
      out += Array(",\n".utf8)
      line(6, "\"Resource\": ")
      if statement.resources == ["*"] {
        out += Array("\"*\"".utf8)
      } else {
        strings(statement.resources, indent: 6)
      }
      out += Array("\n".utf8)
      line(4, index + 1 < statements.count ? "},\n" : "}\n")
    }
    line(2, "]\n}\n")
    return String(decoding: out, as: UTF8.self)
  }
}
