// `--emit athena` without an AWS account: every agreement case's script must parse as Trino SQL
// (scripts/athena-check.py: sqlglot, and only Trino's functions), come from the same translation
// as the Spark script that SparkAgreementTests runs, and define the table AWS documents, with
// partition projection over an organisation trail's prefix, pruned by the query's scope.
import Foundation
import Testing
import TrailTestSupport

@Suite struct AthenaScriptTests {
  static let location = "s3://example-org-trail-logs/org-trail/AWSLogs/o-exampleorgid/"
  static let accounts = ["--account", "444455556666", "--account", "777788889999"]

  /// A case's Athena script: the S3 location, and the accounts projection needs when the case
  /// names none.
  static func athena(_ agreementCase: AgreementCase) throws -> RunResult {
    var arguments = agreementCase.arguments(archive: location)
    if !arguments.contains("--account") { arguments += accounts }
    return try TrailBinary.run(arguments + ["--emit", "athena"])
  }

  @Test func everyCaseParsesAsTrino() throws {
    let folder = try TemporaryDirectory(prefix: "athena-scripts")
    var paths: [String: String] = [:]
    for (i, agreementCase) in (AgreementCases.common + AgreementCases.edge).enumerated() {
      let run = try Self.athena(agreementCase)
      try #require(run.status == 0, "\(agreementCase.name): \(run.stderr)")
      paths[try folder.write("case-\(i).sql", run.out)] = agreementCase.name
    }
    let check = try Python.runScript("athena-check.py", Array(paths.keys).sorted())
    try #require(check.status == 0, "athena-check.py failed (pip install sqlglot): \(check.stderr)")
    var checked = 0
    for line in check.out.split(separator: "\n") {
      let result = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      let name = paths[result["path"] as? String ?? ""] ?? "?"
      let problems = result["problems"] as? [String] ?? ["no answer"]
      #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "\n"))")
      checked += 1
    }
    #expect(checked == paths.count)
  }

  /// The checker is not a rubber stamp: Spark's script for the same question fails it.
  @Test func sparkScriptsFailTheTrinoCheck() throws {
    let folder = try TemporaryDirectory(prefix: "athena-scripts")
    let run = try TrailBinary.run(["stats", Self.location, "--by", "principal,target", "--emit", "spark"])
    try #require(run.status == 0, "\(run.stderr)")
    let path = try folder.write("spark.sql", run.out)
    let check = try Python.runScript("athena-check.py", [path])
    #expect(check.out.contains("does not parse") || check.out.contains("Spark-only"), "\(check.out)")
  }

  /// Both dialects' queries come from one translation: the same steps (CTEs) and the same
  /// computed columns, in the same order.
  @Test func theQueryIsTheSameTranslation() throws {
    for agreementCase in AgreementCases.common {
      var arguments = agreementCase.arguments(archive: Self.location)
      if !arguments.contains("--account") { arguments += Self.accounts }
      let spark = try TrailBinary.run(arguments + ["--emit", "spark"])
      let athena = try TrailBinary.run(arguments + ["--emit", "athena"])
      try #require(spark.status == 0 && athena.status == 0, "\(agreementCase.name): \(spark.stderr)\(athena.stderr)")
      #expect(Self.outline(spark.out) == Self.outline(athena.out), "\(agreementCase.name)")
      #expect(!Self.outline(spark.out).isEmpty)
    }
  }

  /// The names a query defines, in the order they first appear: its CTEs and the columns it
  /// computes (`f_…` fields, `j_…` parsed JSON).
  static func outline(_ script: String) -> [String] {
    let query = script.components(separatedBy: "WITH base AS").last ?? ""
    let pattern = try? NSRegularExpression(
      pattern: #"\b(?:(?:base|events|matched|deduped|keyed|hits) AS \(|[fj]_[A-Za-z0-9_]+)"#)
    var names: [String] = []
    for match in pattern?.matches(in: query, range: NSRange(query.startIndex..., in: query)) ?? [] {
      guard let range = Range(match.range, in: query) else { continue }
      let name = String(query[range])
      if !names.contains(name) { names.append(name) }
    }
    return names
  }

  @Test func theTableIsProjectedOverTheOrganisationTrail() throws {
    let run = try TrailBinary.run([
      "stats", Self.location, "--by", "principal", "--account", "444455556666", "--region", "us-east-1",
      "--region", "eu-central-1", "--since", "2024-05-13T06:00:00Z", "--until", "2024-05-14", "--emit", "athena",
    ])
    try #require(run.status == 0, "\(run.stderr)")
    let script = run.out
    for expected in [
      "CREATE EXTERNAL TABLE trail_scan_cloudtrail (",
      "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
      "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
      "PARTITIONED BY (file_account string, file_folder string, file_region string, file_day string)",
      "'projection.enabled'='true'",
      "'projection.file_account.values'='444455556666'",
      "'projection.file_region.values'='us-east-1,eu-central-1'",
      "'projection.file_folder.values'='CloudTrail,CloudTrail-Insight,CloudTrail-NetworkActivity,CloudTrail-Aggregated'",
      "'projection.file_day.range'='2024/05/13,2024/05/15'",
      "'storage.location.template'='s3://example-org-trail-logs/org-trail/AWSLogs/o-exampleorgid/${file_account}/${file_folder}/${file_region}/${file_day}'",
      "LOCATION 's3://example-org-trail-logs/org-trail/AWSLogs/o-exampleorgid/'",
      // The query reads only the projected days and folders the scope allows (Pruning's rules).
      #"("file_day" >= '2024/05/13')"#, #"("file_day" <= '2024/05/15')"#,
      #"("file_account" = '444455556666')"#, #""$path" AS file_path"#,
      #""file_delivered" < from_iso8601_timestamp('2024-05-15T01:00:00Z')"#,
    ] {
      #expect(script.contains(expected), "missing: \(expected)")
    }
    // Without a window, the days run from CloudTrail's start to now.
    let open = try TrailBinary.run(["stats", "s3://b/AWSLogs/123456789012/", "--by", "principal", "--emit", "athena"])
    try #require(open.status == 0, "\(open.stderr)")
    #expect(open.out.contains("'projection.file_day.range'='2013/11/01,NOW'"))
    #expect(open.out.contains("'projection.file_account.values'='123456789012'"))
    #expect(open.out.contains("'storage.location.template'='s3://b/AWSLogs/${file_account}/"))
  }
}
