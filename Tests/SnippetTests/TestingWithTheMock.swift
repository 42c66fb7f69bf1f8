import GatewayCore
import GeminiProvider
import MockTransport
import Testing

@Test func rotatesAwayFromAnInvalidKey() async throws {
    let badKey = "test-key-invalid-0001", goodKey = "test-key-valid-0002"
    let clock = ManualClock()
    let mock = MockTransport(clock: clock)
    mock.setDefault(.geminiInvalidKey, when: .key(badKey))     // the most specific script wins
    mock.enqueue(.geminiRateLimited(retryDelay: "7s"), .geminiText("hello"))
    let gateway = try Gateway.builder()
        .keys([badKey, goodKey])
        .transport(mock)
        .provider(.gemini())
        .clock(clock)
        .build()

    let text = try await clock.drive {                       // virtual time jumps from sleeper to sleeper
        try await gateway.withClient(task: "t") { try await $0.generate("hi") }
    }

    #expect(text == "hello")
    #expect(mock.requests(withKey: badKey).count == 1)         // refused once, never asked again
    #expect(mock.requests(withKey: goodKey).count == 2)        // the 429, then the answer
    #expect(mock.requests[2].at.offset >= .seconds(7))         // the server's retryDelay, on virtual time
    #expect(gateway.snapshot().keys[0].health.isDisabled)
}
