import Foundation
import GatewayCore
import MockTransport
import Testing

@Suite("MockTransport regressions", .timeLimit(.minutes(1)))
struct MockRegressionTests {
    @Test("a custom predicate may read the mock itself (predicates run outside its lock, before the request is recorded)")
    func reentrantPredicate() async throws {
        let mock = MockTransport(clock: ManualClock())
        mock.setDefault(.status(204), when: .custom { _ in mock.requestCount > 0 })
        mock.setDefault(.status(200))
        let first = try await mock.send(makeRequest())
        let second = try await mock.send(makeRequest())
        #expect(first.status == 200)
        #expect(second.status == 204)
    }

    @Test("Gemini fixture parameters are JSON-escaped")
    func fixtureParametersEscaped() throws {
        let tricky = "a\"b\\c\nd"
        for response in [
            MockResponse.geminiRateLimited(retryDelay: tricky, quotaID: tricky, model: tricky),
            MockResponse.geminiBlocked(reason: tricky),
        ] {
            let object = try JSONSerialization.jsonObject(with: Data(response.body))
            #expect(String(describing: object).contains("a\\\"b"))
        }
    }
}

@Suite("MockTransport timeouts", .timeLimit(.minutes(1)))
struct MockTimeoutTests {
    @Test("a response slower than the request's timeout fails with a timeout at the timeout")
    func requestTimeout() async throws {
        let clock = ManualClock()
        let mock = MockTransport(clock: clock)
        mock.setDefault(MockResponse.status(200).delayed(by: .seconds(30)))
        var request = makeRequest()
        request.timeout = .seconds(5)
        let call = Task { try await mock.send(request) }
        await clock.waitForSleepers(count: 1)
        #expect(clock.nextDeadline == GatewayClock.Instant(offset: .seconds(5)))
        clock.advance(by: .seconds(5))
        let error = await #expect(throws: TransportError.self) { try await call.value }
        #expect(error?.isSameKind(as: .timeout()) == true)
    }
}
