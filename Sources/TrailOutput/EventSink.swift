// The push interface between the scan engine and whatever consumes matching events (printers
// here; later an index writer), modelled on ripgrep's Sink: the engine calls `write` per event
// in a deterministic order and `finish` once.
import TrailEvent

/// Receives matching events.
package protocol EventSink: AnyObject {
  func write(_ view: EventView, origin: EventOrigin) throws
  func finish() throws
}
