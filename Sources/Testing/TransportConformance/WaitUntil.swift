/// Polls `condition` every 5 ms of real time until it holds, for up to `limit`; for socket-level
/// tests whose other side (a driver thread, a server's event loop) finishes work on its own.
/// Unit tests advance a `ManualClock` instead.
/// - Throws: ``WaitTimeout`` when the condition still fails at the limit.
public func waitUntil(within limit: Duration = .seconds(5), _ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while !condition() {
        if ContinuousClock.now > deadline { throw WaitTimeout(limit: limit) }
        try await Task.sleep(for: .milliseconds(5))
    }
}

/// A condition polled by ``waitUntil(within:_:)`` did not come true in time.
public struct WaitTimeout: Error, CustomStringConvertible {
    /// How long the condition was polled.
    public let limit: Duration
    /// The limit that passed, in one line.
    public var description: String { "condition not met within \(limit)" }
}
