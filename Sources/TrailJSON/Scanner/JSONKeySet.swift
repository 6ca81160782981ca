// Which top-level members of a record a scan reads: the parser writes the values of the others
// as one opaque node each instead of their whole tape (validated all the same). A hint only:
// reading a member left out still works (`JSONValue` parses it then), it just costs more.

/// A set of object keys, compared without ASCII case, that a parse keeps on the tape.
public struct JSONKeySet: Sendable, Equatable {
  /// Lower-cased UTF-8 of each key, grouped by length.
  let byLength: [[[UInt8]]]

  /// The set of `keys`. Case is ignored (`userIdentity` also keeps `useridentity`), so records
  /// whose keys a pipeline lower-cased keep the same members.
  public init(_ keys: some Sequence<String>) {
    var groups: [[[UInt8]]] = []
    for key in Set(keys.map { String(decoding: $0.utf8.map(Self.fold), as: UTF8.self) }).sorted() {
      let bytes = Array(key.utf8)
      if groups.count <= bytes.count { groups += Array(repeating: [], count: bytes.count + 1 - groups.count) }
      groups[bytes.count].append(bytes)
    }
    byLength = groups
  }

  /// Whether `key` is in the set (ASCII letters compare without case).
  public func contains(_ key: String) -> Bool {
    var key = key
    return key.withUTF8 { contains(UnsafeRawBufferPointer($0)) }
  }

  /// Whether the key spelled by `raw` (no escapes) is in the set.
  @inline(__always)
  func contains(_ raw: UnsafeRawBufferPointer) -> Bool {
    guard raw.count < byLength.count else { return false }
    for candidate in byLength[raw.count] {
      var equal = true
      for i in 0..<raw.count where Self.fold(raw[i]) != candidate[i] {
        equal = false
        break
      }
      if equal { return true }
    }
    return false
  }

  @inline(__always)
  static func fold(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
}
