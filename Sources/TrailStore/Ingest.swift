// `ingest`: archive files into the store, incrementally and crash-safely. Files already stored
// (same real path, size and modification time; or the same S3 key and content hash) are
// skipped; the others are read by worker threads exactly as a scan reads them (ScanEngine),
// and one writer puts their events into SQLite in transactions. A file's row says whether all
// of it was written: one left incomplete by a killed run is removed and read again by the next,
// so nothing is lost or doubled. An event delivered twice (same eventID and recipientAccountId)
// is stored once, at its first delivery in file order.
import Crypto
import Dispatch
import Synchronization
import TrailArchive
import TrailEvent
import TrailIdentity
import TrailJSON
import TrailScan

#if canImport(Glibc)
  import Glibc
#endif

/// What one `ingest` did.
package struct IngestSummary: Sendable, Equatable {
  /// Files read (new, or changed since they were stored).
  package var newFiles = 0
  /// Files already stored, not read again.
  package var skippedFiles = 0
  /// Of the files read, those with problems (reported, and stored with the events around them).
  package var damagedFiles = 0
  /// Files that could not be read at all (not stored: the next run tries again).
  package var unreadableFiles = 0
  /// Of the files read, those that had changed since they were stored (replaced).
  package var changedFiles = 0
  /// Files left incomplete by an earlier run, removed and read again.
  package var resumedFiles = 0
  /// Files read again because they hold a repeated delivery of an event of a changed file.
  package var rereadFiles = 0
  /// Files skipped unopened because their key proves they are outside --since/--until/--account/--region.
  package var prunedFiles = 0
  /// Events read from the files read.
  package var eventsRead = 0
  /// Events stored.
  package var eventsStored = 0
  /// Events already in the store (same eventID and recipientAccountId).
  package var duplicates = 0
  package init() {}
}

