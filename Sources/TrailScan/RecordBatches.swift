// One large file read on every core (issue 16): the worker reading it frames records into
// batches, and workers with no file left parse them. The attempt is speculative: at the first
// problem of any kind its partial results are dropped and the file is read again on one thread,
// so what is reported, and every count, is exactly what a sequential scan gives.
import Glibc
import TrailArchive
import TrailJSON

/// Records framed from one file, copied out of the framer's buffers: their bytes end to end,
/// and where each starts in the batch and in the file.
struct RecordBatch {
  var bytes: [UInt8] = []
  var records: [(start: Int, offset: Int)] = []

  /// Bytes from which a batch is handed on.
  static let targetBytes = 256 << 10

  mutating func append(_ record: RecordFramer.Record) {
    records.append((bytes.count, record.offset))
    bytes.append(contentsOf: record.bytes)
  }

  /// Each record's bytes and offset, in order.
  func withEachRecord(_ body: (RecordFramer.Record) throws -> Void) rethrows {
    try bytes.withUnsafeBytes { all in
      for index in records.indices {
        let end = index + 1 < records.count ? records[index + 1].start : all.count
        let record = records[index]
        try body(
          RecordFramer.Record(bytes: UnsafeRawBufferPointer(rebasing: all[record.start..<end]), offset: record.offset))
      }
    }
  }

  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    records.removeAll(keepingCapacity: true)
  }
}

/// The reading of one large file by several workers: each worker's partial result and counts
/// for this file, the batches not yet read, and whether a problem ended the attempt.
final class FileAttempt<Accumulator>: @unchecked Sendable {
  /// The file's index among the scan's objects.
  let file: Int
  /// Per worker, touched by that worker only while the attempt runs, read by the reader of the
  /// file once `pending` is back to zero.
  var accumulators: [Accumulator?]
  var statistics: [ScanStatistics]
  /// Batches handed out and not yet read (guarded by the board's lock).
  var pending = 0
  /// Set at the first problem: later batches are not read, and the file is read again.
  var failed = false

  init(file: Int, workers: Int) {
    self.file = file
    accumulators = Array(repeating: nil, count: workers)
    statistics = Array(repeating: ScanStatistics(), count: workers)
  }
}

/// The batches waiting to be read, shared by a parallel scan's workers. Bounded: when it is
/// full, the worker framing a file reads its batch itself, so memory stays at a few batches
/// per worker however large the file.
final class BatchBoard<Accumulator>: @unchecked Sendable {
  typealias Item = (attempt: FileAttempt<Accumulator>, batch: RecordBatch)
  private var queue: [Item] = []
  private var spare: [RecordBatch] = []
  private let capacity: Int
  /// Workers that started and still take files: a worker with none left waits for batches
  /// until this is zero. Counted from each worker's start, not from the number asked for:
  /// `concurrentPerform` may run more iterations than there are cores one after another, and an
  /// iteration not yet started must not be waited for.
  private var busyWorkers = 0
  private let monitor = Monitor()

  init(workers: Int) {
    capacity = 2 * workers
  }

  private func locked<T>(_ body: () -> T) -> T { monitor.withLock(body) }

  /// An empty batch, reusing a returned one's storage.
  func emptyBatch() -> RecordBatch { locked { spare.popLast() } ?? RecordBatch() }

  /// Counts `batch` as pending for `attempt` and queues it; returns it instead (still counted
  /// as pending) when the board is full and the caller must read it.
  func offer(_ batch: RecordBatch, of attempt: FileAttempt<Accumulator>) -> RecordBatch? {
    locked {
      attempt.pending += 1
      guard queue.count < capacity else { return batch }
      queue.append((attempt, batch))
      monitor.signal()
      return nil
    }
  }

  /// A queued batch of `attempt`, without waiting (for the worker framing it, at the end).
  func takeNow(of attempt: FileAttempt<Accumulator>) -> Item? {
    locked {
      guard let index = queue.firstIndex(where: { $0.attempt === attempt }) else { return nil }
      return queue.remove(at: index)
    }
  }

  /// The next queued batch, waiting while some worker may still queue one; nil when none will.
  func take() -> Item? {
    locked {
      while queue.isEmpty && busyWorkers > 0 { monitor.wait() }
      return queue.isEmpty ? nil : queue.removeFirst()
    }
  }

  /// A batch of `attempt` has been read (or dropped): its storage goes back for reuse.
  func done(_ batch: RecordBatch, of attempt: FileAttempt<Accumulator>, failed: Bool) {
    var batch = batch
    batch.removeAll()
    locked {
      if failed { attempt.failed = true }
      attempt.pending -= 1
      spare.append(batch)
      monitor.broadcast()
    }
  }

  func hasFailed(_ attempt: FileAttempt<Accumulator>) -> Bool { locked { attempt.failed } }

  func fail(_ attempt: FileAttempt<Accumulator>) { locked { attempt.failed = true } }

  /// Waits until every batch of `attempt` has been read; true when none had a problem.
  func awaitAll(of attempt: FileAttempt<Accumulator>) -> Bool {
    locked {
      while attempt.pending > 0 { monitor.wait() }
      return !attempt.failed
    }
  }

  /// A worker starts taking files.
  func workerStarted() {
    locked { busyWorkers += 1 }
  }

  /// A worker has no file left to take.
  func workerIdle() {
    locked {
      busyWorkers -= 1
      monitor.broadcast()
    }
  }
}

extension ParallelScan {
  /// Whether `object` is large enough to be read by several workers: standard input, or a file
  /// of at least `minimum` stored bytes (the size from which a file is inflated ahead).
  package static func isLarge(_ object: ArchiveObject, minimum: Int?) -> Bool {
    guard let minimum else { return false }
    if object.isStandardInput { return true }
    var status = stat()
    guard stat(object.path, &status) == 0 else { return false }
    return (status.st_mode & S_IFMT) == S_IFREG && Int(status.st_size) >= minimum
  }
}
