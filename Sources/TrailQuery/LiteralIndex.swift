// The literal prefilter of a `PredicateProgram`: predicates that need one of a few eventNames (or
// eventSources), or a name starting with one of a few prefixes, indexed by the lower-cased text,
// so an event finds its candidates with one hash of its name's bytes (ASCII letters folded as they
// are read, no String made) and a comparison per prefix sharing its first byte. Names and values
// are ASCII only (a value with escapes or other text is left to every indexed predicate), which
// keeps Unicode case and canonical equivalence out of it. A necessary condition only: hash
// collisions and case-folding only add candidates, which the full predicate then decides.
import TrailJSON

/// Predicates by the lower-cased names or prefixes one of which their key field must have.
struct LiteralIndex: Sendable {
  /// Open-addressing table of name hashes: `slots[i]` is an index into `lists`, or -1.
  private var hashes: [UInt64] = []
  private var slots: [Int] = []
  private var lists: [[Int]] = []
  /// Prefixes (lower-cased) and their predicates; `byFirstByte[b]` lists those starting with `b`.
  private var prefixes: [(bytes: [UInt8], predicates: [Int])] = []
  private var byFirstByte: [[Int]] = Array(repeating: [], count: 128)
  /// Every predicate in the index (tested when the key is not a string).
  private(set) var all: [Int] = []

  var isEmpty: Bool { all.isEmpty }

  init() {}

  /// Indexes predicates by their needs.
  init(_ needs: [(PredicateProgram.Need, Int)]) {
    var byName: [UInt64: [Int]] = [:]
    for (need, predicate) in needs {
      all.append(predicate)
      for name in need.names {
        var bytes = Array(name.utf8)
        byName[Self.hash(&bytes), default: []].append(predicate)
      }
      for prefix in need.prefixes {
        let bytes = Array(prefix.utf8)
        if let index = prefixes.firstIndex(where: { $0.bytes == bytes }) {
          prefixes[index].predicates.append(predicate)
        } else {
          prefixes.append((bytes, [predicate]))
          byFirstByte[Int(bytes[0])].append(prefixes.count - 1)
        }
      }
    }
    var size = 8
    while size < byName.count * 2 { size *= 2 }
    hashes = Array(repeating: 0, count: size)
    slots = Array(repeating: -1, count: size)
    for (hash, predicates) in byName.sorted(by: { $0.key < $1.key }) {
      var at = Self.position(hash, size)
      while slots[at] >= 0 { at = (at + 1) & (size - 1) }
      hashes[at] = hash
      slots[at] = lists.count
      lists.append(predicates)
    }
  }

  /// Calls `body` with each predicate whose need the key's `value` meets; false (calling nothing)
  /// when the index cannot judge the value: not a string, or not plain ASCII (escapes, other
  /// text). An absent key meets none.
  func forEach(_ value: JSONValue?, _ body: (Int) -> Void) -> Bool {
    guard let value else { return true }
    guard value.kind == .string else { return false }
    return value.rawText.withUnsafeBufferPointer { raw -> Bool in
      guard raw.allSatisfy({ $0 < 0x80 && $0 != 0x5C }) else { return false }
      lookUp(raw, body)
      return true
    }
  }

  /// The candidates of plain ASCII `bytes`, letters folded to lower case as they are read.
  private func lookUp(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Void) {
    guard !bytes.isEmpty else { return }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(Self.fold(byte))) &* 0x100_0000_01b3 }
    var at = Self.position(hash, slots.count)
    while slots[at] >= 0 {
      if hashes[at] == hash {
        for index in lists[slots[at]] { body(index) }
        break
      }
      at = (at + 1) & (slots.count - 1)
    }
    for candidate in byFirstByte[Int(Self.fold(bytes[0]))] {
      let prefix = prefixes[candidate].bytes
      guard bytes.count >= prefix.count else { continue }
      var equal = true
      for k in 1..<prefix.count where Self.fold(bytes[k]) != prefix[k] {
        equal = false
        break
      }
      if equal { for index in prefixes[candidate].predicates { body(index) } }
    }
  }

  @inline(__always)
  private static func fold(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

  /// FNV-1a of the (already lower-cased) bytes, as `lookUp` computes it.
  private static func hash(_ bytes: inout [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
  }

  private static func position(_ hash: UInt64, _ size: Int) -> Int {
    Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & (size - 1)
  }
}
