// Where an event came from: the file and the byte its record starts at. Every consumer of
// events (printers, rule findings, aggregations) receives it beside the view.

/// Where an event came from.
public struct EventOrigin: Sendable {
  /// The file the record was read from, as the walker named it (`"-"` for standard input).
  public var path: String
  /// Absolute offset of the record in the (decompressed) file.
  public var offset: Int
  /// The origin of a record at `offset` in the file at `path`.
  public init(path: String, offset: Int) {
    self.path = path
    self.offset = offset
  }
}
