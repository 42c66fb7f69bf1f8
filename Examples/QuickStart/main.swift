// The original design's basic usage: a few tasks, each on its dedicated key, paced and retried.
// Runs against the built-in Gemini emulator unless GEMINI_API_KEY_1 is set, then against the
// real API: `swift run QuickStart` (or `GEMINI_API_KEY_1=… swift run QuickStart`).
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

/// Runs `body` with a base URL and keys: the real API's when keys are set, else an emulator's.
func withBackend(_ body: @Sendable (String, KeySource) async throws -> Void) async throws {
    if KeySource.processEnvironment("GEMINI_API_KEY_1") != nil {
        return try await body(GeminiProvider.Configuration.defaultBaseURL, .environment())
    }
    let keys = (1...3).map { EmulatorKey(key: "quickstart-key-000\($0)", project: "project-\($0)", state: .valid) }
    try await GeminiEmulator.withEmulator(EmulatorConfiguration(keys: keys, timeScale: 0.05)) { emulator in
        print("no GEMINI_API_KEY_1: using the Gemini emulator at \(emulator.baseURL), a quota minute lasts 3 s")
        try await body(emulator.baseURL, .entries(keys.map { .init(secret: $0.key, project: $0.project) }))
    }
}

try await withBackend { baseURL, keys in
    try await CurlTransport.withTransport { transport in
        let emulated = baseURL != GeminiProvider.Configuration.defaultBaseURL
        let gateway = try Gateway.builder()
            .keys(keys)
            .rateLimit(.tokenBucket(emulated ? RateLimit(requests: 15, per: .seconds(3)) : .geminiFreeTier))
            .transport(transport)
            .provider(.gemini(.init(baseURL: baseURL)))
            .build()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for file in ["file_1", "file_2", "file_3"] {
                group.addTask {
                    try await gateway.withClient(task: TaskID(file)) { client in
                        let text = try await client.generate("Explain heart failure in one sentence (\(file))")
                        print("\(file) on \(client.currentKey.map { "\($0)" } ?? "?"): \(text)")
                    }
                }
            }
            try await group.waitForAll()
        }
        print(gateway.snapshot())
    }
}
