import GatewayCore
import MockTransport
import Testing

@Suite("A call's own wait limit ends that call only")
struct LocalDeadlineTests {
    @Test("a pacing wait past maxQueueWait fails with its own error, and every key stays healthy")
    func queueWait() async throws {
        let h = try Harness(keyCount: 1, options: GatewayOptions(maxQueueWait: .seconds(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run {
                try await gateway.withClient(task: "t") { client in
                    _ = try await client.send(.init("first"))   // the bucket's one token
                    return try await client.send(.init("second"))  // 4 s away, the limit is 1 s
                }
            }
        }
        let gatewayError = try #require(error)
        #expect(gatewayError.kind == .queueWaitExceeded)
        #expect(gatewayError.queueWait?.limit == .seconds(1))
        #expect(gatewayError.queueWait.map { $0.estimate > .seconds(1) } == true)
        #expect(gatewayError.reason.contains("queue limit"))
        #expect(!gatewayError.isKeysExhausted)
        #expect(gateway.snapshot().keys.allSatisfy { $0.health == .active && $0.modelCooling.isEmpty })
        // Another call, later, goes through on the same key.
        let later = try await h.run {
            try await gateway.withClient(task: "other") { client -> String in
                try await h.clock.sleep(until: h.clock.now.advanced(by: .seconds(4)))
                return try await client.send(.init("third"))
            }
        }
        #expect(later == "ok")
    }

    @Test("every key cooling for longer than maxQueueWait: the queue-wait error, not exhaustion")
    func coolingKeys() async throws {
        let h = try Harness(keyCount: 1, options: GatewayOptions(maxQueueWait: .seconds(5)))
        h.gateway.keyProvider.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(60), reach: .key, reason: "429"), for: KeyID(0), at: h.gateway.now)
        let gateway = h.gateway
        let error = await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("p")) } }
        }
        #expect(try #require(error).kind == .queueWaitExceeded)
        #expect(h.mock.requestCount == 0)
    }
}
