/// A key's first request goes alone: until the first attempt on a key has been answered and
/// judged, other attempts on that key wait for it. A key that turns out invalid, suspended or
/// without billing then costs one request — not one per task that leased it at the start, nor one
/// per call a task has in flight (a paid tier's window opens wide once another key has shown the
/// latency). Once judged, the key is open for good; the waiting attempts lease again, so a key
/// the answer condemned is skipped.
final class FirstAnswerGate: Sendable {
    /// What an attempt about to use a key may do.
    enum Entry {
        /// The key has been judged: go.
        case open
        /// This attempt is the key's first: go, and open the gate once judged.
        case first
        /// The key's first attempt is out: wait for its verdict.
        case wait
    }

    private struct State {
        var judged: Set<KeyID> = []
        var probing: Set<KeyID> = []
        var waiters: [KeyID: [Int: CheckedContinuation<Void, any Error>]] = [:]
        var nextWaiter = 0
    }

    private let state = Locked(State())

    /// Says whether an attempt may use `key` now; the first one on an unjudged key is let through.
    func enter(_ key: KeyID) -> Entry {
        state.withLock { state in
            if state.judged.contains(key) { return .open }
            return state.probing.insert(key).inserted ? .first : .wait
        }
    }

    /// The key's first attempt has its verdict (or ended without one: cancelled, out of time):
    /// the key is open and every waiting attempt goes on.
    func open(_ key: KeyID) {
        let waiting = state.withLock { state in
            state.judged.insert(key)
            state.probing.remove(key)
            return state.waiters.removeValue(forKey: key).map { Array($0.values) } ?? []
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns once `key` is open; throws `CancellationError` when the task is cancelled first.
    func waitUntilOpen(_ key: KeyID) async throws {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Under the lock, so a cancellation handler that ran before this finds nothing to
                // resume and this sees the task cancelled, or runs after and finds the waiter.
                let ready: Result<Void, any Error>? = state.withLock { state in
                    if state.judged.contains(key) { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[key, default: [:]][id] = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters[key]?.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }
}
