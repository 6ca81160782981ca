// `check --list-rules`: the packs' and rule files' rules as a table for people or one JSON array
// for scripts. The rules arrive as report data (RuleInfo and the pattern as written), so the
// listing is formatted here with the other reports, not in the command.
import TrailOutput

/// Renders a list of rules.
package enum RuleListReport {
  /// A rule as listed: what it says, and its `pattern` as written (nil for `match`-only rules).
  package typealias Entry = (info: RuleInfo, pattern: String?)

  /// One row per rule: pack (or file), id, severity, title, tags (ATT&CK techniques…) and the
  /// references that are not links. A narrow terminal gives up the references, the tags and
  /// the pack, in that order; tags and references nothing has are not shown.
  package static func writeTable(_ rules: [Entry], to output: OutputBuffer, width: Int?, style: TableStyle) throws {
    let table = TableWriter(
      output: output, headers: ["PACK", "RULE", "SEVERITY", "TITLE", "TAGS", "REFERENCES"], width: width, style: style,
      optional: [5, 4, 0], droppedWhenEmpty: [4, 5], whole: [1])
    for (info, _) in rules {
      try table.add([
        info.pack ?? info.origin, info.id, info.severity.rawValue, info.title, info.tags.joined(separator: " "),
        info.references.filter { !$0.hasPrefix("http") }.joined(separator: "; "),
      ])
    }
    try table.finish()
  }

  /// One JSON array of objects, pretty-printed, with a final newline.
  package static func json(_ rules: [Entry]) -> String {
    ReportJSON.array(
      rules.map { info, pattern in
        .object([
          ("id", .string(info.id)), ("title", .string(info.title)), ("severity", .string(info.severity.rawValue)),
          ("pack", .optional(info.pack)), ("origin", .string(info.origin)), ("pattern", .optional(pattern)),
          ("references", .array(info.references.map(ReportJSON.string))),
          ("tags", .array(info.tags.map(ReportJSON.string))),
          ("falsePositives", .array(info.falsePositives.map(ReportJSON.string))),
          ("description", .optional(info.description)),
        ])
      }
    ).rendered()
  }
}
