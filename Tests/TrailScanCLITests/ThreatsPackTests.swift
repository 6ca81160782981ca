// The `threats` pack catches real attacks: every Stratus Red Team capture of the shared corpus
// gives a finding whose rule names that technique (in its references), and the pack's Sigma
// rules agree with the independent Sigma oracle (scripts/sigma-oracle.py) event for event.
import Foundation
import Testing
import TrailTestSupport

struct ThreatsPackTests {
  static let captures = Paths.sharedCorpus.appendingPathComponent("stratus-red-team/detonation-logs")

  @Test func everyStratusTechniqueIsDetectedByARuleNamingIt() throws {
    let files = Paths.files(under: Self.captures).filter { $0.pathExtension == "json" }
    #expect(files.count == 35)
    var detected = 0
    for file in files {
      let technique = file.deletingPathExtension().lastPathComponent
      let result = try TrailBinary.run(["check", file.path, "--pack", "threats", "--format", "json"])
      #expect(result.status == 1, "\(technique): \(result.stderr)")
      let report = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
      let firing = (report["rules"] as? [[String: Any]] ?? []).filter { !(($0["findings"] as? [Any]) ?? []).isEmpty }
      let naming = firing.filter { rule in
        (rule["references"] as? [String] ?? []).contains { $0.contains("/\(technique)/") }
      }
      #expect(
        !naming.isEmpty, "\(technique): no finding of a rule naming it (fired: \(firing.compactMap { $0["title"] }))")
      if !naming.isEmpty { detected += 1 }
    }
    #expect(detected == 35)
  }

  /// The pack's rules, as Sigma, match exactly what the independent oracle matches on the
  /// Stratus captures (event ids per rule, through `search --rule`).
  @Test func packRulesAgreeWithTheIndependentOracle() throws {
    let dir = try TemporaryDirectory()
    // The pack's YAML, taken from its source files, written out for the oracle.
    let packs = Paths.packageRoot.appendingPathComponent("Sources/TrailCheck/Packs")
    let sources = Paths.files(under: packs).filter { $0.lastPathComponent.hasPrefix("Threats") }
    #expect(sources.count == 7)
    var documents: [String] = []
    for source in sources {
      let text = try String(contentsOf: source, encoding: .utf8)
      let start = try #require(text.range(of: "#\"\"\"\n"))
      let end = try #require(text.range(of: "\n    \"\"\"#"))
      let body = text[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
      documents.append(body.joined(separator: "\n"))
    }
    let rulesFile = try dir.write("threats.yml", Array(documents.joined(separator: "\n---\n").utf8))
    let oracle = try Python.runScript("sigma-oracle.py", [rulesFile, "--", Self.captures.path])
    #expect(oracle.status == 0, "\(oracle.stderr)")
    let expected = try #require(try JSONSerialization.jsonObject(with: oracle.stdout) as? [String: [String]])
    // Rules that only feed a correlation are not rules of their own (Sigma's `generate: false`).
    let list = try TrailBinary.run(["check", "--list-rules", "--pack", "threats", "--format", "json"])
    let listed = Set(
      (try JSONSerialization.jsonObject(with: list.stdout) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    )
    #expect(listed.count >= 30)
    let compared = expected.filter { listed.contains($0.key) }
    #expect(compared.count == listed.count)
    #expect(compared.values.contains { !$0.isEmpty })
    for (id, ids) in compared {
      let result = try TrailBinary.run([Self.captures.path, "--rule", id, "--format", "jsonl"])
      let got = result.lines.compactMap { line in
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["eventID"] as? String
      }
      #expect(got.sorted() == ids.sorted(), "\(id)")
    }
  }
}
