// snippet.hide
// README, Quick start. scripts/check-snippets.sh runs it with GEMINI_API_KEY_1 and
// GEMINI_BASE_URL pointing at a gemini-emulator: the program is unchanged, only the environment.
// snippet.show
import CurlTransport
import GatewayCore
import GeminiProvider

try await CurlTransport.withTransport { transport in
    let gateway = try Gateway.builder()
        .keys(.environment(prefix: "GEMINI_API_KEY_"))   // GEMINI_API_KEY_1..N, GEMINI_API_KEY_<n>_PROJECT
        .keyProvider(.dedicated)                         // one key per task (the default)
        .rateLimit(.tokenBucket(.geminiFreeTier.withHeadroom(0.02)))   // the default: 15/min, 2 % under
        .retryPolicy(.classifying(maxAttemptsPerKey: 5))
        .transport(transport)                            // CurlTransport, MockTransport, or yours
        .provider(.gemini())                             // GEMINI_BASE_URL if set, else the public API
        .build()

    let text = try await gateway.withClient(task: "file_123") { client in
        try await client.generate("Explain heart failure", model: "gemini-2.5-flash-lite")
    }
    print(text)
    print(gateway.snapshot())                            // each key: active / cooling / disabled, masked
}
