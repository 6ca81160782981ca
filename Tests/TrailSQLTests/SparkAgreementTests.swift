// The SQL that `--emit spark` writes, run on real Apache Spark (pyspark, local mode, one session
// for every script: scripts/spark-oracle.py), must give the local engine's rows for every
// agreement case, over a generated archive (three accounts, plain and organisation trails, several
// regions and days, digests, Insights), the committed sample and the edge archive.
import Foundation
import Testing
import TrailTestSupport

@Suite(.serialized) struct SparkAgreementTests {
  /// The archives: (label, path, cases).
  static func archives(_ scratch: TemporaryDirectory) throws -> [(String, String, [AgreementCase])] {
    let fixtures = TrailBinary.url.deletingLastPathComponent().appendingPathComponent("trail-fixtures").path
    try #require(
      FileManager.default.isExecutableFile(atPath: fixtures), "\(fixtures) not built (swift build --build-tests)")
    let generated = scratch.path("generated")
    let made = try TrailBinary.shell("'\(fixtures)' archive '\(generated)' --events 3000 --days 3 >/dev/null")
    try #require(made.status == 0, "\(String(decoding: made.stderr, as: UTF8.self))")
    try EdgeArchive.write(into: scratch)
    return [
      ("generated", generated, AgreementCases.common),
      ("sample", Paths.fixtures.appendingPathComponent("archives/sample").path, AgreementCases.sample),
      ("edge", scratch.path("edge"), AgreementCases.edgeCommon + AgreementCases.edge),
    ]
  }

  @Test func sparkGivesTheLocalEnginesRows() throws {
    let scratch = try TemporaryDirectory(prefix: "spark-agreement")
    var jobs: [[String: String]] = []
    var expected: [String: (AgreementCase, [String])] = [:]
    for (label, archive, cases) in try Self.archives(scratch) {
      for agreementCase in cases {
        let name = "\(label): \(agreementCase.name)"
        let emitted = try TrailBinary.run(agreementCase.arguments(archive: archive) + ["--emit", "spark"])
        try #require(emitted.status == 0, "\(name): --emit spark failed: \(emitted.stderr)")
        jobs.append(["name": name, "script": emitted.out])
        expected[name] = (agreementCase, try agreementCase.localRows(archive: archive))
      }
    }
    let jobFile = scratch.path("jobs.json")
    try JSONSerialization.data(withJSONObject: jobs).write(to: URL(fileURLWithPath: jobFile))
    // TRAIL_SCAN_SPARK_JOBS=FILE keeps the scripts, to run the oracle by hand
    // (`python3 scripts/spark-oracle.py FILE`).
    if let keep = ProcessInfo.processInfo.environment["TRAIL_SCAN_SPARK_JOBS"] {
      try? FileManager.default.removeItem(atPath: keep)
      try FileManager.default.copyItem(atPath: jobFile, toPath: keep)
    }
    let oracle = try Python.runScript("spark-oracle.py", [jobFile])
    try #require(oracle.status == 0, "spark-oracle.py failed (pip install pyspark; Java 17): \(oracle.stderr)")
    var answered = Set<String>()
    for line in oracle.out.split(separator: "\n") {
      let result = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let name = try #require(result["name"] as? String)
      guard let (agreementCase, local) = expected[name] else { continue }
      answered.insert(name)
      if let error = result["error"] as? String {
        Issue.record("\(name): Spark failed: \(error)")
        continue
      }
      let rows = result["rows"] as? [[String: Any]] ?? []
      let spark = agreementCase.engineRows(rows)
      #expect(
        agreementCase.comparable(spark) == agreementCase.comparable(local),
        "\(name): Spark \(spark.count) rows, local \(local.count)\n\(Self.difference(spark, local))")
      if agreementCase.kind == .timeline {
        let times = spark.map(agreementCase.time(of:))
        #expect(times == times.sorted(), "\(name): Spark's rows are not oldest first")
      }
    }
    #expect(answered.count == expected.count, "every case answered by Spark")
    // The cases must ask something: most of them have rows on the generated archive.
    let nonEmpty = expected.filter { $0.key.hasPrefix("generated:") && !$0.value.1.isEmpty }.count
    #expect(nonEmpty >= AgreementCases.common.count - 4, "cases with rows on the generated archive: \(nonEmpty)")
  }

  /// The first rows that differ, for the failure message.
  static func difference(_ a: [String], _ b: [String]) -> String {
    let onlyA = a.filter { !b.contains($0) }.prefix(5)
    let onlyB = b.filter { !a.contains($0) }.prefix(5)
    return "only Spark: \(onlyA.joined(separator: "\n  "))\nonly local: \(onlyB.joined(separator: "\n  "))"
  }
}