/// Ingests archive objects into a store.
package struct Ingest {
  package var storePath: String
  /// How files are read: limits, input format, pruning (its predicate is ignored).
  package var plan: ScanPlan
  package var workers: Int
  /// The arguments given, remembered as the store's roots (`check` reports them as its paths).
  package var roots: [String]
  /// Events per batch handed from a worker to the writer, and events per transaction.
  package var batchSize = 1024
  package var transactionSize = 50_000
  /// Receives the time each phase took (`--debug-statistics`).
  package var onPhase: ((String, Double) -> Void)?
  /// Receives the files to read, once decided (the others are stored already or pruned).
  package var onPlan: (([ArchiveObject]) -> Void)?
  /// Receives, on the writer's thread, the files read and the events received so far.
  package var onProgress: ((_ files: Int, _ events: Int) -> Void)?
  /// Receives what the run does after reading (one line each: resolving `origin`, indexing).
  package var onStage: ((String) -> Void)?

  package init(storePath: String, plan: ScanPlan, workers: Int, roots: [String]) {
    self.storePath = storePath
    self.plan = plan
    self.workers = workers
    self.roots = roots
  }

  /// Ingests `objects`; `onProblem` receives each problem as it is found, in file order per file.
  package func run(_ objects: [ArchiveObject], onProblem: @escaping @Sendable (Diagnostic) -> Void) throws
    -> IngestSummary
  {
    var clock = PhaseClock(report: onPhase)
    let store = try EventStore(path: storePath, readOnly: false, create: true)
    let writer = try StoreWriter(store: store)
    var summary = IngestSummary()
    summary.resumedFiles = try writer.clearIncomplete()
    try writer.remember(roots: roots)
    // A changed file's events are removed first, with those of the files holding repeats of
    // them (which may come anywhere in the list), so the list below reads every cleared file.
    var identities: [ArchiveObject: FileIdentity] = [:]
    for object in objects where !object.isStandardInput {
      if let pruning = plan.pruning, pruning.reason(toSkip: object) != nil { continue }
      guard let identity = identities[object] ?? FileIdentity(object.path) else { continue }
      identities[object] = identity
      if case .changed(let id) = writer.known(identity), writer.pending[id] == nil {
        let before = writer.pending.count
        _ = try writer.clear([id])
        summary.changedFiles += 1
        summary.rereadFiles += writer.pending.count - before - 1
      }
    }

    // Decide what to read.
    var jobs: [IngestJob] = []
    var seenReal = Set<String>()
    for object in objects {
      if object.isStandardInput {
        onProblem(Diagnostic(path: "-", offset: nil, reason: "ingest reads files; save standard input to a file first"))
        summary.unreadableFiles += 1
        continue
      }
      if let pruning = plan.pruning, pruning.reason(toSkip: object) != nil {
        summary.prunedFiles += 1
        continue
      }
      guard let identity = identities[object] ?? FileIdentity(object.path) else {
        onProblem(Diagnostic(path: object.path, offset: nil, reason: String(cString: strerror(errno))))
        summary.unreadableFiles += 1
        continue
      }
      // The same file named twice (through two arguments or links) is read once.
      guard seenReal.insert(identity.realPath).inserted else { continue }
      let s3key = object.key.flatMap { _ in FileIdentity.s3Key(object.path) }
      var reused: Int?
      switch writer.known(identity) {
      case .same where writer.pending[writer.files[identity.realPath]?.id ?? -1] == nil:
        summary.skippedFiles += 1
        continue
      case .same, .changed:
        reused = writer.files[identity.realPath]?.id
      case .unknown:
        break
      }
      let candidates = s3key.map { writer.hashes(s3Key: $0, size: identity.size) } ?? []
      jobs.append(
        IngestJob(object: object, identity: identity, s3Key: s3key, aliasCandidates: candidates, fileID: reused))
    }
    // Cleared files not among this run's paths are read from where they were; those gone are
    // removed (their events are gone with them from the archive too).
    let planned = Set(jobs.compactMap(\.fileID))
    for (id, file) in writer.pending.sorted(by: { $0.key < $1.key }) where !planned.contains(id) {
      let path = FileIdentity(file.path)?.realPath == file.realPath ? file.path : file.realPath
      guard let identity = FileIdentity(path), identity.realPath == file.realPath,
        seenReal.insert(file.realPath).inserted
      else {
        try writer.removeFile(id)
        continue
      }
      let object = ArchiveObject(path: path)
      let s3key = object.key.flatMap { _ in FileIdentity.s3Key(path) }
      let candidates = s3key.map { writer.hashes(s3Key: $0, size: identity.size) } ?? []
      jobs.append(IngestJob(object: object, identity: identity, s3Key: s3key, aliasCandidates: candidates, fileID: id))
    }

    onPlan?(jobs.map(\.object))
    clock.lap("plan")
    // The compression dictionary, trained on the first records of this run when the store has none.
    var dictionaries = try store.dictionaries()
    if dictionaries.isEmpty, let trained = try sampleDictionary(jobs) {
      try writer.add(trained)
      dictionaries = [trained]
    }
    let dictionary = dictionaries.last
    clock.lap("dictionary")

    // Into an empty store, the question indexes are built once at the end, and the pages are
    // written with a journal (`StoreWriter.write(filling:)`).
    let empty = try store.connection.scalar("SELECT count(*) FROM (SELECT 1 FROM event_rows LIMIT 1)") == .integer(0)
    if empty && !jobs.isEmpty { try store.connection.execute(StoreSchema.dropQuestionIndexes) }
    writer.write(filling: empty && !jobs.isEmpty)
    let queue = IngestQueue(capacity: max(4, workers * 4))
    let context = IngestContext(jobs: jobs, queue: queue)
    let workerCount = max(1, min(workers, jobs.count))
    let plan = self.plan
    let batchSize = self.batchSize
    let group = DispatchGroup()
    for _ in 0..<(jobs.isEmpty ? 0 : workerCount) {
      DispatchQueue.global().async(group: group) {
        IngestWorker(plan: plan, dictionary: dictionary, batchSize: batchSize).work(context)
      }
    }
    group.notify(queue: DispatchQueue.global()) { queue.close() }
    var outcome: Error?
    do {
      try writer.consume(
        queue, jobs: jobs, transactionSize: transactionSize, summary: &summary, onProblem: onProblem,
        stop: { context.stop() }, onProgress: onProgress)
    } catch {
      outcome = error
      context.stop()
      queue.drain()
    }
    group.wait()
    if let outcome { throw outcome }
    clock.lap("read and write")
    // `origin` before the indexes: into an empty store, the origin index is then built once.
    if summary.newFiles > 0 || summary.changedFiles > 0 || summary.resumedFiles > 0 {
      onStage?("\(jobs.count) file(s) read; resolving origins")
      try writer.resolveOrigins(dictionaries: dictionaries)
    }
    clock.lap("origins")
    // SQLite sorts an index's keys on helper threads only when they do not fit in its cache,
    // as sorted runs merged in parallel: with a small cache while indexing, the workers' cores
    // (idle by now) share the sorts (0.81 → 0.55 s for the question indexes of 200,000 events).
    if !jobs.isEmpty { onStage?("\(jobs.count) file(s) read; building the indexes") }
    try store.connection.execute("PRAGMA threads=\(max(1, min(workers, 8))); PRAGMA cache_size=-2000")
    try store.connection.execute(StoreSchema.questionIndexes)
    try store.connection.execute("PRAGMA threads=0; PRAGMA cache_size=-65536")
    clock.lap("indexes")
    try store.connection.execute("PRAGMA optimize")
    writer.keepInWAL()
    clock.lap("optimize")
    return summary
  }

  /// Trains a dictionary on the records of the first files to read (up to about 2 MB).
  func sampleDictionary(_ jobs: [IngestJob]) throws -> RecordDictionary? {
    var samples: [[UInt8]] = []
    var total = 0
    var sampling = plan
    sampling.strict = false
    sampling.pruning = nil
    sampling.storedEvents = nil
    let engine = ScanEngine(plan: sampling)
    for job in jobs {
      if total >= 1 << 20 || samples.count >= 600 { break }
      try? engine.scanOne(
        job.object,
        onMatch: { view, _ in
          var bytes: [UInt8] = []
          JSONWriter.appendCompacted(view.json, to: &bytes)
          total += bytes.count
          samples.append(bytes)
          if total >= 1 << 20 || samples.count >= 600 { throw ScanEngine.Stop() }
        }, onDiagnostic: { _ in })
    }
    return RecordDictionary.train(samples)
  }
}

