// A first look at LLMGateway with no keys and no network: twenty tasks share five keys (one of
// them invalid, two in one project) through the mock transport, paced at 15 requests per 3 s
// per project. Run it with `swift run MockQuickStart`.
import GatewayCore
import HTTPTypes
import MockTransport

/// The smallest possible provider: the prompt travels as the body, the answer comes back as text.
struct EchoProvider: Provider {
    func makeRequest(_ prompt: String, key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-goog-api-key")!] = key.revealSecret()
        let head = HTTPRequest(method: .post, scheme: "https", authority: "llm.example", path: "/v1/echo", headerFields: fields)
        return TransportRequest(head: head, body: Array(prompt.utf8))
    }

    func parse(_ response: TransportResponse, for prompt: String) -> Result<String, Failure> {
        switch response.status {
        case 200: .success(String(decoding: response.body, as: UTF8.self))
        case 400, 401: .failure(Failure(.invalidKey, status: response.status, message: "key rejected"))
        case 429: .failure(Failure(.rateLimited(RateLimitDetails(retryAfter: .seconds(1))), status: 429))
        default: .failure(Failure(.serverError(status: response.status), status: response.status))
        }
    }
}

let secrets = (1...5).map { "demo-key-\($0)-0000000000000\($0)" }
let mock = MockTransport()
mock.setDefault(.status(400), when: .key(secrets[0]))  // key #1 is invalid
mock.setHandler { request, number in
    let prompt = String(decoding: request.body, as: UTF8.self)
    return MockResponse.text("echo: \(prompt.uppercased())").delayed(by: .milliseconds(20))
}

let gateway = try Gateway.builder()
    .keys(.entries(secrets.enumerated().map { index, secret in
        KeySource.Entry(secret: secret, project: index >= 3 ? "shared-project" : nil)
    }))
    .keyProvider(.dedicated)
    .rateLimit(.tokenBucket(requests: 15, per: .seconds(3)))
    .retryPolicy(.classifying(maxAttemptsPerKey: 5))
    .transport(mock)
    .provider(EchoProvider())
    .build()

let start = ContinuousClock.now
let results = try await withThrowingTaskGroup(of: String.self) { group in
    for file in 1...20 {
        group.addTask {
            try await gateway.withClient(task: TaskID("file-\(file)")) { client in
                var answers: [String] = []
                for chunk in 1...3 {
                    answers.append(try await client.send("file \(file) chunk \(chunk)"))
                }
                return "file-\(file) on key \(client.currentKey?.description ?? "?"): \(answers.last ?? "")"
            }
        }
    }
    var lines: [String] = []
    for try await line in group { lines.append(line) }
    return lines
}

for line in results.sorted().prefix(5) { print(line) }
print("… \(results.count) files, \(mock.requestCount) requests in \(ContinuousClock.now - start)")
print(gateway.snapshot())
