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
