public import GatewayCore
import HTTPTypes

/// A `Transport` over libcurl's multi interface: one driver thread carries every exchange,
/// with connection reuse, HTTP/2 multiplexing when the server offers it, decoded compression,
/// timeouts, a response-size limit, cancellation and backpressured streaming.
///
/// ```swift
/// try await CurlTransport.withTransport { transport in
///     let gateway = try Gateway.builder().transport(transport)…build()
///     …
/// }
/// ```
/// Call ``shutdown()`` when done (the scoped form does it for you); in-flight exchanges then
/// fail with `TransportError.shutdown`.
public final class CurlTransport: Transport {
    /// The settings it was started with.
    public let configuration: CurlConfiguration
    private let driver: CurlDriver
    private let nextID = Locked(0)

    /// Starts a transport (and its driver thread).
    public init(configuration: CurlConfiguration = CurlConfiguration()) {
        self.configuration = configuration
        self.driver = CurlDriver(configuration: configuration)
    }

    deinit { driver.shutdown() }

    /// Runs `body` with a transport that is shut down when `body` ends, however it ends.
    ///
    /// `nonisolated(nonsending)`, like `Gateway.withClient(task:_:)`: `body` runs on the
    /// caller's isolation (the main actor at top level, an actor, or none), so the scope nests
    /// with `GeminiEmulator.withEmulator` and `withClient` in any order without sending a
    /// non-`Sendable` closure anywhere.
    nonisolated(nonsending) public static func withTransport<Result>(
        configuration: CurlConfiguration = CurlConfiguration(),
        _ body: (CurlTransport) async throws -> Result
    ) async throws -> Result {
        let transport = CurlTransport(configuration: configuration)
        defer { transport.shutdown() }
        return try await body(transport)
    }

    /// Fails in-flight exchanges with `TransportError.shutdown` and waits for the driver
    /// thread to end. Idempotent; later requests fail at once.
    public func shutdown() { driver.shutdown() }

    /// Exchanges the driver currently owns (0 when idle): for tests and diagnostics.
    package var liveHandles: Int { driver.liveHandles }

    /// Counters since the transport started.
    public var statistics: CurlStatistics { driver.statistics.withLock { $0 } }

    /// Body bytes received so far over all exchanges (after decoding).
    public var bytesReceived: Int { statistics.bytesReceived }

    /// Sends `request` and returns the whole response, decoded.
    /// - Throws: `TransportError` (refused, reset, DNS, TLS, timeout, too large, shutdown) or
    ///   `CancellationError`.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        // The whole response in one hand-off from the driver thread, rather than one for the
        // head and more for the body.
        try Task.checkCancellation()
        let context = makeContext(for: request)
        let driver = self.driver
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if context.awaitWhole(continuation) { driver.add(context) }
            }
        } onCancel: {
            driver.cancel(context)
        }
        guard let response = context.takeWholeResponse() else {
            throw TransportError.other("the exchange ended without a response")
        }
        return response
    }

    private func makeContext(for request: TransportRequest) -> CurlRequestContext {
        let id = nextID.withLock { id -> Int in
            id += 1
            return id
        }
        return CurlRequestContext(
            id: id, request: request, maxResponseBytes: configuration.maxResponseBytes,
            highWater: configuration.streamHighWater, statistics: driver.statistics)
    }

    /// Sends `request` and returns when the response head arrives; the body follows as chunks,
    /// and a slow reader pauses the transfer at ``CurlConfiguration/streamHighWater``.
    /// - Throws: `TransportError` or `CancellationError`.
    public func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        try Task.checkCancellation()
        let context = makeContext(for: request)
        let driver = self.driver
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                if context.awaitHead(continuation) { driver.add(context) }
            }
        } onCancel: {
            driver.cancel(context)
        }
        context.headReceived()
        return StreamingTransportResponse(head: head, body: ByteChunks(CurlBody(owner: CurlBodyOwner(context: context, driver: driver))))
    }
}

/// Keeps a streamed exchange alive while its body is read; when the last reference goes, an
/// unfinished transfer is stopped so it cannot sit paused forever.
final class CurlBodyOwner: Sendable {
    let context: CurlRequestContext
    let driver: CurlDriver

    init(context: CurlRequestContext, driver: CurlDriver) {
        self.context = context
        self.driver = driver
    }

    deinit { driver.abandon(context) }

    func next() async throws -> [UInt8]? {
        let (context, driver) = (self.context, self.driver)
        return try await withTaskCancellationHandler {
            try await context.nextChunk { driver.unpause(context.id) }
        } onCancel: {
            driver.cancel(context)
        }
    }
}

/// The body of a curl exchange, chunk by chunk.
struct CurlBody: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let owner: CurlBodyOwner

    struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let owner: CurlBodyOwner
        mutating func next() async throws -> [UInt8]? { try await owner.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(owner: owner) }
}
