// Scans files on several threads for results that do not depend on order (aggregations): each
// worker takes the next file, has its own engine (documents, buffers) and its own partial
// result, and the partials are merged at the end. Problems are reported in file order once all
// workers are done, so the output is the same as a sequential scan's, whatever the timing.
// Scans whose meaning depends on order (--strict stops at the first problem, --dedupe keeps the
// first delivery) run sequentially. A large file is read by every worker left without a file
// (`RecordBatches`).

import Dispatch
import Synchronization
import TrailArchive
import TrailEvent
import TrailQuery

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a plan over archive objects on several threads, accumulating per worker.
package enum ParallelScan {
  /// Worker threads to use: one per core.
  package static var defaultWorkers: Int {
    #if canImport(Glibc)
      return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
      return 1
    #endif
  }

  /// Whether `plan` can run in parallel with the same result as sequentially.
  package static func isOrderFree(_ plan: ScanPlan) -> Bool { !plan.strict && !plan.dedupe }

  /// Scans `objects`; `make` creates one accumulator per worker, `add` feeds it matching events
  /// and where they came from (the view is valid only during the call). Returns the accumulators
  /// (one per worker, and one per worker that helped read a large file), the summed statistics
  /// and every problem, in file order.
  package static func run<Accumulator>(
    _ objects: [ArchiveObject], plan: ScanPlan, workers: Int = defaultWorkers,
    make: @escaping () -> Accumulator, add: @escaping (inout Accumulator, EventView, EventOrigin) -> Void,
    onProgress: ((ScanStatistics) -> Void)? = nil
  ) -> (accumulators: [Accumulator], statistics: ScanStatistics, diagnostics: [Diagnostic]) {
    let count = usefulWorkers(objects, plan: plan, workers: workers)
    let context = ParallelContext(
      objects: objects, slots: (0..<count).map { _ in WorkerSlot(engine: ScanEngine(plan: plan), accumulator: make()) },
      make: make, add: add, onProgress: onProgress)
    DispatchQueue.concurrentPerform(iterations: count) { worker in context.work(worker) }
    var statistics = ScanStatistics()
    for slot in context.slots { statistics.add(slot.engine.statistics) }
    return (context.slots.map(\.accumulator) + context.largeFileParts, statistics, context.problems.inOrder())
  }

  /// Workers worth starting: one per file up to `workers`, or all of them when a large file
  /// among fewer files than workers can be shared (`RecordBatches`).
  package static func usefulWorkers(_ objects: [ArchiveObject], plan: ScanPlan, workers: Int) -> Int {
    guard objects.count < workers else { return max(1, workers) }
    let shared = plan.storedEvents == nil && objects.contains { isLarge($0, minimum: plan.inflateAheadFrom) }
    return max(1, shared ? workers : objects.count)
  }
}

/// What the workers share: the files, the next file to take, each worker's slot, the problems
/// found, and the progress totals. Files are taken under a lock; a slot is touched by its own
/// worker only until the join.
final class ParallelContext<Accumulator>: @unchecked Sendable {
  let objects: [ArchiveObject]
  let slots: [WorkerSlot<Accumulator>]
  let make: () -> Accumulator
  let add: (inout Accumulator, EventView, EventOrigin) -> Void
  let onProgress: ((ScanStatistics) -> Void)?
  let problems: ProblemTable
  let nextFile = Mutex<Int>(0)
  let totals = ProgressTotals()
  let board: BatchBoard<Accumulator>
  /// The partial results of large files read by several workers (guarded by `partsLock`).
  var largeFileParts: [Accumulator] = []
  let partsLock = Mutex(())

  init(
    objects: [ArchiveObject], slots: [WorkerSlot<Accumulator>], make: @escaping () -> Accumulator,
    add: @escaping (inout Accumulator, EventView, EventOrigin) -> Void, onProgress: ((ScanStatistics) -> Void)?
  ) {
    self.objects = objects
    self.slots = slots
    self.make = make
    self.board = BatchBoard(workers: slots.count)
    self.add = add
    self.onProgress = onProgress
    self.problems = ProblemTable(files: objects.count)
  }

  func takeFile() -> Int {
    nextFile.withLock { next in
      defer { next += 1 }
      return next
    }
  }

