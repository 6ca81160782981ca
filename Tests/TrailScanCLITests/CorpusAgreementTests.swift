// Query results on the shared corpus (real third-party CloudTrail) against an independent
// computation: Foundation's JSONSerialization and the spec's rules written again here, as
// plainly as possible, so a bug in the engine cannot hide in both.
import Foundation
import Testing
import TrailTestSupport

struct CorpusAgreementTests {
  static let folders = CorpusEvents.logFolders

  func corpusEvents() throws -> [[String: Any]] {
    let events = try CorpusEvents.all(folders: Self.folders).map(\.object).filter { $0["digestS3Object"] == nil }
    #expect(events.count >= 343, "SOURCES.md: 344 events in these folders, one of them a digest; read \(events.count)")
    return events
  }

  func run(_ arguments: [String]) throws -> [[String: Any]] {
    let paths = Self.folders.map { "../shared/corpus/" + $0 }
    let result = try TrailBinary.run([arguments[0]] + paths + Array(arguments.dropFirst()) + ["--format", "jsonl"])
    #expect(result.status == 0, "\(result.stderr)")
    return try result.lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
  }

  /// spec §3's principal, written independently.
  static func principal(_ e: [String: Any]) -> String? {
    guard let id = e["userIdentity"] as? [String: Any] else { return nil }
    func s(_ v: Any?) -> String? { (v as? String).flatMap { $0.isEmpty ? nil : $0 } }
    let fallback = s(id["arn"]) ?? s(id["principalId"]) ?? s(id["invokedBy"]) ?? "unknown"
    let issuer = ((id["sessionContext"] as? [String: Any])?["sessionIssuer"] as? [String: Any]).flatMap { s($0["arn"]) }
    switch id["type"] as? String {
    case "Root", "IAMUser", "Role": return s(id["arn"]) ?? fallback
    case "AssumedRole", "FederatedUser": return issuer ?? s(id["arn"]) ?? fallback
    case "AWSService": return s(id["invokedBy"]) ?? fallback
    case "AWSAccount": return s(id["accountId"]) ?? fallback
    case "IdentityCenterUser": return s((id["onBehalfOf"] as? [String: Any])?["userId"]) ?? fallback
    case "SAMLUser", "WebIdentityUser":
      if let p = s(id["identityProvider"]), let u = s(id["userName"]) { return "\(p):\(u)" }
      return fallback
    default: return fallback
    }
  }

  @Test func statsByPrincipal() throws {
    var expected: [String: Int] = [:]
    for e in try corpusEvents() { expected[Self.principal(e) ?? "null", default: 0] += 1 }
    var got: [String: Int] = [:]
    for row in try run(["stats", "--by", "principal"]) {
      got[row["principal"] as? String ?? "null"] = row["count"] as? Int
    }
    #expect(got == expected)
    #expect(got.count > 20)
  }

  @Test func statsByActionAndError() throws {
    var expected: [String: Int] = [:]
    for e in try corpusEvents() {
      let source = (e["eventSource"] as? String).map { $0.hasSuffix(".amazonaws.com") ? String($0.dropLast(14)) : $0 }
      let action = (e["eventName"] as? String).map { "\(source ?? "unknown"):\($0)" } ?? "null"
      expected["\(action) \(Independent.errorCode(e) ?? "null")", default: 0] += 1
    }
    var got: [String: Int] = [:]
    for row in try run(["stats", "--by", "action,error"]) {
      got["\(row["action"] as? String ?? "null") \(row["error"] as? String ?? "null")"] = row["count"] as? Int
    }
    #expect(got == expected)
  }

  @Test func whoDidEachFailedCall() throws {
    var expected: [String: (count: Int, ips: Set<String>)] = [:]
    for e in try corpusEvents() where (e["eventSource"] as? String) == "ec2.amazonaws.com" && e["errorCode"] != nil {
      let key = Self.principal(e) ?? "null"
      var entry = expected[key] ?? (0, [])
      entry.count += 1
      if let ip = e["sourceIPAddress"] as? String { entry.ips.insert(ip) }
      expected[key] = entry
    }
    let rows = try run(["who", "--action", "ec2:*", "--error"])
    #expect(rows.count == expected.count && !rows.isEmpty)
    for row in rows {
      let entry = expected[row["principal"] as? String ?? "null"]
      #expect(row["count"] as? Int == entry?.count)
      #expect(Set(row["ips"] as? [String] ?? []) == entry?.ips)
    }
  }
}