/// Times the phases of a run.
struct PhaseClock {
  let report: ((String, Double) -> Void)?
  var last = PhaseClock.now()

  init(report: ((String, Double) -> Void)?) { self.report = report }

  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  mutating func lap(_ name: String) {
    let now = Self.now()
    report?(name, now - last)
    last = now
  }
}

/// A file's identity for incremental runs.
struct FileIdentity: Sendable {
  var realPath: String
  var size: Int64
  var modified: Int64

  init?(_ path: String) {
    var info = stat()
    guard stat(path, &info) == 0, let resolved = realpath(path, nil) else { return nil }
    realPath = String(cString: resolved)
    free(resolved)
    size = Int64(info.st_size)
    modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
  }

  /// The S3 key of a path in the CloudTrail layout: from its last `AWSLogs` component on.
  static func s3Key(_ path: String) -> String? {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
    guard let anchor = parts.lastIndex(of: "AWSLogs") else { return nil }
    return parts[anchor...].joined(separator: "/")
  }
}

/// One file to read.
struct IngestJob: Sendable {
  var object: ArchiveObject
  var identity: FileIdentity
  var s3Key: String?
  /// Stored files with the same S3 key and size: (id, SHA-256). When this file's hash is one of
  /// them it is the same object synced to another place, and is not read.
  var aliasCandidates: [(id: Int, sha256: [UInt8])]
  /// The row of a file cleared to be read again (nil: a new file).
  var fileID: Int? = nil
}

/// What a worker tells the writer.
enum IngestMessage: Sendable {
  case batch(job: Int, EventBatch)
  case done(job: Int, FileOutcome)
}

struct FileOutcome: Sendable {
  var events = 0
  var untimed = 0
  var problems: [Diagnostic] = []
  var sha256: [UInt8]?
  var aliasOf: Int?
  /// The file could not be read to its end (a problem without an offset: open or read failed).
  var unreadable = false
  /// `--strict` stopped at a problem in this file.
  var stopped = false
}

/// A bounded queue from the workers to the writer: workers wait when it is full, so memory stays
/// bounded (capacity × batch size records) whatever the archive's size.
final class IngestQueue: @unchecked Sendable {
  let capacity: Int
  var items: [IngestMessage] = []
  var head = 0
  var closed = false
  let monitor = Monitor()

  init(capacity: Int) {
    self.capacity = capacity
  }

