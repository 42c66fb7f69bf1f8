import CoreMetrics
import Logging

/// Composes a key provider, a rate limiter, a retry policy, a transport and a provider, and
/// hands each task a client that runs the call loop: wait for the key's quota group → send →
/// classify → decide → wait, rotate or stop.
///
/// ```swift
/// let gateway = try Gateway.builder()
///     .keys(.environment(prefix: "GEMINI_API_KEY_"))
///     .keyProvider(.dedicated)
///     .rateLimit(.tokenBucket(requests: 15, per: .seconds(60)))
///     .retryPolicy(.classifying(maxAttemptsPerKey: 5))
///     .transport(transport)
///     .provider(provider)
///     .build()
///
/// let text = try await gateway.withClient(task: "file_123") { client in
///     try await client.send(request)
/// }
/// ```
public final class Gateway<P: Provider>: Sendable {
    /// The keys in use (masked in every description).
    public let keys: [APIKey]
    /// Notes from loading the keys (duplicates dropped, empty entries skipped).
    public let keyWarnings: [String]
    // The parts are the gateway's own: callers go through `withClient`; tests of this package
    // may look at them.
    package let keyProvider: any KeyProvider
    package let rateLimiter: any RateLimiter
    package let retryPolicy: any RetryPolicy
    package let transport: any Transport
    package let provider: P
    package let clock: GatewayClock
    package let options: GatewayOptions
    let logger: Logger
    let metrics: GatewayMetrics
    /// Open `withClient` scopes per task: the lease goes back when the last one ends.
    private let openScopes = Locked<[TaskID: Int]>([:])
    /// The server's latency per model, as `sendEach` saw it: a new batch of calls starts with
    /// the window the last one ended with instead of one call alone.
    let latencies = Locked<[String: InFlightWindow]>([:])
    /// Holds other attempts on a key until its first attempt is judged.
    let firstAnswers = FirstAnswerGate()

    init(
        keys: KeySet, keyProvider: any KeyProvider, rateLimiter: any RateLimiter, retryPolicy: any RetryPolicy,
        transport: any Transport, provider: P, clock: GatewayClock, options: GatewayOptions,
        logger: Logger, metricsFactory: any MetricsFactory
    ) {
        self.keys = keys.keys
        self.keyWarnings = keys.warnings
        self.keyProvider = keyProvider
        self.rateLimiter = rateLimiter
        self.retryPolicy = retryPolicy
        self.transport = transport
        self.provider = provider
        self.clock = clock
        self.options = options
        self.logger = logger
        self.metrics = GatewayMetrics(factory: metricsFactory)
    }

    /// Runs `body` with a client for `task`. Whatever key the task leases is released when
    /// `body` returns, throws or is cancelled (when several scopes share a task name, when the
    /// last of them ends).
    nonisolated(nonsending) public func withClient<Result>(
        task: TaskID,
        _ body: (GatewayClient<P>) async throws -> Result
    ) async throws -> Result {
        openScopes.withLock { $0[task, default: 0] += 1 }
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(GatewayClient(task: task, gateway: self)))
        } catch {
            result = .failure(error)
        }
        let last = openScopes.withLock { scopes -> Bool in
            scopes[task, default: 1] -= 1
            guard scopes[task] == 0 else { return false }
            scopes[task] = nil
            return true
        }
        if last { await keyProvider.release(task: task) }
        return try result.get()
    }

    /// Every key's state, leases and counters, now.
    public func snapshot() -> PoolSnapshot { keyProvider.snapshot(at: clock.now) }

    /// Calls, attempts, retries, rotations and rate limits so far.
    public func statistics() -> GatewayStatistics { metrics.statistics }

    /// The current instant on the gateway's clock, for reading a ``PoolSnapshot`` or a cooldown.
    public var now: GatewayClock.Instant { clock.now }
}

extension Gateway where P == NoProvider {
    /// Starts a builder. Add keys, a transport and a provider, then call `build()`.
    public static func builder() -> GatewayBuilder<NoProvider> { GatewayBuilder() }
}

/// The placeholder provider of a builder that has none yet.
public struct NoProvider: Provider {
    /// Nothing can be asked.
    public typealias Request = Never
    /// Nothing is answered.
    public typealias Response = Never
    /// The placeholder.
    public init() {}
    /// Never called.
    public func makeRequest(_ request: Never, key: APIKey) throws -> TransportRequest {}
    /// Never called.
    public func parse(_ response: TransportResponse, for request: Never) -> Result<Never, Failure> {}
}
