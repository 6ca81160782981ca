// The push interface between the scan engine and whatever consumes matching events (printers
// here; later an index writer), modelled on ripgrep's Sink: the engine calls `write` per event
// in a deterministic order and `finish` once.
import TrailQuery

/// Where a matching event came from.
public struct EventOrigin: Sendable {
  public var path: String
  /// Absolute offset of the record in the (decompressed) file.
  public var offset: Int
  public init(path: String, offset: Int) {
    self.path = path
    self.offset = offset
  }
}

/// Receives matching events.
public protocol EventSink: AnyObject {
  func write(_ view: EventView, origin: EventOrigin) throws
  func finish() throws
}
