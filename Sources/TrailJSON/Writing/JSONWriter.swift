// Writes JSON text: compacts a record (whitespace outside strings removed, nothing else changed,
// which is what lossless `jsonl` output promises) and quotes our own strings for output.

/// Writes JSON text into byte arrays: compaction of existing JSON and quoting of strings.
public enum JSONWriter {
  /// Appends `text` (a valid JSON text) with the whitespace between tokens removed; key order,
  /// string escapes and number spelling stay exactly as written.
  public static func appendCompacted(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
    let n = text.count
    out.reserveCapacity(out.count + n)
    var i = 0
    var runStart = 0
    while i < n {
      let b = text[i]
      if b == ASCII.quote {
        // Copy through the string.
        i += 1
        while i < n {
          let c = text[i]
          if c == ASCII.backslash {
            i += 2
            continue
          }
          i += 1
          if c == ASCII.quote { break }
        }
      } else if ASCII.isWhitespace(b) {
        if runStart < i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<i])) }
        i += 1
        while i < n && ASCII.isWhitespace(text[i]) { i += 1 }
        runStart = i
      } else {
        i += 1
      }
    }
    if runStart < n { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<n])) }
  }

  /// Appends a value's text, compacted.
  public static func appendCompacted(_ value: JSONValue, to out: inout [UInt8]) {
    let range = value.jsonText.indices
    value.document.bytes.withUnsafeBytes { raw in
      appendCompacted(UnsafeRawBufferPointer(rebasing: raw[range]), to: &out)
    }
  }

  /// Appends `s` as a JSON string: quotes, `\"`, `\\`, and `\uXXXX` (or the short forms) for
  /// control characters. Everything else, including non-ASCII text, is written as UTF-8.
  public static func appendString(_ s: String, to out: inout [UInt8]) {
    out.append(ASCII.quote)
    for b in s.utf8 {
      switch b {
      case ASCII.quote: out.append(contentsOf: [ASCII.backslash, ASCII.quote])
      case ASCII.backslash: out.append(contentsOf: [ASCII.backslash, ASCII.backslash])
      case 0x0A: out.append(contentsOf: [ASCII.backslash, 0x6E])
      case 0x0D: out.append(contentsOf: [ASCII.backslash, 0x72])
      case 0x09: out.append(contentsOf: [ASCII.backslash, 0x74])
      case 0..<0x20, 0x7F:
        let hex = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [ASCII.backslash, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
      default: out.append(b)
      }
    }
    out.append(ASCII.quote)
  }
}
