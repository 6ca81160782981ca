// The one-event-layer promise, through the binary: however a question is asked (a filter flag,
// `--where`, `check --pattern`, a rule's `pattern`, a rule's `match`) and however the same
// events are written (a Records file, NDJSON, lower-cased keys, envelopes whose array is not the
// first key, the delivery shapes of Fixtures/shapes), the count is the same and equals a count
// made with Foundation alone. The CIS pack's per-rule counts do not change with the rewriting.
import Foundation
import Testing
import TrailTestSupport

struct EventLayerAgreementTests {
  /// One question, asked every way trail-scan offers.
  struct Question {
    var name: String
    /// Filter flags (nil: no flag can ask it).
    var flags: [String]?
    var pattern: String
    /// A rule's `match` mapping, as YAML flow text.
    var match: String
    var holds: ([String: Any]) -> Bool
  }

  /// The questions for a set of events: fixed ones, and an IP and a bucket name the set holds.
  static func questions(for events: [[String: Any]]) -> [Question] {
    func text(_ event: [String: Any], _ path: String...) -> String? {
      var value: Any? = event
      for key in path { value = (value as? [String: Any])?[key] }
      return value as? String
    }
    func mostCommon(_ values: [String]) -> String? {
      var counts: [String: Int] = [:]
      for value in values { counts[value, default: 0] += 1 }
      let ranked = counts.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
      return ranked.first?.key
    }
    var out = [
      Question(
        name: "event name", flags: ["--event-name", "ConsoleLogin"], pattern: #"{ $.eventName = "ConsoleLogin" }"#,
        match: "{eventName: ConsoleLogin}", holds: { text($0, "eventName") == "ConsoleLogin" }),
      Question(
        name: "root", flags: ["--type", "Root"], pattern: #"{ $.userIdentity.type = "Root" }"#,
        match: "{type: Root}", holds: { text($0, "userIdentity", "type") == "Root" }),
      Question(
        name: "AccessDenied*", flags: ["--error", "AccessDenied*"], pattern: #"{ $.errorCode = "AccessDenied*" }"#,
        match: "{error: 'AccessDenied*'}", holds: { text($0, "errorCode")?.hasPrefix("AccessDenied") == true }),
    ]
    let ips = events.compactMap { text($0, "sourceIPAddress") }.filter {
      $0.allSatisfy { $0.isNumber || $0 == "." } && $0.contains(".")
    }
    if let ip = mostCommon(ips) {
      out.append(
        Question(
          name: "ip \(ip)", flags: ["--ip", ip], pattern: "{ $.sourceIPAddress = \"\(ip)\" }",
          match: "{ip: '\(ip)'}", holds: { text($0, "sourceIPAddress") == ip }))
    }
    let buckets = events.compactMap { text($0, "requestParameters", "bucketName") }.filter {
      $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
    }
    if let bucket = mostCommon(buckets) {
      out.append(
        Question(
          name: "bucket \(bucket)", flags: nil, pattern: "{ $.requestParameters.bucketName = \"\(bucket)\" }",
          match: "{requestParameters.bucketName: '\(bucket)'}",
          holds: { text($0, "requestParameters", "bucketName") == bucket }))
    }
    return out
  }

  // MARK: - The events, read independently

  /// Every event of the shared corpus (Panther's test cases unwrapped to their `event`).
  static func corpusEvents() throws -> [[String: Any]] {
    try CorpusEvents.all().map(\.object)
  }

  /// The events of the bundled sample archive (its CloudTrail and Insights log files).
  static func sampleArchiveEvents() throws -> [[String: Any]] {
    try Paths.files(under: Paths.fixtures.appendingPathComponent("archives/sample"))
      .filter { $0.lastPathComponent.contains("_CloudTrail_") || $0.lastPathComponent.contains("_CloudTrail-Insight_") }
      .flatMap(Independent.events(in:))
  }

