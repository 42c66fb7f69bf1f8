public import HTTPTypes

/// One scripted answer of a ``MockTransport``.
public struct MockResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Response header fields.
    public var headers: HTTPFields
    /// The body, as the chunks it is streamed in (one chunk for a plain body).
    public var chunks: [[UInt8]]
    /// How long to wait (on the transport's clock) before answering.
    public var delay: Duration?
    /// If set, the exchange fails with this error instead of answering.
    public var error: (any Error & Sendable)?
    /// If set, the body stream fails with this error after the chunks (a cut connection).
    public var streamError: (any Error & Sendable)?
    /// A pause before each streamed chunk after the first (on the transport's clock).
    public var chunkDelay: Duration?

    /// A response with every part spelled out; the static helpers (``text(_:status:contentType:)``,
    /// ``json(_:status:)``, ``status(_:)``, the Gemini fixtures) are shorter.
    public init(
        status: Int = 200, headers: HTTPFields = [:], chunks: [[UInt8]] = [],
        delay: Duration? = nil, error: (any Error & Sendable)? = nil, streamError: (any Error & Sendable)? = nil
    ) {
        self.status = status
        self.headers = headers
        self.chunks = chunks
        self.delay = delay
        self.error = error
        self.streamError = streamError
    }

    /// The whole body.
    public var body: [UInt8] { chunks.flatMap { $0 } }

    /// A response with a text body.
    public static func text(_ body: String, status: Int = 200, contentType: String = "text/plain") -> MockResponse {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return MockResponse(status: status, headers: headers, chunks: [Array(body.utf8)])
    }

    /// A JSON response.
    public static func json(_ body: String, status: Int = 200) -> MockResponse {
        text(body, status: status, contentType: "application/json; charset=UTF-8")
    }

    /// A status with an empty body.
    public static func status(_ code: Int) -> MockResponse { MockResponse(status: code) }

    /// The exchange fails with `error` (e.g. `TransportError.connectionReset`).
    public static func failure(_ error: any Error & Sendable) -> MockResponse { MockResponse(error: error) }

    /// A streamed body, one chunk per element; `cutWith` ends the stream with an error.
    public static func stream(_ chunks: [String], status: Int = 200, cutWith error: (any Error & Sendable)? = nil) -> MockResponse {
        MockResponse(status: status, chunks: chunks.map { Array($0.utf8) }, streamError: error)
    }

    /// The same response, streaming its chunks `interval` apart.
    public func pacedChunks(every interval: Duration) -> MockResponse {
        var copy = self
        copy.chunkDelay = interval
        return copy
    }

    /// The same response, answered after `delay`.
    public func delayed(by delay: Duration) -> MockResponse {
        var copy = self
        copy.delay = delay
        return copy
    }
}
