// Base64 as saved public keys spell their DER bytes (`list-public-keys`). A strict decoder of
// our own (no Foundation), so a damaged key is reported as such instead of being half decoded.

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
      let n =
        UInt32(sextets[i]) << 18 | UInt32(sextets[i + 1]) << 12 | UInt32(sextets[i + 2]) << 6 | UInt32(sextets[i + 3])
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