  /// The events of every delivery shape in Fixtures/shapes, unwrapped by hand.
  static func shapeEvents() throws -> [[String: Any]] {
    let folder = Paths.fixtures.appendingPathComponent("shapes")
    func object(_ text: String) -> [String: Any]? {
      (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
    var events: [[String: Any]] = []
    for url in Paths.files(under: folder) {
      let data = try Independent.contents(of: url)
      let text = String(decoding: data, as: UTF8.self)
      switch url.lastPathComponent {
      case let name where name.hasPrefix("lookup-events"):
        let root = try #require(object(text))
        for entry in root["Events"] as? [[String: Any]] ?? [] {
          events += [(entry["CloudTrailEvent"] as? String).flatMap(object)].compactMap { $0 }
        }
      case "filter-log-events.json", "get-log-events.json":
        let root = try #require(object(text))
        for entry in root["events"] as? [[String: Any]] ?? [] {
          events += [(entry["message"] as? String).flatMap(object)].compactMap { $0 }
        }
      case "eventbridge.ndjson":
        for line in text.split(separator: "\n") {
          events += [object(String(line))?["detail"] as? [String: Any]].compactMap { $0 }
        }
      case "lake-integration.json":
        for envelope in try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? [] {
          var event = envelope["eventData"] as? [String: Any] ?? [:]
          // The envelope's own fields win (docs/fields.md, Lake integration events).
          for key in ["eventVersion", "eventCategory", "eventType", "eventID", "eventTime", "awsRegion", "addendum"] {
            if let value = envelope[key] { event[key] = value }
          }
          for (key, value) in envelope where key != "eventData" && event[key] == nil { event[key] = value }
          events.append(event)
        }
      case let name where name.hasPrefix("cloudwatch-export"):
        for line in text.split(separator: "\n") {
          guard let space = line.firstIndex(of: " ") else { continue }
          events += [object(String(line[line.index(after: space)...]))].compactMap { $0 }
        }
      case "subscription-firehose.gz":
        for payload in concatenatedObjects(text).compactMap(object)
        where payload["messageType"] as? String == "DATA_MESSAGE" {
          for entry in payload["logEvents"] as? [[String: Any]] ?? [] {
            events += [(entry["message"] as? String).flatMap(object)].compactMap { $0 }
          }
        }
      default:
        Issue.record("shape \(url.lastPathComponent) has no independent reader in this test")
      }
    }
    return events
  }

  /// Splits `{…}{…}` (Firehose's concatenated payloads) at the braces that close top-level values.
  static func concatenatedObjects(_ text: String) -> [String] {
    var out: [String] = []
    var current = ""
    var depth = 0
    var inString = false
    var escaped = false
    for ch in text {
      if depth > 0 { current.append(ch) }
      if inString {
        if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
        continue
      }
      switch ch {
      case "\"": inString = true
      case "{":
        if depth == 0 { current = "{" }
        depth += 1
      case "}":
        depth -= 1
        if depth == 0 { out.append(current) }
      default: break
      }
    }
    return out
  }

  // MARK: - Rewritings

  /// One way of writing events: files relative to a folder, and how many times each event is in them.
  struct Rewriting: Sendable {
    var name: String
    var copies: Int
    var files: @Sendable ([[String: Any]]) throws -> [(String, Data)]
  }

  static func json(_ value: Any) throws -> Data {
    try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
  }

  static func lowerCasedKeys(_ value: Any) -> Any {
    if let object = value as? [String: Any] {
      return Dictionary(object.map { ($0.key.lowercased(), lowerCasedKeys($0.value)) }, uniquingKeysWith: { a, _ in a })
    }
    if let array = value as? [Any] { return array.map(lowerCasedKeys) }
    return value
  }

  static let rewritings: [Rewriting] = [
    Rewriting(name: "records", copies: 1) { events in [("events.json", try json(["Records": events]))] },
    Rewriting(name: "ndjson", copies: 1) { events in
      [
        (
          "events.ndjson",
          Data(try events.map { String(decoding: try json($0), as: UTF8.self) }.joined(separator: "\n").utf8)
        )
      ]
    },
    Rewriting(name: "lower-cased keys", copies: 1) { events in
      [
        (
          "events.ndjson",
          Data(
            try events.map { String(decoding: try json(lowerCasedKeys($0)), as: UTF8.self) }.joined(separator: "\n")
              .utf8)
        )
      ]
    },
    // Envelope keys in an order no framer fast path sees: sorted keys put the array last.
    Rewriting(name: "reordered envelopes", copies: 3) { events in
      let strings = try events.map { String(decoding: try json($0), as: UTF8.self) }
      return [
        ("records.json", try json(["Comment": "exported", "Records": events])),
        (
          "lookup.json",
          try json([
            "NextToken": "t",
            "Events": strings.enumerated().map { ["EventId": "\($0.offset)", "CloudTrailEvent": $0.element] },
          ])
        ),
        (
          "logs.json",
          try json([
            "searchedLogStreams": [], "events": strings.map { ["logStreamName": "s", "timestamp": 0, "message": $0] },
          ])
        ),
      ]
    },
  ]

  // MARK: - Asking

  /// How many events `trail-scan` counts for `question`, asked each way, in `folder`.
  static func answers(_ question: Question, in folder: String, scratch: TemporaryDirectory) throws -> [String: Int] {
    var out: [String: Int] = [:]
    func searchCount(_ arguments: [String]) throws -> Int {
      let run = try TrailBinary.run([folder, "--format", "jsonl"] + arguments)
      #expect(run.status == 0 || run.status == 1, "\(arguments): \(run.stderr)")
      return run.lines.count
    }
    if let flags = question.flags { out["flag"] = try searchCount(flags) }
    out["--where"] = try searchCount(["--where", question.pattern])
    let pattern = try TrailBinary.run([
      "check", folder, "--pattern", question.pattern, "--format", "json", "--every", "1d",
    ])
    let buckets = try JSONSerialization.jsonObject(with: pattern.stdout) as? [[String: Any]] ?? []
    out["check --pattern"] = buckets.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
    let rules = """
      rules:
        - {id: q.pattern, title: pattern, severity: low, pattern: '\(question.pattern.replacingOccurrences(of: "'", with: "''"))'}
        - {id: q.match, title: match, severity: low, match: \(question.match)}
      """
    let ruleFile = try scratch.write("rules-\(UUID().uuidString).yml", Array(rules.utf8))
    let check = try TrailBinary.run(["check", folder, "--rules", ruleFile, "--format", "json"])
    #expect(check.status == 0 || check.status == 1, "\(check.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: check.stdout) as? [String: Any])
    for rule in report["rules"] as? [[String: Any]] ?? [] {
      let count = (rule["findings"] as? [[String: Any]] ?? []).reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
      out[rule["id"] as? String == "q.pattern" ? "rule pattern" : "rule match"] = count
    }
    return out
  }

  /// The CIS pack's count per rule.
  static func cisCounts(in folder: String) throws -> [String: Int] {
    let check = try TrailBinary.run(["check", folder, "--format", "json"])
    let report = try #require(try JSONSerialization.jsonObject(with: check.stdout) as? [String: Any])
    var out: [String: Int] = [:]
    for rule in report["rules"] as? [[String: Any]] ?? [] {
      out[rule["id"] as? String ?? "?"] = (rule["findings"] as? [[String: Any]] ?? []).reduce(0) {
        $0 + ($1["count"] as? Int ?? 0)
      }
    }
    return out
  }

  static let sources: [(String, @Sendable () throws -> [[String: Any]])] = [
    ("shared corpus", corpusEvents), ("sample archive", sampleArchiveEvents), ("delivery shapes", shapeEvents),
  ]

  @Test(arguments: 0..<3)
  func everyFrontEndGivesTheIndependentCountForEveryRewriting(_ sourceIndex: Int) throws {
    let (sourceName, read) = Self.sources[sourceIndex]
    let events = try read()
    #expect(events.count >= 10, "\(sourceName): only \(events.count) events read")
    let scratch = try TemporaryDirectory(prefix: "trail-scan-agreement")
    var folders: [(Rewriting, String)] = []
    for rewriting in Self.rewritings {
      let folder = scratch.path(rewriting.name.replacingOccurrences(of: " ", with: "-"))
      for (name, data) in try rewriting.files(events) {
        try scratch.write("\(rewriting.name.replacingOccurrences(of: " ", with: "-"))/\(name)", Array(data))
      }
      folders.append((rewriting, folder))
    }
    if sourceName == "delivery shapes" {
      // The shapes as delivered are one more writing of the same events.
      folders.append(
        (Rewriting(name: "as delivered", copies: 1) { _ in [] }, Paths.fixtures.appendingPathComponent("shapes").path))
    }
    var asked = 0
    for question in Self.questions(for: events) {
      let expected = events.filter(question.holds).count
      for (rewriting, folder) in folders {
        let answers = try Self.answers(question, in: folder, scratch: scratch)
        #expect(answers.count >= 4)
        for (way, count) in answers {
          #expect(
            count == expected * rewriting.copies,
            "\(sourceName), \(rewriting.name), \(question.name), \(way): \(count), expected \(expected * rewriting.copies)"
          )
        }
        asked += 1
      }
    }
    #expect(asked >= 3 * folders.count)
    // The CIS pack's per-rule counts, per copy of the events, are the same for every writing.
    let reference = try Self.cisCounts(in: folders[0].1)
    #expect(reference.count == 15)
    for (rewriting, folder) in folders.dropFirst() {
      let counts = try Self.cisCounts(in: folder)
      #expect(
        counts == reference.mapValues { $0 * rewriting.copies },
        "\(sourceName), \(rewriting.name): CIS counts \(counts) vs \(reference)")
    }
  }
}

struct SortedLakeEventTests {
  /// `timeline` and `--sort time` hold events as bytes and read them again: a Lake event must
  /// read as the same event (it printed empty columns before).
  @Test func timelineReadsLakeEventsAsTheEventLayerDoes() throws {
    let run = try TrailBinary.run(["timeline", "Fixtures/shapes/lake-integration.json", "--format", "jsonl"])
    #expect(run.status == 0, "\(run.stderr)")
    let rows = run.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    #expect(rows.count >= 3)
    for row in rows {
      #expect((row["action"] as? String)?.hasPrefix("okta.example.com:") == true, "\(row)")
      #expect((row["actor"] as? String)?.hasPrefix("okta|") == true, "\(row)")
    }
  }
}
