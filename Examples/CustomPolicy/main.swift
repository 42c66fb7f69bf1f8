// Composing your own strategies in code: a custom RetryPolicy and a custom KeyStrategy plugged
// into the same builder. Runs against the built-in emulator (one key invalid, a fault mix)
// unless GEMINI_API_KEY_1 is set: `swift run CustomPolicy`.
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

/// A patient policy: w/// A patient policy: waits out rate limits on the same key (the server's delay, else 2 s),
/// retries server errors 3 times with a fixed 200 ms pause, drops bad keys at once, and never
/// retries what no key can fix (nor any kind of failure it does not know).
struct PatientPolicy: RetryPolicy {
    func decide(after failure: Failure, context: RetryContext) -> RetryDecision {
        let kind = failure.kind
        switch kind {
        case .rateLimited where kind.rateLimit?.window == .perDay:
            return .rotate(.coolDown(for: kind.rateLimit?.retryAfter ?? .seconds(3600), reach: context.quotaReach, reason: "daily quota"), after: .zero)
        case .rateLimited:
            return .retry(after: kind.rateLimit?.retryAfter ?? .seconds(2))
        case .invalidKey, .permissionDenied:
            return .rotate(.disable(reach: .key, reason: failure.description), after: .zero)
        case .billing:
            return .rotate(.disable(reach: .quotaGroup, reason: "billing"), after: .zero)
        case .serverError, .timeout, .connectionFailure:
            return context.attemptOnKey < 3 ? .retry(after: .milliseconds(200)) : .stop(.notAtFault)
        default:
            return .stop(.notAtFault)
        }
    }
}

/// A key strategy of its own: every call takes the candidate with the fewest attempts so far
/// (no dedication). The pool under it keeps health, cooldowns, leases and exhaustion; the
/// strategy only chooses, so it cannot revive a disabled key or shorten a cooldown.
struct LeastUsedKeys: KeyStrategy {
    func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
        candidates.min { ($0.attempts, $0.id) < ($1.attempts, $1.id) }!
    }
}

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
