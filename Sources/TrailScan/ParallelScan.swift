// Scans files on several threads for results that do not depend on order (aggregations): each
// worker takes the next file, has its own engine (documents, buffers) and its own partial
// result, and the partials are merged at the end. Problems are reported in file order once all
// workers are done, so the output is the same as a sequential scan's, whatever the timing.
// Scans whose meaning depends on order (--strict stops at the first problem, --dedupe keeps the
// first delivery) run sequentially.

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
  /// and where they came from (the view is valid only during the call). Returns the accumulators, the summed statistics
  /// and every problem, in file order.
  package static func run<Accumulator>(
    _ objects: [ArchiveObject], plan: ScanPlan, workers: Int = defaultWorkers,
    make: () -> Accumulator, add: @escaping (inout Accumulator, EventView, EventOrigin) -> Void,
    onProgress: ((ScanStatistics) -> Void)? = nil
  ) -> (accumulators: [Accumulator], statistics: ScanStatistics, diagnostics: [Diagnostic]) {
    let count = max(1, min(workers, objects.count))
    let context = ParallelContext(
      objects: objects, slots: (0..<count).map { _ in WorkerSlot(engine: ScanEngine(plan: plan), accumulator: make()) },
      add: add, onProgress: onProgress)
    DispatchQueue.concurrentPerform(iterations: count) { worker in context.work(worker) }
    var statistics = ScanStatistics()
    for slot in context.slots { statistics.add(slot.engine.statistics) }
    return (context.slots.map(\.accumulator), statistics, context.problems.inOrder())
  }
}

/// What the workers share: the files, the next file to take, each worker's slot, the problems
/// found, and the progress totals. Files are taken under a lock; a slot is touched by its own
/// worker only until the join.
final class ParallelContext<Accumulator>: @unchecked Sendable {
  let objects: [ArchiveObject]
  let slots: [WorkerSlot<Accumulator>]
  let add: (inout Accumulator, EventView, EventOrigin) -> Void
  let onProgress: ((ScanStatistics) -> Void)?
  let problems: ProblemTable
  let nextFile = Mutex<Int>(0)
  let totals = ProgressTotals()

  init(
    objects: [ArchiveObject], slots: [WorkerSlot<Accumulator>],
    add: @escaping (inout Accumulator, EventView, EventOrigin) -> Void, onProgress: ((ScanStatistics) -> Void)?
  ) {
    self.objects = objects
    self.slots = slots
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
      var found: [Diagnostic] = []
      try? slot.engine.scanOne(
        objects[index],
        onMatch: { view, origin in self.add(&slot.accumulator, view, origin) },
        onDiagnostic: { found.append($0) })
      problems.set(index, found)
    }
    slot.engine.onProgress = nil
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
