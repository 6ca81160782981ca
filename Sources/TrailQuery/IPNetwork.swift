// `--ip` values: an address or a CIDR block, IPv4 or IPv6, matched numerically, so
// `10.0.0.0/8` or `2001:db8::/32` finds every caller inside. Source addresses that are not IPs
// (`AWS Internal`, `lambda.amazonaws.com`) simply never fall inside a network.
import TrailEvent

/// An IPv4 or IPv6 network (an address is a network of one).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
  /// The address as 16 bytes (IPv4 as an IPv4-mapped IPv6 address, ::ffff:a.b.c.d).
  let address: [UInt8]
  /// Prefix length over the 128-bit form.
  let prefix: Int
  /// The text it was parsed from, unchanged (`10.0.0.0/8`, not a normalized form).
  public let description: String

  /// Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address (with `::`, and an optional embedded IPv4
  /// tail) or `addr/n`; nil for anything else.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let (bytes, isV4) = Self.parseAddress(String(parts[0])) else { return nil }
    var prefix = 128
    if parts.count == 2 {
      guard let n = Int(parts[1]), n >= 0, n <= (isV4 ? 32 : 128), !parts[1].hasPrefix("+") else { return nil }
      prefix = isV4 ? n + 96 : n
    }
    address = bytes
    self.prefix = prefix
    description = text
  }

  /// Checks a `--ip` value (without its `!`): a value written as an address or CIDR block (only
  /// digits, dots and a slash; or hex digits and colons) must be a valid one, so a typo such as
  /// `300.1.1.1` or `10.0.0.0/33` is an error rather than a glob that matches nothing. Globs and
  /// names (`*.amazonaws.com`, `AWS Internal`) pass.
  public static func check(_ value: String) throws(QueryError) {
    let text = value.hasPrefix("!") ? String(value.dropFirst()) : value
    guard !text.isEmpty, !text.contains("*"), !text.contains("?"), IPNetwork(text) == nil else { return }
    let v4 = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "/") } && text.contains(".")
    let v6 =
      text.contains(":") && text.allSatisfy { $0.isASCII && ($0.isHexDigit || $0 == ":" || $0 == "." || $0 == "/") }
    guard v4 || v6 else { return }
    throw QueryError("'\(value)' is not a valid IP address or CIDR block (IPv4 a.b.c.d/0-32, IPv6 …/0-128)")
  }

  /// The network as an IPv4 range (`first...last` as 32-bit numbers) when it is one (an IPv4
  /// address or block, or an IPv4-mapped IPv6 block of prefix 96 or longer); nil otherwise.
  package var ipv4Range: ClosedRange<UInt32>? {
    guard prefix >= 96, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF else {
      return nil
    }
    let value = address[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    let bits = prefix - 96
    let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
    return (value & mask)...(value | ~mask)
  }

  /// The network's 16 bytes (IPv4 as IPv4-mapped IPv6) and prefix length over them.
  package var bytesAndPrefix: (bytes: [UInt8], prefix: Int) { (address, prefix) }

  /// Whether `text` is an address inside this network.
  public func contains(_ text: String) -> Bool {
    guard let (bytes, _) = Self.parseAddress(text) else { return false }
    var remaining = prefix
    for i in 0..<16 where remaining > 0 {
      let bits = min(8, remaining)
      let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
      if bytes[i] & mask != address[i] & mask { return false }
      remaining -= bits
    }
    return true
  }

  /// 16 bytes and whether the text was IPv4.
  static func parseAddress(_ text: String) -> ([UInt8], Bool)? {
    if let v4 = parseIPv4(Substring(text)) { return ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + v4, true) }
    guard let v6 = parseIPv6(text) else { return nil }
    return (v6, false)
  }

  static func parseIPv4(_ text: Substring) -> [UInt8]? {
    let octets = text.split(separator: ".", omittingEmptySubsequences: false)
    guard octets.count == 4 else { return nil }
    var out: [UInt8] = []
    for octet in octets {
      guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), let v = UInt8(octet) else { return nil }
      out.append(v)
    }
    return out
  }

  static func parseIPv6(_ text: String) -> [UInt8]? {
    // Drop a zone (`fe80::1%eth0`).
    let text = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
    let halves = text.components(separatedByDoubleColon: ())
    guard halves.count <= 2 else { return nil }
    func groups(_ part: String) -> [UInt16]? {
      if part.isEmpty { return [] }
      var out: [UInt16] = []
      let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
      for (i, piece) in pieces.enumerated() {
        if i == pieces.count - 1, piece.contains("."), let v4 = parseIPv4(piece) {
          out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
          out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
        } else {
          guard !piece.isEmpty, piece.count <= 4, let v = UInt16(piece, radix: 16) else { return nil }
          out.append(v)
        }
      }
      return out
    }
    guard let head = groups(halves[0]) else { return nil }
    var all = head
    if halves.count == 2 {
      guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
      all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
    guard all.count == 8 else { return nil }
    return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
  }
}

extension String {
  /// Splits on the first `::` only (a second one is invalid and shows as a third part).
  fileprivate func components(separatedByDoubleColon: Void) -> [String] {
    var parts: [String] = []
    var rest = Substring(self)
    while let range = rest.firstRange(of: "::") {
      parts.append(String(rest[..<range.lowerBound]))
      rest = rest[range.upperBound...]
    }
    parts.append(String(rest))
    return parts
  }
}
