// snippet.hide
// README, OpenAI-compatible APIs: three keys paced by the rate-limit headers the server sends
// (no rate configured), against the emulator's OpenAI-compatible surface. Runs offline.
#if Emulator
// snippet.show
import CurlTransport
import GatewayCore
import GeminiEmulator
import OpenAICompatibleProvider

let keys = (1...3).map { EmulatorKey(key: "openai-snippet-key-000\($0)", project: "project-\($0)", state: .valid) }
try await GeminiEmulator.withEmulator(EmulatorConfiguration(keys: keys, timeScale: 0.05)) { emulator in
    try await CurlTransport.withTransport { transport in
        var server = OpenAICompatibleProvider.Configuration.geminiOpenAI(base: emulator.baseURL)
        server.rateLimitWindow = .seconds(3)             // the emulator's minute at time scale 0.05
        let gateway = try Gateway.builder()
            .keys(.entries(keys.map { KeySource.Entry(secret: $0.key, project: $0.project) }))
            .rateLimit(.followingServer())               // the pace the x-ratelimit-* headers announce
            .transport(transport)
            .provider(.openAICompatible(server))         // or .openAI(), .local("http://localhost:8000/v1")
            .build()
        let answers = try await gateway.withClient(task: "file_1") { client in
            await client.sendAll((1...6).map { .chat(ChatRequest(model: "gemini-2.5-flash-lite", messages: [.user("Part \($0)")])) })
        }
        print(answers.compactMap { try? $0.get().chat?.text })
        print(gateway.statistics())                      // 0 × 429
    }
}
// snippet.hide
#endif
