import Foundation
import GatewayCore
import HTTPTypes
import OpenAICompatibleProvider
import Testing

@Suite("OpenAI-compatible errors are classified from their structure")
struct ClassificationTests {
    let provider = OpenAICompatibleProvider(.local("http://127.0.0.1:9/v1"))

    func response(status: Int, body: String, headers: [String: String] = [:]) -> TransportResponse {
        var fields = HTTPFields()
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return TransportResponse(head: HTTPResponse(status: .init(code: status), headerFields: fields), body: Array(body.utf8))
    }

    @Test("each real envelope maps to its kind", arguments: ErrorFixtures.all)
    func classifies(_ fixture: ErrorFixture) throws {
        let result = provider.parse(response(status: fixture.status, body: fixture.body, headers: fixture.headers), for: .models)
        guard case .failure(let failure) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.kind == fixture.expected)
        #expect(failure.status == fixture.status)
        #expect(!failure.message.contains("<"), "tags are stripped: \(failure.message)")
    }

    @Test("the classifying policy answers each family as the issue asks")
    func decisions() throws {
        let policy = ClassifyingRetryPolicy(random: .constant(0.5))
        func decide(_ name: String) throws -> RetryDecision {
            let fixture = try #require(ErrorFixtures.all.first { $0.name == name })
            guard case .failure(let failure) = provider.parse(response(status: fixture.status, body: fixture.body, headers: fixture.headers), for: .models)
            else { throw CancellationError() }
            return policy.decide(after: failure, context: RetryContext(attemptOnKey: 1, attempt: 1, model: "m"))
        }
        #expect(try decide("429 rate_limit_exceeded with retry-after") == .retry(after: .seconds(2)))
        guard case .rotate(.disable(reach: .quotaGroup, _), _) = try decide("429 insufficient_quota is billing") else {
            Issue.record("insufficient_quota disables the project and rotates, no retry")
            return
        }
        guard case .rotate(.disable(reach: .key, _), _) = try decide("401 invalid_api_key") else {
            Issue.record("an invalid key is disabled")
            return
        }
        #expect(try decide("400 context_length_exceeded") == .stop(.notAtFault))
        #expect(try decide("404 model_not_found") == .stop(.notAtFault))
        guard case .retry = try decide("503 server_is_overloaded") else {
            Issue.record("503 backs off")
            return
        }
    }

    @Test("a content_filter finish is blocked, not a success and not retried")
    func contentFilter() {
        let body = #"{"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"content_filter"}]}"#
        let result = provider.parse(response(status: 200, body: body), for: .chat(ChatRequest(model: "m", messages: [.user("x")])))
        guard case .failure(let failure) = result else {
            Issue.record("expected blocked")
            return
        }
        #expect(failure.kind == .blocked(reason: "content_filter"))
    }

    @Test("hostile bodies give a failure, never a crash", arguments: [
        "", "null", "[]", "[1]", "{}", #"{"error":null}"#, #"{"error":{"message":{"nested":[1,2]},"code":[]}}"#,
        String(repeating: "[", count: 10_000), "\u{0}\u{1}binary", #"{"error":{"message":"x","code":1e400}}"#,
    ])
    func hostile(_ body: String) {
        for status in [200, 400, 429, 500] {
            let result = provider.parse(response(status: status, body: body), for: .chat(ChatRequest(model: "m", messages: [.user("x")])))
            if case .success = result { Issue.record("\(status) \(body.prefix(20)) decoded as an answer") }
        }
    }

    @Test("rate-limit headers are read, Go durations included", arguments: [
        ("1s", Duration.seconds(1)), ("6m0s", .seconds(360)), ("12ms", .milliseconds(12)), ("2m59.56s", .milliseconds(179_560)),
        ("114h18m0s", .seconds(411_480)),
    ])
    func headers(reset: String, expected: Duration) throws {
        let head = HTTPResponse(status: .ok, headerFields: [
            HTTPField.Name("x-ratelimit-limit-requests")!: "500", HTTPField.Name("x-ratelimit-remaining-requests")!: "499",
            HTTPField.Name("x-ratelimit-reset-requests")!: reset, HTTPField.Name("x-ratelimit-limit-tokens")!: "-1",
        ])
        let limits = try #require(provider.serverRateLimits(in: head))
        #expect(limits.requestLimit == 500 && limits.requestsRemaining == 499)
        #expect(limits.requestsReset == expected)
        #expect(limits.tokenLimit == nil)  // a placeholder -1 is unknown
    }

    @Test("answers without rate-limit headers announce nothing; garbage durations are ignored")
    func noHeaders() {
        #expect(provider.serverRateLimits(in: HTTPResponse(status: .ok)) == nil)
        let head = HTTPResponse(status: .ok, headerFields: [HTTPField.Name("x-ratelimit-reset-requests")!: "soon", HTTPField.Name("x-ratelimit-remaining-requests")!: "x"])
        #expect(provider.serverRateLimits(in: head) == nil)
    }
}
