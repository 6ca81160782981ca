// libFuzzer target `scanner`: the block parser and block framer (64 bytes at a time) against the
// byte-by-byte loops they replace, on any bytes — same tapes, records, errors and offsets, the
// fast skip included. The oracle is TrailJSON's `ScannerDifferential`, which the tests use too.
@_spi(Testing) import TrailJSON

/// Key sets the fast skip is tried with: none, CloudTrail's usual reads, one key, every key.
let keySets: [JSONKeySet?] = [
  nil, JSONKeySet(["eventName", "userIdentity", "Records"]), JSONKeySet(["a"]), JSONKeySet([]),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = Array(UnsafeBufferPointer(start: data, count: size))
  let first = input.first ?? 0
  // The whole input as one text, with a key set and a depth limit chosen by its first byte.
  for keys in [nil, keySets[Int(first) % keySets.count]] {
    if let difference = ScannerDifferential.parse(input, maxDepth: 1 + Int(first >> 2) % 300, keys: keys) {
      fatalError("parse: \(difference)")
    }
  }
  // Framed in chunks whose sizes come from the first bytes (0–63, or 1000), as the framer target.
  var sizes = input.prefix(4).map { $0 >= 0xF0 ? 1000 : Int($0 & 0x3F) }
  if sizes.allSatisfy({ $0 == 0 }) { sizes.append(1) }
  for limits in [JSONLimits.default, JSONLimits(maxRecordSize: 200, maxDepth: 8)] {
    if let difference = ScannerDifferential.frame(input, chunkSizes: sizes, limits: limits) {
      fatalError("frame: \(difference)")
    }
  }
  return 0
}
