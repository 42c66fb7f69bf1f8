// The same gateway over an OpenAI-compatible API: a few tasks on dedicated keys, paced by the
// rate-limit headers the server sends (no rate configured). Runs against the built-in emulator's
// OpenAI-compatible surface (`/v1beta/openai/`) unless OPENAI_API_KEY_1 is set, then against
// OPENAI_BASE_URL (default https://api.openai.com/v1) with OPENAI_MODEL (default gpt-4o-mini):
// `swift run --package-path Examples OpenAIQuickStart`.
import CurlTransport
import GatewayCore
import GeminiEmulator
import OpenAICompatibleProvider

/// Runs `body` with a provider configuration, keys and a model: the real server's when keys are
/// set, else an emulator's.
func withBackend(_ body: @Sendable (OpenAICompatibleProvider.Configuration, KeySource, String) async throws -> Void) async throws {
    if KeySource.processEnvironment("OPENAI_API_KEY_1") != nil {
        let model = KeySource.processEnvironment("OPENAI_MODEL") ?? "gpt-4o-mini"
        return try await body(.openAI(), .environment(prefix: "OPENAI_API_KEY_"), model)
    }
    let keys = (1...3).map { EmulatorKey(key: "openai-quickstart-key-000\($0)", project: "project-\($0)", state: .valid) }
    try await GeminiEmulator.withEmulator(EmulatorConfiguration(keys: keys, timeScale: 0.05)) { emulator in
        print("no OPENAI_API_KEY_1: using the emulator's OpenAI-compatible surface at \(emulator.baseURL)/v1beta/openai")
        try await body(.geminiOpenAI(base: emulator.baseURL), .entries(keys.map { .init(secret: $0.key, project: $0.project) }), "gemini-2.5-flash-lite")
    }
}

try await withBackend { configuration, keys, model in
    try await CurlTransport.withTransport { transport in
        let gateway = try Gateway.builder()
            .keys(keys)
            .rateLimit(.followingServer())   // the pace the server's x-ratelimit-* headers announce
            .transport(transport)
            .provider(.openAICompatible(configuration))
            .build()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for file in ["file_1", "file_2", "file_3"] {
                group.addTask {
                    try await gateway.withClient(task: TaskID(file)) { client in
                        let text = try await client.chat("Explain heart failure in one sentence (\(file))", model: model)
                        print("\(file) on \(client.currentKey.map { "\($0)" } ?? "?"): \(text)")
                    }
                }
            }
            try await group.waitForAll()
        }
        print(gateway.snapshot())
        print(gateway.statistics())
    }
}
