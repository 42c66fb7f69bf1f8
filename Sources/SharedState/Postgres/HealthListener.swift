#if PostgresSharedState
import Foundation
import GatewayCore
import Logging
import PostgresNIO

/// The one connection a process keeps for `LISTEN llmgateway_health`: it hands every
/// ``HealthNotice`` to the handlers of its namespace, listens again after the connection is
/// lost (with backoff), and after every (re)start of listening runs the `onListening` handlers,
/// so that what was announced while nobody listened is read from the tables (NOTIFY keeps
/// nothing for absent listeners).
///
/// A watchdog proves the connection still hears the channel: every `checkInterval` it sends a
/// `ping` notice through the pool and expects to hear something within the call timeout. A
/// listener that hears nothing — a connection dead without a reset, a backend that stopped —
/// is closed and opened again. (A leased connection gets no keep-alive from the pool.)
final class HealthListener: Sendable {
    /// The channel every process of every namespace announces on (lower case: postgres-nio
    /// quotes the name it is given).
    static let channel = "llmgateway_health"

    private let client: PostgresClient
    private let callTimeout: Duration
    private let checkInterval: Duration
    private let logger: Logger
    private let identity = UUID()
    private let state = Locked(State())
    private let task = Locked<Task<Void, Never>?>(nil)

    private struct State {
        var handlers: [String: [@Sendable (HealthNotice) -> Void]] = [:]
        var listeningHandlers: [@Sendable () async -> Void] = []
        var lastHeard = ContinuousClock.now
        var backendPID: Int?
        var generation = 0
        var closed = false
    }

    init(client: PostgresClient, callTimeout: Duration, checkInterval: Duration, logger: Logger) {
        self.client = client
        self.callTimeout = callTimeout
        self.checkInterval = checkInterval
        self.logger = logger
    }

    /// Calls `handler` with every notice about `namespace`; starts listening on first use.
    func onNotice(in namespace: String, _ handler: @escaping @Sendable (HealthNotice) -> Void) {
        state.withLock { $0.handlers[namespace, default: []].append(handler) }
        start()
    }

    /// Runs `handler` each time listening (re)starts, after `LISTEN` is in effect.
    func onListening(_ handler: @escaping @Sendable () async -> Void) {
        state.withLock { $0.listeningHandlers.append(handler) }
    }

    /// The server process of the listening connection while it listens (for tests and logs).
    var backendPID: Int? { state.withLock { $0.backendPID } }

    /// How many times listening has started and the `onListening` handlers have run after it.
    var generation: Int { state.withLock { $0.generation } }

    private func start() {
        task.withLock { task in
            guard task == nil else { return }
            task = Task { [weak self] in await self?.run() }
        }
    }

    private var isClosed: Bool { state.withLock { $0.closed } }

    private func run() async {
        var delay = Duration.milliseconds(100)
        while !isClosed, !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    var pid: Int?
                    for try await value in try await connection.query("SELECT pg_backend_pid()::bigint", logger: self.logger).decode(Int.self) {
                        pid = value
                    }
                    try await connection.listen(on: Self.channel) { notifications in
                        delay = .milliseconds(100)
                        let handlers = self.state.withLock { s -> [@Sendable () async -> Void] in
                            s.backendPID = pid
                            s.lastHeard = ContinuousClock.now
                            return s.listeningHandlers
                        }
                        for handler in handlers { await handler() }
                        // Counted once the handlers have read the tables back.
                        self.state.withLock { $0.generation += 1 }
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask { await self.watch(connection) }
                            defer { group.cancelAll() }
                            for try await notification in notifications { self.deliver(notification.payload) }
                        }
                    }
                }
            } catch {}
            state.withLock { $0.backendPID = nil }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// Hands a notice to its namespace's handlers; anything heard proves the listener alive.
    private func deliver(_ payload: String) {
        let notice = HealthNotice(payload: payload)
        let handlers = state.withLock { s -> [@Sendable (HealthNotice) -> Void] in
            s.lastHeard = ContinuousClock.now
            guard let namespace = notice?.namespace else { return [] }
            return s.handlers[namespace] ?? []
        }
        guard let notice else { return }
        for handler in handlers { handler(notice) }
    }

    /// Pings every `checkInterval`; closes `connection` (which ends the listening, and the loop
    /// listens again) when a ping that went out is not heard within the call timeout. A ping
    /// that cannot be sent proves nothing: the database is away, and the pool's errors say so.
    private func watch(_ connection: PostgresConnection) async {
        let ping: PostgresQuery = "SELECT pg_notify('\(unescaped: Self.channel)', 'ping' || chr(9) || \(identity.uuidString))::text"
        let client = client
        while !Task.isCancelled {
            try? await Task.sleep(for: checkInterval)
            if Task.isCancelled { return }
            let sentAt = ContinuousClock.now
            guard (try? await withDeadline(callTimeout, { _ = try await client.query(ping).collect() })) != nil else { continue }
            var heard = false
            let deadline = ContinuousClock.now.advanced(by: callTimeout)  // from the ping's answer
            while !heard, ContinuousClock.now < deadline, !Task.isCancelled {
                heard = state.withLock { $0.lastHeard >= sentAt }
                if !heard { try? await Task.sleep(for: .milliseconds(10)) }
            }
            if Task.isCancelled { return }
            if !heard {
                logger.warning("shared-state listener hears nothing; listening again on a new connection")
                try? await connection.close()
                return
            }
        }
    }

    /// Stops listening for good.
    func close() {
        state.withLock { $0.closed = true }
        task.withLock { $0?.cancel() }
    }
}
#endif
