#if PostgresSharedState
import GatewayCore
import Logging
import PostgresNIO

/// The connection to the shared-state database: a running `PostgresClient`, a deadline on every
/// call, and whether the database answers. A failed call marks it down (one warning), and a
/// reconnect loop probes with backoff until it answers again; then it runs `onReconnect`.
final class Database: Sendable {
    let client: PostgresClient
    let url: PostgresURL
    let logger: Logger
    let callTimeout: Duration
    private let runner: Task<Void, Never>
    private let state = Locked(State())

    private struct State {
        var isUp = true
        var probing = false
        var reconnectHandlers: [@Sendable () async -> Void] = []
        var closed = false
    }

    /// The `LISTEN` connection: disables and cooldowns announced by any process.
    let listener: HealthListener

    init(url: PostgresURL, callTimeout: Duration, listenerCheckInterval: Duration, logger: Logger) {
        var configuration = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        configuration.options.minimumConnections = 1
        configuration.options.maximumConnections = 5  // 4 for statements, 1 kept by the listener
        configuration.options.connectTimeout = callTimeout
        configuration.options.additionalStartupParameters = [("application_name", "llmgateway")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "llmgateway.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
        self.client = client
        self.url = url
        self.logger = logger
        self.callTimeout = callTimeout
        self.listener = HealthListener(client: client, callTimeout: callTimeout, checkInterval: listenerCheckInterval, logger: logger)
        self.runner = Task { await client.run() }
    }

    /// Whether the last call got its answer.
    var isUp: Bool { state.withLock { $0.isUp } }

    /// Runs `body` when the database answers again after being down.
    func onReconnect(_ body: @escaping @Sendable () async -> Void) {
        state.withLock { $0.reconnectHandlers.append(body) }
    }

    /// Runs one database call within the deadline; a failure marks the database down.
    func call<T: Sendable>(_ what: String, _ body: @escaping @Sendable (PostgresClient) async throws -> T) async throws(SharedStateError) -> T {
        do {
            let client = client
            return try await withDeadline(callTimeout) { try await body(client) }
        } catch {
            let reason = Self.describe(error)
            markDown("\(what): \(reason)")
            throw .unavailable("\(what): \(reason)")
        }
    }

    /// Runs `query`, decoding nothing.
    func run(_ what: String, _ query: PostgresQuery) async throws(SharedStateError) {
        try await call(what) { client in _ = try await client.query(query).collect() }
    }

    /// Marks the database down and starts probing, once.
    func markDown(_ reason: String) {
        let (wasUp, start) = state.withLock { s -> (Bool, Bool) in
            let wasUp = s.isUp
            s.isUp = false
            guard !s.probing, !s.closed else { return (wasUp, false) }
            s.probing = true
            return (wasUp, true)
        }
        if wasUp { logger.warning("shared state lost; continuing on local state at a conservative rate", metadata: ["reason": "\(reason)"]) }
        if start { Task { await probe() } }
    }

    /// Probes with backoff (0.1 s growing to 5 s) until the database answers, then reconciles.
    private func probe() async {
        var delay = Duration.milliseconds(100)
        while !state.withLock({ $0.closed }) {
            try? await Task.sleep(for: delay)
            let client = client
            if (try? await withDeadline(callTimeout, { _ = try await client.query("SELECT 1").collect() })) != nil {
                let handlers = state.withLock { s -> [@Sendable () async -> Void] in
                    s.isUp = true
                    s.probing = false
                    return s.reconnectHandlers
                }
                logger.warning("shared state reconnected; reconciling")
                for handler in handlers { await handler() }
                return
            }
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// Stops the client (its connections close).
    func close() {
        state.withLock { $0.closed = true }
        listener.close()
        runner.cancel()
    }

    /// An error in one line, without binds or credentials (`PSQLError`'s own description is
    /// generic; its server message is what helps).
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "\(error.code): \(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            return "\(error.code)"
        }
        if let error = error as? SharedStateError { return error.description }
        return "\(error)"
    }
}
#endif
