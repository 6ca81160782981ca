// `check` and `validate` with `--format sarif`: a CheckReport as one SARIF 2.1.0 run, the format
// GitHub code scanning (and other CI dashboards) ingest. Values come from hostile logs, so every
// string goes through JSONWriter's exact escaping; artifact URIs are percent-encoded by hand.
import TrailJSON
import TrailTime

/// Renders a `CheckReport` as a SARIF 2.1.0 log (OASIS errata 01 schema).
///
/// - One `run`; `tool.driver.rules` holds one descriptor per `report.results` entry (rules
///   without findings too), in order, so a result's `ruleIndex` is its rule's index there.
/// - One `result` per `Finding`. Level: critical/high → `error`, medium/low → `warning`,
///   info → `note`; the rule's `properties.security-severity` gives GitHub's scale
///   (9.5, 8.0, 5.5, 3.0, 0.0).
/// - Each result has one location per file of `finding.files` (a sample, see `filesTotal`).
///   A result without files points at the run's first input path (or `.`), because GitHub
///   rejects results without a location. Relative paths are percent-encoded relative
///   references with `uriBaseId` `%SRCROOT%`; absolute paths become `file:///…` URIs.
/// - `partialFingerprints["trailScanFinding/v1"]` hashes rule id, group key and first-seen time
///   so that uploading the same finding again updates the alert instead of adding one.
/// - `invocations[0].executionSuccessful` is false when the run met input problems, with one
///   error notification saying how many.
package enum SARIFReport {
  package static let schemaURI =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
  package static let informationURI = "https://github.com/trail-scan/trail-scan"
  /// The key of the fingerprint in `partialFingerprints`.
  package static let fingerprintKey = "trailScanFinding/v1"

  /// The SARIF log, pretty-printed with a 2-space indent and a trailing newline.
  package static func render(_ report: CheckReport, toolVersion: String) -> String {
    log(report, toolVersion: toolVersion).rendered()
  }

  // MARK: - Structure

  static func log(_ report: CheckReport, toolVersion: String) -> ReportJSON {
    .object([
      ("$schema", .string(schemaURI)),
      ("version", .string("2.1.0")),
      ("runs", .array([run(report, toolVersion: toolVersion)])),
    ])
  }

  static func run(_ report: CheckReport, toolVersion: String) -> ReportJSON {
    let fallback = fallbackLocation(report.inputs)
    var results: [ReportJSON] = []
    for (index, ruleResult) in report.results.enumerated() {
      for finding in ruleResult.findings {
        results.append(result(finding, rule: ruleResult.rule, index: index, fallback: fallback))
      }
    }
    var invocation: [(String, ReportJSON)] = [("executionSuccessful", .bool(report.inputs.problems == 0))]
    if report.inputs.problems > 0 {
      let text =
        "\(report.inputs.problems) input problem(s): unreadable or corrupt input was skipped (details on standard error); the findings may be incomplete."
      invocation.append(
        (
          "toolExecutionNotifications",
          .array([
            .object([
              ("level", .string("error")),
              ("message", .object([("text", .string(text))])),
              ("descriptor", .object([("id", .string("input"))])),
            ])
          ])
        ))
    }
    return .object([
      (
        "tool",
        .object([
          (
            "driver",
            .object([
              ("name", .string("trail-scan")),
              ("version", .string(toolVersion)),
              ("informationUri", .string(informationURI)),
              ("rules", .array(report.results.map { descriptor($0.rule) })),
            ])
          )
        ])
      ),
      ("invocations", .array([.object(invocation)])),
      ("results", .array(results)),
      (
        "properties",
        .object([
          ("command", .string(report.command)),
          ("failOn", .string(report.failOn.rawValue)),
          ("inputPaths", .array(report.inputs.paths.map { .string($0) })),
          ("files", .int(report.inputs.files)),
          ("events", .int(report.inputs.events)),
          ("problems", .int(report.inputs.problems)),
        ])
      ),
    ])
  }

  static func descriptor(_ rule: RuleInfo) -> ReportJSON {
    var fields: [(String, ReportJSON)] = [
      ("id", .string(rule.id)),
      ("name", .string(ruleName(rule))),
      ("shortDescription", .object([("text", .string(rule.title))])),
    ]
    if let description = rule.description {
      fields.append(("fullDescription", .object([("text", .string(description))])))
    }
    if let help = helpText(rule) {
      fields.append(("help", .object([("text", .string(help))])))
    }
    if let url = rule.helpURL {
      fields.append(("helpUri", .string(url)))
    }
    fields.append(("defaultConfiguration", .object([("level", .string(level(rule.severity)))])))
    var tags = ["security"]
    if let pack = rule.pack, !tags.contains(pack) { tags.append(pack) }
    for tag in rule.tags where !tags.contains(tag) { tags.append(tag) }
    fields.append(
      (
        "properties",
        .object([
          ("tags", .array(tags.map { .string($0) })),
          ("security-severity", .string(securitySeverity(rule.severity))),
          ("severity", .string(rule.severity.rawValue)),
          ("references", .array(rule.references.map { .string($0) })),
          ("falsePositives", .array(rule.falsePositives.map { .string($0) })),
          ("origin", .string(rule.origin)),
        ])
      ))
    return .object(fields)
  }

  static func result(_ finding: Finding, rule: RuleInfo, index: Int, fallback: String) -> ReportJSON {
    let paths = finding.files.isEmpty ? [fallback] : finding.files
    var properties: [(String, ReportJSON)] = [
      ("count", .int(finding.count)),
      ("firstSeen", finding.firstSeen.map { .string($0.iso8601) } ?? .null),
      ("lastSeen", finding.lastSeen.map { .string($0.iso8601) } ?? .null),
    ]
    if let peak = finding.peak {
      properties.append(("peak", .int(peak)))
      properties.append(("peakStart", finding.peakStart.map { .string($0.iso8601) } ?? .null))
    }
    properties += [
      ("eventIds", .array(finding.eventIDs.map { .string($0) })),
      ("principals", .array(finding.principals.map { .string($0) })),
      ("principalsTotal", .int(finding.principalsTotal)),
      ("filesTotal", .int(finding.filesTotal)),
      ("group", .object(finding.group.map { ($0.field, $0.value.map { .string($0) } ?? .null) })),
    ]
    return .object([
      ("ruleId", .string(rule.id)),
      ("ruleIndex", .int(index)),
      ("level", .string(level(rule.severity))),
      ("message", .object([("text", .string(messageText(finding)))])),
      ("locations", .array(paths.map(location))),
      ("partialFingerprints", .object([(fingerprintKey, .string(fingerprint(ruleID: rule.id, finding: finding)))])),
      ("properties", .object(properties)),
    ])
  }

  static func location(_ path: String) -> ReportJSON {
    var artifact: [(String, ReportJSON)] = [("uri", .string(artifactURI(path)))]
    if !path.hasPrefix("/") { artifact.append(("uriBaseId", .string("%SRCROOT%"))) }
    return .object([("physicalLocation", .object([("artifactLocation", .object(artifact))]))])
  }

  // MARK: - Values

  /// SARIF `level`: critical/high → error, medium/low → warning, info → note.
  package static func level(_ severity: Severity) -> String {
    switch severity {
    case .critical, .high: "error"
    case .medium, .low: "warning"
    case .info: "note"
    }
  }

  /// GitHub code scanning's `security-severity` (a number in a string; > 9.0 is critical,
  /// 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low).
  package static func securitySeverity(_ severity: Severity) -> String {
    switch severity {
    case .critical: "9.5"
    case .high: "8.0"
    case .medium: "5.5"
    case .low: "3.0"
    case .info: "0.0"
    }
  }

  /// A CamelCase form of the rule id (`cis-3.1-unauthorized` → `Cis31Unauthorized`), or the
  /// id itself when it has no letters or digits.
  static func ruleName(_ rule: RuleInfo) -> String {
    var name = ""
    var upperNext = true
    for ch in rule.id {
      if ch.isLetter || ch.isNumber {
        name += upperNext ? ch.uppercased() : String(ch)
        upperNext = false
      } else {
        upperNext = true
      }
    }
    return name.isEmpty ? rule.id : name
  }

  /// The remediation, then the false positives and references as lists; nil when there is none
  /// of them.
  static func helpText(_ rule: RuleInfo) -> String? {
    var parts: [String] = []
    if let remediation = rule.remediation { parts.append(remediation) }
    if !rule.falsePositives.isEmpty {
      parts.append("False positives:\n" + rule.falsePositives.map { "- " + $0 }.joined(separator: "\n"))
    }
    if !rule.references.isEmpty {
      parts.append("References:\n" + rule.references.map { "- " + $0 }.joined(separator: "\n"))
    }
    return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
  }

  /// The finding's message, then one line each for group, count, times and samples.
  static func messageText(_ finding: Finding) -> String {
    var lines = [finding.message]
    if !finding.group.isEmpty { lines.append("Group: " + groupText(finding.group)) }
    var count = "\(finding.count) matching event(s)"
    if let peak = finding.peak {
      count += ", at most \(peak) in one window"
      if let start = finding.peakStart { count += " (starting \(start.iso8601))" }
    }
    lines.append(count + ".")
    if let first = finding.firstSeen { lines.append("First seen: \(first.iso8601).") }
    if let last = finding.lastSeen { lines.append("Last seen: \(last.iso8601).") }
    if !finding.eventIDs.isEmpty {
      lines.append(
        "Event IDs (\(finding.eventIDs.count) of \(finding.count)): " + finding.eventIDs.joined(separator: ", "))
    }
    if !finding.principals.isEmpty {
      lines.append(
        "Principals (\(finding.principals.count) of \(finding.principalsTotal)): "
          + finding.principals.joined(separator: ", "))
    }
    if finding.filesTotal > finding.files.count {
      lines.append("Files: \(finding.filesTotal) in all, \(finding.files.count) listed as locations.")
    }
    return lines.joined(separator: "\n")
  }

  static func groupText(_ group: [GroupValue]) -> String {
    group.map { "\($0.field)=\($0.value ?? "(none)")" }.joined(separator: ", ")
  }

  /// Where a finding without files points: the first input path, or `.`.
  static func fallbackLocation(_ inputs: InputSummary) -> String {
    guard let first = inputs.paths.first, !first.isEmpty, first != "-" else { return "." }
    return first
  }

  /// A stable 128-bit hash (two FNV-1a 64 passes with different bases) of the rule id, the
  /// group key and the first-seen time, as 32 hex digits. Fields are separated by bytes that
  /// cannot be confused with text (0x00 between fields, 0x1F/0x1E inside group values).
  package static func fingerprint(ruleID: String, finding: Finding) -> String {
    var bytes = Array(ruleID.utf8)
    bytes.append(0)
    for value in finding.group {
      bytes += Array(value.field.utf8)
      if let v = value.value {
        bytes.append(0x1F)
        bytes += Array(v.utf8)
      } else {
        bytes.append(0x1E)
      }
      bytes.append(0)
    }
    bytes += Array((finding.firstSeen?.iso8601 ?? "-").utf8)
    return hex(fnv1a(bytes, basis: 0xCBF2_9CE4_8422_2325)) + hex(fnv1a(bytes, basis: 0x6C62_272E_07BB_0142))
  }

  static func fnv1a(_ bytes: [UInt8], basis: UInt64) -> UInt64 {
    var hash = basis
    for b in bytes {
      hash ^= UInt64(b)
      hash &*= 0x0000_0100_0000_01B3
    }
    return hash
  }

  static func hex(_ value: UInt64) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8](repeating: 0x30, count: 16)
    var v = value
    for i in stride(from: 15, through: 0, by: -1) {
      out[i] = digits[Int(v & 0xF)]
      v >>= 4
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The artifact URI of a path: an absolute path becomes `file://` + the encoded path; a
  /// relative path stays a relative reference. Bytes outside RFC 3986's unreserved set,
  /// sub-delims, `/` and `@` become `%XX` (so do `:`, which would read as a scheme in a first
  /// segment, and `%`, `?`, `#`, `\`, spaces and all non-ASCII UTF-8 bytes).
  package static func artifactURI(_ path: String) -> String {
    var out: [UInt8] = path.hasPrefix("/") ? Array("file://".utf8) : []
    let digits = Array("0123456789ABCDEF".utf8)
    for b in path.utf8 {
      switch b {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
        UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
        UInt8(ascii: ")"),
        UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
        UInt8(ascii: "/"), UInt8(ascii: "@"):
        out.append(b)
      default:
        out += [UInt8(ascii: "%"), digits[Int(b >> 4)], digits[Int(b & 0xF)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }
}
