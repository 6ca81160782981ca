// Just enough DER to read a saved public key: tell PKCS#1 from SubjectPublicKeyInfo and name a
// foreign algorithm by its OID, so a wrong key is reported clearly before swift-crypto sees it.

/// Just enough DER to tell PKCS#1 from SubjectPublicKeyInfo and to name a foreign algorithm.
struct DERReader {
  let bytes: [UInt8]
  var position: Int

  init(_ bytes: some Collection<UInt8>) {
    self.bytes = Array(bytes)
    position = 0
  }

  var atEnd: Bool { position == bytes.count }

  /// The next TLV (single-byte tags, definite lengths up to 4 bytes); nil when malformed.
  mutating func element() -> (tag: UInt8, content: ArraySlice<UInt8>)? {
    guard position + 2 <= bytes.count else { return nil }
    let tag = bytes[position]
    guard tag & 0x1F != 0x1F else { return nil }
    var length = Int(bytes[position + 1])
    var next = position + 2
    if length & 0x80 != 0 {
      let count = length & 0x7F
      guard count >= 1, count <= 4, next + count <= bytes.count else { return nil }
      length = 0
      for k in 0..<count { length = length << 8 | Int(bytes[next + k]) }
      next += count
    }
    guard length <= bytes.count - next else { return nil }
    position = next + length
    return (tag, bytes[next..<next + length])
  }

  /// Dotted text of an OID's content bytes (`1.2.840.10045.2.1`).
  static func oidText(_ content: ArraySlice<UInt8>) -> String {
    guard let first = content.first else { return "(empty OID)" }
    var arcs = [first < 80 ? UInt64(first / 40) : 2, first < 80 ? UInt64(first % 40) : UInt64(first) - 80]
    var value: UInt64 = 0
    for byte in content.dropFirst() {
      value = value << 7 | UInt64(byte & 0x7F)
      if byte & 0x80 == 0 {
        arcs.append(value)
        value = 0
      }
    }
    return arcs.map(String.init).joined(separator: ".")
  }
}
