#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes
import Testing

@Suite("Emulator over HTTP: the OpenAI surface's rate-limit headers and 429s", .timeLimit(.minutes(1)))
struct OpenAIHeadersHTTPTests {
    @Test("answers carry limit, remaining and a Go-duration reset for requests, and for tokens when a tpm is set")
    func present() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 5, tpm: 1000)])) { harness in
            let first = try await harness.chat()
            #expect(first.status == 200)
            #expect(first.header("x-ratelimit-limit-requests") == "5")
            #expect(first.header("x-ratelimit-remaining-requests") == "4")
            let reset = try #require(goDurationSeconds(first.header("x-ratelimit-reset-requests") ?? ""))
            #expect(reset > 0 && reset <= 60, "the window is full again at most a quota minute after the request")
            #expect(first.header("x-ratelimit-limit-tokens") == "1000")
            // "Be brief." + "Hello" = 14 characters → 4 prompt tokens, plus "Emulated answer to: Hello" = 4 words.
            #expect(first.header("x-ratelimit-remaining-tokens") == "992")
            #expect(goDurationSeconds(first.header("x-ratelimit-reset-tokens") ?? "") != nil)
            #expect(first.header("retry-after") == nil, "retry-after only on 429s")

            let second = try await harness.embeddings(json: #"{"model":"text-embedding-004","input":"abcd"}"#)
            #expect(second.status == 200)
            #expect(second.header("x-ratelimit-remaining-requests") == "4", "embeddings have their own per-model window")
            #expect(try await harness.chat().header("x-ratelimit-remaining-requests") == "3")
        }
    }

    @Test("without a tpm there is no tokens trio")
    func requestsOnly() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 5)])) { harness in
            let response = try await harness.chat()
            #expect(response.rateLimitHeaderNames == ["x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"])
        }
    }

    @Test("after rpm requests the next is a 429 with remaining 0 and a retry-after in whole seconds")
    func rateLimited() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 2)])) { harness in
            for _ in 0..<2 { #expect(try await harness.chat().status == 200) }
            let refused = try await harness.chat()
            #expect(refused.status == 429)
            #expect(refused.header("x-ratelimit-remaining-requests") == "0")
            let retryAfter = try #require(Int(refused.header("retry-after") ?? ""))
            #expect((1...60).contains(retryAfter))   // at most the window, less on a slow machine
            #expect(OpenAIJSON.arrayError(refused.body)?["status"] as? String == "RESOURCE_EXHAUSTED", "Gemini's array by default")
            #expect(harness.emulator.audit().project("p1")?.rateLimited == 1)
        }
    }

    @Test("resets follow the time scale: a quota minute of 3 s resets within 3 s")
    func timeScale() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 1)], timeScale: 0.05)) { harness in
            // Real time passes between the two requests (more on a loaded machine), so the wait
            // the second one is told is at most the 3 s window, rounded up, and never less than 1.
            let first = try await harness.chat()
            let reset = try #require(goDurationSeconds(first.header("x-ratelimit-reset-requests") ?? ""))
            #expect(reset > 0 && reset <= 3)
            let refused = try await harness.chat()
            #expect(refused.status == 429)
            #expect((1...3).contains(Int(refused.header("retry-after") ?? "") ?? 0))
        }
    }

    @Test("switched off, no answer carries them, not even a 429")
    func absent() async throws {
        var configuration = Harness.configuration(quotas: ["*": ModelQuota(rpm: 1, tpm: 1000)])
        configuration.openAIRateLimitHeaders = false
        try await Harness.with(configuration) { harness in
            let ok = try await harness.chat()
            #expect(ok.status == 200)
            #expect(ok.rateLimitHeaderNames.isEmpty)
            let refused = try await harness.chat()
            #expect(refused.status == 429)
            #expect(refused.rateLimitHeaderNames.isEmpty)
        }
    }

    @Test("the native surface never sends them")
    func notNative() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 5, tpm: 1000)])) { harness in
            let response = try await harness.generate()
            #expect(response.status == 200)
            #expect(response.rateLimitHeaderNames.isEmpty)
        }
    }
}
#endif
