// Everything the engine needs to know to scan, resolved from the command line: which events
// match, the input limits, and what to do at the first problem.
import TrailEvent
import TrailJSON
import TrailQuery

/// A resolved scan.
public struct ScanPlan: Sendable {
  public var predicate: Predicate
  public var limits: JSONLimits
  /// Stop at the first problem (`--strict`) instead of reporting it and going on.
  public var strict: Bool
  /// Bytes read from a file at a time.
  public var chunkSize: Int
  /// Pass on only the first delivery of each eventID (`--dedupe`).
  public var dedupe: Bool
  /// Files to skip unopened (nil: read every file).
  public var pruning: Pruning?
  /// How records are read (`--input-format`; `auto` decides by content).
  public var inputFormat: InputFormat

  public init(
    predicate: Predicate = .always, limits: JSONLimits = .default, strict: Bool = false, chunkSize: Int = 256 * 1024,
    dedupe: Bool = false, pruning: Pruning? = nil, inputFormat: InputFormat = .auto
  ) {
    self.inputFormat = inputFormat
    self.predicate = predicate
    self.limits = limits
    self.strict = strict
    self.chunkSize = chunkSize
    self.dedupe = dedupe
    self.pruning = pruning
  }
}

/// Counts of one scan.
public struct ScanStatistics: Sendable, Equatable {
  public var files = 0
  /// Files skipped unopened because their key proves they cannot match.
  public var filesPruned = 0
  public var bytesRead = 0
  /// Bytes of JSON after decompression.
  public var bytesInflated = 0
  /// Records decoded as events.
  public var events = 0
  public var matched = 0
  /// Records with nothing to read, skipped: digest documents, CloudWatch control messages.
  public var recordsSkipped = 0
  /// Matching events dropped as repeats of an eventID already passed on (`--dedupe`).
  public var duplicatesDropped = 0
  public var diagnostics = 0

  public init() {}

  /// Adds another scan's counts (from a parallel worker).
  public mutating func add(_ other: ScanStatistics) {
    files += other.files
    filesPruned += other.filesPruned
    bytesRead += other.bytesRead
    bytesInflated += other.bytesInflated
    events += other.events
    matched += other.matched
    recordsSkipped += other.recordsSkipped
    duplicatesDropped += other.duplicatesDropped
    diagnostics += other.diagnostics
  }
}
