import GatewayCore
import MockTransport

/// Runs `body` on `clock`, time jumping from event to event (``ManualClock/drive(_:)``).
func drive<T: Sendable>(_ clock: ManualClock, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await clock.drive(body)
}
