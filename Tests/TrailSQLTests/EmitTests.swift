// `--emit` through the binary: what cannot be expressed is an error naming it (exit 2, nothing
// on stdout), never a different query; literals are escaped for each dialect (Spark reads
// backslashes as escapes, Trino does not); every command takes the option.
import Foundation
import Testing
import TrailTestSupport

@Suite struct EmitTests {
  static let archive = "Fixtures/archives/sample"

  /// Each refusal: the command line, and words the message must contain.
  static let refusals: [([String], String)] = [
    (["stats", archive, "--by", "origin", "--emit", "spark"], "origin"),
    (["search", archive, "--origin", "alice", "--emit", "spark"], "origin"),
    (["search", archive, "--where", "{ $.requestParameters IS NULL }", "--emit", "spark"], "requestParameters"),
    (["search", archive, "--where", "{ $.userIdentity.invokedBy IS NULL }", "--emit", "spark"], "IS NULL"),
    (["search", archive, "--where", "{ $.eventContext.x = 1 }", "--emit", "spark"], "$.eventContext.x"),
    (["search", archive, "--where", "{ $.userIdentity.* = 1 }", "--emit", "spark"], "wildcard"),
    (["stats", archive, "--by", "userIdentity.inScopeOf.sourceArn", "--emit", "spark"], "inScopeOf"),
    (["stats", archive, "--by", "userIdentity", "--emit", "spark"], "object"),
    (["search", archive, "--limit", "5", "--emit", "spark"], "--sort time"),
    (["stats", archive, archive, "--by", "principal", "--emit", "spark"], "one archive location"),
    (["stats", "-", "--by", "principal", "--emit", "spark"], "standard input"),
    (["stats", archive, "--by", "principal", "--time-field", "x", "--emit", "spark"], "--time-field"),
    (["stats", archive, "--by", "principal", "--input-format", "lake", "--emit", "spark"], "--input-format"),
    (["stats", archive, "--by", "principal", "--emit", "athena"], "s3://"),
    (["stats", "s3://bucket/logs/", "--by", "principal", "--emit", "athena"], "AWSLogs"),
    (["stats", "s3://bucket/AWSLogs/", "--by", "principal", "--emit", "athena"], "--account"),
    (["stats", "s3://bucket/AWSLogs/", "--by", "principal", "--account", "1111*", "--emit", "athena"], "--account"),
    (
      ["stats", "s3://b/AWSLogs/1/CloudTrail/us-east-1/2024/", "--by", "principal", "--emit", "athena"], "date folders"
    ),
    (["stats", "s3a://bucket/{a,b}/", "--by", "principal", "--emit", "spark"], "glob"),
  ]

  @Test(arguments: refusals)
  func refusesWhatItCannotExpress(_ arguments: [String], _ words: String) throws {
    let run = try TrailBinary.run(arguments)
    #expect(run.status == 2, "\(arguments): \(run.stderr)")
    #expect(run.stdout.isEmpty, "nothing on stdout")
    #expect(run.stderr.hasPrefix("trail-scan: "), "\(run.stderr)")
    #expect(run.stderr.contains(words), "\(run.stderr)")
  }

