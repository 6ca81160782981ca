// Hostile rule files (issue 13): YAML aliases count as copies of what they name, so a small file
// cannot expand into a gigabyte of report text or a key that takes forever to hash; nesting is
// capped before Yams composes recursively; mapping keys are scalars; every text field has a
// size limit. Each refusal is an
// error naming the file and the line, like every other broken rule file.
import Testing
import TrailCheck

/// The error `yaml` is refused with; records an issue when it loads.
func refusal(_ yaml: String) -> RuleError? {
  do {
    let rules = try RuleDocuments.load(yaml: yaml, file: "hostile.yml").rules
    Issue.record("loaded \(rules.count) rules")
    return nil
  } catch {
    return error
  }
}

/// One rule with `extra` lines (indented for the rule's mapping) after its required keys.
func ruleFile(_ extra: String = "", id: String = "r") -> String {
  "rules:\n  - id: \(id)\n    title: T\n    severity: low\n    match: {eventName: X}\n" + extra
}

struct RuleLimitTests {
  @Test func aliasesWithinTheBudgetAreFine() throws {
    // One remediation shared by many rules: what aliases are for.
    var yaml = "description: &fix Rotate the keys and review the trail's configuration.\nrules:\n"
    for n in 0..<200 {
      yaml += "  - {id: r\(n), title: T, severity: low, match: {eventName: X}, remediation: *fix}\n"
    }
    let rules = try RuleDocuments.load(yaml: yaml, file: "shared.yml").rules
    #expect(rules.count == 200)
    #expect(rules.allSatisfy { $0.info.remediation?.hasPrefix("Rotate") == true })
  }

  @Test func theIssuesAliasBombIsRefusedAtTheAliasThatCrossesTheLimit() throws {
    // 100 KB aliased 10,000 times: 140 KB of file, 1 GB of text once expanded.
    let big = String(repeating: "x", count: 100_000)
    let aliases = Array(repeating: "*big", count: 10_000).joined(separator: ", ")
    let yaml =
      "description: &big \(big)\nrules:\n  - id: r\n    title: T\n    severity: low\n"
      + "    match: {eventName: X}\n    references: [\(aliases)]\n"
    let error = try #require(refusal(yaml))
    #expect(error.line == 7, "\(error)")
    #expect(error.description.hasPrefix("hostile.yml:7: "), "\(error)")
    #expect(error.message.contains("more than 4194304 bytes of text once its aliases are expanded"), "\(error)")
  }

