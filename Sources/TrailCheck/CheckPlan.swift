// The rules of a check compiled into one `PredicateProgram`: each rule's predicate, or for a Sigma
// correlation each referred rule's, is one predicate of the program (identical ones once), so an
// event's fields are read once for every rule and the eventName/eventSource index leaves out the
// rules that cannot match; `users` maps what held back to the rules to update.
import TrailEvent
import TrailQuery

struct CheckPlan {
  /// The distinct predicates of the rules, compiled together with the fields rules group by.
  let program: PredicateProgram
  /// Per rule, its program predicates: one for a plain rule; one per referred rule, in
  /// `bases` order, for a correlation.
  let entries: [[Int]]
  /// Per program predicate, the rules (ascending) that use it.
  let users: [[Int]]
  /// Per rule, the program slots of the fields it groups by: one list for a plain rule, one per
  /// referred rule for a correlation.
  let groupSlots: [[[Int]]]
  /// Per correlation rule of kind value_count, the slot of the field it counts.
  let countedSlots: [Int?]

  init(_ rules: [Rule]) {
    var predicates: [Predicate] = []
    var indexOf: [Predicate: Int] = [:]
    var fields: [Field] = []
    func entry(_ predicate: Predicate) -> Int {
      if let index = indexOf[predicate] { return index }
      predicates.append(predicate)
      indexOf[predicate] = predicates.count - 1
      return predicates.count - 1
    }
    var entries: [[Int]] = []
    for rule in rules {
      if let correlation = rule.correlation {
        entries.append(correlation.bases.map { entry($0.predicate) })
        fields += correlation.baseGroupFields.joined()
        if case .valueCount(let path) = correlation.kind { fields.append(.path(path)) }
      } else {
        entries.append([entry(rule.predicate)])
        fields += rule.groupBy
      }
    }
    var users = [[Int]](repeating: [], count: predicates.count)
    for (rule, used) in entries.enumerated() {
      for index in Set(used).sorted() { users[index].append(rule) }
    }
    let program = PredicateProgram(predicates, fields: fields)
    func slots(_ fields: [Field]) -> [Int] { fields.compactMap { program.slot(of: $0) } }
    groupSlots = rules.map { rule in
      rule.correlation.map { $0.baseGroupFields.map(slots) } ?? [slots(rule.groupBy)]
    }
    countedSlots = rules.map { rule in
      guard case .valueCount(let path)? = rule.correlation?.kind else { return nil }
      return program.slot(of: .path(path))
    }
    self.program = program
    self.entries = entries
    self.users = users
  }
}
