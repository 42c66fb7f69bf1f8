import GatewayCore
import GeminiProvider
import HTTPTypes

/// A transport that answers every request at once: what is left of a call's cost is the
/// gateway's own (MockTransport records every request, which would measure the mock).
///
/// Each answer is built afresh, as a real transport's is. Handing every task the same response
/// would make each call retain and release one buffer shared by all of them, a cost of this
/// stand-in, not of the gateway, and one that grows with the number of cores.
public struct InstantTransport: Transport {
    let status: HTTPResponse.Status
    let body: [UInt8]

    public init(body: [UInt8], status: Int = 200) {
        self.status = .init(code: status)
        self.body = body
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        TransportResponse(head: HTTPResponse(status: status), body: body.withUnsafeBufferPointer { Array($0) })
    }

    public func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        StreamingTransportResponse(head: HTTPResponse(status: status), body: ByteChunks([body]))
    }
}

/// A provider with no encoding at all: bytes in, bytes out.
public struct PassthroughProvider: Provider {
    public init() {}
    public func makeRequest(_ request: [UInt8], key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-goog-api-key")!] = key.revealSecret()
        return TransportRequest(
            head: HTTPRequest(method: .post, scheme: "http", authority: "bench", path: "/call", headerFields: fields), body: request)
    }
    public func parse(_ response: TransportResponse, for request: [UInt8]) -> Result<[UInt8], Failure> {
        response.status == 200 ? .success(response.body) : .failure(Failure(.serverError(status: response.status), status: response.status))
    }
}

/// The fixtures every benchmark shares.
public enum Fixtures {
    /// A realistic `generateContent` answer (~450 bytes).
    public static let geminiAnswer = Array("""
        {"candidates":[{"content":{"parts":[{"text":"Heart failure is a condition in which the heart cannot pump enough blood to meet the body's needs; it is managed with medicines, lifestyle changes and sometimes devices."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":38,"totalTokenCount":50},"modelVersion":"gemini-2.5-flash-lite","responseId":"bench-response-0001"}
        """.utf8)

    /// A `generateContent` request with a 200-character prompt.
    public static let geminiRequest = GeminiRequest.generateContent(
        GenerateContentRequest(contents: [.user(String(repeating: "Explain heart failure briefly. ", count: 7))]),
        model: "gemini-2.5-flash-lite")

    /// A limit that never makes anyone wait, so only the limiter's bookkeeping is measured.
    public static let neverBinding = RateLimit(requests: 1_000_000_000, per: .seconds(1), burst: 1_000_000_000)

    public static func secrets(_ count: Int) -> [String] { (0..<count).map { "bench-secret-key-\($0)-xxxxxxxx" } }

    /// A gateway over `keys` keys (10 per project) with the instant transport, the real pool,
    /// limiter and policy.
    public static func gateway<P: Provider>(keys: Int, provider: P, body: [UInt8]) throws -> Gateway<P> {
        try Gateway.builder()
            .keys(.entries(secrets(keys).enumerated().map { .init(secret: $1, project: "project-\($0 / 10)") }))
            .rateLimit(.tokenBucket(neverBinding))
            .transport(InstantTransport(body: body))
            .provider(provider)
            .build()
    }
}
