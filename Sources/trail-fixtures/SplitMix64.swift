// The generator's only source of randomness: SplitMix64 with its own range/pick helpers, so
// the same --seed gives the same bytes on every platform and Swift version (the standard
// library's random(in:using:) algorithm is not promised to stay the same).

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, statistically fine for test data.
struct SplitMix64 {
  private(set) var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `range` (modulo bias is negligible for the small ranges used here).
  mutating func int(_ range: ClosedRange<Int>) -> Int {
    let span = UInt64(range.upperBound - range.lowerBound) &+ 1
    return range.lowerBound + Int(span == 0 ? next() : next() % span)
  }

  mutating func int64(_ range: ClosedRange<Int64>) -> Int64 {
    let span = UInt64(range.upperBound - range.lowerBound) &+ 1
    return range.lowerBound + Int64(span == 0 ? next() : next() % span)
  }

  /// A double in `0..<1`.
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { unit() < p }

  mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

  /// One of `items`, each chosen in proportion to its weight.
  mutating func weighted<T>(_ items: [(T, Double)]) -> T {
    let total = items.reduce(0) { $0 + $1.1 }
    var x = unit() * total
    for (item, weight) in items {
      if x < weight { return item }
      x -= weight
    }
    return items[items.count - 1].0
  }

  /// Fisher–Yates, driven by this generator.
  mutating func shuffle<T>(_ items: inout [T]) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) {
      items.swapAt(i, int(0...i))
    }
  }

  static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
  static let upperAlphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
  static let hexDigits = Array("0123456789abcdef".utf8)
  static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// `count` characters drawn from `alphabet` (ASCII).
  mutating func string(_ count: Int, from alphabet: [UInt8]) -> String {
    var bytes = [UInt8](repeating: 0, count: count)
    for i in 0..<count { bytes[i] = alphabet[Int(next() % UInt64(alphabet.count))] }
    return String(decoding: bytes, as: UTF8.self)
  }

  mutating func alnum(_ count: Int) -> String { string(count, from: Self.alphanumerics) }
  mutating func upper(_ count: Int) -> String { string(count, from: Self.upperAlphanumerics) }
  mutating func hex(_ count: Int) -> String { string(count, from: Self.hexDigits) }

  /// A lower-case version 4 UUID, as CloudTrail writes eventID and most requestIDs.
  mutating func uuid() -> String {
    let a = hex(8)
    let b = hex(4)
    let c = hex(3)
    let e = hex(12)
    let variant = String(UnicodeScalar(Self.hexDigits[8 + int(0...3)]))
    return "\(a)-\(b)-4\(c)-\(variant)\(hex(3))-\(e)"
  }

  /// Base64-looking text of `count` characters (no padding), for tokens and ids.
  mutating func base64(_ count: Int) -> String { string(count, from: Self.base64Alphabet) }
}

/// FNV-1a of a string, to derive stable per-name values (principal ids, keys) from names.
func stableHash(_ text: String) -> UInt64 {
  var h: UInt64 = 0xCBF2_9CE4_8422_2325
  for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
  return h
}
