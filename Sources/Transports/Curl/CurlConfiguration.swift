/// Settings of a ``CurlTransport``.
public struct CurlConfiguration: Sendable, Hashable {
    /// Which HTTP version to ask for.
    public enum HTTPVersion: Sendable, Hashable {
        /// HTTP/2 over TLS when the server offers it (ALPN), HTTP/1.1 otherwise: curl's default.
        case automatic
        /// HTTP/1.1 only.
        case http1_1
        /// HTTP/2 without TLS, assuming the server speaks it (h2c prior knowledge). With
        /// Debian's libcurl 7.88 a reused h2c connection can stall; prefer TLS for multiplexing.
        case http2PriorKnowledge
    }

    /// The longest a connection may take to establish. Default 10 s (curl's own is 300 s).
    public var connectTimeout: Duration
    /// A cap on every whole exchange, unless a request carries its own timeout. Default none.
    public var totalTimeout: Duration?
    /// Abort when fewer than 1 byte per second arrives for this long (whole seconds); the guard
    /// for long streams. Default 60 s. Paused (backpressured) streams are exempt.
    public var idleTimeout: Duration?
    /// The largest response body accepted, after decoding. Default 64 MiB.
    public var maxResponseBytes: Int
    /// Bytes a stream buffers before pausing the transfer until the consumer catches up.
    public var streamHighWater: Int
    /// Connections per host; `0` means no limit (excess requests queue inside curl).
    public var maxConnectionsPerHost: Int
    /// Which HTTP version to ask for. Default ``HTTPVersion/automatic``.
    public var httpVersion: HTTPVersion
    /// Advertise and decode every content encoding curl supports (gzip, deflate, br, zstd).
    public var acceptEncoding: Bool
    /// A PEM file of certificate authorities to trust instead of the system's (a private CA,
    /// a TLS-intercepting proxy, a test server).
    public var caCertificatePath: String?

    /// Creates settings; each default is the one its property names.
    public init(
        connectTimeout: Duration = .seconds(10),
        totalTimeout: Duration? = nil,
        idleTimeout: Duration? = .seconds(60),
        maxResponseBytes: Int = 64 << 20,
        streamHighWater: Int = 1 << 20,
        maxConnectionsPerHost: Int = 0,
        httpVersion: HTTPVersion = .automatic,
        acceptEncoding: Bool = true,
        caCertificatePath: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.idleTimeout = idleTimeout
        self.maxResponseBytes = maxResponseBytes
        self.streamHighWater = streamHighWater
        self.maxConnectionsPerHost = maxConnectionsPerHost
        self.httpVersion = httpVersion
        self.acceptEncoding = acceptEncoding
        self.caCertificatePath = caCertificatePath
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 for any positive duration (curl treats 0 as "no limit").
    var curlMilliseconds: Int {
        let parts = components
        let millis = parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
        return self > .zero ? max(1, Int(clamping: millis)) : 0
    }

    /// Whole seconds, at least 1 for any positive duration.
    var curlSeconds: Int {
        self > .zero ? max(1, Int(clamping: components.seconds)) : 0
    }
}

/// Counters of a ``CurlTransport``, for tests, diagnostics and benchmarks.
public struct CurlStatistics: Sendable, Hashable {
    /// Body bytes received over all exchanges (after decoding).
    public var bytesReceived = 0
    /// New connections curl opened; reused connections do not count.
    public var connectionsOpened = 0
    /// Exchanges that finished over HTTP/2.
    public var http2Exchanges = 0
    /// Exchanges that finished, however they ended.
    public var exchangesFinished = 0
}
