// Turns the raw text of a JSON string (escapes and all, already validated by the parser) into
// a Swift String. Only strings that contain a backslash come here; the rest are decoded as is.

enum StringUnescaper {
  /// Decodes validated JSON string text (without quotes).
  static func unescape(_ text: UnsafeBufferPointer<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.count)
    var i = 0
    let n = text.count
    while i < n {
      let b = text[i]
      if b != ASCII.backslash {
        out.append(b)
        i += 1
        continue
      }
      let e = text[i + 1]
      i += 2
      switch e {
      case 0x62: out.append(0x08)  // \b
      case 0x66: out.append(0x0C)  // \f
      case 0x6E: out.append(0x0A)  // \n
      case 0x72: out.append(0x0D)  // \r
      case 0x74: out.append(0x09)  // \t
      case 0x75:  // \uXXXX, possibly a surrogate pair
        var scalar = hex4(text, i)
        i += 4
        if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= n, text[i] == ASCII.backslash, text[i + 1] == 0x75 {
          let low = hex4(text, i + 2)
          i += 6
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", to: &out)
      default: out.append(e)  // \" \\ \/
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func hex4(_ text: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
    var value: UInt32 = 0
    for k in 0..<4 { value = value << 4 | (ASCII.hexValue(text[at + k]) ?? 0) }
    return value
  }

  static func appendUTF8(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
    // Every Unicode scalar has a UTF-8 encoding.
    if let encoded = UTF8.encode(scalar) { out.append(contentsOf: encoded) }
  }
}
