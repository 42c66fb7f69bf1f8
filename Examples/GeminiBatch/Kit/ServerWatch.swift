import GatewayCore
import NIOConcurrencyHelpers

/// Tells a dead server from a slow one: when no attempt has had any answer from the server (an
/// HTTP status of any kind counts), attempts have been failing to connect or timing out, and the
/// first attempt went out at least `window` ago, the server is taken for dead — once.
public final class ServerWatch: Sendable {
    private struct State {
        var firstAttempt: ContinuousClock.Instant?
        var answered = false
        var failures = 0
        var lastFailure = ""
        var tripped = false
    }

    /// How long attempts may fail without any answer before the server is taken for dead.
    public let window: Duration
    private let state = NIOLockedValueBox(State())
    private let onDead: @Sendable (_ failures: Int, _ lastFailure: String) -> Void

    /// A watch calling `onDead` once, with the number of failed attempts and the last failure.
    public init(window: Duration, onDead: @escaping @Sendable (_ failures: Int, _ lastFailure: String) -> Void) {
        self.window = window
        self.onDead = onDead
    }

    /// An attempt is about to go out.
    public func attemptStarted(at now: ContinuousClock.Instant = .now) {
        state.withLockedValue { if $0.firstAttempt == nil { $0.firstAttempt = now } }
    }

    /// The server answered (with any status): it is alive, whatever happens later.
    public func answered() { state.withLockedValue { $0.answered = true } }

    /// An attempt got no answer: it could not connect, or timed out, or the connection broke.
    public func failed(_ reason: String, at now: ContinuousClock.Instant = .now) {
        let verdict = state.withLockedValue { state -> (Int, String)? in
            state.failures += 1
            state.lastFailure = reason
            guard !state.answered, !state.tripped, let first = state.firstAttempt, first.duration(to: now) >= window else {
                return nil
            }
            state.tripped = true
            return (state.failures, state.lastFailure)
        }
        if let (failures, last) = verdict { onDead(failures, last) }
    }
}

/// A transport that tells a ``ServerWatch`` what became of each attempt.
struct WatchedTransport: Transport {
    let base: any Transport
    let watch: ServerWatch

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        watch.attemptStarted()
        do {
            let response = try await base.send(request)
            watch.answered()
            return response
        } catch {
            record(error)
            throw error
        }
    }

    func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        watch.attemptStarted()
        do {
            let response = try await base.stream(request)
            watch.answered()
            return response
        } catch {
            record(error)
            throw error
        }
    }

    /// Any transport error but a cancellation or a shutdown means the server gave no answer.
    private func record(_ error: any Error) {
        if error is CancellationError || Task.isCancelled { return }
        if let error = error as? TransportError, error.isSameKind(as: .shutdown()) { return }
        watch.failed("\(error)")
    }
}
