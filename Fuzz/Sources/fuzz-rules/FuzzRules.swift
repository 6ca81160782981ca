// libFuzzer target `rules`: a rule file comes from wherever a CI job points `--rules`, so
// loading one (libyaml's events, the alias expansion measure, Yams, the rule checks, the
// pattern parser) must never trap, hang or run away with memory, and what it accepts must stay
// within the documented limits (docs/check.md, "Limits"). It goes through TrailCheck's one
// public entry, RuleDocumentSummary. Run it with scripts/fuzz.sh.
import TrailCheck

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  // Rule files that are not UTF-8 are refused before they are parsed (RuleFiles).
  guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
  let summary = RuleDocumentSummary(yaml: text, file: "fuzz.yml")
  check(RuleDocumentSummary(yaml: text, file: "fuzz.yml") == summary, "loading is not deterministic")

  if let error = summary.error {
    check(error.hasPrefix("fuzz.yml"), "an error without the file name: \(error)")
    check(summary.ids.isEmpty, "a refused document with rules")
    if let line = summary.errorLine {
      // YAML breaks lines at \n, \r, NEL, LS and PS; an error may point one past the last line.
      let breaks = text.unicodeScalars.filter { "\n\r\u{85}\u{2028}\u{2029}".unicodeScalars.contains($0) }.count
      check(line >= 1 && line <= breaks + 2, "line \(line) outside a document of \(breaks + 1) lines: \(error)")
      check(error.hasPrefix("fuzz.yml:\(line): "), "the line is not the one printed: \(error)")
    }
    return 0
  }
  check(Set(summary.ids).count == summary.ids.count, "duplicate rule ids accepted: \(summary.ids)")
  check(
    summary.reportBytes <= RuleDocumentSummary.maxExpandedBytes,
    "\(summary.reportBytes) bytes of report text accepted, more than the expansion limit")
  check(
    summary.longestText <= RuleDocumentSummary.maxFieldBytes,
    "a text of \(summary.longestText) bytes accepted, more than any field's limit")
  return 0
}

@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