  @Test func aliasesOfEmptyValuesCountAsValues() throws {
    // Nothing but empty strings, each alias a copy: the value count stops it, not the bytes.
    var yaml = "e0: &e0 ['', '', '', '', '', '', '', '', '', '']\n"
    for n in 1...8 {
      yaml += "e\(n): &e\(n) [" + Array(repeating: "*e\(n - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let error = try #require(refusal(yaml))
    #expect(error.line == 6, "\(error)")
    #expect(error.message.contains("more than 250000 YAML values"), "\(error)")
  }

  @Test func anAliasedKeyIsRefusedBeforeYamsHashesIt() throws {
    // Yams hashes every mapping key in full to find duplicates: this 600-byte file never
    // finished (10^12 nodes in one key). The expansion is measured first, so it is refused at
    // once, at the anchor where the count passes the limit.
    var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for n in 1...11 {
      yaml += "a\(n): &a\(n) [" + Array(repeating: "*a\(n - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    yaml += "? *a11\n: 1\n"
    let error = try #require(refusal(yaml))
    #expect(error.line == 6, "\(error)")
    #expect(error.message.contains("YAML values"), "\(error)")
  }

  @Test func nestingIsCappedAliasesIncluded() throws {
    let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
    #expect(refusal("rules: " + deep + "\n")?.message == "values nested deeper than 32 levels")
    // libyaml stops at 1000 levels on its own (its scanner reads ahead of the events).
    let deeper = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    let stopped = try #require(refusal("rules: " + deeper + "\n"))
    #expect(stopped.message.contains("Maximum nesting level reached"), "\(stopped)")
    // A chain of anchors, each one level deeper than the last, is as deep as it expands.
    var yaml = "d0: &d0 [x]\n"
    for n in 1...40 { yaml += "d\(n): &d\(n) [*d\(n - 1)]\n" }
    let chain = try #require(refusal(yaml))
    #expect(chain.message == "values nested deeper than 32 levels")
    #expect(chain.line == 32, "\(chain)")
    // 32 levels is fine as far as nesting goes (the rule is wrong for other reasons).
    let fine = refusal("rules: " + String(repeating: "[", count: 31) + String(repeating: "]", count: 31) + "\n")
    #expect(fine?.message.contains("nested") == false, "\(String(describing: fine))")
  }

  @Test func mappingKeysArePlainValues() throws {
    // Found by the `rules` fuzz target: Yams reports duplicate keys in an order that lists and
    // mappings do not have, so the line of this error changed between two loads of one file.
    let fuzzed = "? [aion: 4]\nlas: []\n? [aion: 4]\nlas: []\n"
    let error = try #require(refusal(fuzzed))
    #expect(error.line == 1, "\(error)")
    #expect(error.message == "a mapping key must be a plain value, not a list or a mapping")
    #expect(refusal(fuzzed)?.description == error.description)
    // Through an alias too; an alias of a scalar is a fine key.
    let aliased = try #require(refusal("description: &list [a]\n*list : x\n"))
    #expect(aliased.line == 2, "\(aliased)")
    #expect(aliased.message.hasPrefix("a mapping key must be a plain value"))
    let scalarKey = try #require(refusal("description: &key pack\n*key : x\n"))
    #expect(!scalarKey.message.contains("mapping key"), "\(scalarKey)")
    #expect(!scalarKey.message.contains("duplicate"), "\(scalarKey)")
  }

  @Test func duplicateKeysAreReportedInDocumentOrder() throws {
    // Found by the `rules` fuzz target: `title` three times, with and without tags; Yams could
    // not order keys of one text with different tags, so its error named another line each run.
    let fuzzed = "- {id: r, !!map title: T, n: 1, title: !8 x, !!str title: y}\n"
    let error = try #require(refusal(fuzzed))
    #expect(error.message == "duplicate key 'title' (first on line 1)", "\(error)")
    #expect(refusal(fuzzed)?.description == error.description)
    // A key through an alias of a scalar counts as its text.
    let aliased = try #require(refusal("description: &k pack\npack: x\n*k : y\n"))
    #expect(aliased.line == 3)
    #expect(aliased.message == "duplicate key 'pack' (first on line 2)")
  }

  @Test func brokenYAMLIsStillTheComposersToReport() throws {
    let undefined = try #require(refusal(ruleFile("    description: *nowhere\n")))
    #expect(undefined.message.contains("not valid YAML"), "\(undefined)")
    #expect(undefined.message.contains("undefined alias"), "\(undefined)")
  }

  /// (field and value lines, the limit's field, its limit in bytes)
  static let fields: [(String, String, Int)] = [
    ("    title: VALUE\n", "title", 1024),
    ("    description: VALUE\n", "description", 16_384),
    ("    remediation: VALUE\n", "remediation", 16_384),
    ("    references: [VALUE]\n", "references", 2048),
    ("    pattern: '{ $.eventName = VALUE }'\n", "pattern", 8192),
    ("    window: VALUE\n    threshold: 1\n", "window", 1024),
    ("    group-by: VALUE\n", "group-by", 1024),
  ]

  @Test(arguments: fields.indices)
  func everyTextFieldHasALimit(index: Int) throws {
    let (template, field, limit) = Self.fields[index]
    // The pattern's own text takes 18 bytes around the value.
    let size = field == "pattern" ? limit - 18 : limit
    let lines = template.replacingOccurrences(of: "VALUE", with: String(repeating: "a", count: size + 1))
    // The field is on line 5.
    let yaml =
      "rules:\n  - id: r\n    severity: low\n    match: {eventName: X}\n" + lines
      + (field == "title" ? "" : "    title: T\n")
    let error = try #require(refusal(yaml))
    #expect(error.line == 5, "\(error)")
    #expect(error.rule == "r")
    #expect(error.message == "'\(field)' is longer than \(limit) bytes (the limit for this field)")
    // At the limit it is accepted, as far as size goes.
    let atLimit = yaml.replacingOccurrences(
      of: String(repeating: "a", count: size + 1), with: String(repeating: "a", count: size))
    do {
      _ = try RuleDocuments.load(yaml: atLimit, file: "ok.yml").rules
    } catch {
      #expect(!error.message.contains("longer than"), "\(error)")
    }
  }

  @Test func idsAndReferenceCountsHaveLimits() throws {
    let longID = String(repeating: "i", count: 257)
    let id = try #require(refusal(ruleFile(id: longID)))
    #expect(id.message == "'id' is longer than 256 bytes (the limit for this field)")
    #expect(id.line == 2)
    let references = "    references: [" + Array(repeating: "x", count: 101).joined(separator: ", ") + "]\n"
    let many = try #require(refusal(ruleFile(references)))
    #expect(many.message == "'references' has more than 100 entries")
    #expect(many.line == 6)
  }

  @Test func errorsQuoteLongTextsClipped() throws {
    let severity = String(repeating: "s", count: 1000)
    let error = try #require(
      refusal(ruleFile().replacingOccurrences(of: "severity: low", with: "severity: \(severity)")))
    #expect(error.message.contains("invalid severity '" + String(repeating: "s", count: 60) + "…'"), "\(error)")
    #expect(error.description.count < 200)
  }
}
