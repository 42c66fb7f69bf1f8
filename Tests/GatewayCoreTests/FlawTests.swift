import GatewayCore
import MockTransport
import Testing

/// One test per flaw of the original design (ARCHITECTURE.md lists the ten), each showing it is fixed.
@Suite("Flaws of the original design, fixed")
struct FlawTests {
    @Test("1: leases are released when a task ends, so later tasks get free keys instead of sharing")
    func leasesAreReleased() async throws {
        let h = try Harness(keyCount: 3)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        for index in 1...3 {
            _ = try await h.run { try await gateway.withClient(task: TaskID("early-\(index)")) { try await $0.send(.init("p")) } }
        }
        #expect(gateway.snapshot().totalLeases == 0)

        // Three concurrent tasks, two calls each: each must hold a key of its own.
        let used = try await h.run {
            try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 1...3 {
                    group.addTask {
                        try await gateway.withClient(task: TaskID("late-\(index)")) { client in
                            _ = try await client.send(.init("a"))
                            _ = try await client.send(.init("b"))
                            return [client.currentKey!.label, client.currentKey!.label]
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
        }
        #expect(Set(used).count == 3)
        // Each key paced on its own (the early tasks used each once at t = 0): had two tasks
        // shared a key, its four requests would stretch to t = 16 s.
        #expect(h.requestTimes.suffix(6).sorted() == [4, 4, 4, 8, 8, 8])
        #expect(gateway.snapshot().totalLeases == 0)
    }

    @Test("2: a key found invalid by one task is disabled for every task")
    func invalidKeyDisabledForAll() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiInvalidKey, when: .key(h.secret(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        for task in ["a", "b", "c", "d"] {
            let text = try await h.run { try await gateway.withClient(task: TaskID(task)) { try await $0.send(.init("p")) } }
            #expect(text == "ok")
        }
        #expect(h.mock.requests(withKey: h.secret(1)).count == 1)
        let first = gateway.snapshot().keys[0]
        guard case .disabled(let reason) = first.health else {
            Issue.record("key #1 should be disabled, is \(first.health)")
            return
        }
        #expect(reason.contains("invalid key"))
    }

    @Test("3: pacing is per key: two tasks sharing one key do not double its rate")
    func pacingPerKeyNotPerClient() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        try await h.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in ["a", "b"] {
                    group.addTask {
                        try await gateway.withClient(task: TaskID(task)) { client in
                            _ = try await client.send(.init("1"))
                            _ = try await client.send(.init("2"))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        #expect(h.requestTimes == [0, 4, 8, 12])
    }

    @Test("4: the server's retry delay is honoured exactly, not a fixed 10 + 5·n s sleep")
    func serverDelayHonoured() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.enqueue(.geminiRateLimited(retryDelay: "7.5s"), .geminiRateLimited(retryDelay: "26s"), .geminiText("ok"))
        let gateway = h.gateway
        let text = try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        #expect(text == "ok")
        #expect(h.requestTimes == [0, 7.5, 33.5])
    }

    @Test("4b: without a server delay, a rate limit backs off with jittered exponential delays")
    func backoffWithoutServerDelay() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.enqueue(.geminiBareRateLimited, .geminiBareRateLimited, .geminiText("ok"))
        let gateway = h.gateway
        _ = try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        // rateLimitBackoff 5 s × 2ⁿ, jitter factor 0.75 + 0.25·0.5 = 0.875: 4.375 s, then 8.75 s.
        #expect(h.requestTimes == [0, 4.375, 13.125])
    }

    @Test("5: failures are classified from structure, not from digits in a message")
    func noSubstringClassification() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.json(
            #"{"error":{"code":400,"message":"field 500 of 429 RESOURCE_EXHAUSTED PERMISSION_DENIED is invalid","status":"INVALID_ARGUMENT"}}"#,
            status: 400))
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        #expect(error?.failure?.kind == .badRequest(status: 400))
        #expect(error?.attempts.count == 1)
        #expect(h.mock.requestCount == 1)
        #expect(gateway.snapshot().activeKeys.count == 2)
    }

    @Test("6: a server error on the last attempt does not rotate or blame the key")
    func serverErrorNeverBlamesKey() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiServerError(503))
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        #expect(error?.failure?.kind == .serverError(status: 503))
        #expect(error?.attempts.count == 5)
        #expect(Set(h.mock.requests.map(\.apiKey)) == [h.secret(1)])
        #expect(gateway.snapshot().keys.allSatisfy { $0.health == .active })
    }