  /// Adds a message, waiting while the queue is full; false once the queue was closed.
  func put(_ message: IngestMessage) -> Bool {
    monitor.lock()
    defer { monitor.unlock() }
    while items.count - head >= capacity && !closed { monitor.wait() }
    guard !closed else { return false }
    items.append(message)
    monitor.broadcast()
    return true
  }

  /// The next message, waiting for one; nil when closed and empty.
  func take() -> IngestMessage? {
    monitor.lock()
    defer { monitor.unlock() }
    while head == items.count && !closed { monitor.wait() }
    guard head < items.count else { return nil }
    let message = items[head]
    head += 1
    if head > 64 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    monitor.broadcast()
    return message
  }

  func close() {
    monitor.lock()
    closed = true
    monitor.broadcast()
    monitor.unlock()
  }

  /// Closes and drops what is queued (the writer failed).
  func drain() {
    monitor.lock()
    closed = true
    items.removeAll()
    head = 0
    monitor.broadcast()
    monitor.unlock()
  }
}

/// The files to read, taken in turn by the workers.
final class IngestContext: Sendable {
  let jobs: [IngestJob]
  let queue: IngestQueue
  let next = Mutex<Int>(0)
  let stopped = Atomic<Bool>(false)

  init(jobs: [IngestJob], queue: IngestQueue) {
    self.jobs = jobs
    self.queue = queue
  }

  func take() -> Int? {
    guard !stopped.load(ordering: .relaxed) else { return nil }
    return next.withLock { next in
      defer { next += 1 }
      return next < jobs.count ? next : nil
    }
  }

  func stop() { stopped.store(true, ordering: .relaxed) }
}

/// One worker thread: reads files with its own engine and compressor, hands rows to the writer.
struct IngestWorker {
  let plan: ScanPlan
  let dictionary: RecordDictionary?
  let batchSize: Int

  func work(_ context: IngestContext) {
    var reading = plan
    reading.predicate = .always
    reading.pruning = nil
    reading.hasTimeWindow = false
    reading.dedupe = false
    reading.timeField = nil
    reading.storedEvents = nil
    reading.originResolver = nil
    let engine = ScanEngine(plan: reading)
    let compressor = RecordCompressor(dictionary: dictionary)
    var scratch: [UInt8] = []
    let identityCache = IdentityCache()
    while let index = context.take() {
      let job = context.jobs[index]
      var outcome = FileOutcome()
      if job.s3Key != nil {
        outcome.sha256 = Self.hash(job.object)
        if let hash = outcome.sha256, let alias = job.aliasCandidates.first(where: { $0.sha256 == hash }) {
          outcome.aliasOf = alias.id
          guard context.queue.put(.done(job: index, outcome)) else { return }
          continue
        }
      }
      var rows = EventBatch(capacity: batchSize)
      var seq = 0
      var closed = false
      do {
        try engine.scanOne(
          job.object,
          onMatch: { view, origin in
            outcome.events += 1
            if view.eventTime == nil { outcome.untimed += 1 }
            rows.append(
              view, seq: seq, offset: origin.offset, compressor: compressor, identityCache: identityCache,
              scratch: &scratch)
            seq += 1
            if rows.count >= batchSize {
              guard context.queue.put(.batch(job: index, rows)) else {
                closed = true
                throw ScanEngine.Stop()
              }
              rows = EventBatch(capacity: batchSize)
            }
          },
          onDiagnostic: { problem in
            outcome.problems.append(problem)
            if problem.offset == nil { outcome.unreadable = true }
          })
      } catch is ScanEngine.Stop {
        if !closed { outcome.stopped = true }
      } catch {
        outcome.unreadable = true
      }
      if closed { return }
      if rows.count > 0 { guard context.queue.put(.batch(job: index, rows)) else { return } }
      guard context.queue.put(.done(job: index, outcome)) else { return }
      if outcome.stopped { context.stop() }
    }
  }

  /// SHA-256 of the file as stored (nil when it cannot be read; the scan reports why).
  static func hash(_ object: ArchiveObject) -> [UInt8]? {
    var hasher = SHA256()
    do {
      _ = try ObjectReader.readStored(object) { chunk in hasher.update(bufferPointer: chunk) }
    } catch {
      return nil
    }
    return Array(hasher.finalize())
  }
}
