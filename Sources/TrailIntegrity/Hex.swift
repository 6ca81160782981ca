// Hex and base64 as integrity data spells bytes: digest hashes and signatures are hex, saved
// public keys are base64 DER. Strict decoders of our own (no Foundation), so a damaged value is
// reported as such instead of being half decoded.

enum Hex {
  private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Lower-case hex of `bytes` (Python's `hexdigest()`).
  static func encode(_ bytes: some Sequence<UInt8>) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The bytes of hex text (either case); nil for an odd length or a non-hex character.
  static func decode(_ text: String) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count / 2)
    var i = 0
    while i < utf8.count {
      guard let high = value(utf8[i]), let low = value(utf8[i + 1]) else { return nil }
      out.append(high << 4 | low)
      i += 2
    }
    return out
  }

  /// The value of one hex digit.
  static func value(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}

enum Base64 {
  /// Why a base64 text did not decode.
  enum Failure: Error, Equatable {
    /// A character outside the standard alphabet, at this offset of the text.
    case badCharacter(Character, offset: Int)
    /// The length (whitespace excluded) is not a multiple of 4, or `=` is misplaced.
    case badLength
    case badPadding
  }

  /// Decodes standard base64 (RFC 4648 §4, `+/`, `=` padding required). ASCII whitespace is
  /// skipped (keys pasted from PEM bodies carry line breaks); anything else outside the
  /// alphabet is an error.
  static func decode(_ text: String) throws(Failure) -> [UInt8] {
    var sextets: [UInt8] = []
    sextets.reserveCapacity(text.utf8.count)
    var padding = 0
    var offset = 0
    for c in text.utf8 {
      defer { offset += 1 }
      switch c {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
        continue
      case UInt8(ascii: "="):
        padding += 1
        continue
      default:
        break
      }
      // Data after padding.
      guard padding == 0 else { throw .badPadding }
      guard let v = value(c) else { throw .badCharacter(Character(Unicode.Scalar(c)), offset: offset) }
      sextets.append(v)
    }
    guard (sextets.count + padding) % 4 == 0 else { throw .badLength }
    guard padding <= 2, padding == (4 - sextets.count % 4) % 4 else { throw .badPadding }
    var out: [UInt8] = []
    out.reserveCapacity(sextets.count * 3 / 4)
    var i = 0
    while i + 4 <= sextets.count {
      let n = UInt32(sextets[i]) << 18 | UInt32(sextets[i + 1]) << 12 | UInt32(sextets[i + 2]) << 6 | UInt32(sextets[i + 3])
      out.append(UInt8(truncatingIfNeeded: n >> 16))
      out.append(UInt8(truncatingIfNeeded: n >> 8))
      out.append(UInt8(truncatingIfNeeded: n))
      i += 4
    }
    switch sextets.count - i {
    case 2:
      out.append(sextets[i] << 2 | sextets[i + 1] >> 4)
    case 3:
      out.append(sextets[i] << 2 | sextets[i + 1] >> 4)
      out.append(sextets[i + 1] << 4 | sextets[i + 2] >> 2)
    default:
      break
    }
    return out
  }

  private static func value(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - UInt8(ascii: "A")
    case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - UInt8(ascii: "a") + 26
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0") + 52
    case UInt8(ascii: "+"): return 62
    case UInt8(ascii: "/"): return 63
    default: return nil
    }
  }
}
