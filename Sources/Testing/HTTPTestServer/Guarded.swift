import Glibc

/// A value guarded by a pthread mutex, plus a condition variable (monotonic clock) for waiting
/// until the value satisfies a predicate.
///
/// Why not `Synchronization.Mutex`: on Linux it is built on raw futex calls that ThreadSanitizer
/// cannot see. Why not `GatewayCore.Locked`: this module must not depend on GatewayCore.
///
/// Hold the lock only for short state transitions (the longest thing done under it is
/// `shutdown`/`close` on a socket, which never blocks without `SO_LINGER`).
final class Guarded<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is only read or written while `mutex` is held (inside
    // `withLock`, `update` and `wait`). `mutex` and `condition` are allocated once in `init`,
    // never move, and are destroyed in `deinit`, when no other thread can hold a reference.
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init(_ value: Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")

        condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        status = pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        precondition(status == 0, "pthread_cond_init failed: \(status)")
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deinitialize(count: 1)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Waiters are not woken; use `update` for
    /// changes someone may be waiting for.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Runs `body` with exclusive access to the value, then wakes every `wait`er.
    func update<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&value)
    }

    /// Blocks until `predicate` holds or `seconds` have passed (monotonic clock).
    /// - Returns: whether `predicate` held when the wait ended.
    func wait(seconds: Double, until predicate: (Value) -> Bool) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let clamped = max(0, min(seconds, 86_400))
        let whole = clamped.rounded(.down)
        deadline.tv_sec += Int(whole)
        deadline.tv_nsec += Int((clamped - whole) * 1_000_000_000)
        if deadline.tv_nsec >= 1_000_000_000 {
            deadline.tv_sec += 1
            deadline.tv_nsec -= 1_000_000_000
        }

        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !predicate(value) {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT {
                return predicate(value)
            }
        }
        return true
    }
}
