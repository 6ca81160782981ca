// Numbers in filter patterns, compared exactly: a literal and a JSON number are both read as
// sign, significant digits and exponent, so `1e3 = 1000`, `0.1 < 0.10000000000000001` and
// 20-digit integers compare right where `Double` would round.

/// A decimal number as written in a pattern (`-5`, `55.5`, `+1000`, `10e-3`).
public struct PatternNumber: Hashable, Sendable, CustomStringConvertible {
  /// The literal exactly as written in the pattern.
  public let text: String
  let value: Decimal

  /// Reads `text` in the pattern's number syntax (optional sign, digits, optional fraction,
  /// optional exponent); nil when `text` is not a number.
  public init?(_ text: String) {
    guard let value = Decimal(parsing: Array(text.utf8), allowPlus: true) else { return nil }
    self.text = text
    self.value = value
  }

  /// The literal as written.
  public var description: String { text }

  /// Literals are equal when written the same (`1e3` and `1000` are different literals, though
  /// they match the same JSON numbers).
  public static func == (a: PatternNumber, b: PatternNumber) -> Bool { a.text == b.text }
  /// Hashes the text, as `==` compares it.
  public func hash(into hasher: inout Hasher) { hasher.combine(text) }

  /// Compares the JSON number text `json` (as written in the record) with this literal:
  /// negative, zero or positive as the JSON number is smaller, equal or larger. Nil when
  /// `json` is not a number.
  func compare(json: some Collection<UInt8>) -> Int? {
    guard let other = Decimal(parsing: Array(json), allowPlus: false) else { return nil }
    return other.compare(to: value)
  }

  /// Sign, significant digits without leading or trailing zeros, and the exponent `e` such
  /// that the value is `0.d1d2d3… × 10^e`. Zero has no digits.
  struct Decimal: Hashable, Sendable {
    var negative: Bool
    var digits: [UInt8]
    var exponent: Int

    init?(parsing bytes: [UInt8], allowPlus: Bool) {
      var i = 0
      negative = false
      if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || (allowPlus && bytes[i] == UInt8(ascii: "+"))) {
        negative = bytes[i] == UInt8(ascii: "-")
        i += 1
      }
      var all: [UInt8] = []
      var pointAt: Int? = nil
      var sawDigit = false
      while i < bytes.count, Self.isDigit(bytes[i]) {
        all.append(bytes[i] - 0x30)
        i += 1
        sawDigit = true
      }
      guard sawDigit else { return nil }
      if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
        i += 1
        pointAt = all.count
        var fraction = false
        while i < bytes.count, Self.isDigit(bytes[i]) {
          all.append(bytes[i] - 0x30)
          i += 1
          fraction = true
        }
        guard fraction else { return nil }
      }
      var written = 0
      if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
        i += 1
        var exponentNegative = false
        if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
          exponentNegative = bytes[i] == UInt8(ascii: "-")
          i += 1
        }
        var any = false
        while i < bytes.count, Self.isDigit(bytes[i]) {
          // Saturate far beyond any real exponent (a record is at most 1 MiB, so digit counts
          // added later cannot overflow): every exponent below 10^17 compares exactly.
          written = min(written * 10 + Int(bytes[i] - 0x30), 100_000_000_000_000_000)
          i += 1
          any = true
        }
        guard any else { return nil }
        if exponentNegative { written = -written }
      }
      guard i == bytes.count else { return nil }
      // Value = 0.all × 10^(integer digit count + written exponent); then trim zeros.
      var exponent = (pointAt ?? all.count) + written
      var start = 0
      while start < all.count && all[start] == 0 {
        start += 1
        exponent -= 1
      }
      var end = all.count
      while end > start && all[end - 1] == 0 { end -= 1 }
      digits = Array(all[start..<end])
      self.exponent = digits.isEmpty ? 0 : exponent
      if digits.isEmpty { negative = false }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Negative, zero or positive as `self` is smaller than, equal to or larger than `other`.
    func compare(to other: Decimal) -> Int {
      let selfSign = digits.isEmpty ? 0 : (negative ? -1 : 1)
      let otherSign = other.digits.isEmpty ? 0 : (other.negative ? -1 : 1)
      if selfSign != otherSign { return selfSign < otherSign ? -1 : 1 }
      if selfSign == 0 { return 0 }
      let magnitude = compareMagnitude(to: other)
      return selfSign > 0 ? magnitude : -magnitude
    }

    private func compareMagnitude(to other: Decimal) -> Int {
      if exponent != other.exponent { return exponent < other.exponent ? -1 : 1 }
      for (a, b) in zip(digits, other.digits) where a != b { return a < b ? -1 : 1 }
      if digits.count == other.digits.count { return 0 }
      return digits.count < other.digits.count ? -1 : 1
    }
  }
}