    @Test("7: a blocked prompt is not retried and no key is rotated")
    func blockedNotRetried() async throws {
        let h = try Harness(keyCount: 3)
        h.mock.setDefault(.geminiBlocked(reason: "SAFETY"))
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        #expect(error?.failure?.kind == .blocked(reason: "SAFETY"))
        #expect(h.mock.requestCount == 1)
        #expect(gateway.snapshot().keys.allSatisfy { $0.health == .active })
    }

    @Test("8: keys of one project share one quota; undeclared keys are paced independently")
    func projectSharesQuota() async throws {
        let shared = try Harness(keys: .list(Harness.secrets(2), project: "proj-a"))
        shared.mock.setDefault(.geminiText("ok"))
        try await runTwoTasksTwice(shared)
        #expect(shared.requestTimes == [0, 4, 8, 12])
        #expect(Set(shared.mock.requests.map(\.apiKey)).count == 2)

        let separate = try Harness(keyCount: 2)
        separate.mock.setDefault(.geminiText("ok"))
        try await runTwoTasksTwice(separate)
        #expect(separate.requestTimes == [0, 0, 4, 4])
    }

    private func runTwoTasksTwice(_ h: Harness) async throws {
        let gateway = h.gateway
        try await h.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in ["a", "b"] {
                    group.addTask {
                        try await gateway.withClient(task: TaskID(task)) { client in
                            _ = try await client.send(.init("1"))
                            _ = try await client.send(.init("2"))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test("9: a per-day quota cools the key's group until the reset and rotates at once")
    func dailyQuotaCoolsUntilReset() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiDailyQuotaExceeded(), when: .key(h.secret(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        let text = try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        #expect(text == "ok")
        #expect(h.requestTimes == [0, 0])
        let first = gateway.snapshot().keys[0]
        guard case .cooling(let until, let reason) = first.health else {
            Issue.record("key #1 should be cooling, is \(first.health)")
            return
        }
        #expect(until.offset == .seconds(3600))
        #expect(reason.contains("daily"))
        // Another task does not touch the cooling key; after the reset it is back.
        _ = try await h.run { try await gateway.withClient(task: "u") { try await $0.send(.init("p")) } }
        #expect(h.mock.requests(withKey: h.secret(1)).count == 1)
        h.clock.advance(by: .seconds(3600))
        #expect(gateway.snapshot().keys[0].health == .active)
    }

    @Test("10a: a task cancelled while waiting for its quota slot stops at once and leaks nothing")
    func cancellationWhileWaiting() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        _ = try await gateway.withClient(task: "a") { try await $0.send(.init("p")) }
        let waiting = Task { try await gateway.withClient(task: "b") { try await $0.send(.init("p")) } }
        await h.clock.waitForSleepers(count: 1)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(gateway.snapshot().totalLeases == 0)
        #expect(h.mock.requestCount == 1)
        // The cancelled wait consumed no slot: the next task goes at t = 4 s, not 8 s.
        let next = Task { try await gateway.withClient(task: "c") { try await $0.send(.init("p")) } }
        await h.clock.waitForSleepers(count: 1)
        h.clock.advance(by: .seconds(4))
        _ = try await next.value
        #expect(h.requestTimes == [0, 4])
    }

    @Test("10b: a deadline that a wait would pass fails at once instead of sleeping")
    func deadlineFailsFast() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.enqueue(.geminiRateLimited(retryDelay: "30s"))
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await gateway.withClient(task: "t") { try await $0.send(.init("p"), deadline: .seconds(10)) }
        }
        #expect(error?.isDeadlineExceeded == true)
        #expect(h.clock.now.offset == .zero)
        #expect(error?.attempts.count == 1)
    }
}
