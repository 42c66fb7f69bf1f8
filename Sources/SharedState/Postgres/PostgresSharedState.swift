#if PostgresSharedState
public import GatewayCore
public import Logging
import PostgresNIO

/// One key pool, one pace and one truth about key health for every process that uses the same
/// keys, kept in PostgreSQL.
///
/// ```swift
/// let shared = try await PostgresSharedState.connect(.init(url: "postgres://gateway@db:5432/gateway"))
/// let gateway = try Gateway.builder().keys(.environment()).sharedState(shared)
///     .transport(CurlTransport()).provider(GeminiProvider()).build()
/// ```
///
/// - Pacing: GCRA per quota group (and model) on the database's clock; N processes together
///   never exceed the rate. A server's retry delay holds the group for every process.
/// - Keys: a key disabled or cooling in one process is skipped by all from their next attempt;
///   a task's lease is exclusive across processes while free keys remain, renewed every
///   TTL/3 and back in the pool within the TTL after its process dies.
/// - Daily requests per group are stored, so a restart the same day knows what is spent.
/// - No key text reaches the database: keys are named by ``GatewayCore/APIKey/sharedStateFingerprint``.
/// - The database lost mid-run: calls go on with local state at the rate divided by the
///   processes last seen, with a warning; it reconnects with backoff and reconciles.
public final class PostgresSharedState: Sendable {
    /// How to reach the database and what to share.
    public struct Configuration: Sendable {
        /// `postgres://user[:password]@host[:port]/database`.
        public var url: String
        /// Processes with the same namespace share keys and health; groups are paced per namespace.
        public var namespace: String
        /// The pace of every quota group not in ``rateLimitOverrides`` (default: the free tier,
        /// 2 % under, as the in-process default).
        public var rateLimit: RateLimit
        /// Paces for particular groups.
        public var rateLimitOverrides: [QuotaGroup: RateLimit]
        /// How long a lease outlives its process's last heartbeat (heartbeats every third of it).
        public var leaseTTL: Duration
        /// The longest a database call may take before the process goes on locally.
        public var callTimeout: Duration
        /// How often the listener for other processes' verdicts proves it still hears them (a
        /// ping through the database; heard nothing within ``callTimeout``: it listens again
        /// on a new connection).
        public var listenerCheckInterval: Duration
        /// Where warnings go (the database lost and regained); never key material.
        public var logger: Logger

        /// A configuration for `url` with the defaults: namespace `default`, 15 requests per
        /// minute per group with 2 % headroom, 30 s lease TTL, 2 s per call, the listener
        /// checked every 15 s.
        public init(
            url: String, namespace: String = "default", rateLimit: RateLimit = RateLimit.geminiFreeTier.withHeadroom(0.02),
            rateLimitOverrides: [QuotaGroup: RateLimit] = [:], leaseTTL: Duration = .seconds(30), callTimeout: Duration = .seconds(2),
            listenerCheckInterval: Duration = .seconds(15), logger: Logger = Logger(label: "llmgateway.shared-state")
        ) {
            self.url = url
            self.namespace = namespace
            self.rateLimit = rateLimit
            self.rateLimitOverrides = rateLimitOverrides
            self.leaseTTL = leaseTTL
            self.callTimeout = callTimeout
            self.listenerCheckInterval = listenerCheckInterval
            self.logger = logger
        }
    }

    /// The configuration it was connected with.
    public let configuration: Configuration
    let context: SharedContext
    private let heartbeat: Locked<Task<Void, Never>?> = Locked(nil)

    private init(configuration: Configuration, context: SharedContext) {
        self.configuration = configuration
        self.context = context
    }

    /// Connects, creates or migrates the schema (safe from many processes at once), and starts
    /// the heartbeat.
    /// - Throws: ``SharedStateError`` — ``SharedStateError/unreachable(_:reason:)`` when the
    ///   database does not answer within the call timeout (or 5 s, whichever is longer).
    public static func connect(_ configuration: Configuration) async throws(SharedStateError) -> PostgresSharedState {
        let url = try PostgresURL(configuration.url)
        guard !configuration.namespace.isEmpty else { throw .invalidConfiguration("the namespace is empty") }
        guard configuration.leaseTTL >= .milliseconds(300) else { throw .invalidConfiguration("the lease TTL is under 300 ms") }
        guard configuration.callTimeout > .zero else { throw .invalidConfiguration("the call timeout is not positive") }
        guard configuration.listenerCheckInterval >= .milliseconds(100) else {
            throw .invalidConfiguration("the listener check interval is under 100 ms")
        }
        do {
            try configuration.rateLimit.validate()
            for (_, limit) in configuration.rateLimitOverrides { try limit.validate() }
        } catch {
            throw .invalidConfiguration("\(error)")
        }
        let database = Database(
            url: url, callTimeout: configuration.callTimeout, listenerCheckInterval: configuration.listenerCheckInterval,
            logger: configuration.logger)
        do {
            try await withDeadline(max(configuration.callTimeout, .seconds(5))) { [client = database.client] in
                _ = try await client.query("SELECT 1").collect()
            }
        } catch {
            database.close()
            throw .unreachable(url.target, reason: Database.describe(error))
        }
        do {
            try await database.migrate()
        } catch {
            database.close()
            throw error
        }
        let context = SharedContext(database: database, namespace: configuration.namespace, leaseTTL: configuration.leaseTTL, logger: configuration.logger)
        let state = PostgresSharedState(configuration: configuration, context: context)
        await context.heartbeat()
        state.startHeartbeat()
        return state
    }

