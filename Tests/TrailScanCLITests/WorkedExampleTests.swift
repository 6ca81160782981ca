// The README's worked examples (between the worked-examples markers) run exactly as written,
// each checked against an independent Foundation computation of the same question over the
// sample archive: the README cannot drift from what the tool does.
import Foundation
import Testing
import TrailTestSupport

struct WorkedExampleTests {
  /// The commands of the README's worked-examples block, split into arguments (single and
  /// double quotes as a POSIX shell reads them), without the leading `trail-scan`.
  static func commands() throws -> [[String]] {
    let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    guard let start = readme.range(of: "<!-- worked-examples:begin -->"),
      let end = readme.range(of: "<!-- worked-examples:end -->")
    else { return [] }
    return readme[start.upperBound..<end.lowerBound].split(separator: "\n")
      .filter { $0.hasPrefix("trail-scan ") }
      .map { Array(shellWords(String($0)).dropFirst()) }
  }

  static func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for ch in line {
      if let q = quote {
        if ch == q { quote = nil } else { current.append(ch) }
      } else if ch == "'" || ch == "\"" {
        quote = ch
        inWord = true
      } else if ch == " " {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(ch)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }

  func run(_ index: Int) throws -> [[String: Any]] {
    let commands = try Self.commands()
    #expect(commands.count == 9)
    let result = try TrailBinary.run(commands[index] + ["--format", "jsonl"])
    #expect(result.status == 0, "\(commands[index]): \(result.stderr)")
    return try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  let events = (try? SampleArchiveTests.independentEvents()) ?? []
  func identity(_ e: [String: Any]) -> [String: Any] { e["userIdentity"] as? [String: Any] ?? [:] }
  func principal(_ e: [String: Any]) -> String? { CorpusAgreementTests.principal(e) }
  func time(_ e: [String: Any]) -> String { e["eventTime"] as? String ?? "" }
  func action(_ e: [String: Any]) -> String {
    "\((e["eventSource"] as? String ?? "").replacingOccurrences(of: ".amazonaws.com", with: "")):\(e["eventName"] as? String ?? "")"
  }
  func resources(_ e: [String: Any]) -> [String] {
    ((e["resources"] as? [[String: Any]]) ?? []).compactMap { $0["ARN"] as? String }
  }

  @Test func rootLastWeek() throws {
    var expected: [String: Int] = [:]
    for e in events where identity(e)["type"] as? String == "Root" && time(e) >= "2024-05-08" && time(e) < "2024-05-15"
    {
      expected["\(principal(e)!) \(e["sourceIPAddress"]!) \(action(e))", default: 0] += 1
    }
    let rows = try run(0)
    #expect(!expected.isEmpty)
    let got = Dictionary(
      rows.map { ("\($0["principal"]!) \($0["ip"]!) \($0["action"]!)", $0["count"] as! Int) }, uniquingKeysWith: +)
    #expect(got.count == rows.count && got == expected)
  }

  @Test func whatARoleDidInAWindow() throws {
    let role = "arn:aws:iam::111122223333:role/ReadOnly"
    var expected: [String: Int] = [:]
    for e in events where principal(e) == role && time(e) >= "2024-05-14T09:00:00Z" && time(e) < "2024-05-14T18:00:00Z"
    {
      let arns = Set(Independent.targets(e))
      for r in arns.isEmpty ? ["null"] : Array(arns) { expected["\(action(e)) \(r)", default: 0] += 1 }
    }
    let rows = try run(1)
    #expect(!expected.isEmpty)
    let got = Dictionary(
      rows.map { ("\($0["action"]!) \($0["target"] as? String ?? "null")", $0["count"] as! Int) }, uniquingKeysWith: +)
    #expect(got.count == rows.count && got == expected)
  }

  @Test func accessDeniedForAPrincipal() throws {
    let expected = events.filter {
      principal($0) == "arn:aws:iam::111122223333:role/ReadOnly"
        && ($0["errorCode"] as? String ?? "").hasPrefix("AccessDenied")
    }.map { $0["eventID"] as! String }
    let rows = try run(2)
    #expect(!expected.isEmpty && rows.map { $0["eventID"] as! String } == expected)
  }

  @Test func consoleLoginsWithoutMFAFromOutside() throws {
    let expected = events.filter { e in
      let mfa = (e["additionalEventData"] as? [String: Any])?["MFAUsed"] as? String
      return e["eventName"] as? String == "ConsoleLogin" && mfa != nil && mfa != "Yes"
        && !(e["sourceIPAddress"] as? String ?? "").hasPrefix("198.51.100.")
    }.map { $0["eventID"] as! String }
    let rows = try run(3)
    #expect(!expected.isEmpty && rows.map { $0["eventID"] as! String } == expected)
  }

  @Test func whoTouchedABucket() throws {
    var expected: [String: (Int, Set<String>)] = [:]
    for e in events
    where e["eventSource"] as? String == "s3.amazonaws.com"
      && Independent.targets(e).contains("arn:aws:s3:::data-lake-raw")
    {
      var entry = expected[principal(e)!] ?? (0, [])
      entry.0 += 1
      entry.1.insert(e["sourceIPAddress"] as! String)
      expected[principal(e)!] = entry
    }
    let rows = try run(4)
    #expect(!expected.isEmpty && rows.count == expected.count)
    for row in rows {
      let entry = expected[row["principal"] as! String]
      #expect(row["count"] as? Int == entry?.0 && Set(row["ips"] as! [String]) == entry?.1)
    }
  }

  @Test func callsPerHourForAnAccessKey() throws {
    var expected: [String: Int] = [:]
    for e in events where identity(e)["accessKeyId"] as? String == "AKIA46PXLVJQ66UMCWHS" {
      expected[String(time(e).prefix(13)) + ":00:00Z", default: 0] += 1
    }
    let rows = try run(5)
    #expect(!expected.isEmpty)
    #expect(rows.map { $0["bucket"] as! String } == expected.keys.sorted())
    #expect(rows.map { $0["count"] as! Int } == expected.keys.sorted().map { expected[$0]! })
  }

  @Test func topWritersPerAccount() throws {
    var counts: [[String]: Int] = [:]
    for e in events where e["readOnly"] as? Bool == false {
      let account = (e["recipientAccountId"] as? String) ?? (identity(e)["accountId"] as? String) ?? ""
      counts[[account, principal(e) ?? ""], default: 0] += 1
    }
    let expected = counts.sorted {
      $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key)
    }.prefix(10)
    let rows = try run(6)
    #expect(!expected.isEmpty)
    #expect(rows.map { [$0["account"] as! String, $0["principal"] as! String] } == expected.map(\.key))
    #expect(rows.map { $0["count"] as! Int } == expected.map(\.value))
  }

  @Test func whoTouchedASecret() throws {
    let capture = Paths.fixtures.appendingPathComponent(
      "stratus/aws.credential-access.secretsmanager-retrieve-secrets.json")
    var expected: [String: Int] = [:]
    for e in try Independent.events(in: capture)
    where Independent.targets(e).contains(where: {
      $0.hasPrefix("arn:aws:secretsmanager:") && $0.contains(":secret:stratus-red-team-retrieve-secret-1-")
    }) {
      expected[principal(e) ?? "null", default: 0] += 1
    }
    let rows = try run(7)
    #expect(!expected.isEmpty)
    #expect(Dictionary(rows.map { ($0["principal"] as! String, $0["count"] as! Int) }, uniquingKeysWith: +) == expected)
    #expect(rows.allSatisfy { ($0["targets"] as? [String])?.isEmpty == false })
  }

  @Test func whatFailedForAPrincipal() throws {
    var expected: [String: Int] = [:]
    for e in events
    where (principal(e) ?? "").hasSuffix("/ReadOnly") && Independent.errorCode(e) != nil {
      let targets = Set(Independent.targets(e))
      for t in targets.isEmpty ? ["null"] : Array(targets) { expected["\(action(e)) \(t)", default: 0] += 1 }
    }
    let rows = try run(8)
    #expect(!expected.isEmpty)
    #expect(rows.allSatisfy { $0["failed"] as? Int == $0["count"] as? Int })
    let got = Dictionary(
      rows.map { ("\($0["action"]!) \($0["target"] as? String ?? "null")", $0["count"] as! Int) }, uniquingKeysWith: +)
    #expect(got == expected)
  }
}
