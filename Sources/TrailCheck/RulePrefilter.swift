// Which rules an event can match, by its eventName: most rules (Sigma's, the CIS pack's, ours)
// name the calls they are about, so `check` reads an event's eventName once and tests only the
// rules that name it, plus those that name none. The names are a necessary condition read from
// the rule's own predicate (an equality on eventName that must hold), compared lower-cased, which
// covers Sigma's case-insensitive and the other languages' exact comparisons alike; the full
// predicate still decides. Answers are the same as testing every rule (tested).
import TrailEvent
import TrailQuery

struct RulePrefilter {
  /// Rules that need one of a few eventNames, by lower-cased name.
  var byName: [String: [Int]] = [:]
  /// Rules with no such need: tested on every event.
  var always: [Int] = []

  init(_ rules: [Rule]) {
    for (index, rule) in rules.enumerated() {
      guard let names = Self.names(rule.predicate) else {
        always.append(index)
        continue
      }
      for name in names { byName[name, default: []].append(index) }
    }
  }

  /// The lower-cased eventName of the event ("" without one), or nil when it is not a string
  /// (then every rule is tested).
  static func name(of view: EventView) -> String? {
    guard let value = view.member("eventName") else { return "" }
    return value.string?.lowercased()
  }

  /// The eventNames (lower-cased) one of which an event must have to satisfy `predicate`, or nil
  /// when the predicate needs none that can be read off it.
  static func names(_ predicate: Predicate) -> Set<String>? {
    switch predicate {
    case .and(let parts):
      return parts.lazy.compactMap(names).first
    case .or(let parts):
      var all = Set<String>()
      for part in parts {
        guard let some = names(part) else { return nil }
        all.formUnion(some)
      }
      return all
    case .matches(let field, let glob) where field == .eventName || field == .path(["eventName"]):
      return glob.pattern.contains("*") ? nil : exactly(glob.pattern)
    case .sigma(let condition) where condition.field == ["eventName"]:
      guard case .string(let pattern) = condition.test, let text = pattern.plainText else { return nil }
      return exactly(text)
    case .pattern(let condition) where condition.selector.steps == [.member("eventName")]:
      guard case .compare(.equal, .text(let text)) = condition.test, !text.anyPrefix, !text.anySuffix else {
        return nil
      }
      return exactly(text.core)
    default:
      return nil
    }
  }

  /// A name that can be indexed (the empty name stands for an event without one).
  static func exactly(_ name: String) -> Set<String>? { name.isEmpty ? nil : [name.lowercased()] }
}
