// The query engine through the binary on the sample archive: each filter flag against an
// independent Foundation computation over the same files, exclusions, --dedupe, pruning that
// never changes an answer, limits and sorting, and CSV that no spreadsheet can execute.
import Foundation
import Testing
import TrailTestSupport

struct QueryEngineTests {
  static let sample = SampleArchiveTests.root.path
  let events = (try? SampleArchiveTests.independentEvents()) ?? []

  func ids(_ arguments: [String]) throws -> [String] {
    let result = try TrailBinary.run([Self.sample, "--format", "jsonl"] + arguments)
    #expect(result.status <= 1, "\(result.stderr)")
    return try result.lines.map {
      (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["eventID"] as! String
    }.sorted()
  }

  /// The ids of the events `keep` selects; every question here selects some, so no agreement is
  /// an empty list on both sides.
  func expected(_ keep: ([String: Any]) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let ids = events.filter(keep).compactMap { $0["eventID"] as? String }.sorted()
    #expect(
      !ids.isEmpty, "the independent filter selects none of \(events.count) events", sourceLocation: sourceLocation)
    return ids
  }

  static func identity(_ e: [String: Any]) -> [String: Any] { e["userIdentity"] as? [String: Any] ?? [:] }

  @Test func filterFlagsAgreeWithAnIndependentFilter() throws {
    #expect(
      try ids(["--action", "s3:Get*"])
        == expected {
          ($0["eventSource"] as? String) == "s3.amazonaws.com" && ($0["eventName"] as? String ?? "").hasPrefix("Get")
        })
    #expect(try ids(["--event-source", "kms"]) == expected { ($0["eventSource"] as? String) == "kms.amazonaws.com" })
    #expect(try ids(["--no-error"]) == expected { Independent.errorCode($0) == nil })
    #expect(try ids(["--read-only"]) == expected { ($0["readOnly"] as? Bool) == true })
    #expect(try ids(["--write"]) == expected { ($0["readOnly"] as? Bool) == false })
    #expect(
      try ids(["--type", "AssumedRole", "--type", "Root"])
        == expected { ["AssumedRole", "Root"].contains(Self.identity($0)["type"] as? String ?? "") })
    #expect(try ids(["--category", "Data"]) == expected { ($0["eventCategory"] as? String) == "Data" })
    #expect(
      try ids(["--user-agent", "*aws-cli*"]) == expected { ($0["userAgent"] as? String ?? "").contains("aws-cli") })
    #expect(
      try ids(["--access-key", "ASIA*"])
        == expected { (Self.identity($0)["accessKeyId"] as? String ?? "").hasPrefix("ASIA") })
    #expect(
      try ids(["--resource", "arn:aws:s3:::data-lake-raw*"])
        == expected { e in
          ((e["resources"] as? [[String: Any]]) ?? []).contains {
            ($0["ARN"] as? String ?? "").hasPrefix("arn:aws:s3:::data-lake-raw")
          }
        })
    #expect(
      try ids(["--region", "eu-west-1", "--error"])
        == expected { ($0["awsRegion"] as? String) == "eu-west-1" && $0["errorCode"] != nil })
  }

  @Test func ipFilterWithCIDRsExclusionsAndNonIPSources() throws {
    let v6 = expected { ($0["sourceIPAddress"] as? String ?? "").hasPrefix("2001:db8:") }
    let v6Got = try ids(["--ip", "2001:db8::/32"])
    #expect(!v6.isEmpty && v6Got == v6)
    let doc = expected { ($0["sourceIPAddress"] as? String ?? "").hasPrefix("198.51.100.") }
    #expect(try ids(["--ip", "198.51.100.0/24"]) == doc)
    let services = expected { ($0["sourceIPAddress"] as? String ?? "").hasSuffix(".amazonaws.com") }
    let servicesGot = try ids(["--ip", "*.amazonaws.com"])
    #expect(!services.isEmpty && servicesGot == services)
    let outside = expected { !($0["sourceIPAddress"] as? String ?? "").hasPrefix("198.51.100.") }
    #expect(try ids(["--ip", "!198.51.100.0/24"]) == outside)
    #expect(
      try ids(["--event-source", "!s3", "--event-source", "!kms"])
        == expected {
          !["s3.amazonaws.com", "kms.amazonaws.com"].contains($0["eventSource"] as? String ?? "")
        })
  }

  @Test func dedupeDropsTheRepeatedDelivery() throws {
    let all = try ids([])
    let unique = try ids(["--dedupe"])
    #expect(all.count == events.count)
    #expect(unique.count == Set(all).count && unique.count == all.count - 1)
  }

  @Test(arguments: [
    ["--since", "2024-05-14T20:00:00Z"], ["--until", "2024-05-14T06:00:00Z"],
    ["--since", "2024-05-14T09:00:00Z", "--until", "2024-05-14T10:00:00Z"],
    ["--account", "444455556666"], ["--region", "eu-west-1"], ["--account", "!444455556666"],
    ["--until", "2024-05-14T00:05:00Z"],
    ["--since", "2017-12-11T15:03:00Z", "--until", "2017-12-11T15:04:00Z"],
  ])
  func pruningNeverChangesTheAnswer(_ filters: [String]) throws {
    let pruned = try TrailBinary.run([Self.sample, "--format", "jsonl", "--debug-statistics"] + filters)
    let full = try TrailBinary.run([Self.sample, "--format", "jsonl", "--no-prune"] + filters)
    #expect(pruned.out == full.out)
    #expect(pruned.status == full.status)
  }

  /// The delivery time in each log file's name (`…_20240514T0233Z_…`), read here with
  /// Foundation; digest files are not log files and are never scanned.
  static func deliveryTimes() throws -> [Date] {
    let format = DateFormatter()
    format.locale = Locale(identifier: "en_US_POSIX")
    format.timeZone = TimeZone(identifier: "UTC")
    format.dateFormat = "yyyyMMdd'T'HHmm'Z'"
    let logFiles = Paths.files(under: SampleArchiveTests.root).filter { !$0.path.contains("/CloudTrail-Digest/") }
    return try logFiles.map { url in
      let stamp = try #require(
        url.lastPathComponent.split(separator: "_").first {
          $0.count == 14 && $0.hasSuffix("Z") && $0.dropFirst(8).first == "T"
        })
      return try #require(format.date(from: String(stamp)), "\(url.lastPathComponent)")
    }
  }

  /// The `name: N` statistic of a `--debug-statistics` run.
  static func statistic(_ name: String, _ result: RunResult) -> Int? {
    guard let range = result.stderr.range(of: "\(name): ") else { return nil }
    return Int(result.stderr[range.upperBound...].prefix { $0.isNumber })
  }

  @Test func pruningSkipsFilesItCanRuleOut() throws {
    // Spec §2: a file delivered before --since cannot match, nor one delivered later than
    // --until plus the delivery slack; the expected counts come from the file names alone.
    let times = try Self.deliveryTimes()
    #expect(times.count > 10)
    let since = try #require(ISO8601DateFormatter().date(from: "2024-05-14T20:00:00Z"))
    let until = try #require(ISO8601DateFormatter().date(from: "2024-05-14T06:00:00Z"))
    let cases: [(arguments: [String], pruned: Int)] = [
      (["--since", "2024-05-14T20:00:00Z"], times.filter { $0 < since }.count),
      // A tight --delivery-slack prunes more by --until; a generous one less.
      (["--until", "2024-05-14T06:00:00Z", "--delivery-slack", "0m"], times.filter { $0 > until }.count),
      (["--until", "2024-05-14T06:00:00Z", "--delivery-slack", "1d"], times.filter { $0 > until + 86_400 }.count),
      (["--until", "2024-05-14T06:00:00Z"], times.filter { $0 > until + 3_600 }.count),
    ]
    // The windows are chosen so each rule prunes something, and the slack visibly matters.
    #expect(cases[0].pruned > 0 && cases[1].pruned > cases[3].pruned && cases[3].pruned > cases[2].pruned)
    for (arguments, pruned) in cases {
      let result = try TrailBinary.run([Self.sample, "--debug-statistics"] + arguments)
      #expect(Self.statistic("filesPruned", result) == pruned, "\(arguments): \(result.stderr)")
      #expect(Self.statistic("files", result) == times.count - pruned, "\(arguments): \(result.stderr)")
    }
  }

  @Test func limitAndSort() throws {
    let sorted = try TrailBinary.run([Self.sample, "--sort", "time", "--format", "csv", "--fields", "time"])
    let times = sorted.lines.dropFirst()
    #expect(Array(times) == times.sorted())
    #expect(times.count == events.count, "\(times.count) vs \(events.count): \(sorted.status) \(sorted.stderr)")
    #expect(try TrailBinary.run([Self.sample, "--limit", "3"]).lines.count == 3)
    #expect(try TrailBinary.run([Self.sample, "--limit", "0"]).status == 2)
  }

  @Test func csvDefusesFormulasAndQuotes() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "a.json",
      #"{"Records":[{"eventName":"=HYPERLINK(\"http://x\")","userAgent":"+1, \"two\"\nthree","sourceIPAddress":"@SUM(A1)","errorCode":"-2"}]}"#
    )
    let result = try TrailBinary.run([file, "--format", "csv", "--fields", "eventName,userAgent,ip,error"])
    #expect(
      result.out
        == "eventName,userAgent,ip,error\r\n\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1, \"\"two\"\"\nthree\",'@SUM(A1),-2\r\n"
    )
  }

  /// Numbers are data, not formulas: a value that is a plain number is written unchanged (pandas
  /// and DuckDB read `-1` as -1), while text that merely starts like one is still defused.
  @Test func csvKeepsNumbers() throws {
    let dir = try TemporaryDirectory()
    let file = try dir.write(
      "a.json",
      #"{"Records":[{"eventVersion":"1.08","eventName":"X","requestParameters":{"a":-1,"b":-0.5e3,"c":"-1+2","d":"-","e":"+1","f":12}}]}"#
    )
    let result = try TrailBinary.run([
      file, "--format", "csv", "--fields",
      "requestParameters.a,requestParameters.b,requestParameters.c,requestParameters.d,requestParameters.e,requestParameters.f",
    ])
    #expect(
      result.lines == [
        "requestParameters.a,requestParameters.b,requestParameters.c,requestParameters.d,requestParameters.e,requestParameters.f",
        "-1,-0.5e3,'-1+2,'-,'+1,12",
      ])
    // Read back by Python's csv module, the numbers are numbers again.
    let check = try TrailBinary.shell(
      "printf '%s' '\(result.out.replacingOccurrences(of: "'", with: "'\\''"))' | python3 -c 'import csv,sys; r=list(csv.reader(sys.stdin)); assert float(r[1][0]) == -1 and float(r[1][1]) == -500, r'"
    )
    #expect(check.status == 0, "\(String(decoding: check.stderr, as: UTF8.self))")
  }

  @Test func statsBucketsAndDistinctAgreeWithIndependentCounts() throws {
    let result = try TrailBinary.run([
      "stats", Self.sample, "--every", "1h", "--by", "account", "--distinct", "ip", "--format", "jsonl",
    ])
    var expected: [String: (count: Int, ips: Set<String>)] = [:]
    for e in events {
      guard let time = e["eventTime"] as? String else { continue }
      let account = (e["recipientAccountId"] as? String) ?? (Self.identity(e)["accountId"] as? String) ?? "null"
      let key = String(time.prefix(13)) + ":00:00Z " + account
      var entry = expected[key] ?? (0, [])
      entry.count += 1
      if let ip = e["sourceIPAddress"] as? String { entry.ips.insert(ip) }
      expected[key] = entry
    }
    var got: [String: (count: Int, ips: Int)] = [:]
    for line in result.lines {
      let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      got["\(row["bucket"] as! String) \(row["account"] as? String ?? "null")"] = (
        row["count"] as! Int, row["distinct"] as! Int
      )
    }
    #expect(!expected.isEmpty && got.count == expected.count)
    for (key, value) in expected {
      #expect(got[key]?.count == value.count && got[key]?.ips == value.ips.count, "\(key)")
    }
  }

  @Test func verbsRequireTheirSubject() throws {
    #expect(try TrailBinary.run(["who", Self.sample]).status == 2)
    #expect(try TrailBinary.run(["what", Self.sample]).status == 2)
    #expect(try TrailBinary.run(["stats", Self.sample]).status == 2)
    #expect(try TrailBinary.run(["stats", Self.sample, "--every", "never"]).status == 2)
    #expect(try TrailBinary.run([Self.sample, "--error", "--no-error"]).status == 2)
  }
}

