import GatewayCore
import MockTransport
import Testing

/// The seed design's documented behaviours, kept.
@Suite("The original design's behaviours")
struct OriginalBehaviourTests {
    @Test("a task reuses its dedicated key across calls")
    func reuse() async throws {
        let h = try Harness(keyCount: 3)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        try await h.run {
            try await gateway.withClient(task: "file_123") { client in
                for _ in 0..<4 { _ = try await client.send(.init("chunk")) }
            }
        }
        #expect(Set(h.mock.requests.map(\.apiKey)).count == 1)
    }

    @Test("5 rate-limited attempts on a key, then rotation to the next key")
    func fiveRetriesThenRotation() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiRateLimited(retryDelay: "1s"), when: .key(h.secret(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        let text = try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        #expect(text == "ok")
        #expect(h.mock.requests.map(\.apiKey) == Array(repeating: h.secret(1), count: 5) + [h.secret(2)])
        // The exhausted key's group cools for the server's delay, then returns.
        #expect(gateway.snapshot().keys[0].health != .active)
        h.clock.advance(by: .seconds(1))
        #expect(gateway.snapshot().keys[0].health == .active)
    }

    @Test("an invalid key rotates immediately, with no wait")
    func invalidKeyRotatesAtOnce() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiInvalidKey, when: .key(h.secret(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        _ = try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        #expect(h.requestTimes == [0, 0])
        #expect(h.mock.requests.map(\.apiKey) == [h.secret(1), h.secret(2)])
    }

    @Test("suspended and leaked keys are disabled with their reason")
    func deniedKeysDisabled() async throws {
        let h = try Harness(keyCount: 3)
        h.mock.setDefault(.geminiSuspendedKey, when: .key(h.secret(1)))
        h.mock.setDefault(.geminiLeakedKey, when: .key(h.secret(2)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        _ = try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        let health = gateway.snapshot().keys.map(\.health)
        guard case .disabled(let first) = health[0], case .disabled(let second) = health[1] else {
            Issue.record("keys #1 and #2 should be disabled: \(health)")
            return
        }
        #expect(first.contains("suspended"))
        #expect(second.contains("leaked"))
        #expect(health[2] == .active)
    }

    @Test("one request every 4 s at 15 per minute")
    func fourSecondSpacing() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        try await h.run {
            try await gateway.withClient(task: "t") { client in
                for _ in 0..<5 { _ = try await client.send(.init("p")) }
            }
        }
        #expect(h.requestTimes == [0, 4, 8, 12, 16])
    }

    @Test("all keys exhausted: a typed error listing each key's fate, masked, with the attempt trail")
    func allKeysExhausted() async throws {
        let h = try Harness(keyCount: 3)
        h.mock.setDefault(.geminiInvalidKey)
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        let exhausted = try #require(error)
        #expect(exhausted.isKeysExhausted)
        #expect(exhausted.attempts.map(\.keyLabel) == ["#1", "#2", "#3"])
        #expect(exhausted.exhaustedKeys?.keys.count == 3)
        let text = exhausted.description
        #expect(text.contains("all 3 keys exhausted"))
        for key in gateway.keys {
            #expect(!text.contains(key.revealSecret()))
            #expect(text.contains(key.masked))
        }
        #expect(gateway.snapshot().totalLeases == 0)
    }

    @Test("when every key is cooling, a call waits for the first to return instead of failing")
    func waitsForCoolingKeys() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.enqueue(.geminiDailyQuotaExceeded())
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        // Two keys would rotate; with one, the daily cooldown (1 h by default) must be waited out.
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        // The single key was excluded by the rotation: the call ends exhausted, not hung.
        #expect(error?.isKeysExhausted == true)
        // A new call later waits for the cooling key to come back, then succeeds.
        let text = try await h.run { try await gateway.withClient(task: "u") { try await $0.send(.init("p")) } }
        #expect(text == "ok")
        #expect(h.requestTimes == [0, 3600])
    }
}
