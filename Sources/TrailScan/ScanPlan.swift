// Everything the engine needs to know to scan, resolved from the command line: which events
// match, the input limits, and what to do at the first problem.
import TrailEvent
import TrailJSON
import TrailQuery

/// A resolved scan.
package struct ScanPlan: Sendable {
  package var predicate: Predicate
  package var limits: JSONLimits
  /// Stop at the first problem (`--strict`) instead of reporting it and going on.
  package var strict: Bool
  /// Bytes read from a file at a time.
  package var chunkSize: Int
  /// Pass on only the first delivery of each eventID (`--dedupe`).
  package var dedupe: Bool
  /// Files to skip unopened (nil: read every file).
  package var pruning: Pruning?
  /// How records are read (`--input-format`; `auto` decides by content).
  package var inputFormat: InputFormat
  /// Where an event without `eventTime` takes its time from (`--time-field`), as a dotted path.
  package var timeField: [String]?
  /// The predicate holds a time window (`--since`/`--until`): events without a time are counted
  /// as left out by it.
  package var hasTimeWindow: Bool
  /// What answers `origin` on every view (set after a first pass indexed the credentials).
  package var originResolver: (any OriginResolving)?
  /// Where the events of each object come from instead of its file (an event store, issue 19);
  /// nil: the file is read.
  package var storedEvents: (any StoredEventSource)?
  /// The top-level members of a record read (`keysToKeep(reading:)`): the parser only validates
  /// the objects and arrays of the others. Nil: every value on the tape.
  package var keptKeys: JSONKeySet?
  /// Gzip files of at least this many bytes, and gzip on standard input, are inflated on a
  /// second thread while this one parses (nil: never; set when more than one thread may run).
  package var inflateAheadFrom: Int?

  /// The size from which the command inflates ahead when it may use several threads: a file
  /// this large takes long enough for a second thread to pay (CloudTrail's own files are far
  /// smaller, and read in parallel with each other instead).
  package static let inflateAheadMinimum = 8 << 20

  package init(
    predicate: Predicate = .always, limits: JSONLimits = .default, strict: Bool = false, chunkSize: Int = 256 * 1024,
    dedupe: Bool = false, pruning: Pruning? = nil, inputFormat: InputFormat = .auto, timeField: [String]? = nil,
    hasTimeWindow: Bool = false
  ) {
    self.inputFormat = inputFormat
    self.timeField = timeField
    self.hasTimeWindow = hasTimeWindow
    self.predicate = predicate
    self.limits = limits
    self.strict = strict
    self.chunkSize = chunkSize
    self.dedupe = dedupe
    self.pruning = pruning
  }
}

/// Counts of one scan.
package struct ScanStatistics: Sendable, Equatable {
  package var files = 0
  /// Files skipped unopened because their key proves they cannot match.
  package var filesPruned = 0
  /// Of `filesPruned`, those delivered later than `--until` plus the slack.
  package var filesPrunedLate = 0
  /// Events without a time that a time window left out.
  package var untimedExcluded = 0
  /// Records that are not CloudTrail events (reported per file, not counted as events).
  package var recordsNotEvents = 0
  package var bytesRead = 0
  /// Bytes of JSON after decompression.
  package var bytesInflated = 0
  /// Records decoded as events.
  package var events = 0
  package var matched = 0
  /// Records with nothing to read, skipped: digest documents, CloudWatch control messages.
  package var recordsSkipped = 0
  /// Matching events dropped as repeats of an eventID already passed on (`--dedupe`).
  package var duplicatesDropped = 0
  package var diagnostics = 0
  /// Large files read by several workers together (`RecordBatches`); a file with a problem is
  /// read again by one and not counted here.
  package var filesShared = 0

  package init() {}

  /// Adds another scan's counts (from a parallel worker).
  package mutating func add(_ other: ScanStatistics) {
    files += other.files
    filesPruned += other.filesPruned
    filesPrunedLate += other.filesPrunedLate
    untimedExcluded += other.untimedExcluded
    recordsNotEvents += other.recordsNotEvents
    bytesRead += other.bytesRead
    bytesInflated += other.bytesInflated
    events += other.events
    matched += other.matched
    recordsSkipped += other.recordsSkipped
    duplicatesDropped += other.duplicatesDropped
    diagnostics += other.diagnostics
    filesShared += other.filesShared
  }
}