  func work(_ worker: Int) {
    let slot = slots[worker]
    board.workerStarted()
    if let onProgress {
      // Every worker adds what it read; the first also draws the combined figures.
      var last = ScanStatistics()
      slot.engine.onProgress = { [unowned self] now in
        totals.add(bytes: now.bytesInflated - last.bytesInflated, events: now.events - last.events)
        last = now
        if worker == 0 { onProgress(totals.snapshot(filesStarted: nextFile.withLock { $0 })) }
      }
    }
    while true {
      let index = takeFile()
      guard index < objects.count else { break }
      if slots.count > 1, slot.engine.plan.storedEvents == nil,
        ParallelScan.isLarge(objects[index], minimum: slot.engine.plan.inflateAheadFrom),
        readShared(index, worker: worker)
      {
        continue
      }
      var found: [Diagnostic] = []
      try? slot.engine.scanOne(
        objects[index],
        onMatch: { view, origin in self.add(&slot.accumulator, view, origin) },
        onDiagnostic: { found.append($0) })
      problems.set(index, found)
    }
    slot.engine.onProgress = nil
    // No file left: help read the large files others are framing.
    board.workerIdle()
    while let item = board.take() { read(item, worker: worker) }
  }

  /// Reads large file `index` with the help of workers that have no file left: this worker
  /// frames its records into batches, and whoever is free parses them. True when the file was
  /// read without a single problem; false, with nothing of the attempt counted, when it must be
  /// read sequentially (which then reports its problems as a sequential scan does).
  func readShared(_ index: Int, worker: Int) -> Bool {
    let engine = slots[worker].engine
    let attempt = FileAttempt<Accumulator>(file: index, workers: slots.count)
    let saved = engine.statistics
    var batch = board.emptyBatch()
    func handOn() {
      guard !batch.records.isEmpty else { return }
      if let own = board.offer(batch, of: attempt) { read((attempt, own), worker: worker) }
      batch = board.emptyBatch()
    }
    engine.divert = { [board] record in
      batch.append(record)
      guard batch.bytes.count >= RecordBatch.targetBytes else { return }
      handOn()
      if board.hasFailed(attempt) { throw ScanEngine.Stop() }
    }
    var problem = false
    do {
      try engine.scanOne(objects[index], onMatch: { _, _ in }, onDiagnostic: { _ in problem = true })
    } catch {
      problem = true
    }
    engine.divert = nil
    if problem { board.fail(attempt) } else { handOn() }
    while let item = board.takeNow(of: attempt) { read(item, worker: worker) }
    guard board.awaitAll(of: attempt) else {
      engine.statistics = saved
      return false
    }
    for part in attempt.statistics { engine.statistics.add(part) }
    engine.statistics.filesShared += 1
    let parts = attempt.accumulators.compactMap { $0 }
    partsLock.withLock { _ in largeFileParts += parts }
    return true
  }

  /// Parses one batch of a shared file into this worker's part of it (skipped once the attempt
  /// has failed).
  func read(_ item: BatchBoard<Accumulator>.Item, worker: Int) {
    let attempt = item.attempt
    var clean = false
    if !board.hasFailed(attempt) {
      var statistics = attempt.statistics[worker]
      var accumulator = attempt.accumulators[worker] ?? make()
      attempt.accumulators[worker] = nil
      clean = slots[worker].engine.readFramed(item.batch, path: objects[attempt.file].path, statistics: &statistics) {
        view, origin in self.add(&accumulator, view, origin)
      }
      attempt.statistics[worker] = statistics
      attempt.accumulators[worker] = accumulator
    }
    board.done(item.batch, of: attempt, failed: !clean)
  }
}

/// One worker's engine and partial result (touched by that worker only until the join).
final class WorkerSlot<Accumulator>: @unchecked Sendable {
  let engine: ScanEngine
  var accumulator: Accumulator
  init(engine: ScanEngine, accumulator: Accumulator) {
    self.engine = engine
    self.accumulator = accumulator
  }
}

/// Problems per file; each slot is written by exactly one worker, read after the join.
final class ProblemTable: @unchecked Sendable {
  var byFile: [[Diagnostic]]
  let lock = Mutex(())
  init(files: Int) { byFile = Array(repeating: [], count: files) }
  func set(_ index: Int, _ problems: [Diagnostic]) {
    guard !problems.isEmpty else { return }
    lock.withLock { _ in byFile[index] = problems }
  }
  func inOrder() -> [Diagnostic] { byFile.flatMap { $0 } }
}

/// Figures summed over workers for the progress line.
final class ProgressTotals: Sendable {
  let bytes = Atomic<Int>(0)
  let events = Atomic<Int>(0)
  func add(bytes: Int, events: Int) {
    self.bytes.wrappingAdd(bytes, ordering: .relaxed)
    self.events.wrappingAdd(events, ordering: .relaxed)
  }
  func snapshot(filesStarted: Int) -> ScanStatistics {
    var statistics = ScanStatistics()
    statistics.files = filesStarted
    statistics.bytesInflated = bytes.load(ordering: .relaxed)
    statistics.events = events.load(ordering: .relaxed)
    return statistics
  }
}