    private func startHeartbeat() {
        let context = context
        let every = configuration.leaseTTL / 3
        heartbeat.withLock { task in
            task = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: every)
                    if Task.isCancelled { break }
                    await context.heartbeat()
                }
            }
        }
        context.database.onReconnect { await context.heartbeat() }
    }

    /// A key provider over `keys` that shares their health and leases with every process of the
    /// namespace; chooses with `strategy` (default: one dedicated key per task). With `learning`
    /// it learns from rate limits which undeclared keys share a quota and tells the others; the
    /// groups any process learned are adopted either way.
    public func keyProvider(for keys: [APIKey], strategy: some KeyStrategy = DedicatedKeyStrategy(), learning: SharedQuotaLearning? = nil) -> any KeyProvider {
        SharedKeyProvider(keys: keys, strategy: strategy, learning: learning, context: context)
    }

    /// A provider in another namespace over the same connection (tests isolate checks with it).
    func keyProvider(for keys: [APIKey], namespace: String) -> any KeyProvider {
        let other = SharedContext(database: context.database, namespace: namespace, leaseTTL: context.leaseTTL, logger: context.logger)
        return SharedKeyProvider(keys: keys, strategy: DedicatedKeyStrategy(), learning: nil, context: other)
    }

    /// Stops heart-beating and closes the connections without giving anything back: what a
    /// process killed with SIGKILL leaves behind (for tests).
    func abandon() {
        heartbeat.withLock { $0?.cancel() }
        context.writes.close()
        context.database.close()
    }

    /// A rate limiter that paces every quota group on the database's clock, for all processes.
    public func rateLimiter(clock: GatewayClock = .continuous()) -> any RateLimiter {
        SharedRateLimiter(context: context, clock: clock, limit: configuration.rateLimit, overrides: configuration.rateLimitOverrides)
    }

    /// Requests admitted today (Pacific time, the Gemini quota day) in `group` by every process.
    /// - Throws: ``SharedStateError/unavailable(_:)`` when the database does not answer.
    public func requestsToday(in group: QuotaGroup) async throws(SharedStateError) -> Int {
        let query = RateStatements.requestsToday(group: RateStatements.groupID(group, namespace: context.namespace))
        return try await context.database.call("usage") { client in
            var count = 0
            for try await value in try await client.query(query).decode(Int.self) { count = value }
            return count
        }
    }

    /// Whether the database answered the last call.
    public var isConnected: Bool { context.database.isUp }

    /// The live processes of the namespace at the last heartbeat, this one included.
    public var processesSeen: Int { context.processesSeen }

    /// Writes not yet made (health, penalties, releases made while the database was away).
    public var pendingWrites: Int { context.writes.backlog }

    /// Waits until every queued write is made (or `timeout` passes).
    public func flush(timeout: Duration = .seconds(5)) async { await context.writes.flush(timeout: timeout) }

    /// Flushes the queued writes, gives back this process's leases, and closes the connections.
    /// Call it when the gateway is done; a process that dies without it loses its leases after
    /// the TTL.
    public func shutdown() async {
        heartbeat.withLock { $0?.cancel() }
        await flush()
        for query in KeyStatements.leaveProcess(namespace: context.namespace, holder: context.holder) {
            try? await context.database.run("leave", query)
        }
        context.writes.close()
        context.database.close()
    }
}

extension GatewayBuilder {
    /// Keys, health and pacing shared with every process that uses `state`'s namespace: sets
    /// both the key provider and the rate limiter (the pace is the state's
    /// ``PostgresSharedState/Configuration/rateLimit``). With `learning`, keys without a declared
    /// project that rate limits show to share a quota are paced as one group; groups learned by
    /// any process of the namespace are adopted either way.
    public func sharedState(
        _ state: PostgresSharedState, strategy: some KeyStrategy = DedicatedKeyStrategy(), learning: SharedQuotaLearning? = nil
    ) -> Self {
        keyProvider(.custom { keys in state.keyProvider(for: keys, strategy: strategy, learning: learning) })
            .rateLimit(.custom { clock in state.rateLimiter(clock: clock) })
    }
}
#endif
