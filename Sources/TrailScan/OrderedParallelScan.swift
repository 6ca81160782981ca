// Scans files on several threads while keeping output in input order (`search --format jsonl`):
// the file whose turn it is writes straight to the output; workers on later files render into
// their own buffer and, past a cap, wait for their turn, so memory stays bounded (workers × cap)
// whatever the file sizes. When a file ends, its problems are reported and the turn passes on,
// so stdout and stderr are each exactly what a sequential scan writes.

import Dispatch
import Synchronization
import TrailArchive
import TrailEvent
import TrailQuery

#if canImport(Glibc)
  import Glibc
#endif

package enum OrderedParallelScan {
  /// Scans `objects`; `render` appends a matching event's output to a buffer; `write` sends
  /// finished bytes on (throw `OutputClosed` to stop everything); `report` prints a problem.
  /// Returns the summed statistics.
  package static func run(
    _ objects: [ArchiveObject], plan: ScanPlan, workers: Int,
    render: @escaping (EventView, inout [UInt8]) -> Void,
    write: @escaping ([UInt8]) throws -> Void,
    report: @escaping (Diagnostic) -> Void,
    bufferCap: Int = 8 << 20
  ) throws -> ScanStatistics {
    let count = max(1, min(workers, objects.count))
    let turns = Turns(render: render, write: write, report: report, cap: bufferCap)
    let engines = (0..<count).map { _ in ScanEngine(plan: plan) }
    let context = OrderedContext(objects: objects, engines: engines, turns: turns)
    DispatchQueue.concurrentPerform(iterations: count) { worker in context.work(worker) }
    if turns.hasFailed, let failure = turns.failure { throw failure }
    var statistics = ScanStatistics()
    for engine in engines { statistics.add(engine.statistics) }
    return statistics
  }
}

/// Whose turn it is to write, and the waiting for it.
final class Turns: @unchecked Sendable {
  let render: (EventView, inout [UInt8]) -> Void
  let write: ([UInt8]) throws -> Void
  let report: (Diagnostic) -> Void
  let cap: Int
  let monitor = Monitor()
  /// The file whose bytes may be written now (all before it are done).
  var head = 0
  /// Set when writing failed (a closed pipe): everyone stops.
  var failure: (any Error)?

  init(
    render: @escaping (EventView, inout [UInt8]) -> Void, write: @escaping ([UInt8]) throws -> Void,
    report: @escaping (Diagnostic) -> Void, cap: Int
  ) {
    self.render = render
    self.write = write
    self.report = report
    self.cap = cap
  }

  /// Waits until it is `file`'s turn (or everything stopped); true when it may write.
  func awaitTurn(_ file: Int) -> Bool {
    monitor.lock()
    while head != file && failure == nil { monitor.wait() }
    let ok = failure == nil
    monitor.unlock()
    return ok
  }

  var hasFailed: Bool {
    monitor.lock()
    defer { monitor.unlock() }
    return failure != nil
  }

  func isTurn(_ file: Int) -> Bool {
    monitor.lock()
    defer { monitor.unlock() }
    return head == file && failure == nil
  }

  /// Writes `bytes` (the caller holds the turn); records a failure and wakes everyone on error.
  func emit(_ bytes: inout [UInt8]) -> Bool {
    guard !bytes.isEmpty else { return true }
    do {
      try write(bytes)
      bytes.removeAll(keepingCapacity: true)
      return true
    } catch {
      monitor.lock()
      failure = error
      monitor.broadcast()
      monitor.unlock()
      return false
    }
  }

  /// Ends `file`'s turn: reports its problems and passes the turn on.
  func finish(_ file: Int, problems: [Diagnostic]) {
    for problem in problems { report(problem) }
    monitor.lock()
    head = file + 1
    monitor.broadcast()
    monitor.unlock()
  }
}

final class OrderedContext: @unchecked Sendable {
  let objects: [ArchiveObject]
  let engines: [ScanEngine]
  let turns: Turns
  let nextFile = Mutex<Int>(0)

  init(objects: [ArchiveObject], engines: [ScanEngine], turns: Turns) {
    self.objects = objects
    self.engines = engines
    self.turns = turns
  }

  func work(_ worker: Int) {
    let engine = engines[worker]
    var pending: [UInt8] = []
    while true {
      let file: Int = nextFile.withLock { next in
        defer { next += 1 }
        return next
      }
      guard file < objects.count else { return }
      var problems: [Diagnostic] = []
      var streaming = false
      try? engine.scanOne(
        objects[file],
        onMatch: { view, _ in
          turns.render(view, &pending)
          if pending.count >= 64 << 10 {
            // Stream while it is our turn; past the cap, wait for it.
            if !streaming { streaming = pending.count >= turns.cap ? turns.awaitTurn(file) : turns.isTurn(file) }
            if streaming, !turns.emit(&pending) { throw ScanEngine.Stop() }
            if !streaming, turns.hasFailed { throw ScanEngine.Stop() }
          }
        },
        onDiagnostic: { problems.append($0) })
      guard turns.awaitTurn(file), turns.emit(&pending) else { return }
      turns.finish(file, problems: problems)
    }
  }
}
