import GatewayCore

/// Runs `body` in a task and advances `clock` to the next sleeper's deadline each time nothing
/// else can run, until `body` finishes: time jumps from event to event and no test sleeps for
/// real. (Copied from the core tests' `Harness.swift`.)
func drive<T: Sendable>(_ clock: ManualClock, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let done = Flag()
    let task = Task {
        defer { done.set() }
        return try await body()
    }
    var idleRounds = 0
    while !done.isSet {
        for _ in 0..<8 { await Task.yield() }
        if clock.advanceToNextDeadline() {
            idleRounds = 0
        } else {
            idleRounds += 1
            if idleRounds > 2_000_000 { task.cancel(); break }
        }
    }
    return try await task.value
}

/// A thread-safe boolean.
final class Flag: Sendable {
    private let value = Locked(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
