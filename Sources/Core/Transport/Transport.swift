public import HTTPTypes

/// A request as a transport sends it: swift-http-types' `HTTPRequest` plus a body and a timeout.
public struct TransportRequest: Sendable {
    /// Method, scheme, authority, path and header fields.
    public var head: HTTPRequest
    /// The request body (empty for none).
    public var body: [UInt8]
    /// The longest the whole exchange may take, if limited.
    public var timeout: Duration?

    /// A request of `head`, `body` and `timeout`.
    public init(head: HTTPRequest, body: [UInt8] = [], timeout: Duration? = nil) {
        self.head = head
        self.body = body
        self.timeout = timeout
    }
}

/// A complete response: status, header fields and the whole body.
public struct TransportResponse: Sendable {
    /// Status and header fields.
    public var head: HTTPResponse
    /// The whole body.
    public var body: [UInt8]

    /// A response of `head` and `body`.
    public init(head: HTTPResponse, body: [UInt8] = []) {
        self.head = head
        self.body = body
    }

    /// The status code.
    public var status: Int { head.status.code }
}

/// A response whose body arrives as a sequence of byte chunks.
public struct StreamingTransportResponse: Sendable {
    /// Status and header fields.
    public var head: HTTPResponse
    /// The body, as it arrives.
    public var body: ByteChunks

    /// A response of `head` and a streamed `body`.
    public init(head: HTTPResponse, body: ByteChunks) {
        self.head = head
        self.body = body
    }
}

/// Moves HTTP exchanges. Transports never retry and never turn a status into an error: the
/// gateway sees every attempt and classifies it.
///
/// Failures to exchange at all (refused, reset, timeout, …) are thrown as ``TransportError``;
/// cancellation as `CancellationError`.
public protocol Transport: Sendable {
    /// Sends a request and returns the whole response.
    func send(_ request: TransportRequest) async throws -> TransportResponse

    /// Sends a request and returns as soon as the response head arrives; the body follows as chunks.
    func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse
}

extension Transport {
    /// Collects a streamed response; the body is bounded to 64 MiB.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        try await stream(request).collected(maxBodyBytes: 64 << 20)
    }
}

extension StreamingTransportResponse {
    /// The whole response, its body read into one array; fails with
    /// ``TransportError/responseTooLarge(limit:)`` past `maxBodyBytes`.
    public func collected(maxBodyBytes: Int) async throws -> TransportResponse {
        var whole: [UInt8] = []
        for try await chunk in body {
            guard whole.count + chunk.count <= maxBodyBytes else { throw TransportError.responseTooLarge(limit: maxBodyBytes) }
            whole.append(contentsOf: chunk)
        }
        return TransportResponse(head: head, body: whole)
    }
}
