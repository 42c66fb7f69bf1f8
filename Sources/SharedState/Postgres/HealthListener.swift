#if PostgresSharedState
import Foundation
import GatewayCore
import Logging
import PostgresNIO

/// The one connection a process keeps for `LISTEN llmgateway_health`: it hands every
/// ``HealthNotice`` to the handlers of its namespace, and listens again after the connection
/// is lost (with backoff).
final class HealthListener: Sendable {
    /// The channel every process of every namespace announces on (lower case: postgres-nio
    /// quotes the name it is given).
    static let channel = "llmgateway_health"

    private let client: PostgresClient
    private let logger: Logger
    private let state = Locked(State())
    private let task = Locked<Task<Void, Never>?>(nil)

    private struct State {
        var handlers: [String: [@Sendable (HealthNotice) -> Void]] = [:]
        var backendPID: Int?
        var generation = 0
        var closed = false
    }

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Calls `handler` with every notice about `namespace`; starts listening on first use.
    func onNotice(in namespace: String, _ handler: @escaping @Sendable (HealthNotice) -> Void) {
        state.withLock { $0.handlers[namespace, default: []].append(handler) }
        start()
    }

    /// The server process of the listening connection while it listens (for tests and logs).
    var backendPID: Int? { state.withLock { $0.backendPID } }

    /// How many times listening has started.
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
                        self.state.withLock { s in
                            s.backendPID = pid
                            s.generation += 1
                        }
                        for try await notification in notifications { self.deliver(notification.payload) }
                    }
                }
            } catch {}
            state.withLock { $0.backendPID = nil }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    private func deliver(_ payload: String) {
        let handlers = state.withLock { s -> [@Sendable (HealthNotice) -> Void] in
            guard let notice = HealthNotice(payload: payload), let namespace = notice.namespace else { return [] }
            return s.handlers[namespace] ?? []
        }
        guard !handlers.isEmpty, let notice = HealthNotice(payload: payload) else { return }
        for handler in handlers { handler(notice) }
    }

    /// Stops listening for good.
    func close() {
        state.withLock { $0.closed = true }
        task.withLock { $0?.cancel() }
    }
}
#endif
