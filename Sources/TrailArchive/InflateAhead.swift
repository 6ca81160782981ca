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
  private let lock: UnsafeMutablePointer<pthread_mutex_t>
  private let notEmpty: UnsafeMutablePointer<pthread_cond_t>
  private let notFull: UnsafeMutablePointer<pthread_cond_t>

  /// Thrown into the producer's inflater when the consumer has stopped.
  private struct Cancelled: Error {}

  init(chunkSize: Int, slotCount: Int = 4) {
    slots = (0..<slotCount).map { _ in .allocate(byteCount: chunkSize, alignment: 64) }
    lengths = Array(repeating: 0, count: slotCount)
    lock = .allocate(capacity: 1)
    notEmpty = .allocate(capacity: 1)
    notFull = .allocate(capacity: 1)
    pthread_mutex_init(lock, nil)
    pthread_cond_init(notEmpty, nil)
    pthread_cond_init(notFull, nil)
  }

  deinit {
    for slot in slots { slot.deallocate() }
    pthread_mutex_destroy(lock)
    pthread_cond_destroy(notEmpty)
    pthread_cond_destroy(notFull)
    lock.deallocate()
    notEmpty.deallocate()
    notFull.deallocate()
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
    pthread_mutex_lock(lock)
    let failure = self.failure
    pthread_mutex_unlock(lock)
    if let failure { throw failure }
  }

  /// Producer: copies `chunk` into a free slot, waiting for one.
  private func put(_ chunk: UnsafeRawBufferPointer) throws {
    guard !chunk.isEmpty else { return }
    pthread_mutex_lock(lock)
    while filled == slots.count && !cancelled { pthread_cond_wait(notFull, lock) }
    let stop = cancelled
    let index = (head + filled) % slots.count
    pthread_mutex_unlock(lock)
    if stop { throw Cancelled() }
    // The slot is the producer's until `filled` counts it.
    precondition(chunk.count <= slots[index].count, "a chunk larger than the ring's slots")
    slots[index].copyMemory(from: chunk)
    pthread_mutex_lock(lock)
    lengths[index] = chunk.count
    filled += 1
    pthread_cond_signal(notEmpty)
    pthread_mutex_unlock(lock)
  }

  /// Producer: no more chunks.
  private func finish(_ error: (any Error)?) {
    pthread_mutex_lock(lock)
    finished = true
    failure = error
    pthread_cond_signal(notEmpty)
    pthread_mutex_unlock(lock)
  }

  /// Consumer: the oldest filled slot, waiting for one; nil when the producer has finished.
  private func take() -> Int? {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    while filled == 0 && !finished { pthread_cond_wait(notEmpty, lock) }
    return filled == 0 ? nil : head
  }

  /// Consumer: the oldest slot is free again.
  private func release() {
    pthread_mutex_lock(lock)
    head = (head + 1) % slots.count
    filled -= 1
    pthread_cond_signal(notFull)
    pthread_mutex_unlock(lock)
  }

  /// Consumer: stop the producer.
  private func cancel() {
    pthread_mutex_lock(lock)
    cancelled = true
    pthread_cond_signal(notFull)
    pthread_mutex_unlock(lock)
  }
}

/// The producer's work, passed to the new thread.
private final class ProducerTask: @unchecked Sendable {
  let work: () -> Void
  init(_ work: @escaping () -> Void) { self.work = work }
}
