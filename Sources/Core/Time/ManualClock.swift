#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A clock that moves only when told to: for deterministic tests and simulations.
///
/// Sleepers register a continuation; ``advance(by:)`` and ``advance(to:)`` resume every sleeper
/// whose deadline has come, earliest first. Cancellation of a sleeping task throws
/// `CancellationError` and removes the sleeper. There is no yielding magic: tests wait for the
/// registration signal (``waitForSleepers(count:)``), then advance — or let MockTransport's
/// `drive { … }` move the clock from sleeper to sleeper.
///
/// ## A clock nobody drives
///
/// A test that awaits on this clock and forgets to move it would otherwise hang for ever. So
/// when tasks sleep on the clock and nothing happens to it — no ``advance(to:)``, no new
/// sleeper — for ``undrivenTimeout`` of real time (60 s by default: generous, so that a loaded machine or ThreadSanitizer never trips it), every sleeper is woken
/// with ``UndrivenError``, whose message says which deadline was awaited and how to drive the
/// clock, and the same message goes to standard error. Pass `undrivenTimeout: nil` for a clock
/// that may legitimately stand still that long.
public final class ManualClock: Clock, Sendable {
    /// Instants are the gateway's own: offsets from time zero, so a manual clock's readings
    /// compare directly with a gateway's.
    public typealias Instant = GatewayClock.Instant

    /// Thrown from ``sleep(until:tolerance:)`` when the clock stood still for
    /// ``ManualClock/undrivenTimeout`` of real time while tasks slept on it.
    public struct UndrivenError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The deadline the sleeper waited for.
        public let deadline: Instant
        /// The clock's reading when the sleeper was woken.
        public let now: Instant
        /// How long, in real time, nothing happened to the clock.
        public let idle: Duration

        /// Names the deadline and says how to drive the clock.
        public var description: String {
            "ManualClock: a task slept until \(deadline) (the clock reads \(now)) and nobody advanced the clock for \(idle) of real time — "
                + "move it with clock.advance(by:) / advanceToNextDeadline(), or run the code under test in clock.drive { … } (MockTransport); "
                + "ManualClock(undrivenTimeout: nil) turns this check off"
        }
    }

    private enum SleeperState {
        case registering
        case waiting(CheckedContinuation<Void, any Error>)
        case cancelled
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Int: (deadline: Instant, state: SleeperState)] = [:]
        /// The last real instant anything happened to the clock (an advance, a new sleeper).
        var lastActivity = ContinuousClock.now
        var watchdogRunning = false
    }

    private let state = Locked(State())

    /// How long the clock may stand still, in real time, while tasks sleep on it before they are
    /// woken with ``UndrivenError``; `nil` waits for ever.
    public let undrivenTimeout: Duration?

    /// Creates a clock at time zero.
    /// - Parameter undrivenTimeout: How long sleepers may wait, in real time, on a clock that
    ///   nothing moves before they fail with ``UndrivenError`` (default 10 s; `nil`: no limit).
    public init(undrivenTimeout: Duration? = .seconds(60)) {
        self.undrivenTimeout = undrivenTimeout.map { max($0, .milliseconds(1)) }
    }

    /// The clock's reading: time zero plus every advance so far.
    public var now: Instant { state.withLock { $0.now } }
    /// Zero: the clock moves exactly as far as it is told.
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

    /// Suspends until the clock is advanced to `deadline` (at once if it is already there).
    /// - Throws: `CancellationError` when the task is cancelled; ``UndrivenError`` when nothing
    ///   moves the clock for ``undrivenTimeout`` of real time.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { s -> Int in
            s.nextID += 1
            s.sleepers[s.nextID] = (deadline, .registering)
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Action { case park, parkAndWatch, resume, cancel }
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
                    s.lastActivity = .now
                    if undrivenTimeout != nil, !s.watchdogRunning {
                        s.watchdogRunning = true
                        return .parkAndWatch
                    }
                    return .park
                }
                switch action {
                case .park: break
                case .parkAndWatch: startWatchdog()
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
            s.lastActivity = .now
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

    /// Wakes every sleeper with ``UndrivenError`` once the clock has stood still for
    /// ``undrivenTimeout`` of real time; ends when no task sleeps on the clock. At most one runs
    /// per clock.
    private func startWatchdog() {
        guard let timeout = undrivenTimeout else { return }
        Task.detached { [self] in
            while true {
                let (pause, stale) = state.withLock { s -> (Duration?, [(CheckedContinuation<Void, any Error>, UndrivenError)]) in
                    let waiting = s.sleepers.filter { if case .waiting = $0.value.state { true } else { false } }
                    if waiting.isEmpty {
                        s.watchdogRunning = false
                        return (nil, [])
                    }
                    let idle = s.lastActivity.duration(to: .now)
                    if idle < timeout { return (timeout - idle, []) }
                    var stale: [(CheckedContinuation<Void, any Error>, UndrivenError)] = []
                    for (id, entry) in waiting.sorted(by: { ($0.value.deadline, $0.key) < ($1.value.deadline, $1.key) }) {
                        guard case .waiting(let continuation) = entry.state else { continue }
                        s.sleepers[id] = nil
                        stale.append((continuation, UndrivenError(deadline: entry.deadline, now: s.now, idle: idle)))
                    }
                    s.watchdogRunning = false
                    s.lastActivity = .now
                    return (nil, stale)
                }
                for (continuation, error) in stale {
                    let line = "\(error)\n"
                    _ = line.withCString { write(2, $0, strlen($0)) }
                    continuation.resume(throwing: error)
                }
                guard let pause else { return }
                try? await Task.sleep(for: pause)
            }
        }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock.
    ///
    /// Gives up after ``undrivenTimeout`` of real time (when set), writing to standard error how
    /// many tasks did sleep, so a test whose code never sleeps fails on its next assertion
    /// instead of spinning for ever. Returns whether `count` sleepers arrived.
    @discardableResult
    public func waitForSleepers(count: Int = 1) async -> Bool {
        let started = ContinuousClock.now
        while sleeperCount < count {
            if let undrivenTimeout, started.duration(to: .now) >= undrivenTimeout {
                let line = "ManualClock: waitForSleepers(count: \(count)) gave up after \(undrivenTimeout) of real time with \(sleeperCount) sleeping\n"
                _ = line.withCString { write(2, $0, strlen($0)) }
                return false
            }
            await Task.yield()
        }
        return true
    }
}
