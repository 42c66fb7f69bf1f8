#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import Foundation
@testable import GeminiEmulator
import Testing

@Suite("OpenAI surface: Go durations, configuration switches and routes")
struct OpenAIWireTests {
    @Test("durations are written as Go writes them, rounded up to the millisecond", arguments: [
        (Duration.zero, "0s"), (.milliseconds(12), "12ms"), (.microseconds(1), "1ms"), (.milliseconds(999), "999ms"),
        (.seconds(1), "1s"), (.milliseconds(1500), "1.5s"), (.milliseconds(59_560), "59.56s"), (.seconds(360), "6m0s"),
        (.milliseconds(179_560), "2m59.56s"), (.seconds(3600), "1h0m0s"), (.seconds(411_480), "114h18m0s"),
    ])
    func goDuration(duration: Duration, expected: String) {
        #expect(GoDuration.format(duration) == expected)
    }

    @Test("a configuration without the switches decodes with headers on and Gemini's error style; both round-trip")
    func switches() throws {
        let old = try JSONDecoder().decode(EmulatorConfiguration.self, from: Data(#"{"keys":[{"key":"k1"}]}"#.utf8))
        #expect(old.openAIRateLimitHeaders)
        #expect(old.openAIErrorStyle == .gemini)
        let new = try JSONDecoder().decode(EmulatorConfiguration.self, from: Data(#"{"openAIRateLimitHeaders":false,"openAIErrorStyle":"openai"}"#.utf8))
        #expect(!new.openAIRateLimitHeaders)
        #expect(new.openAIErrorStyle == .openAI)
        #expect(try JSONDecoder().decode(EmulatorConfiguration.self, from: JSONEncoder().encode(new)) == new)
    }

    @Test("routes under /v1beta/openai/")
    func routes() {
        #expect(Route(method: "POST", uri: "/v1beta/openai/chat/completions").target == .openAI(.chatCompletions))
        #expect(Route(method: "POST", uri: "/v1beta/openai/embeddings").target == .openAI(.embeddings))
        #expect(Route(method: "GET", uri: "/v1beta/openai/models").target == .openAI(.listModels))
        #expect(Route(method: "GET", uri: "/v1beta/openai/models/models%2Fgemini-2.5-pro").target == .openAI(.getModel("gemini-2.5-pro")))
        #expect(Route(method: "GET", uri: "/v1beta/openai/chat/completions").target == .openAI(.unknown(method: "GET", path: "/v1beta/openai/chat/completions")))
        #expect(Route(method: "POST", uri: "/v1beta/models/gemini-2.5-flash:generateContent").target == .api(version: "v1beta", operation: .generateContent, model: "gemini-2.5-flash"))
    }

    @Test("Bearer tokens: scheme in any case, nothing else accepted")
    func bearer() {
        #expect(EmulatorEngine.bearerToken("Bearer abc") == "abc")
        #expect(EmulatorEngine.bearerToken("bearer  abc ") == "abc")
        #expect(EmulatorEngine.bearerToken("Basic abc") == nil)
        #expect(EmulatorEngine.bearerToken("Bearer") == nil)
        #expect(EmulatorEngine.bearerToken(nil) == nil)
    }
}
#endif
