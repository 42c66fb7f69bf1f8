import GatewayCore
import GeminiProvider
import HTTPTypes
import MockTransport
import Testing

/// Streamed calls through the gateway: retried and rotated until the first chunk, never after.
@Suite("Streaming through the gateway")
struct StreamingGatewayTests {
    let clock = ManualClock()
    let mock: MockTransport
    let gateway: Gateway<GeminiProvider>

    init() throws {
        mock = MockTransport(clock: clock)
        gateway = try Gateway.builder()
            .keys(.list(["fake-stream-test-key-0001", "fake-stream-test-key-0002"]))
            .rateLimit(.tokenBucket(requests: 60, per: .seconds(60)))
            .retryPolicy(.classifying(maxAttemptsPerKey: 3))
            .transport(mock)
            .provider(GeminiProvider.fixed())
            .clock(clock)
            .build()
    }

    func streamed(_ prompt: String = "tell me") async throws -> StreamedAnswer {
        let gateway = gateway
        return try await drive(clock) {
            try await gateway.withClient(task: "t") { client in
                try await client.streamGenerate(prompt).collectAnswer()
            }
        }
    }

    @Test("the happy path: every delta in order, complete with STOP, one request with alt=sse and the key in the header")
    func happyPath() async throws {
        mock.enqueue(.geminiStream(["Once ", "upon ", "a time."]))
        let answer = try await streamed()
        #expect(answer.text == "Once upon a time.")
        #expect(answer.finishReason == .stop)
        #expect(answer.chunks == 3)
        #expect(answer.usage?.totalTokenCount == 11)
        let request = try #require(mock.requests.first)
        #expect(mock.requestCount == 1)
        #expect(request.request.head.path?.hasSuffix("models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse") == true)
        #expect(request.request.head.path?.contains("fake-stream-test-key") == false)
        #expect(request.apiKey == "fake-stream-test-key-0001")
    }

    @Test("a 429 before the stream starts is waited out through RetryInfo, then the stream runs")
    func rateLimitBeforeFirstByte() async throws {
        mock.enqueue(.geminiRateLimited(retryDelay: "7s"), .geminiStream(["ok"]))
        let started = clock.now
        let answer = try await streamed()
        #expect(answer.text == "ok" && answer.isComplete)
        #expect(mock.requestCount == 2)
        #expect(started.duration(to: mock.requests[1].at) >= .seconds(7))
    }

    @Test("an invalid key before the first byte rotates to the other key")
    func invalidKeyRotates() async throws {
        mock.setDefault(.geminiInvalidKey, when: .key("fake-stream-test-key-0001"))
        mock.enqueue(.geminiStream(["fine"]), when: .key("fake-stream-test-key-0002"))
        let answer = try await streamed()
        #expect(answer.text == "fine")
        let states = gateway.snapshot().keys.map { "\($0.health)" }
        #expect(states.first?.hasPrefix("disabled") == true)
    }

    @Test("a connection cut before any event is retried; no text is lost or doubled")
    func cutBeforeFirstEvent() async throws {
        mock.enqueue(.stream([], cutWith: TransportError.connectionReset("peer reset")), .geminiStream(["whole"]))
        let answer = try await streamed()
        #expect(answer.text == "whole")
        #expect(mock.requestCount == 2)
    }

    @Test("a cut after the first chunk ends the stream as incomplete with the partial text, and nothing is replayed")
    func cutAfterFirstChunk() async throws {
        mock.enqueue(.geminiStream(["Half ", "a story"], finished: false, cutWith: TransportError.connectionReset("peer reset")))
        let answer = try await streamed()
        #expect(answer.text == "Half a story")
        #expect(!answer.isComplete)
        guard case .incomplete(let failure) = answer.completion else { return }
        #expect(failure.kind == .connectionFailure)
        #expect(mock.requestCount == 1)
    }

    @Test("iterating deltas throws StreamInterruptedError naming the key label, never its text")
    func interruptionError() async throws {
        mock.enqueue(.geminiStream(["one "], finished: false, cutWith: TransportError.connectionReset("gone")))
        let gateway = gateway
        let (deltas, error) = try await drive(clock) { () async throws -> ([String], StreamInterruptedError?) in
            try await gateway.withClient(task: "t") { client in
                var deltas: [String] = []
                do {
                    for try await delta in try await client.streamGenerate("x").textDeltas { deltas.append(delta) }
                } catch let error as StreamInterruptedError {
                    return (deltas, error)
                }
                return (deltas, nil)
            }
        }
        #expect(deltas == ["one "])
        let interruption = try #require(error)
        #expect(interruption.eventsDelivered == 1)
        #expect(interruption.keyLabel == "#1")
        #expect(!"\(interruption)".contains("fake-stream"))
    }

    @Test("a clean end without finishReason is incomplete, not silently complete")
    func endWithoutFinishReason() async throws {
        mock.enqueue(.geminiStream(["partial"], finished: false))
        let answer = try await streamed()
        #expect(answer.text == "partial")
        #expect(!answer.isComplete)
    }

    @Test("a blocked prompt on a stream stops at once: no retry, no key blamed")
    func blockedStream() async throws {
        mock.enqueue(.stream([#"data: {"promptFeedback": {"blockReason": "SAFETY"}}"# + "\r\n\r\n"]))
        await #expect(throws: GatewayError.self) { try await streamed() }
        #expect(mock.requestCount == 1)
        #expect(gateway.snapshot().keys.allSatisfy { "\($0.health)" == "active" })
    }

    @Test("only generateContent can be streamed")
    func notStreamable() throws {
        let request = GeminiRequest.countTokens(CountTokensRequest(contents: [.user("x")]), model: "gemini-2.5-flash")
        #expect(throws: GeminiError.self) { try GeminiProvider().makeStreamingRequest(request, key: testKey()) }
    }
}
