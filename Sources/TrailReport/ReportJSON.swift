// A JSON value built in memory for reports (check's and validate's JSON and JSON Lines, SARIF):
// small documents whose shape is easier to read as a tree than as a stream of writes. Strings
// are escaped by TrailJSON's writer, so hostile log values cannot break the document.
import TrailJSON

/// A JSON value to render.
package indirect enum ReportJSON: Sendable, Equatable {
  case string(String)
  case int(Int)
  case number(String)
  case bool(Bool)
  case null
  case array([ReportJSON])
  /// Members in the order given.
  case object([(String, ReportJSON)])

  package static func == (lhs: ReportJSON, rhs: ReportJSON) -> Bool { lhs.rendered() == rhs.rendered() }

  /// A string, or null when nil.
  package static func optional(_ text: String?) -> ReportJSON { text.map(ReportJSON.string) ?? .null }

  /// The document, indented by two spaces per level (or on one line without spaces when
  /// `compact`, for JSON Lines), with a final newline.
  package func rendered(compact: Bool = false) -> String {
    var out: [UInt8] = []
    append(to: &out, indent: compact ? nil : 0)
    out.append(0x0A)
    return String(decoding: out, as: UTF8.self)
  }

  /// `indent` nil: compact.
  func append(to out: inout [UInt8], indent: Int?) {
    func newline(_ level: Int?) {
      guard let level else { return }
      out.append(0x0A)
      out.append(contentsOf: repeatElement(0x20, count: level * 2))
    }
    let inner = indent.map { $0 + 1 }
    switch self {
    case .string(let text): JSONWriter.appendString(text, to: &out)
    case .int(let value): out.append(contentsOf: String(value).utf8)
    case .number(let text): out.append(contentsOf: text.utf8)
    case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
    case .null: out.append(contentsOf: "null".utf8)
    case .array(let items):
      guard !items.isEmpty else { return out.append(contentsOf: "[]".utf8) }
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        newline(inner)
        item.append(to: &out, indent: inner)
      }
      newline(indent)
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      guard !members.isEmpty else { return out.append(contentsOf: "{}".utf8) }
      out.append(UInt8(ascii: "{"))
      for (index, (key, value)) in members.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        newline(inner)
        JSONWriter.appendString(key, to: &out)
        out.append(contentsOf: (indent == nil ? ":" : ": ").utf8)
        value.append(to: &out, indent: inner)
      }
      newline(indent)
      out.append(UInt8(ascii: "}"))
    }
  }
}
