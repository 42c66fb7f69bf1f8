// snippet.hide
// DocC, "Writing your own parts": a provider, a transport and a retry policy of your own,
// plugged into one builder. Runs offline.
// snippet.show
import GatewayCore
import HTTPTypes

/// A provider: how a request becomes HTTP, and how an answer becomes a value or a `Failure`.
struct EchoProvider: Provider {
    func makeRequest(_ prompt: String, key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-api-key")!] = key.revealSecret()    // only ever in a header
        let head = HTTPRequest(method: .post, scheme: "https", authority: "llm.example", path: "/v1/echo", headerFields: fields)
        return TransportRequest(head: head, body: Array(prompt.utf8))
    }

    func parse(_ response: TransportResponse, for prompt: String) -> Result<String, Failure> {
        switch response.status {
        case 200: .success(String(decoding: response.body, as: UTF8.self))
        case 401: .failure(Failure(.invalidKey, status: 401))
        case 429: .failure(Failure(.rateLimited(RateLimitDetails(retryAfter: .seconds(1))), status: 429))
        default: .failure(Failure(.serverError(status: response.status), status: response.status))
        }
    }
}

/// A transport: answers in process (a real one would speak HTTP). `send` comes for free.
struct LoopbackTransport: Transport {
    func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        StreamingTransportResponse(head: HTTPResponse(status: .ok), body: ByteChunks([Array("echo: ".utf8), request.body]))
    }
}

/// A retry policy: the failure's kind and the attempt decide; `default:` for kinds added later.
struct TwiceThenStop: RetryPolicy {
    func decide(after failure: Failure, context: RetryContext) -> RetryDecision {
        switch failure.kind {
        case .invalidKey:
            .rotate(.disable(reach: .key, reason: "rejected"), after: .zero)
        case .rateLimited, .serverError:
            context.attemptOnKey < 2 ? .retry(after: .milliseconds(100)) : .stop(.notAtFault)
        default:
            .stop(.notAtFault)
        }
    }
}

let gateway = try Gateway.builder()
    .keys(["custom-parts-key-0001"])
    .retryPolicy(TwiceThenStop())
    .transport(LoopbackTransport())
    .provider(EchoProvider())
    .build()
print(try await gateway.withClient(task: "t") { try await $0.send("hello") })   // echo: hello
