// Records are stored compressed with zstd and a dictionary trained on the store's first records:
// a CloudTrail record alone compresses poorly (its keys are said once each), but against a
// dictionary of typical records it shrinks about fivefold, which is what keeps the store smaller
// than the archive's JSON (docs/store.md). Each frame names its dictionary, so stores can hold
// several.
import CZstd

/// A trained zstd dictionary and its id (the id frames carry).
package struct RecordDictionary: Sendable {
  package var id: UInt32
  package var bytes: [UInt8]

  package init(bytes: [UInt8]) {
    self.bytes = bytes
    id = bytes.withUnsafeBytes { ZDICT_getDictID($0.baseAddress, $0.count) }
  }

  /// A dictionary trained on `samples` (record texts), or nil when there are too few to train on.
  package static func train(_ samples: [[UInt8]], capacity: Int = 64 << 10) -> RecordDictionary? {
    guard samples.count >= 64 else { return nil }
    var joined: [UInt8] = []
    var sizes: [Int] = []
    for sample in samples {
      joined += sample
      sizes.append(sample.count)
    }
    var dictionary = [UInt8](repeating: 0, count: capacity)
    let size = dictionary.withUnsafeMutableBytes { out in
      joined.withUnsafeBytes { input in
        ZDICT_trainFromBuffer(out.baseAddress, capacity, input.baseAddress, sizes, UInt32(sizes.count))
      }
    }
    guard ZDICT_isError(size) == 0, size > 0 else { return nil }
    return RecordDictionary(bytes: Array(dictionary.prefix(size)))
  }
}

/// Compresses records (one per thread).
package final class RecordCompressor {
  let context: OpaquePointer
  let dictionary: OpaquePointer?
  var output: [UInt8] = []

  package init(dictionary: RecordDictionary?, level: Int32 = 1) {
    context = ZSTD_createCCtx()
    self.dictionary = dictionary.flatMap { dictionary in
      dictionary.bytes.withUnsafeBytes { ZSTD_createCDict($0.baseAddress, $0.count, level) }
    }
    if self.dictionary == nil { ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level) }
  }

  deinit {
    ZSTD_freeCCtx(context)
    if let dictionary { ZSTD_freeCDict(dictionary) }
  }

  /// Appends the compressed frame of `bytes` to `out` (compressing in place, no copy).
  package func compress(_ bytes: UnsafeRawBufferPointer, appendingTo out: inout [UInt8]) {
    let bound = ZSTD_compressBound(bytes.count)
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: bound))
    let size = out.withUnsafeMutableBytes { raw in
      let target = raw.baseAddress.map { $0 + start }
      if let dictionary {
        return ZSTD_compress_usingCDict(context, target, bound, bytes.baseAddress, bytes.count, dictionary)
      }
      return ZSTD_compress2(context, target, bound, bytes.baseAddress, bytes.count)
    }
    // Compressing into a buffer of the bound cannot fail.
    out.removeSubrange((start + (ZSTD_isError(size) == 0 ? size : 0))...)
  }

  /// The compressed frame of `bytes`.
  package func compress(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
    let bound = ZSTD_compressBound(bytes.count)
    if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
    let size = output.withUnsafeMutableBytes { out in
      if let dictionary {
        return ZSTD_compress_usingCDict(context, out.baseAddress, bound, bytes.baseAddress, bytes.count, dictionary)
      }
      return ZSTD_compress2(context, out.baseAddress, bound, bytes.baseAddress, bytes.count)
    }
    // Compressing into a buffer of the bound cannot fail.
    return ZSTD_isError(size) == 0 ? Array(output.prefix(size)) : []
  }
}

/// Decompresses records (one per thread).
package final class RecordDecompressor {
  let context: OpaquePointer
  var dictionaries: [UInt32: OpaquePointer] = [:]
  /// The last record decompressed.
  package private(set) var output: [UInt8] = []

  package init(dictionaries: [RecordDictionary]) {
    context = ZSTD_createDCtx()
    for dictionary in dictionaries {
      if let prepared = dictionary.bytes.withUnsafeBytes({ ZSTD_createDDict($0.baseAddress, $0.count) }) {
        self.dictionaries[dictionary.id] = prepared
      }
    }
  }

  deinit {
    ZSTD_freeDCtx(context)
    for dictionary in dictionaries.values { ZSTD_freeDDict(dictionary) }
  }

  /// Decompresses `frame` and passes the record's text to `body`; false when it is not a
  /// frame this store can read.
  package func withRecord(_ frame: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows
    -> Bool
  {
    guard frame.count > 0 else { return false }
    let size = ZSTD_getFrameContentSize(frame.baseAddress, frame.count)
    guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size < 1 << 31 else { return false }
    let count = Int(size)
    if output.count < count { output = [UInt8](repeating: 0, count: max(count, 4096)) }
    let id = ZSTD_getDictID_fromFrame(frame.baseAddress, frame.count)
    let dictionary = id == 0 ? nil : dictionaries[id]
    if id != 0 && dictionary == nil { return false }
    let written = output.withUnsafeMutableBytes { out in
      if let dictionary {
        return ZSTD_decompress_usingDDict(context, out.baseAddress, count, frame.baseAddress, frame.count, dictionary)
      }
      return ZSTD_decompressDCtx(context, out.baseAddress, count, frame.baseAddress, frame.count)
    }
    guard ZSTD_isError(written) == 0, written == count else { return false }
    try output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    return true
  }
}