  @Test func refusesRulesThatCountInWindowsOrUseSigma() throws {
    let folder = try TemporaryDirectory(prefix: "emit-rules")
    let windowed = try folder.write(
      "windowed.yml",
      """
      rules:
        - id: acme.brute-force
          title: Brute force
          severity: high
          match: { eventName: ConsoleLogin }
          threshold: 3
          window: 10m
      """)
    let run = try TrailBinary.run(["check", Self.archive, "--rules", windowed, "--emit", "spark"])
    #expect(
      run.status == 2 && run.stderr.contains("acme.brute-force") && run.stderr.contains("window"), "\(run.stderr)")
    let filter = try TrailBinary.run(["search", Self.archive, "--rule-file", windowed, "--emit", "spark"])
    #expect(filter.status == 2 && filter.stderr.contains("acme.brute-force"), "\(filter.stderr)")
    let sigma = try folder.write(
      "sigma.yml",
      """
      title: Console login
      id: 6a5f1b2c-0000-4000-8000-000000000001
      logsource: { product: aws, service: cloudtrail }
      detection:
        selection: { eventName: ConsoleLogin }
        condition: selection
      level: low
      """)
    let sigmaRun = try TrailBinary.run(["search", Self.archive, "--rule-file", sigma, "--emit", "spark"])
    #expect(sigmaRun.status == 2 && sigmaRun.stderr.contains("Sigma"), "\(sigmaRun.stderr)")
  }

  /// A threshold without a window is a HAVING; rule files' `match` and `group-by` translate.
  @Test func translatesThresholdsAndGroups() throws {
    let folder = try TemporaryDirectory(prefix: "emit-rules")
    let rules = try folder.write(
      "rules.yml",
      """
      rules:
        - id: acme.denied-by-principal
          title: Denied calls by principal
          severity: medium
          match: { error: "AccessDenied*" }
          group-by: [account, principal]
          threshold: 1
      """)
    let run = try TrailBinary.run(["check", Self.archive, "--rules", rules, "--emit", "spark"])
    try #require(run.status == 0, "\(run.stderr)")
    #expect(run.out.contains("HAVING count(*) > CASE `rule_index` WHEN 1 THEN 1 END"))
    #expect(run.out.contains("named_struct('field', 'account', 'value', `f_account`)"))
  }

  @Test func escapesLiteralsForEachDialect() throws {
    let value = "it's a\\b\nc"
    let spark = try TrailBinary.run(["search", Self.archive, "--event-name", value, "--emit", "spark"])
    let athena = try TrailBinary.run([
      "search", "s3://b/AWSLogs/123456789012/", "--event-name", value, "--emit", "athena",
    ])
    try #require(spark.status == 0 && athena.status == 0, "\(spark.stderr)\(athena.stderr)")
    // Spark: quotes doubled, the backslash doubled (Spark unescapes literals), the line break
    // as an escape. Trino: quotes doubled, the backslash as itself, unless the literal needs
    // Unicode escapes, where it is the escape character and doubled.
    #expect(spark.out.contains(#"`eventName` = 'it''s a\\b\u000Ac'"#), "\(spark.out.suffix(3000))")
    #expect(athena.out.contains(#""eventName" = U&'it''s a\\b\000Ac'"#), "\(athena.out.suffix(3000))")
    let plain = try TrailBinary.run([
      "search", "s3://b/AWSLogs/123456789012/", "--event-name", #"a\b*"#, "--emit", "athena",
    ])
    #expect(plain.out.contains(#""eventName" LIKE 'a\\b%' ESCAPE '\'"#), "\(plain.out.suffix(2000))")
  }

  @Test func everyCommandTakesTheOption() throws {
    let commands: [[String]] = [
      ["search", Self.archive], ["stats", Self.archive, "--by", "principal"],
      ["who", Self.archive, "--action", "s3:*"],
      ["what", Self.archive, "--principal", "alice"], ["timeline", Self.archive], ["check", Self.archive],
      ["check", Self.archive, "--pattern", "{ $.eventName = ConsoleLogin }"],
    ]
    for command in commands {
      let run = try TrailBinary.run(command + ["--emit", "spark"])
      #expect(run.status == 0, "\(command): \(run.stderr)")
      #expect(run.out.hasPrefix("SET spark.sql.session.timeZone = UTC;\n"), "\(command)")
      #expect(run.out.contains("pathGlobFilter '*_CloudTrail{,-Insight,-NetworkActivity,-Aggregated}_*.json.gz'"))
      #expect(run.out.contains("mode 'FAILFAST'") && run.out.contains("multiLine 'true'"))
      #expect(run.out.hasSuffix(";\n"))
      let help = try TrailBinary.run([command[0], "--help"])
      #expect(help.out.contains("--emit <engine>"), "\(command[0]) --help")
    }
  }
}
