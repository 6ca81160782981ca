// One large gzip file (or standard input) on two cores: a second thread reads and inflates into
// a bounded ring of buffers while the caller's thread frames and parses what is ready. The bytes
// and errors handed to the caller are exactly those of inflating on its own thread, in order.
import Glibc
import TrailGzip

/// A bounded ring of inflated chunks between one producer thread (read + inflate) and the
/// consuming caller.
///
/// Memory: `slotCount` buffers of the chunk size (4 × 256 KiB by default), besides the
/// inflater's own. The producer blocks while every slot is full; the consumer while none is.
/// A failure of the producer (read error, bad gzip) is handed over after the chunks before it;
/// a failure of the consumer (its `body` throws, `--limit` stops) cancels the producer, which
/// stops at its next chunk and is joined before `run` returns.
final class InflateAhead: @unchecked Sendable {
  private let slots: [UnsafeMutableRawBufferPointer]
  private var lengths: [Int]
  /// Index of the oldest filled slot and the number of filled slots.
  private var head = 0
  private var filled = 0
  /// Set by the producer when it has no more chunks (its error, if any, in `failure`).
  private var finished = false
  private var failure: (any Error)?
  /// Set by the consumer when it stops early.
  private var cancelled = false
  /// Its conditions: a slot was filled (`notEmpty`), a slot was freed (`notFull`).
  private let monitor = Monitor(conditions: 2)
  private let notEmpty = 0
  private let notFull = 1

  /// Thrown into the producer's inflater when the consumer has stopped.
  private struct Cancelled: Error {}

  init(chunkSize: Int, slotCount: Int = 4) {
    slots = (0..<slotCount).map { _ in .allocate(byteCount: chunkSize, alignment: 64) }
    lengths = Array(repeating: 0, count: slotCount)
  }

  deinit {
    for slot in slots { slot.deallocate() }
  }

  /// Runs `produce` on a new thread — it calls its argument with each inflated chunk, in order,
  /// and throws to report a failure — and hands the chunks to `body` on this thread.
  /// - Throws: what `body` throws (the producer is stopped first), else what `produce` threw.
  func run(
    produce: @escaping (_ deliver: (UnsafeRawBufferPointer) throws -> Void) throws -> Void,
    body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let task = ProducerTask { [self] in
      do {
        try produce(put)
        finish(nil)
      } catch is Cancelled {
        finish(nil)
      } catch {
        finish(error)
      }
    }
    var thread = pthread_t()
    let context = Unmanaged.passRetained(task).toOpaque()
    let created = pthread_create(
      &thread, nil,
      { raw in
        guard let raw else { return nil }
        Unmanaged<ProducerTask>.fromOpaque(raw).takeRetainedValue().work()
        return nil
      }, context)
    guard created == 0 else {
      // No second thread: inflate here, as without inflate-ahead.
      Unmanaged<ProducerTask>.fromOpaque(context).release()
      return try produce(body)
    }
    defer { pthread_join(thread, nil) }
    while let index = take() {
      do {
        try body(UnsafeRawBufferPointer(rebasing: slots[index][..<lengths[index]]))
      } catch {
        cancel()
        throw error
      }
      release()
    }
    monitor.lock()
    let failure = self.failure
    monitor.unlock()
    if let failure { throw failure }
  }

  /// Producer: copies `chunk` into a free slot, waiting for one.
  private func put(_ chunk: UnsafeRawBufferPointer) throws {
    guard !chunk.isEmpty else { return }
    monitor.lock()
    while filled == slots.count && !cancelled { monitor.wait(notFull) }
    let stop = cancelled
    let index = (head + filled) % slots.count
    monitor.unlock()
    if stop { throw Cancelled() }
    // The slot is the producer's until `filled` counts it.
    precondition(chunk.count <= slots[index].count, "a chunk larger than the ring's slots")
    slots[index].copyMemory(from: chunk)
    monitor.lock()
    lengths[index] = chunk.count
    filled += 1
    monitor.signal(notEmpty)
    monitor.unlock()
  }

  /// Producer: no more chunks.
  private func finish(_ error: (any Error)?) {
    monitor.lock()
    finished = true
    failure = error
    monitor.signal(notEmpty)
    monitor.unlock()
  }

  /// Consumer: the oldest filled slot, waiting for one; nil when the producer has finished.
  private func take() -> Int? {
    monitor.lock()
    defer { monitor.unlock() }
    while filled == 0 && !finished { monitor.wait(notEmpty) }
    return filled == 0 ? nil : head
  }

  /// Consumer: the oldest slot is free again.
  private func release() {
    monitor.lock()
    head = (head + 1) % slots.count
    filled -= 1
    monitor.signal(notFull)
    monitor.unlock()
  }

  /// Consumer: stop the producer.
  private func cancel() {
    monitor.lock()
    cancelled = true
    monitor.signal(notFull)
    monitor.unlock()
  }
}

/// The producer's work, passed to the new thread.
private final class ProducerTask: @unchecked Sendable {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }
}
