import GatewayCore
import MockTransport
import Testing

@Suite("Cancellation and scopes")
struct CancellationTests {
    /// Starts a call in a task, waits until it sleeps on the clock, cancels it, and checks it
    /// ends with `CancellationError` and leaves no lease behind.
    func cancelWhileSleeping(_ h: Harness, sleepers: Int = 1) async throws {
        let gateway = h.gateway
        let call = Task { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        await h.clock.waitForSleepers(count: sleepers)
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(gateway.snapshot().totalLeases == 0)
        #expect(h.clock.sleeperCount == 0)
    }

    @Test("cancelled during a retry backoff: no further attempt")
    func duringBackoff() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(.geminiServerError(503))
        try await cancelWhileSleeping(h)
        h.clock.advance(by: .seconds(60))
        #expect(h.mock.requestCount == 1)
    }

    @Test("cancelled while the transport is answering: the exchange is abandoned")
    func duringTransport() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(MockResponse.geminiText("late").delayed(by: .seconds(30)))
        try await cancelWhileSleeping(h)
        #expect(h.mock.inFlight == 0)
    }

    @Test("cancelled while every key is cooling")
    func whileKeysCool() async throws {
        let h = try Harness(keyCount: 1)
        h.gateway.keyProvider.report(
            .failure(.other), verdict: .coolDown(for: .seconds(600), reach: .key, reason: "test"), for: KeyID(0), at: h.gateway.now)
        try await cancelWhileSleeping(h)
        #expect(h.mock.requestCount == 0)
    }

    @Test("two scopes of one task share its lease until the last one ends")
    func sharedScopes() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        try await gateway.withClient(task: "t") { outer in
            _ = try await outer.send(.init("a"))
            let key = outer.currentKey
            try await gateway.withClient(task: "t") { inner in
                #expect(inner.currentKey == key)
            }
            #expect(outer.currentKey == key)
            #expect(gateway.snapshot().totalLeases == 1)
        }
        #expect(gateway.snapshot().totalLeases == 0)
    }

    @Test("a lease is released when the scope's body throws")
    func releasedOnThrow() async throws {
        struct Boom: Error {}
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        await #expect(throws: Boom.self) {
            try await gateway.withClient(task: "t") { client in
                _ = try await client.send(.init("p"))
                throw Boom()
            }
        }
        #expect(gateway.snapshot().totalLeases == 0)
    }
}

@Suite("Health re-checked after pacing")
struct HealthAfterPacingTests {
    @Test("a key condemned while tasks waited in its bucket gets no further request from them")
    func condemnedDuringWait() async throws {
        let h = try Harness(keyCount: 2, rate: .tokenBucket(requests: 1, per: .seconds(10)))
        // The verdict arrives after every task has chosen its key and queued for its bucket.
        h.mock.setDefault(MockResponse.geminiInvalidKey.delayed(by: .seconds(1)), when: .key(h.secret(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        let answers = try await h.run {
            try await withThrowingTaskGroup(of: String.self) { group in
                for task in 0..<4 {
                    group.addTask { try await gateway.withClient(task: TaskID("t\(task)")) { try await $0.send(.init("p")) } }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(answers == ["ok", "ok", "ok", "ok"])
        #expect(h.mock.requests(withKey: h.secret(1)).count == 1)
    }
}
