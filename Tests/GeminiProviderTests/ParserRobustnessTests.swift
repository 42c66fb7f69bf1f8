import GatewayCore
import GeminiProvider
import Testing

/// The answer and error parsers are pure functions over bytes: truncated, oversized and random
/// input gives a typed result every time, never a trap, and never a long or key-bearing message.
@Suite("Parser robustness")
struct ParserRobustnessTests {
    let provider = GeminiProvider.fixed()

    static let answer = """
        {"candidates":[{"content":{"parts":[{"text":"Cheyenne is the capital."}],"role":"model"},"finishReason":"STOP","index":0}],\
        "usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":6,"totalTokenCount":13},"modelVersion":"gemini-2.5-flash"}
        """

    @Test("every prefix of a real answer: the whole one decodes, no proper prefix passes as an answer")
    func truncatedAnswers() {
        let bytes = Array(Self.answer.utf8)
        for end in 0..<bytes.count {
            let result = provider.parse(status: 200, bytes: Array(bytes[..<end]))
            guard let failure = result.failure else {
                Issue.record("prefix of \(end) bytes decoded as an answer")
                continue
            }
            #expect(failure.kind == .serverError(status: 200))
        }
        #expect(provider.parse(status: 200, bytes: bytes).success?.generateContent?.text == "Cheyenne is the capital.")
    }

    @Test("every prefix of every error fixture classifies without a trap, with a short message", arguments: ErrorFixtures.all)
    func truncatedErrors(fixture: ErrorFixture) {
        let bytes = Array(fixture.body.utf8)
        for end in stride(from: 0, through: bytes.count, by: 3) {
            let failure = provider.parse(status: fixture.status, bytes: Array(bytes[..<end])).failure
            #expect(failure != nil)
            #expect((failure?.message.count ?? 0) <= 300)
            #expect(failure?.message.contains(ErrorFixtures.echoedKey) != true)
        }
    }

    @Test("JSON nested a hundred thousand deep is refused before decoding")
    func deepNesting() {
        let body = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        let failure = provider.parse(status: 200, bytes: body).failure
        #expect(failure?.message.contains("nested too deeply") == true)
        #expect(provider.parse(status: 500, bytes: body).failure?.kind == .serverError(status: 500))
    }

    @Test("a 16 MiB body of garbage gives a failure with a short snippet")
    func oversized() {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 16 << 20)
        for status in [200, 429, 503] {
            let failure = provider.parse(status: status, bytes: body).failure
            #expect(failure != nil)
            #expect((failure?.message.count ?? .max) <= 300)
        }
    }

    @Test("random bytes under any status give a typed result", arguments: [200, 400, 403, 429, 500, 502])
    func randomBytes(status: Int) {
        var random = SeededRandom(seed: UInt64(status))
        for _ in 0..<300 {
            let count = Int(random.next() % 600)
            var bytes = random.bytes(count)
            if random.next() % 3 == 0 { bytes = Array("{\"error\":".utf8) + bytes }
            let result = provider.parse(status: status, bytes: bytes)
            if status != 200 { #expect(result.failure != nil) }
            #expect((result.failure?.message.count ?? 0) <= 300)
        }
    }
}
