// The one streaming gzip inflater (archives, standard input, integrity hashing): compressed
// bytes go in as they are read, inflated bytes come out in one reused fixed-size buffer, and
// members written back to back are read as one stream, as `gzip -d` does. It hides which library
// inflates: ISA-L by default (package trait ISAL), zlib when built without it.
import CZlib

/// Streaming inflater for gzip data made of one or more members.
///
/// Feed compressed bytes in pieces of any size with ``feed(_:_:)``, then call ``finish(_:)``.
/// Inflated bytes are delivered through a fixed-size buffer that is reused between calls, so
/// memory stays bounded whatever the input size. Both engines deliver the same bytes and report
/// the same ``GzipError`` (message and compressed offset) for the same input.
///
/// After an error the inflater is poisoned: every later call throws the same error.
public final class GzipInflater {
  /// The library that inflates.
  public enum Engine: String, Sendable, CaseIterable, CustomStringConvertible {
    #if ISAL
      /// ISA-L's igzip (Debian's libisal-dev), with zlib replaying damaged members for errors.
      case isal
    #endif
    /// zlib.
    case zlib

    /// ISA-L when the package is built with the ISAL trait (the default), zlib otherwise.
    public static var `default`: Engine {
      #if ISAL
        return .isal
      #else
        return .zlib
      #endif
    }

    /// The engine's name: `isal` or `zlib`.
    public var description: String { rawValue }
  }

  private enum Implementation {
    #if ISAL
      case isal(ISALGzipEngine)
    #endif
    case zlib(ZlibGzipEngine)
  }

  private let implementation: Implementation

  /// The engine inflating.
  public let engine: Engine

  /// Creates an inflater that delivers inflated bytes in pieces of at most `outputChunkSize`.
  public convenience init(outputChunkSize: Int = 256 * 1024, engine: Engine = .default) {
    self.init(outputChunkSize: outputChunkSize, engine: engine, replayLimit: 4 << 20)
  }

  /// An inflater whose ISA-L engine holds back at most `replayLimit` bytes of a member's output
  /// and keeps at most as many of its compressed bytes, to replay a damaged member through zlib
  /// (4 MiB by default; beyond it ISA-L reports damage with its own reading of it). Tests and the
  /// fuzz target use a small limit to reach what lies beyond.
  public init(outputChunkSize: Int, engine: Engine, replayLimit: Int) {
    self.engine = engine
    switch engine {
    #if ISAL
      case .isal:
        implementation = .isal(ISALGzipEngine(outputChunkSize: outputChunkSize, replayLimit: replayLimit))
    #endif
    case .zlib: implementation = .zlib(ZlibGzipEngine(outputChunkSize: outputChunkSize))
    }
  }

  /// True when `prefix` starts with the gzip magic bytes 0x1f 0x8b.
  public static func hasGzipMagic(_ prefix: UnsafeRawBufferPointer) -> Bool {
    prefix.count >= 2 && prefix[0] == 0x1f && prefix[1] == 0x8b
  }

  /// Feeds compressed bytes, calling `output` zero or more times with inflated bytes.
  ///
  /// The buffer passed to `output` is valid only during the call. Errors thrown by `output`
  /// propagate unchanged (the inflater should then be discarded).
  /// - Throws: ``GzipError`` for bad data, located by its compressed offset.
  public func feed(_ input: UnsafeRawBufferPointer, _ output: (UnsafeRawBufferPointer) throws -> Void) throws {
    switch implementation {
    #if ISAL
      case .isal(let engine): try engine.feed(input, output)
    #endif
    case .zlib(let engine): try engine.feed(input, output)
    }
  }

  /// Signals the end of input.
  ///
  /// When the input ends inside a member, the bytes inflated from it up to the end that were not
  /// delivered yet go to `output` before the error is thrown (zlib's delivery; ISA-L holds some
  /// back until more input arrives).
  /// - Throws: ``GzipError`` `"truncated gzip stream"` (offset: total compressed bytes) when
  ///   the last member is incomplete, or `"empty gzip stream"` when no byte was ever fed.
  public func finish(_ output: (UnsafeRawBufferPointer) throws -> Void = { _ in }) throws {
    switch implementation {
    #if ISAL
      case .isal(let engine): try engine.finish(output)
    #endif
    case .zlib(let engine): try engine.finish()
    }
  }

  /// Total compressed bytes consumed so far.
  public var compressedBytesIn: Int {
    switch implementation {
    #if ISAL
      case .isal(let engine): return engine.compressedBytesIn
    #endif
    case .zlib(let engine): return engine.compressedBytesIn
    }
  }

  /// Total inflated bytes delivered so far.
  public var inflatedBytesOut: Int {
    switch implementation {
    #if ISAL
      case .isal(let engine): return engine.inflatedBytesOut
    #endif
    case .zlib(let engine): return engine.inflatedBytesOut
    }
  }

  /// Number of gzip members read to their end (trailer checked).
  public var membersCompleted: Int {
    switch implementation {
    #if ISAL
      case .isal(let engine): return engine.membersCompleted
    #endif
    case .zlib(let engine): return engine.membersCompleted
    }
  }

  /// Compressed offset just past the first member, once it has ended (where appended data
  /// starts, for integrity validation).
  public var firstMemberEnd: Int? {
    switch implementation {
    #if ISAL
      case .isal(let engine): return engine.firstMemberEnd
    #endif
    case .zlib(let engine): return engine.firstMemberEnd
    }
  }
}
