// Streaming gzip inflate over ISA-L (igzip), about twice as fast as zlib here: the gzip framing
// (magic, header, trailer, members back to back) is read in Swift, ISA-L inflates each member's
// raw deflate body, and a damaged member is handed to zlib so errors keep zlib's words and offsets.
#if ISAL
  import CISAL
  import Synchronization

  /// Streaming ISA-L inflater for gzip data made of one or more members (``GzipInflater``'s
  /// default engine).
  ///
  /// Errors: the magic, header and trailer are checked here as zlib checks them (same message,
  /// same offset). When anything after a member's magic goes wrong (its header, its deflate data,
  /// its CRC or length, or the input ends inside it), the member is handed to zlib: it inflates
  /// the member's compressed bytes again from its start and reads it to its end (with later
  /// feeds if it needs them), its output is what gets delivered and its verdict is final, so the
  /// bytes out and the error are zlib's. ISA-L accepts some damage zlib refuses at once (an
  /// incomplete Huffman code, a distance reaching before the member) and decodes on, so a
  /// member's output is held back until its trailer checks out, up to `replayLimit` bytes;
  /// past that it is delivered as it comes. To hand a member over, its compressed bytes that
  /// came in earlier `feed` calls are kept, also up to `replayLimit`. So for members whose output
  /// (resp. compressed size) is within the limit, bytes out (resp. the error) are exactly zlib's;
  /// beyond it ISA-L may deliver some bytes of a damaged block before the error, and reports an
  /// error with its own reading of the damage.
  final class ISALGzipEngine {
    /// ISA-L's inflate state (about 80 KiB: Huffman tables and a history buffer), reset per member.
    private let state: UnsafeMutablePointer<inflate_state>
    /// Output chunks of `chunkSize` bytes, reused: ISA-L writes into them; while a member's
    /// output is held back they fill in turn, otherwise the first one is handed out each time.
    private var chunks: [UnsafeMutableRawBufferPointer] = []
    private let chunkSize: Int
    private let replayLimit: Int
    /// Full chunks held back and bytes held in the next one.
    private var held = (chunks: 0, fill: 0)
    /// True while the current member's output is held back (until its trailer checks out or
    /// `replayLimit` bytes are held).
    private var holding = true

    private enum Phase {
      case magic, header, body, trailer
      /// zlib reads the rest of a member ISA-L found a problem in (`zlibSeen`: its output so far).
      case zlib(ZlibGzipEngine)
    }
    private var phase = Phase.magic
    private var zlibSeen = 0
    /// Magic bytes of the current member checked so far (0 before a member starts).
    private var magicSeen = 0
    private var header = GzipHeaderReader()
    /// The trailer bytes read so far (little-endian: CRC-32, then the length), their count, and
    /// the compressed offset of the first.
    private var trailer: (value: UInt64, count: Int, start: Int) = (0, 0, 0)
    /// Compressed offset of the current member (or of the next one between members).
    private var memberStart = 0
    /// Inflated bytes of the current member: produced by ISA-L, and delivered to the caller.
    private var memberOut = 0
    private var memberDelivered = 0
    /// The current member's compressed bytes from earlier `feed` calls, for a zlib replay.
    private var retained: [UInt8] = []
    /// True once the current member outgrew `replayLimit` (no replay possible).
    private var retainedTooLong = false
    private var failure: GzipError?

    private(set) var compressedBytesIn = 0
    private(set) var inflatedBytesOut = 0
    private(set) var membersCompleted = 0
    private(set) var firstMemberEnd: Int?

    init(outputChunkSize: Int, replayLimit: Int) {
      precondition(outputChunkSize > 0, "outputChunkSize must be positive")
      state = ISALBuffers.shared.takeState()
      isal_inflate_init(state)
      chunkSize = outputChunkSize
      self.replayLimit = replayLimit
    }

    deinit {
      ISALBuffers.shared.give(state, chunks)
    }

    func feed(_ input: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
      if let failure { throw failure }
      guard let base = input.baseAddress, input.count > 0 else { return }
      let feedStart = compressedBytesIn
      var position = 0
      while position < input.count {
        var problem: GzipError?
        switch phase {
        case .magic:
          guard input[position] == (magicSeen == 0 ? 0x1f : 0x8b) else {
            throw fail(membersCompleted == 0 ? .notGzip(at: memberStart) : .extraBytes(at: memberStart))
          }
          magicSeen += 1
          position += 1
          if magicSeen == 2 {
            phase = .header
            header = GzipHeaderReader()
          }
        case .header:
          let step = header.take(input[position])
          position += 1
          switch step {
          case .more: break
          case .done: startBody()
          case .failed(let message): problem = .corrupt(at: feedStart + position - 1, zlibMessage: message)
          }
        case .body:
          (position, problem) = try inflateBody(base, count: input.count, from: position, feedStart: feedStart, output)
        case .trailer:
          position += 1
          problem = try takeTrailerByte(input[position - 1], at: feedStart + position - 1, output)
        case .zlib(let zlib):
          position += try zlibRead(
            zlib, UnsafeRawBufferPointer(rebasing: input[position...]), at: feedStart + position, output)
        }
        compressedBytesIn = feedStart + position
        if let problem {
          // zlib takes the member over from its start: it needs its bytes of earlier feeds and
          // this one's up to here (ISA-L read ahead of where it found the problem). Should zlib
          // find the member whole and ended before that, ISA-L goes on from its end.
          let from = max(0, memberStart - feedStart)
          if let end = try handOver(problem, UnsafeRawBufferPointer(rebasing: input[from..<position]), output) {
            position = max(0, end - feedStart)
            compressedBytesIn = feedStart + position
          }
        }
      }
      retain(input, feedStart: feedStart)
    }

    func finish(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
      if let failure { throw failure }
      if compressedBytesIn == 0 { throw fail(.empty) }
      switch phase {
      case .magic where magicSeen == 0:
        return
      case .zlib(let zlib):
        try zlibFinish(zlib)
      default:
        let truncated = GzipError.truncated(at: compressedBytesIn)
        if try handOver(truncated, UnsafeRawBufferPointer(start: nil, count: 0), output) == nil,
          case .zlib(let zlib) = phase
        {
          try zlibFinish(zlib)
        }
      }
    }

    /// Resets ISA-L for the member's raw deflate data; it computes the CRC-32 of what it outputs.
    private func startBody() {
      isal_inflate_reset(state)
      state.pointee.crc_flag = UInt32(ISAL_GZIP_NO_HDR)
      state.pointee.hist_bits = 0
      phase = .body
    }

    /// The output chunk at `index`, allocated on first use.
    private func chunk(_ index: Int) -> UnsafeMutableRawBufferPointer {
      while chunks.count <= index { chunks.append(ISALBuffers.shared.takeChunk(chunkSize)) }
      return chunks[index]
    }

    /// Hands the held output to the caller, chunk by chunk.
    private func deliverHeld(_ output: (UnsafeRawBufferPointer) throws -> Void) throws {
      let (full, fill) = held
      held = (0, 0)
      for index in 0...full {
        let count = index < full ? chunkSize : fill
        guard count > 0 else { continue }
        try deliver(UnsafeRawBufferPointer(rebasing: chunks[index][..<count]), output)
      }
    }

    private func deliver(_ bytes: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
      memberDelivered += bytes.count
      inflatedBytesOut += bytes.count
      try output(bytes)
    }

    /// Runs ISA-L over `base[start..<count]` until the input is used up, the member's deflate
    /// data ends or it fails; returns the new position and the problem, if any.
    private func inflateBody(
      _ base: UnsafeRawPointer, count: Int, from start: Int, feedStart: Int,
      _ output: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> (Int, GzipError?) {
      var position = start
      // avail_in is 32-bit; a larger buffer is handed over in several rounds by feed's loop.
      state.pointee.next_in = UnsafeMutablePointer(mutating: (base + position).assumingMemoryBound(to: UInt8.self))
      state.pointee.avail_in = UInt32(min(count - position, Int(UInt32.max)))
      while true {
        let target = holding ? chunk(held.chunks) : chunk(0)
        let fill = holding ? held.fill : 0
        guard let targetStart = target.baseAddress else { preconditionFailure("an output chunk has no memory") }
        state.pointee.next_out = (targetStart + fill).assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(chunkSize - fill)
        let result = isal_inflate(state)
        let before = position
        position = UnsafeRawPointer(state.pointee.next_in) - base
        compressedBytesIn = feedStart + position
        // ISA-L checks distances against a 32-bit total_out, which would wrap after 4 GiB of
        // one member and then refuse valid distances: keep it large but far from the wrap.
        if state.pointee.total_out >= 3 << 30 { state.pointee.total_out -= 1 << 30 }
        let produced = chunkSize - fill - Int(state.pointee.avail_out)
        memberOut += produced
        if !holding {
          if produced > 0 { try deliver(UnsafeRawBufferPointer(start: targetStart, count: produced), output) }
        } else {
          held.fill += produced
          if held.fill == chunkSize { held = (held.chunks + 1, 0) }
          if memberOut - memberDelivered >= replayLimit {
            try deliverHeld(output)
            holding = false
          }
        }
        if result < 0 { return (position, deflateProblem(result, feedStart: feedStart)) }
        if state.pointee.block_state == ISAL_BLOCK_FINISH { return (position, try startTrailer(output)) }
        // A full output buffer means ISA-L may hold more output: go round again.
        if state.pointee.avail_out == 0 { continue }
        if state.pointee.avail_in == 0 { return (position, nil) }
        if position == before && produced == 0 {
          return (position, GzipError(offset: compressedBytesIn, reason: "ISA-L made no progress"))
        }
      }
    }

    /// The deflate data ended. ISA-L reads ahead up to 8 bytes, which are the first bytes of the
    /// trailer (after the padding to a byte boundary): they are taken back from its bit buffer.
    private func startTrailer(_ output: (UnsafeRawBufferPointer) throws -> Void) throws -> GzipError? {
      var bits = Int(state.pointee.read_in_length)
      var value = state.pointee.read_in
      let padding = bits % 8
      value >>= UInt64(padding)
      bits -= padding
      state.pointee.read_in = 0
      state.pointee.read_in_length = 0
      let held = bits / 8
      phase = .trailer
      trailer = (0, 0, compressedBytesIn - held)
      for index in 0..<held {
        let offset = trailer.start + index
        let byte = UInt8(truncatingIfNeeded: value >> UInt64(8 * index))
        if let problem = try takeTrailerByte(byte, at: offset, output) {
          return problem
        }
      }
      return nil
    }

    /// Takes one trailer byte (at compressed `offset`); checks the CRC-32 at its fourth byte and
    /// the length at the eighth, where zlib checks them.
    private func takeTrailerByte(
      _ byte: UInt8, at offset: Int, _ output: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> GzipError? {
      trailer.value |= UInt64(byte) << UInt64(8 * trailer.count)
      trailer.count += 1
      if trailer.count == 4 && UInt32(truncatingIfNeeded: trailer.value) != state.pointee.crc {
        return .corrupt(at: offset, zlibMessage: "incorrect data check")
      }
      if trailer.count == 8 {
        if UInt32(truncatingIfNeeded: trailer.value >> 32) != UInt32(truncatingIfNeeded: memberOut) {
          return .corrupt(at: offset, zlibMessage: "incorrect length check")
        }
        // Output arrives before the member that produced it is counted as completed.
        try deliverHeld(output)
        completeMember(at: offset + 1)
      }
      return nil
    }

    /// ISA-L's own reading of bad deflate data (used only when no zlib replay is possible),
    /// located at the byte holding the last bit it read.
    private func deflateProblem(_ result: Int32, feedStart: Int) -> GzipError {
      let what: String
      switch result {
      case ISAL_INVALID_BLOCK: what = "invalid block"
      case ISAL_INVALID_SYMBOL: what = "invalid code"
      case ISAL_INVALID_LOOKBACK: what = "invalid distance too far back"
      default: what = "ISA-L error \(result)"
      }
      let unread = max(0, Int(state.pointee.read_in_length)) / 8
      let offset = max(memberStart, compressedBytesIn - unread - 1)
      return GzipError(offset: offset, reason: "corrupt deflate data (\(what))")
    }

    /// Keeps the current member's bytes from this feed for a later hand-over to zlib.
    private func retain(_ input: UnsafeRawBufferPointer, feedStart: Int) {
      switch phase {
      case .zlib: return
      case .magic where magicSeen == 0: return
      default: break
      }
      guard !retainedTooLong else { return }
      let from = max(0, memberStart - feedStart)
      guard retained.count + input.count - from <= replayLimit else {
        retained = []
        retainedTooLong = true
        return
      }
      retained.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[from...]))
    }

    /// Hands the current member to zlib after `problem`: a zlib engine inflates the member's
    /// kept bytes and then `current` (the member's bytes in the feed in progress, up to where
    /// ISA-L stopped); what ISA-L holds back is dropped, zlib's output past what was delivered
    /// is delivered. zlib then reads the rest of the member (phase `.zlib`).
    /// - Returns: the compressed offset where the member ended, when zlib found it whole in these
    ///   bytes; nil when zlib needs more.
    /// - Throws: zlib's error when it finds one in these bytes; `problem` itself when the member
    ///   was too long to keep (ISA-L's output held so far is delivered first).
    private func handOver(
      _ problem: GzipError, _ current: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int? {
      guard !retainedTooLong else {
        try deliverHeld(output)
        throw fail(problem)
      }
      held = (0, 0)
      let zlib = ZlibGzipEngine(outputChunkSize: chunkSize, stopsAfterFirstMember: true)
      phase = .zlib(zlib)
      zlibSeen = 0
      let kept = retained
      retained = []
      _ = try kept.withUnsafeBytes { try zlibRead(zlib, $0, at: memberStart, output) }
      if case .zlib = phase { _ = try zlibRead(zlib, current, at: memberStart + kept.count, output) }
      if case .zlib = phase { return nil }
      return memberStart
    }

    /// Feeds `bytes` (at compressed offset `offset`) to the zlib engine reading the current
    /// member; delivers its output past what was delivered; ends the member when zlib does.
    /// Returns how many of `bytes` belong to the member (all unless it ended in them).
    /// - Throws: zlib's error, located in this stream.
    private func zlibRead(
      _ zlib: ZlibGzipEngine, _ bytes: UnsafeRawBufferPointer, at offset: Int,
      _ output: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
      var outputFailed = false
      let before = zlib.compressedBytesIn
      do {
        try zlib.feed(bytes) { chunk in
          defer { zlibSeen += chunk.count }
          guard zlibSeen + chunk.count > memberDelivered else { return }
          do {
            try deliver(UnsafeRawBufferPointer(rebasing: chunk[max(0, memberDelivered - zlibSeen)...]), output)
          } catch {
            outputFailed = true
            throw error
          }
        }
      } catch let error as GzipError where !outputFailed {
        throw fail(GzipError(offset: memberStart + error.offset, reason: error.reason))
      }
      let used = zlib.compressedBytesIn - before
      if zlib.membersCompleted > 0 { completeMember(at: offset + used) }
      return used
    }

    /// The input ended while zlib was reading a member: zlib's verdict (truncation).
    private func zlibFinish(_ zlib: ZlibGzipEngine) throws {
      do { try zlib.finish() } catch let error as GzipError {
        throw fail(GzipError(offset: memberStart + error.offset, reason: error.reason))
      }
    }

    /// The current member ended (its trailer checked) at compressed offset `end`.
    private func completeMember(at end: Int) {
      membersCompleted += 1
      if firstMemberEnd == nil { firstMemberEnd = end }
      memberStart = end
      phase = .magic
      magicSeen = 0
      memberOut = 0
      memberDelivered = 0
      held = (0, 0)
      holding = true
      if retained.capacity > 1 << 20 { retained = [] } else { retained.removeAll(keepingCapacity: true) }
      retainedTooLong = false
    }

    /// Records `error` so later calls throw it too, and returns it.
    private func fail(_ error: GzipError) -> GzipError {
      failure = error
      return error
    }
  }

  /// ISA-L states and output chunks of finished inflaters, kept for the next ones (a scan opens
  /// one inflater per file). Allocating them afresh for each of thousands of files left glibc's
  /// heap so fragmented, between the scan's own small allocations, that `stats` over the
  /// benchmark archive peaked at 240 MiB instead of 25; reused, nothing new is allocated after
  /// the first files. At most 8 states (80 KiB each) and 8 MiB of chunks are kept.
  final class ISALBuffers: @unchecked Sendable {
    static let shared = ISALBuffers()

    private let lock = Mutex(())
    private var states: [UnsafeMutablePointer<inflate_state>] = []
    private var chunks: [UnsafeMutableRawBufferPointer] = []
    private var chunkBytes = 0

    /// A state for a new inflater. A reused one has its history buffer cleared: ISA-L lets a
    /// damaged member's distances reach into it, and that output, although never delivered (the
    /// member is handed to zlib), should not hold another file's bytes.
    func takeState() -> UnsafeMutablePointer<inflate_state> {
      if let state = lock.withLock({ _ in states.popLast() }) {
        // (Swift does not import the buffer as a field: the whole state is cleared, 80 KiB.)
        UnsafeMutableRawPointer(state).initializeMemory(
          as: UInt8.self, repeating: 0, count: MemoryLayout<inflate_state>.size)
        return state
      }
      let raw = UnsafeMutableRawPointer.allocate(
        byteCount: MemoryLayout<inflate_state>.size, alignment: MemoryLayout<inflate_state>.alignment)
      raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<inflate_state>.size)
      return raw.bindMemory(to: inflate_state.self, capacity: 1)
    }

    func takeChunk(_ size: Int) -> UnsafeMutableRawBufferPointer {
      let kept = lock.withLock { _ -> UnsafeMutableRawBufferPointer? in
        guard let index = chunks.lastIndex(where: { $0.count == size }) else { return nil }
        chunkBytes -= size
        return chunks.remove(at: index)
      }
      return kept ?? .allocate(byteCount: size, alignment: 64)
    }

    func give(_ state: UnsafeMutablePointer<inflate_state>, _ given: [UnsafeMutableRawBufferPointer]) {
      var freed: [UnsafeMutableRawPointer] = []
      lock.withLock { _ in
        if states.count < 8 { states.append(state) } else { freed.append(UnsafeMutableRawPointer(state)) }
        for chunk in given {
          if chunkBytes + chunk.count <= 8 << 20 {
            chunks.append(chunk)
            chunkBytes += chunk.count
          } else if let base = chunk.baseAddress {
            freed.append(base)
          }
        }
      }
      for pointer in freed { pointer.deallocate() }
    }
  }
#endif
