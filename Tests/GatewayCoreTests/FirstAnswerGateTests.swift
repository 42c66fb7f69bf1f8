import GatewayCore
import MockTransport
import Testing

@Suite("A key's first request goes alone")
struct FirstAnswerGateTests {
    @Test("a file starting on an untested bad key with the window open wide sends it one request, not ten")
    func wideWindow() async throws {
        // Requests may go every 0.2 s on each key; answers take 2 s: once the latency is known, a
        // batch starts about ten calls at once.
        let h = try Harness(keyCount: 2, rate: .tokenBucket(RateLimit(requests: 1, per: .milliseconds(200))))
        h.mock.setDefault(MockResponse.geminiInvalidKey.delayed(by: .seconds(2)), when: .key(h.secret(2)))
        h.mock.setDefault(MockResponse.geminiText("ok").delayed(by: .seconds(2)))
        let gateway = h.gateway
        let results = try await h.run {
            // The first file measures the latency on key #1; the next takes key #2, chosen longer ago.
            _ = try await gateway.withClient(task: "first") { await $0.sendAll([.init("warm")]) }
            return try await gateway.withClient(task: "second") { await $0.sendAll((0..<20).map { _ in TestProvider.Request("c") }) }
        }
        #expect(results.allSatisfy { (try? $0.get()) == "ok" })
        #expect(h.mock.requests(withKey: h.secret(2)).count == 1)
        #expect(h.mock.requests(withKey: h.secret(1)).count == 21)
    }

    @Test("tasks starting together on one untested key wait for its first answer, then go at the pace")
    func tasksTogether() async throws {
        let h = try Harness(keyCount: 1, rate: .tokenBucket(RateLimit(requests: 1, per: .milliseconds(100))))
        h.mock.setDefault(MockResponse.geminiText("ok").delayed(by: .seconds(1)))
        let gateway = h.gateway
        let answers = try await h.run {
            try await withThrowingTaskGroup(of: String.self) { group in
                for task in 0..<3 {
                    group.addTask { try await gateway.withClient(task: TaskID("t\(task)")) { try await $0.send(.init("p")) } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(answers == ["ok", "ok", "ok"])
        // The first at 0; the others once it answered (1 s), one pace interval apart.
        #expect(h.requestTimes.count == 3 && h.requestTimes[0] == 0 && h.requestTimes[1] >= 1 && h.requestTimes[2] >= 1)
    }

    @Test("a task waiting for a key's first answer can be cancelled; the key opens when the answer comes")
    func cancelledWaiter() async throws {
        let h = try Harness(keyCount: 1, rate: .tokenBucket(RateLimit(requests: 1, per: .milliseconds(100))))
        h.mock.setDefault(MockResponse.geminiText("ok").delayed(by: .seconds(10)))
        let gateway = h.gateway
        let clock = h.clock
        let (first, waiterError, later) = try await h.run {
            let first = Task { try await gateway.withClient(task: "first") { try await $0.send(.init("p")) } }
            try await clock.sleep(until: clock.now.advanced(by: .seconds(1)))
            let waiter = Task { try await gateway.withClient(task: "waiter") { try await $0.send(.init("p")) } }
            try await clock.sleep(until: clock.now.advanced(by: .seconds(1)))
            waiter.cancel()
            let waiterError: (any Error)? = await { do { _ = try await waiter.value; return nil } catch { return error } }()
            let answer = try await first.value
            let later = try await gateway.withClient(task: "later") { try await $0.send(.init("p")) }
            return (answer, waiterError, later)
        }
        #expect(first == "ok")
        #expect(waiterError is CancellationError)
        #expect(later == "ok")
        #expect(h.mock.requests.count == 2)  // the cancelled waiter sent nothing; the later task went at once
    }
}
