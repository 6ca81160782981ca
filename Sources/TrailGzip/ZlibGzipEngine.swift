// Streaming gzip inflate over zlib: the fallback engine when the package is built without the
// ISAL trait, and the reference the ISA-L engine asks for the exact message and offset of an
// error (zlib's reports are what trail-scan has always printed; docs/robustness.md).
import CZlib

/// Streaming zlib inflater for gzip data made of one or more members (``GzipInflater``'s zlib
/// engine). Members written back to back are read as one stream, as `gzip -d` does.
///
/// Invariants:
/// - `magicSeen` counts the magic bytes (0x1f 0x8b) of the current member checked so far; 0
///   means "between members" (or before the first), 2 means zlib owns the rest of the member.
/// - `memberStart` is the compressed offset of the current member (or of the next one when
///   `magicSeen == 0`).
/// - After an error the inflater is poisoned: every later call throws the same error.
final class ZlibGzipEngine {
  /// The zlib stream; allocated once, reset between members, freed in `deinit`.
  private let stream: UnsafeMutablePointer<z_stream>
  /// The output chunk handed to callers; fixed size, reused.
  private let outputBuffer: UnsafeMutableRawBufferPointer
  private var magicSeen = 0
  private var memberStart = 0
  private var failure: GzipError?

  /// When true, `feed` stops consuming input once the first member has ended (the ISA-L
  /// engine replays one member through zlib and must not read what follows it).
  private let stopsAfterFirstMember: Bool

  /// Total compressed bytes consumed so far.
  private(set) var compressedBytesIn = 0
  /// Total inflated bytes delivered so far.
  private(set) var inflatedBytesOut = 0
  /// Number of gzip members read to their end (trailer checked).
  private(set) var membersCompleted = 0
  /// Compressed offset just past the first member, once it has ended.
  private(set) var firstMemberEnd: Int?

  /// Creates an inflater that delivers inflated bytes in pieces of at most `outputChunkSize`.
  init(outputChunkSize: Int, stopsAfterFirstMember: Bool = false) {
    self.stopsAfterFirstMember = stopsAfterFirstMember
    precondition(outputChunkSize > 0, "outputChunkSize must be positive")
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    // windowBits 15 + 16: gzip wrapper only (a zlib or raw deflate stream is an error).
    let result = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    precondition(result == Z_OK, "inflateInit2 failed (\(result))")
    outputBuffer = .allocate(byteCount: outputChunkSize, alignment: 16)
  }

  deinit {
    inflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
    outputBuffer.deallocate()
  }

  /// Feeds compressed bytes, calling `output` zero or more times with inflated bytes.
  ///
  /// The buffer passed to `output` is valid only during the call. Errors thrown by `output`
  /// propagate unchanged (the inflater should then be discarded).
  /// - Throws: ``GzipError`` for bad data, located by its compressed offset.
  func feed(
    _ input: UnsafeRawBufferPointer,
    _ output: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    if let failure { throw failure }
    guard let base = input.baseAddress, input.count > 0 else { return }
    let feedStart = compressedBytesIn
    var position = 0
    while position < input.count {
      if stopsAfterFirstMember && membersCompleted > 0 { return }
      if magicSeen < 2 {
        // Check the magic ourselves (zlib still parses the whole header): after a member,
        // anything but a new member is trailing garbage, and the magic may arrive split
        // across two feeds.
        var index = position
        while magicSeen < 2 && index < input.count {
          guard input[index] == ZlibGzipEngine.magicByte(magicSeen) else {
            throw fail(membersCompleted == 0 ? .notGzip(at: memberStart) : .extraBytes(at: memberStart))
          }
          magicSeen += 1
          index += 1
        }
      }
      position = try inflate(base, count: input.count, from: position, feedStart: feedStart, output)
    }
  }

  /// Signals the end of input.
  /// - Throws: ``GzipError`` `"truncated gzip stream"` (offset: total compressed bytes) when
  ///   the last member is incomplete, or `"empty gzip stream"` when no byte was ever fed.
  func finish() throws {
    if let failure { throw failure }
    if compressedBytesIn == 0 { throw fail(.empty) }
    if magicSeen > 0 { throw fail(.truncated(at: compressedBytesIn)) }
  }

  /// The first two bytes of every gzip member.
  private static func magicByte(_ index: Int) -> UInt8 { index == 0 ? 0x1f : 0x8b }

  /// Runs zlib over `base[position..<count]` until the input is used up or a member ends;
  /// returns the new position.
  private func inflate(
    _ base: UnsafeRawPointer, count: Int, from start: Int, feedStart: Int,
    _ output: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> Int {
    var position = start
    // avail_in is 32-bit; a larger buffer is handed over in several rounds by the caller's loop.
    stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + position).assumingMemoryBound(to: Bytef.self))
    stream.pointee.avail_in = UInt32(min(count - position, Int(UInt32.max)))
    guard let outputStart = outputBuffer.baseAddress else { preconditionFailure("the output buffer has no memory") }
    let outputBase = outputStart.assumingMemoryBound(to: Bytef.self)
    while true {
      stream.pointee.next_out = outputBase
      stream.pointee.avail_out = UInt32(outputBuffer.count)
      let result = CZlib.inflate(stream, Z_NO_FLUSH)
      let before = position
      position = UnsafeRawPointer(stream.pointee.next_in) - base
      compressedBytesIn = feedStart + position
      let produced = outputBuffer.count - Int(stream.pointee.avail_out)
      if produced > 0 {
        inflatedBytesOut += produced
        try output(UnsafeRawBufferPointer(start: outputBuffer.baseAddress, count: produced))
      }
      switch result {
      case Z_STREAM_END:
        membersCompleted += 1
        if firstMemberEnd == nil { firstMemberEnd = compressedBytesIn }
        inflateReset(stream)
        magicSeen = 0
        memberStart = compressedBytesIn
        return position
      case Z_OK, Z_BUF_ERROR:
        // Z_BUF_ERROR only means "no progress possible": more input is needed.
        // A full output buffer means zlib may hold more output: go round again.
        if stream.pointee.avail_out == 0 { continue }
        if stream.pointee.avail_in != 0 && position == before && produced == 0 {
          throw fail(GzipError(offset: compressedBytesIn, reason: "zlib made no progress"))
        }
        return position
      case Z_DATA_ERROR, Z_NEED_DICT:
        // next_in is past the byte whose bits revealed the problem.
        let offset = max(memberStart, compressedBytesIn - 1)
        let message = stream.pointee.msg.map { String(cString: $0) }
        throw fail(.corrupt(at: offset, zlibMessage: message))
      case Z_MEM_ERROR:
        throw fail(GzipError(offset: compressedBytesIn, reason: "out of memory"))
      default:
        throw fail(GzipError(offset: compressedBytesIn, reason: "zlib error \(result)"))
      }
    }
  }

  /// Records `error` so later calls throw it too, and returns it.
  private func fail(_ error: GzipError) -> GzipError {
    failure = error
    return error
  }
}
