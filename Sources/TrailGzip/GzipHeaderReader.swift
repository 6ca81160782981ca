// The gzip member header (RFC 1952) read byte by byte for the ISA-L engine, which inflates the
// raw deflate body only: it checks what zlib checks and reports a problem at the byte where zlib
// would, with zlib's words, so both engines print the same error for a damaged header.
import CZlib

/// Reads one gzip member header after its two magic bytes, one byte at a time.
///
/// zlib reads the method and flag bytes together and so reports a bad one at the flag byte
/// (member offset 3); a header CRC mismatch is reported at the second CRC byte. Extra field,
/// file name and comment are skipped; reserved flags, a method other than deflate and a wrong
/// header CRC are errors.
struct GzipHeaderReader {
  /// What one byte did.
  enum Step: Equatable {
    /// More header bytes are needed.
    case more
    /// The header ended with this byte; the deflate data starts with the next one.
    case done
    /// The header is bad: zlib's message for it (the byte that revealed it is the last read).
    case failed(String)
  }

  private enum Stage {
    case method, flags, fixed, extraLength, extra, name, comment, headerCRC, done
  }

  private var stage = Stage.method
  /// Member offset of the next byte (the magic took 0 and 1).
  private var index = 2
  private var method: UInt8 = 0
  private var flags: UInt8 = 0
  /// Bytes left in the current multi-byte field (fixed part, extra length, extra, CRC).
  private var left = 0
  private var field = 0
  /// CRC-32 of the header bytes so far (the header CRC holds its low 16 bits).
  private var crc: UInt

  init() {
    let magic: [UInt8] = [0x1f, 0x8b]
    crc = magic.withUnsafeBufferPointer { CZlib.crc32(0, $0.baseAddress, 2) }
  }

  /// Takes the next header byte.
  mutating func take(_ byte: UInt8) -> Step {
    defer { index += 1 }
    if stage != .headerCRC {
      var copy = byte
      crc = CZlib.crc32(crc, &copy, 1)
    }
    switch stage {
    case .method:
      method = byte
      stage = .flags
      return .more
    case .flags:
      flags = byte
      if method != 8 { return .failed("unknown compression method") }
      if flags & 0xe0 != 0 { return .failed("unknown header flags set") }
      stage = .fixed
      left = 6  // mtime, extra flags, operating system
      return .more
    case .fixed:
      left -= 1
      return left > 0 ? .more : next(after: .fixed)
    case .extraLength:
      field |= Int(byte) << (8 * (2 - left))
      left -= 1
      guard left == 0 else { return .more }
      left = field
      return left > 0 ? enter(.extra) : next(after: .extra)
    case .extra:
      left -= 1
      return left > 0 ? .more : next(after: .extra)
    case .name:
      return byte == 0 ? next(after: .name) : .more
    case .comment:
      return byte == 0 ? next(after: .comment) : .more
    case .headerCRC:
      field |= Int(byte) << (8 * (2 - left))
      left -= 1
      guard left == 0 else { return .more }
      return UInt(field) == crc & 0xffff ? finish() : .failed("header crc mismatch")
    case .done:
      return .done
    }
  }

  private mutating func enter(_ next: Stage) -> Step {
    stage = next
    return .more
  }

  /// The stage after `stage` given the flags (FEXTRA 4, FNAME 8, FCOMMENT 16, FHCRC 2).
  private mutating func next(after stage: Stage) -> Step {
    switch stage {
    case .fixed where flags & 0x04 != 0:
      left = 2
      field = 0
      return enter(.extraLength)
    case .fixed, .extra:
      if flags & 0x08 != 0 { return enter(.name) }
      return next(after: .name)
    case .name:
      if flags & 0x10 != 0 { return enter(.comment) }
      return next(after: .comment)
    case .comment:
      if flags & 0x02 != 0 {
        left = 2
        field = 0
        return enter(.headerCRC)
      }
      return finish()
    default:
      return finish()
    }
  }

  private mutating func finish() -> Step {
    stage = .done
    return .done
  }
}
