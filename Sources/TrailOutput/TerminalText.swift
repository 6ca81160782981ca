// Values from logs are hostile: a user agent or request parameter can hold escape sequences that
// would drive the terminal, or bidirectional overrides that reorder what is shown. Table output
// passes every value through here, which makes them visible as escapes, and measures display
// width so columns line up with wide (CJK) characters.

package enum TerminalText {
  /// `text` with control characters (C0, DEL, C1), line and paragraph separators and
  /// bidirectional controls shown as escapes (`\n`, `\t`, `\x1b`, `\u{202e}`).
  package static func escape(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      guard needsEscape(scalar) else {
        out.unicodeScalars.append(scalar)
        continue
      }
      switch scalar {
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        let hex = String(scalar.value, radix: 16)
        out += scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
      }
    }
    return out
  }

  static func needsEscape(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// Columns a terminal uses to show `text` (wide East Asian characters take two, combining
  /// marks none). `text` must already be escaped.
  package static func width(_ text: String) -> Int {
    var total = 0
    for scalar in text.unicodeScalars { total += width(of: scalar) }
    return total
  }

  static func width(of s: Unicode.Scalar) -> Int {
    let v = s.value
    if v < 0x300 { return 1 }
    switch v {
    case 0x0300...0x036F, 0x200B...0x200D, 0xFE00...0xFE0F: return 0
    case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
      0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
      return 2
    default: return 1
    }
  }

  /// `text` cut to at most `columns` display columns, ending in `…` when cut.
  package static func truncate(_ text: String, to columns: Int) -> String {
    guard width(text) > columns else { return text }
    guard columns > 1 else { return columns == 1 ? "…" : "" }
    var out = ""
    var used = 0
    for scalar in text.unicodeScalars {
      let w = width(of: scalar)
      if used + w > columns - 1 { break }
      out.unicodeScalars.append(scalar)
      used += w
    }
    return out + "…"
  }

  /// `text` padded with spaces to `columns` display columns.
  package static func pad(_ text: String, to columns: Int) -> String {
    let w = width(text)
    return w >= columns ? text : text + String(repeating: " ", count: columns - w)
  }
}
