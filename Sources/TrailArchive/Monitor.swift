// One mutex with its condition variables, for the few places that hand work from thread to
// thread (inflating ahead, ordered output, a large file's record batches, ingest's queue):
// the pthread objects are allocated once, so they never move, and freed with the monitor.
import Glibc

/// A mutex and `conditions` condition variables on it.
package final class Monitor: @unchecked Sendable {
  private let mutex: UnsafeMutablePointer<pthread_mutex_t>
  private let conditions: UnsafeMutablePointer<pthread_cond_t>
  private let count: Int

  /// A monitor with `conditions` condition variables, numbered from 0.
  package init(conditions: Int = 1) {
    count = conditions
    mutex = .allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
    self.conditions = .allocate(capacity: conditions)
    self.conditions.initialize(repeating: pthread_cond_t(), count: conditions)
    for index in 0..<conditions { pthread_cond_init(self.conditions + index, nil) }
  }

  deinit {
    for index in 0..<count { pthread_cond_destroy(conditions + index) }
    conditions.deinitialize(count: count)
    conditions.deallocate()
    pthread_mutex_destroy(mutex)
    mutex.deinitialize(count: 1)
    mutex.deallocate()
  }

  package func lock() { pthread_mutex_lock(mutex) }
  package func unlock() { pthread_mutex_unlock(mutex) }

  /// Runs `body` holding the mutex.
  package func withLock<T>(_ body: () throws -> T) rethrows -> T {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    return try body()
  }

  /// Waits on condition `condition` (the caller holds the mutex).
  package func wait(_ condition: Int = 0) { pthread_cond_wait(conditions + condition, mutex) }
  /// Wakes one waiter of `condition`.
  package func signal(_ condition: Int = 0) { pthread_cond_signal(conditions + condition) }
  /// Wakes every waiter of `condition`.
  package func broadcast(_ condition: Int = 0) { pthread_cond_broadcast(conditions + condition) }
}
