// Sigma's value-transforming modifiers: `windash` (the dash-or-slash variants of command-line
// flags), `utf16le`/`wide`/`utf16be`/`utf16` (text to UTF-16 bytes, only meaningful under Base64),
// `base64` and `base64offset` (the three alignments of a value inside a longer Base64 text, as
// pySigma computes them). Each turns one value into its variants, any of which may match.

enum SigmaEncodings {
  /// Characters `windash` puts in place of a dash or slash that starts a flag.
  static let dashes: [Character] = ["-", "/", "–", "—", "―"]
  /// The most variants one value may expand into.
  static let maxVariants = 4096

  /// Every way of writing `text` with each flag-starting `-` or `/` (one not preceded by a word
  /// character and followed by one, pySigma's `\B[-/]\b`) replaced by each of `dashes`.
  static func windash(_ text: String) -> [String]? {
    let characters = Array(text)
    func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    var positions: [Int] = []
    for (i, c) in characters.enumerated() where c == "-" || c == "/" {
      let before = i > 0 && isWord(characters[i - 1])
      let after = i + 1 < characters.count && isWord(characters[i + 1])
      if !before && after { positions.append(i) }
    }
    var variants: [[Character]] = [characters]
    for position in positions {
      guard variants.count * dashes.count <= maxVariants else { return nil }
      variants = variants.flatMap { variant in
        dashes.map { dash in
          var copy = variant
          copy[position] = dash
          return copy
        }
      }
    }
    return variants.map { String($0) }
  }

  /// UTF-16 bytes of `text`: little-endian, big-endian, or little-endian after a byte order mark.
  static func utf16(_ text: String, bigEndian: Bool, byteOrderMark: Bool) -> [UInt8] {
    var bytes: [UInt8] = byteOrderMark ? [0xFF, 0xFE] : []
    for unit in text.utf16 {
      let high = UInt8(unit >> 8)
      let low = UInt8(unit & 0xFF)
      bytes += bigEndian ? [high, low] : [low, high]
    }
    return bytes
  }

  static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Standard Base64 with padding.
  static func base64(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
      let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
      let b0 = chunk[0]
      let b1 = chunk.count > 1 ? chunk[1] : 0
      let b2 = chunk.count > 2 ? chunk[2] : 0
      out.append(alphabet[Int(b0 >> 2)])
      out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
      out.append(chunk.count > 1 ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
      out.append(chunk.count > 2 ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The three texts that appear in the Base64 of any string containing `bytes`, one per
  /// alignment (pySigma's `base64offset`): the value after 0, 1 or 2 filler bytes, encoded, with
  /// the characters that depend on the neighbours cut off.
  static func base64Offsets(_ bytes: [UInt8]) -> [String] {
    let startOffsets = [0, 2, 3]
    let endOffsets: [Int?] = [nil, -3, -2]
    return (0..<3).map { shift in
      let encoded = Array(base64(Array(repeating: UInt8(ascii: " "), count: shift) + bytes).utf8)
      let start = startOffsets[shift]
      var end = encoded.count
      if let offset = endOffsets[(bytes.count + shift) % 3] { end += offset }
      guard start < end else { return "" }
      return String(decoding: encoded[start..<end], as: UTF8.self)
    }
  }
}
