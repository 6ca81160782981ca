// libFuzzer target `gzip`: the two inflate engines, ISA-L and zlib, must be interchangeable on
// hostile input — the same bytes out and the same error, message and compressed offset, however
// the input is cut into feeds — and ISA-L past its replay limit must still fail cleanly.
import TrailGzip

/// What an engine made of the input: every byte delivered (also before an error), the error.
struct Outcome: Equatable {
  var output: [UInt8] = []
  var error: GzipError?
}

func inflate(
  _ input: [UInt8], sizes: [Int], engine: GzipInflater.Engine, outputChunkSize: Int, replayLimit: Int = 4 << 20
) -> Outcome {
  let inflater = GzipInflater(outputChunkSize: outputChunkSize, engine: engine, replayLimit: replayLimit)
  var out = Outcome()
  let take = { (chunk: UnsafeRawBufferPointer) in
    check(chunk.count <= outputChunkSize && !chunk.isEmpty, "\(engine) delivered \(chunk.count) bytes")
    out.output.append(contentsOf: chunk)
  }
  var start = 0
  var k = 0
  do {
    while start < input.count {
      let end = min(input.count, start + sizes[k % sizes.count])
      try input[start..<end].withUnsafeBytes { try inflater.feed($0, take) }
      check(inflater.compressedBytesIn <= end, "\(engine) consumed \(inflater.compressedBytesIn) of \(end) bytes")
      start = end
      k += 1
    }
    try inflater.finish(take)
    check(inflater.compressedBytesIn == input.count, "\(engine) consumed \(inflater.compressedBytesIn) bytes")
  } catch let error as GzipError {
    out.error = error
    check((0...input.count).contains(error.offset), "\(engine): \(error) outside the input")
    // A failed inflater stays failed with the same error.
    do {
      try [UInt8]([0x1f, 0x8b]).withUnsafeBytes { try inflater.feed($0) { _ in fatalError("output after an error") } }
      fatalError("\(engine): feeding after \(error) did not throw")
    } catch let again as GzipError {
      check(again == error, "\(engine): after \(error), feeding threw \(again)")
    } catch {
      fatalError("unexpected error \(error)")
    }
  } catch {
    fatalError("unexpected error \(error)")
  }
  check(inflater.inflatedBytesOut == out.output.count, "\(engine) counted \(inflater.inflatedBytesOut) bytes out")
  return out
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}

/// The first byte picks how the rest is cut into feeds and the output chunk size; the rest is
/// the gzip stream.
/// The one known difference (docs/robustness.md): ISA-L does not check that a block's Huffman
/// codes are complete and well formed, zlib does; when such a member's content still passes its
/// CRC-32 and length check (trivially so when it is empty), ISA-L reads it where zlib refuses it.
/// Then zlib's error is one of those header checks, ISA-L delivered all zlib did and more, and
/// ISA-L's own error, if any, comes later in the input.
func acceptedFormallyInvalid(_ isal: Outcome, _ zlib: Outcome) -> Bool {
  let headerChecks = [
    "too many length or distance symbols", "invalid code lengths set", "invalid bit length repeat",
    "invalid code -- missing end-of-block", "invalid literal/lengths set", "invalid distances set",
  ].map { "corrupt deflate data (\($0))" }
  guard let refused = zlib.error, headerChecks.contains(refused.reason) else { return false }
  return isal.output.starts(with: zlib.output) && (isal.error.map { $0.offset > refused.offset } ?? true)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let control = data[0]
  let input = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  let cuts: [[Int]] = [[Int.max], [1], [3, 1, 7], [64], [5, 300, 2], [4096], [11], [2, 2, 1000]]
  let outputSizes = [1 << 18, 1, 7, 4096]
  let isalSizes = cuts[Int(control & 7)]
  let zlibSizes = cuts[Int((control >> 3) & 7)]
  let outputChunkSize = outputSizes[Int(control >> 6)]

  let zlib = inflate(input, sizes: zlibSizes, engine: .zlib, outputChunkSize: outputChunkSize)
  // Cut differently, zlib itself must not change its answer.
  check(inflate(input, sizes: [Int.max], engine: .zlib, outputChunkSize: 1 << 18) == zlib, "zlib depends on cuts")
  for engine in GzipInflater.Engine.allCases where engine != .zlib {
    let other = inflate(input, sizes: isalSizes, engine: engine, outputChunkSize: outputChunkSize)
    check(
      other == zlib || acceptedFormallyInvalid(other, zlib),
      "\(engine): \(other.output.count) bytes, \(String(describing: other.error)); zlib: \(zlib.output.count) bytes, \(String(describing: zlib.error))"
    )
    // Past its replay limit ISA-L reads damage alone: valid input still inflates the same, and
    // what it delivers before an error agrees with zlib as far as both went.
    let alone = inflate(input, sizes: isalSizes, engine: engine, outputChunkSize: outputChunkSize, replayLimit: 16)
    if zlib.error == nil { check(alone == zlib, "\(engine) without replay differs on valid input") }
    check(zip(alone.output, zlib.output).allSatisfy { $0 == $1 }, "\(engine) without replay delivered other bytes")
    if alone.error == nil && zlib.error != nil {
      // Only a member zlib refuses for a reason that changes no byte (an incomplete Huffman code
      // never used) can inflate without error: then the bytes are the full, checked content.
      check(alone.output.count >= zlib.output.count, "\(engine) without replay stopped early without an error")
    }
  }
  return 0
}
