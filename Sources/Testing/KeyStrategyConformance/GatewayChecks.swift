import GatewayCore
import HTTPTypes
import MockTransport

/// The checks that need a whole gateway: leases across `withClient` scopes, condemned keys.
extension KeyStrategyConformance {
    func gateway(rate: RateLimiterChoice = .unlimited) throws -> (Gateway<PlainProvider>, MockTransport, ManualClock) {
        let clock = ManualClock()
        let mock = MockTransport(clock: clock)
        let gateway = try Gateway.builder()
            .keys(.entries(Self.keys.map { .init(secret: $0.revealSecret(), project: $0.project) }))
            .keyProvider(.custom(makeProvider))
            .rateLimit(rate)
            .retryPolicy(.classifying(random: .constant(0.5)))
            .transport(mock)
            .provider(PlainProvider())
            .clock(clock)
            .build()
        return (gateway, mock, clock)
    }

    func leasesAreReleased() async throws {
        let (gateway, mock, clock) = try gateway()
        mock.setDefault(.text("ok"))
        struct Planned: Error {}
        _ = try await clock.drive { try await gateway.withClient(task: "returns") { try await $0.send("q") } }
        _ = try? await clock.drive {
            try await gateway.withClient(task: "throws") { client -> String in
                _ = try await client.send("q")
                throw Planned()
            }
        }
        mock.enqueue(MockResponse.text("late").delayed(by: .seconds(60)))
        let cancelled = Task { try await gateway.withClient(task: "cancelled") { try await $0.send("q") } }
        await clock.waitForSleepers()
        cancelled.cancel()
        _ = try? await cancelled.value
        let leases = gateway.snapshot().totalLeases
        try expect(leases == 0, .leasesAreReleased, "\(leases) leases left after the scopes ended")
    }

    func condemnedKeyIsNotUsed() async throws {
        // One request per 10 s per project: tasks on a key queue for its bucket while the first
        // request's answer condemns the key.
        let (gateway, mock, clock) = try gateway(rate: .tokenBucket(requests: 1, per: .seconds(10)))
        let bad = Self.keys[5].revealSecret()
        mock.setDefault(MockResponse.status(401).delayed(by: .seconds(1)), when: .key(bad))
        mock.setDefault(.text("ok"))
        let answers = try await clock.drive {
            try await withThrowingTaskGroup(of: String.self) { group in
                for task in 0..<12 {
                    group.addTask { try await gateway.withClient(task: TaskID("t\(task)")) { try await $0.send("q") } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        try expect(answers.count == 12 && answers.allSatisfy { $0 == "ok" }, .condemnedKeyIsNotUsed, "answers: \(answers)")
        let toBad = mock.requests(withKey: bad).count
        try expect(toBad <= 1, .condemnedKeyIsNotUsed, "the invalid key got \(toBad) requests")
    }
}

/// A provider for the checks: the prompt goes out as the body; 200 is the answer, 401 an
/// invalid key, 429 a rate limit, 5xx a server error.
struct PlainProvider: Provider {
    func makeRequest(_ request: String, key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-api-key")!] = key.revealSecret()
        let head = HTTPRequest(method: .post, scheme: "https", authority: "conformance.invalid", path: "/ask", headerFields: fields)
        return TransportRequest(head: head, body: Array(request.utf8))
    }

    func parse(_ response: TransportResponse, for request: String) -> Result<String, Failure> {
        switch response.status {
        case 200: .success(String(decoding: response.body, as: UTF8.self))
        case 401: .failure(Failure(.invalidKey, status: 401))
        case 429: .failure(Failure(.rateLimited(RateLimitDetails(window: .perMinute)), status: 429))
        case 500...599: .failure(Failure(.serverError(status: response.status), status: response.status))
        default: .failure(Failure(.badRequest(status: response.status), status: response.status))
        }
    }
}
