#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex, with the same `withLock` shape as `Synchronization.Mutex`.
///
/// Why not `Mutex`: on Linux it is built on raw futex calls that ThreadSanitizer cannot see, so
/// every access it guards is reported as a race (measured with Swift 6.3.1: 3 false reports from
/// four tasks bumping one counter), and TSan could no longer check this package. A pthread mutex
/// is intercepted by TSan and costs the same uncontended.
///
/// Hold the lock only for short state transitions; never suspend or call out while holding it.
package final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only read or written inside `withLock`, which holds `mutex`.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init(_ value: Value) {
        self.value = value
        // A cache line of its own: a lock word that shares a line with other hot data (another
        // lock, a counter) makes cores that never meet on the lock still trade the line.
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(MemoryLayout<pthread_mutex_t>.stride, Self.cacheLine), alignment: Self.cacheLine)
        mutex = raw.bindMemory(to: pthread_mutex_t.self, capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        defer { pthread_mutexattr_destroy(&attributes) }
        #if canImport(Glibc)
        // Spin briefly before sleeping in the kernel: every hold here is a short state
        // transition, and on contention a futex sleep and wake-up costs far more than the hold.
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        let status = pthread_mutex_init(mutex, &attributes)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    private static var cacheLine: Int { 64 }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    package func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
