#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A local Gemini-compatible HTTP server for tests, benchmarks and demos.
///
/// It serves `generateContent`, `streamGenerateContent` (SSE or JSON array), `countTokens`,
/// `embedContent`, `batchEmbedContents` and the models list under `/v1beta/` and `/v1/`,
/// authenticates keys from `x-goog-api-key` (refusing a key in the URL) with the real error bodies, enforces
/// per-project, per-model quotas as sliding windows, and injects seeded faults. It shares no
/// code with the Gemini provider, so it can catch the provider's encoding mistakes.
///
/// Like Gemini's service it also speaks OpenAI's wire format under `/v1beta/openai/`
/// (`chat/completions`, streamed or not, `embeddings`, `models`), keys in `Authorization: Bearer`,
/// with the same keys, quotas, faults and audit, OpenAI's rate-limit headers
/// (``EmulatorConfiguration/openAIRateLimitHeaders``) and either error style
/// (``EmulatorConfiguration/openAIErrorStyle``): point an OpenAI client at `baseURL + "/v1beta/openai/"`.
///
/// ```swift
/// try await GeminiEmulator.withEmulator(EmulatorConfiguration(keys: [EmulatorKey(key: "k1", project: "p1")])) { emulator in
///     // point a client at emulator.baseURL
///     print(emulator.audit().totalRequests)
/// }
/// ```
///
/// `GET /emulator/audit` returns ``audit()`` as JSON and `POST /emulator/reset` clears the
/// counters and quota windows.
public final class GeminiEmulator: Sendable {
    /// What the server was started with.
    public let configuration: EmulatorConfiguration
    /// The address it listens on.
    public let host: String
    /// The port it listens on (the one chosen when started with port 0).
    public let port: Int

    private let engine: EmulatorEngine
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let connections: ConnectionRegistry
    private let shutdownTask = NIOLockedValueBox<Task<Void, any Error>?>(nil)

    private init(configuration: EmulatorConfiguration, host: String, port: Int, engine: EmulatorEngine, group: MultiThreadedEventLoopGroup, serverChannel: any Channel, connections: ConnectionRegistry) {
        self.configuration = configuration
        self.host = host
        self.port = port
        self.engine = engine
        self.group = group
        self.serverChannel = serverChannel
        self.connections = connections
    }

    deinit {
        // Not shut down: at least stop the threads (callback form, since deinit cannot wait).
        if shutdownTask.withLockedValue({ $0 }) == nil { group.shutdownGracefully { _ in } }
    }

    /// Starts listening on `host:port` (port 0 picks a free port).
    /// - Throws: ``EmulatorError`` for an invalid configuration or when the port cannot be bound.
    public static func start(_ configuration: EmulatorConfiguration, host: String = "127.0.0.1", port: Int = 0) async throws -> GeminiEmulator {
        try configuration.validate()
        let engine = EmulatorEngine(configuration: configuration)
        let connections = ConnectionRegistry()
        let origin = ContinuousClock.now
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EmulatorHTTPHandler(engine: engine, origin: origin))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw EmulatorError.bindFailed("\(host):\(port): \(error)")
        }
        return GeminiEmulator(
            configuration: configuration, host: host, port: channel.localAddress?.port ?? port,
            engine: engine, group: group, serverChannel: channel, connections: connections)
    }

    /// Starts an emulator, runs `body` with it and shuts it down however `body` ends.
    ///
    /// `nonisolated(nonsending)`, like `Gateway.withClient(task:_:)`: `body` runs on the
    /// caller's isolation (the main actor at top level, an actor, or none), so the scope nests
    /// with `CurlTransport.withTransport` and `withClient` in any order.
    nonisolated(nonsending) public static func withEmulator<R>(
        _ configuration: EmulatorConfiguration, host: String = "127.0.0.1", port: Int = 0,
        _ body: (GeminiEmulator) async throws -> R
    ) async throws -> R {
        let emulator = try await start(configuration, host: host, port: port)
        let result: R
        do {
            result = try await body(emulator)
        } catch {
            try? await emulator.shutdown()
            throw error
        }
        try await emulator.shutdown()
        return result
    }

    /// `http://<host>:<port>` (IPv6 hosts in brackets).
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// `<host>:<port>`, the authority requests should carry.
    public var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// What the server has seen so far.
    public func audit() -> EmulatorAudit { engine.audit() }

    /// Clears the audit counters and every quota window.
    public func reset() { engine.reset() }

    /// Open client connections right now.
    public var liveConnections: Int { connections.count }

    /// Closes the listening socket and every live connection, then stops the event loop.
    /// Idempotent: later (or concurrent) calls wait for the same shutdown.
    public func shutdown() async throws {
        let (serverChannel, connections, group) = (self.serverChannel, self.connections, self.group)
        let task = shutdownTask.withLockedValue { task -> Task<Void, any Error> in
            if let task { return task }
            let started = Task {
                try? await serverChannel.close()
                for connection in connections.closeAll() { try? await connection.close() }
                try await group.shutdownGracefully()
            }
            task = started
            return started
        }
        try await task.value
    }
}
#endif
