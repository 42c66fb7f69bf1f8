import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// Issue 15, item 6: without `.rateLimit(…)` the gateway paces the free tier with 2 % headroom,
/// as gemini-batch does, so a strict server window never sees a request early.
@Suite("Default pacing has headroom", .timeLimit(.minutes(1)))
struct DefaultPacingTests {
    /// The arrival instants of `count` calls of one task on one key, on virtual time.
    private func arrivals(_ count: Int, configure: (GatewayBuilder<EchoTextProvider>) -> GatewayBuilder<EchoTextProvider>) async throws -> [Duration] {
        let clock = ManualClock()
        let mock = MockTransport(clock: clock)
        mock.setDefault(.text("ok"))
        let gateway = try configure(
            Gateway.builder().keys(["pacing-test-key-1"]).transport(mock).provider(EchoTextProvider()).clock(clock)
        ).build()
        _ = try await clock.drive {
            try await gateway.withClient(task: "t") { client in
                for index in 0..<count { _ = try await client.send("call \(index)") }
            }
        }
        return mock.requests.map(\.at.offset)
    }

    @Test("the default spaces requests 60 s / 15 / 0.98 apart, not 4 s")
    func defaultHasTwoPercentHeadroom() async throws {
        let times = try await arrivals(3) { $0 }
        #expect(times.count == 3)
        let expected = RateLimit.geminiFreeTier.withHeadroom(0.02).emissionInterval
        #expect(expected > .seconds(4))
        for (earlier, later) in zip(times, times.dropFirst()) {
            let gap = later - earlier
            #expect(gap >= expected - .milliseconds(1) && gap <= expected + .milliseconds(1), "gap \(gap)")
        }
    }

    @Test("an explicit rate limit is taken as written")
    func explicitLimitIsLiteral() async throws {
        let times = try await arrivals(2) { $0.rateLimit(.tokenBucket(requests: 15, per: .seconds(60))) }
        #expect(times.count == 2)
        #expect(times[1] - times[0] == .seconds(4))
    }
}

/// Sends the prompt; answers with the body.
struct EchoTextProvider: Provider {
    func makeRequest(_ prompt: String, key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-api-key")!] = key.revealSecret()
        let head = HTTPRequest(method: .post, scheme: "https", authority: "echo.invalid", path: "/v1/echo", headerFields: fields)
        return TransportRequest(head: head, body: Array(prompt.utf8))
    }

    func parse(_ response: TransportResponse, for prompt: String) -> Result<String, Failure> {
        response.status == 200
            ? .success(String(decoding: response.body, as: UTF8.self))
            : .failure(Failure(.serverError(status: response.status), status: response.status))
    }
}
