// `check` runs every rule in one pass (issue 16: rules compiled into one plan that shares field
// reads and skips rules by eventName/eventSource): through the binary, all the rules trail-scan
// ships and the 57 SigmaHQ rules, run together over a generated archive and the shared corpus,
// report for each rule exactly what that rule reports when it is the only one run (`--rule ID`),
// on one thread and on two.
import Foundation
import Testing
import TrailTestSupport

struct CheckOnePassTests {
  static let ruleArguments = ["--pack", "cis", "--pack", "threats", "--rules", "Fixtures/sigma/cloudtrail"]

  /// The report's rules by id, each as Foundation reads it.
  static func rules(_ result: RunResult) throws -> [String: NSDictionary] {
    let report = try #require(
      try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], "\(result.stderr)")
    let rules = try #require(report["rules"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: rules.map { ($0["id"] as? String ?? "", $0 as NSDictionary) })
  }

  @Test func everyRuleReportsTogetherWhatItReportsAlone() throws {
    let folder = try TemporaryDirectory(prefix: "check-one-pass")
    let fixtures = TrailBinary.url.deletingLastPathComponent().appendingPathComponent("trail-fixtures").path
    try #require(FileManager.default.isExecutableFile(atPath: fixtures), "\(fixtures) not built")
    let made = try TrailBinary.shell("'\(fixtures)' archive '\(folder.path)' --events 1000 >/dev/null")
    try #require(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
    let inputs = [folder.path] + CorpusEvents.logFolders.map { Paths.sharedCorpus.appendingPathComponent($0).path }
    let base = ["check"] + inputs + Self.ruleArguments + ["--format", "json"]

    let together = try TrailBinary.run(base + ["--threads", "1"])
    let all = try Self.rules(together)
    #expect(all.count == 15 + 34 + 57)
    let twoThreads = try Self.rules(try TrailBinary.run(base + ["--threads", "2"]))
    #expect(twoThreads == all)
    let firing = all.values.filter { ($0["findings"] as? [Any])?.isEmpty == false }
    #expect(firing.count >= 20, "rules with findings: \(firing.count)")

    let ids = all.keys.sorted()
    let alone = Locked(ids.map { _ in (status: Int32(-1), rule: NSDictionary?.none) })
    let failures = Locked([String]())
    DispatchQueue.concurrentPerform(iterations: 4) { worker in
      for index in stride(from: worker, to: ids.count, by: 4) {
        do {
          let result = try TrailBinary.run(base + ["--rule", ids[index], "--threads", "1"])
          let rules = try Self.rules(result)
          alone.withLock { $0[index] = (result.status, rules.count == 1 ? rules[ids[index]] : nil) }
        } catch {
          failures.withLock { $0.append("\(ids[index]): \(error)") }
        }
      }
    }
    #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
    for (index, id) in ids.enumerated() {
      let (status, rule) = alone.withLock { $0[index] }
      // Exit 2 when some input could not be read (the corpus has such records), else 1 on findings.
      let fails = (rule?["status"] as? String) == "fail"
      #expect(status == (together.status == 2 ? 2 : fails ? 1 : 0), "\(id): status \(status)")
      #expect(rule == all[id], "\(id)")
    }
  }
}

/// A value behind a lock, for the workers above.
final class Locked<Value>: @unchecked Sendable {
  private var value: Value
  private let lock = NSLock()
  init(_ value: Value) { self.value = value }
  func withLock<R>(_ body: (inout Value) -> R) -> R {
    lock.lock()
    defer { lock.unlock() }
    return body(&value)
  }
}
