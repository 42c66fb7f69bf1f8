
/// A clock that moves only when told to: for deterministic tests and simulations.
///
/// Sleepers register a continuation; ``advance(by:)`` and ``advance(to:)`` resume every sleeper
/// whose deadline has come, earliest first. Cancellation of a sleeping task throws
/// `CancellationError` and removes the sleeper. There is no yielding magic: tests wait for the
/// registration signal (``waitForSleepers(count:)``), then advance.
public final class ManualClock: Clock, Sendable {
    /// Instants are the gateway's own: offsets from time zero, so a manual clock's readings
    /// compare directly with a gateway's.
    public typealias Instant = GatewayClock.Instant

    private enum SleeperState {
        case registering
        case waiting(CheckedContinuation<Void, any Error>)
        case cancelled
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: (deadline: Instant, state: SleeperState)] = [:]
    }

    private let state = Locked(State())

    /// Creates a clock at time zero.
    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .zero }

    /// The number of tasks currently suspended in ``sleep(until:tolerance:)``.
    public var sleeperCount: Int {
        state.withLock { s in s.sleepers.values.count { if case .waiting = $0.state { true } else { false } } }
    }

    /// The earliest deadline among the current sleepers, if any.
    public var nextDeadline: Instant? {
        state.withLock { s in
            s.sleepers.values.compactMap { entry -> Instant? in
                if case .waiting = entry.state { entry.deadline } else { nil }
            }.min()
        }
    }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { s -> Int in
            s.nextID += 1
            s.sleepers[s.nextID] = (deadline, .registering)
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case park, resume, cancel }
                let action = state.withLock { s -> Action in
                    guard let entry = s.sleepers[id] else { return .resume }
                    if case .cancelled = entry.state {
                        s.sleepers[id] = nil
                        return .cancel
                    }
                    if deadline <= s.now {
                        s.sleepers[id] = nil
                        return .resume
                    }
                    s.sleepers[id] = (deadline, .waiting(continuation))
                    return .park
                }
                switch action {
                case .park: break
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let continuation = state.withLock { s -> CheckedContinuation<Void, any Error>? in
                guard let entry = s.sleepers[id] else { return nil }
                switch entry.state {
                case .registering:
                    s.sleepers[id] = (entry.deadline, .cancelled)
                    return nil
                case .waiting(let continuation):
                    s.sleepers[id] = nil
                    return continuation
                case .cancelled:
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `duration` and wakes every sleeper that is due.
    public func advance(by duration: Duration) {
        let target = now.advanced(by: duration)
        advance(to: target)
    }

    /// Moves time to `instant` (never backwards) and wakes every sleeper that is due, earliest first.
    public func advance(to instant: Instant) {
        let due = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            if instant > s.now { s.now = instant }
            let now = s.now
            var ready: [(Instant, Int, CheckedContinuation<Void, any Error>)] = []
            for (id, entry) in s.sleepers where entry.deadline <= now {
                if case .waiting(let continuation) = entry.state {
                    ready.append((entry.deadline, id, continuation))
                }
            }
            for item in ready { s.sleepers[item.1] = nil }
            return ready.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
        for continuation in due { continuation.resume() }
    }

    /// Advances to the earliest pending deadline, if there is one. Returns whether time moved.
    @discardableResult
    public func advanceToNextDeadline() -> Bool {
        guard let next = nextDeadline else { return false }
        advance(to: next)
        return true
    }

    /// Suspends until at least `count` tasks are sleeping on this clock.
    public func waitForSleepers(count: Int = 1) async {
        while sleeperCount < count {
            await Task.yield()
        }
    }
}
