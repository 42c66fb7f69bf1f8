public import GatewayCore

extension ManualClock {
    /// Runs `body` in a task and moves this clock to the next sleeper's deadline each time
    /// nothing else can run, until `body` finishes: time jumps from event to event, so a test of
    /// pacing, backoff or cooldowns over minutes of virtual time takes milliseconds and never
    /// sleeps for real.
    ///
    /// ```swift
    /// let clock = ManualClock()
    /// let gateway = try Gateway.builder().keys(keys).transport(MockTransport(clock: clock)).provider(p).clock(clock).build()
    /// let text = try await clock.drive { try await gateway.withClient(task: "t") { try await $0.send(request) } }
    /// ```
    ///
    /// If `body` stays blocked with no sleeper for a very long time (about two million idle
    /// rounds), it is cancelled, so a hung test fails instead of spinning forever.
    public func drive<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let done = Locked(false)
        let task = Task {
            defer { done.withLock { $0 = true } }
            return try await body()
        }
        var idleRounds = 0
        while !done.withLock({ $0 }) {
            // Let runnable tasks settle before moving time.
            for _ in 0..<8 { await Task.yield() }
            if advanceToNextDeadline() {
                idleRounds = 0
            } else {
                idleRounds += 1
                if idleRounds > 2_000_000 { task.cancel(); break }
            }
        }
        return try await task.value
    }
}
