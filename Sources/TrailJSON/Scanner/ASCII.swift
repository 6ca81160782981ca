// Byte constants and byte classes for the scanners. Named constants keep the per-byte loops
// readable; the whitespace test is the one RFC 8259 defines (space, tab, LF, CR).

@usableFromInline enum ASCII {
  @usableFromInline static let quote: UInt8 = 0x22  // "
  @usableFromInline static let backslash: UInt8 = 0x5C  // \
  @usableFromInline static let slash: UInt8 = 0x2F  // /
  @usableFromInline static let openBrace: UInt8 = 0x7B  // {
  @usableFromInline static let closeBrace: UInt8 = 0x7D  // }
  @usableFromInline static let openBracket: UInt8 = 0x5B  // [
  @usableFromInline static let closeBracket: UInt8 = 0x5D  // ]
  @usableFromInline static let comma: UInt8 = 0x2C  // ,
  @usableFromInline static let colon: UInt8 = 0x3A  // :
  @usableFromInline static let minus: UInt8 = 0x2D  // -
  @usableFromInline static let plus: UInt8 = 0x2B  // +
  @usableFromInline static let dot: UInt8 = 0x2E  // .
  @usableFromInline static let zero: UInt8 = 0x30
  @usableFromInline static let nine: UInt8 = 0x39
  @usableFromInline static let space: UInt8 = 0x20
  @usableFromInline static let tab: UInt8 = 0x09
  @usableFromInline static let newline: UInt8 = 0x0A
  @usableFromInline static let carriageReturn: UInt8 = 0x0D

  @inline(__always) @usableFromInline
  static func isWhitespace(_ b: UInt8) -> Bool {
    b == space || b == newline || b == carriageReturn || b == tab
  }

  @inline(__always) @usableFromInline
  static func isDigit(_ b: UInt8) -> Bool { b &- zero < 10 }

  @inline(__always) @usableFromInline
  static func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case 0x30...0x39: return UInt32(b - 0x30)
    case 0x41...0x46: return UInt32(b - 0x41 + 10)
    case 0x61...0x66: return UInt32(b - 0x61 + 10)
    default: return nil
    }
  }

  /// How a byte reads in a message: `'x'`, or `byte 0x07` for non-printing ones.
  static func describe(_ b: UInt8) -> String {
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    if b == space { return "a space" }
    return "byte 0x" + String(b, radix: 16, uppercase: true).leftPadded(to: 2)
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
