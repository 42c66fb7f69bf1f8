// Composing your own strategies in code: a custom RetryPolicy and a custom KeyStrategy plugged
// into the same builder. Runs against the built-in emulator (one key invalid, a fault mix)
// unless GEMINI_API_KEY_1 is set: `swift run CustomPolicy`.
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

// The backend: the real API when keys are set, else an emulator with one bad key and faults.
let realKeys = KeySource.processEnvironment("GEMINI_API_KEY_1") != nil
var faults = FaultPlan()
faults.unavailable = 0.1
faults.internalError = 0.05
let emulatorKeys = [
    EmulatorKey(key: "custom-policy-key-0001", project: "a", state: .valid),
    EmulatorKey(key: "custom-policy-key-0002", project: "b", state: .invalid),
    EmulatorKey(key: "custom-policy-key-0003", project: "c", state: .valid),
]
let emulator = realKeys ? nil : try await GeminiEmulator.start(EmulatorConfiguration(keys: emulatorKeys, timeScale: 0.05, faults: faults, seed: 42))
if let emulator { print("no GEMINI_API_KEY_1: using the Gemini emulator at \(emulator.baseURL) (key #2 invalid, 15 % server faults)") }

try await CurlTransport.withTransport { transport in
    let gateway = try Gateway.builder()
        .keys(realKeys ? .environment() : .entries(emulatorKeys.map { .init(secret: $0.key, project: $0.project) }))
        .keyProvider(.strategy(LeastUsedKeys()))
        .rateLimit(.tokenBucket(realKeys ? .geminiFreeTier : RateLimit(requests: 15, per: .seconds(3))))
        .retryPolicy(PatientPolicy())
        .transport(transport)
        .provider(.gemini(.init(baseURL: emulator?.baseURL ?? GeminiProvider.Configuration.defaultBaseURL)))
        .build()

    var answered = 0
    for index in 1...9 {
        do {
            _ = try await gateway.withClient(task: TaskID("question-\(index)")) { try await $0.generate("Question \(index)?") }
            answered += 1
        } catch {
            print("question \(index) failed: \(error)")
        }
    }
    print("answered \(answered) of 9")
    print(gateway.snapshot())
}
try await emulator?.shutdown()