struct ParallelScanTests {
  /// Order-free commands give byte-identical output on one thread and on several, problems
  /// included and reported in file order.
  @Test(arguments: [
    ["stats", "--by", "principal,action", "--format", "jsonl"],
    ["stats", "--by", "service", "--every", "1h", "--distinct", "ip", "--format", "csv"],
    ["who", "--action", "s3:*", "--format", "jsonl"], ["what", "--principal", "bob", "--format", "jsonl"],
    ["fields", "--format", "jsonl"],
  ])
  func parallelEqualsSequential(_ arguments: [String]) throws {
    let dir = try TemporaryDirectory()
    try dir.write("zz-broken.json", #"{"Records":[{"eventName":"A"},{"eventName": tru}]}"#)
    try dir.write("zz-truncated.json.gz", Array(RecordsBuilder.gzip(RecordsBuilder.envelope(0..<300)).prefix(900)))
    let inputs = [SampleArchiveTests.root.path, "../shared/corpus/stratus-red-team", dir.path]
    let command = [arguments[0]] + inputs + Array(arguments.dropFirst())
    let one = try TrailBinary.run(command + ["--threads", "1"])
    for threads in ["2", "4"] {
      let many = try TrailBinary.run(command + ["--threads", threads])
      #expect(many.out == one.out)
      #expect(many.stderr == one.stderr)
      #expect(many.status == one.status && one.status == 2)
    }
    #expect(one.stderr.split(separator: "\n").count == 2)
  }
}

struct OrderedParallelSearchTests {
  /// JSON Lines from several threads is byte for byte the sequential output, problems included.
  @Test(arguments: [[], ["--event-name", "ConsoleLogin"], ["--error"]])
  func parallelSearchEqualsSequential(_ filters: [String]) throws {
    let dir = try TemporaryDirectory()
    try dir.write(
      "m-broken.json",
      #"{"Records":[{"eventName":"A"},{"eventName": tru},{"eventName":"ConsoleLogin","errorCode":"X"}]}"#)
    try dir.write("m-truncated.json.gz", Array(RecordsBuilder.gzip(RecordsBuilder.envelope(0..<300)).prefix(900)))
    try dir.write("n-big.json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope(1000..<6000)))
    let command =
      [SampleArchiveTests.root.path, "../shared/corpus/stratus-red-team", dir.path, "--format", "jsonl"] + filters
    let one = try TrailBinary.run(command + ["--threads", "1"])
    for threads in ["2", "3"] {
      let many = try TrailBinary.run(command + ["--threads", threads])
      #expect(many.stdout == one.stdout)
      #expect(many.stderr == one.stderr)
      #expect(many.status == one.status && one.status == 2)
    }
  }

  @Test func closedPipeDuringAParallelWriteIsQuiet() throws {
    let dir = try TemporaryDirectory()
    for i in 0..<4 {
      try dir.write("f\(i).json.gz", RecordsBuilder.gzip(RecordsBuilder.envelope((i * 5000)..<((i + 1) * 5000))))
    }
    let script =
      "set -o pipefail; '\(TrailBinary.url.path)' '\(dir.path)' --format jsonl --threads 2 | head -c 100 > /dev/null"
    let (status, message) = try TrailBinary.shell(script)
    #expect(status == 0)
    #expect(message.isEmpty)
  }
}
