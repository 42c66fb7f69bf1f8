#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers

/// A request to stop a run early, shared by whoever may ask (the signal trap, the dead-server
/// watch) and the runner, which stops starting files and cancels those in flight. Answers that
/// have arrived are already checkpointed, so stopping loses nothing paid for.
public final class RunStop: Sendable {
    /// Why the run stops.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// A signal arrived (SIGINT, SIGTERM).
        case signal(Int32)
        /// The server never answered: every attempt failed to connect or timed out.
        case deadServer(String)

        /// `SIGINT`, `SIGTERM`, or what the dead-server watch saw.
        public var description: String {
            switch self {
            case .signal(let number): RunStop.signalName(number)
            case .deadServer(let detail): "dead server: \(detail)"
            }
        }

        /// The exit status a process stopped for this reason ends with: 128 + the signal
        /// (130 for SIGINT, 143 for SIGTERM), 2 for a dead server (the run could not run).
        public var exitStatus: Int32 {
            switch self {
            case .signal(let number): 128 + number
            case .deadServer: 2
            }
        }
    }

    private struct State {
        var reason: Reason?
        var handlers: [@Sendable () -> Void] = []
    }

    private let state = NIOLockedValueBox(State())

    /// A stop not yet requested.
    public init() {}

    /// Why the run was asked to stop, if it was.
    public var reason: Reason? { state.withLockedValue { $0.reason } }

    /// Asks the run to stop; the first reason is kept, later ones are ignored.
    public func request(_ reason: Reason) {
        let handlers = state.withLockedValue { state -> [@Sendable () -> Void] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }   // outside the lock: a handler may read `reason`
    }

    /// Calls `handler` once when a stop is requested (at once if it already was).
    func onRequest(_ handler: @escaping @Sendable () -> Void) {
        let already = state.withLockedValue { state -> Bool in
            if state.reason != nil { return true }
            state.handlers.append(handler)
            return false
        }
        if already { handler() }
    }

    /// `SIGINT`, `SIGTERM`, … for the signals a run reacts to; `signal N` otherwise.
    public static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}
