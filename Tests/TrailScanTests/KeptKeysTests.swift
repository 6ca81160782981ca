// Which top-level members a scan keeps on the tape (`ScanPlan.keptKeys`), and that a scan that
// leaves the others off reads every event exactly as a scan that parses everything.
import Testing
import TrailArchive
import TrailEvent
import TrailJSON
import TrailModel
import TrailQuery
import TrailScan
import TrailTestSupport

struct KeptKeysTests {
  @Test func keysFollowTheFilterAndTheFieldsRead() throws {
    let plan = ScanPlan(predicate: .matches(.eventName, Glob("ConsoleLogin")))
    let keys = try #require(plan.keysToKeep(reading: [.principal, .time, .outcome]))
    for key in ["eventName", "userIdentity", "responseElements", "eventTime", "Records", "detail", "eventData"] {
      #expect(keys.contains(key), "\(key)")
    }
    #expect(keys.contains("USERIDENTITY"))
    for key in ["requestParameters", "resources", "additionalEventData", "tlsDetails"] {
      #expect(!keys.contains(key), "\(key)")
    }
    let bucket = try FilterPattern.parse(#"{ $.requestParameters.bucketName = "b" }"#)
    let bucketPattern = ScanPlan(predicate: bucket)
    #expect(bucketPattern.keysToKeep(reading: [])?.contains("requestParameters") == true)
    #expect(
      bucketPattern.keysToKeep(reading: [.path(["additionalEventData", "MFAUsed"])])?.contains("additionalEventData")
        == true)
    // Fields and selectors that may read any member keep everything.
    #expect(plan.keysToKeep(reading: [.target]) == nil)
    #expect(ScanPlan(predicate: try FilterPattern.parse(#"{ $.* = "x" }"#)).keysToKeep(reading: []) == nil)
    var dated = ScanPlan(timeField: ["@timestamp"])
    #expect(dated.keysToKeep(reading: [])?.contains("@timestamp") == true)
    dated.originResolver = NoOrigin()
    #expect(dated.keysToKeep(reading: []) == nil)
  }

  struct NoOrigin: OriginResolving {
    func origin(of view: EventView) -> String? { nil }
  }

  /// Every event of the inputs, as the whole model, its identity and its JSON text.
  func read(_ paths: [String], keys: JSONKeySet?) throws -> [String] {
    var plan = ScanPlan()
    plan.keptKeys = keys
    let engine = ScanEngine(plan: plan)
    var seen: [String] = []
    try engine.run(
      ArchiveWalker(paths: paths).objects(onError: { _ in }),
      onMatch: { view, origin in
        var text: [UInt8] = []
        JSONWriter.appendCompacted(view.json, to: &text)
        seen.append(
          "\(origin.offset) \(view.event) \(String(describing: view.identity)) \(view.values(of: .target)) "
            + "\(view.values(of: .path(["requestParameters"]))) \(String(decoding: text, as: UTF8.self))")
      }, onDiagnostic: { seen.append("problem \($0.offset) \($0.reason)") })
    return seen
  }

  @Test func skippingScansReadEveryEventAsAFullParse() throws {
    let inputs = [
      Paths.fixtures.appendingPathComponent("archives/sample").path,
      Paths.fixtures.appendingPathComponent("shapes").path,
      Paths.sharedCorpus.appendingPathComponent("stratus-red-team").path,
    ]
    let full = try read(inputs, keys: nil)
    #expect(full.count > 100)
    for keys in [JSONKeySet([]), JSONKeySet(["eventName"]), ScanPlan().keysToKeep(reading: [.principal])] {
      #expect(try read(inputs, keys: keys) == full)
    }
  }
}
