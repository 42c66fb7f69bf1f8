// Composing your own strategies in code: a custom RetryPolicy and a custom KeyProvider plugged
// into the same builder. Runs against the built-in emulator (one key invalid, a fault mix)
// unless GEMINI_API_KEY_1 is set: `swift run CustomPolicy`.
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider
import Synchronization

/// A patient policy: waits out rate limits on the same key (the server's delay, else 2 s),
/// retries server errors 3 times with a fixed 200 ms pause, drops bad keys at once, and never
/// retries what no key can fix.
struct PatientPolicy: RetryPolicy {
    func decide(after failure: Failure, context: RetryContext) -> RetryDecision {
        switch failure.kind {
        case .rateLimited(let details) where details.window == .perDay:
            .rotate(.coolDown(for: details.retryAfter ?? .seconds(3600), scope: context.quotaVerdictScope, reason: "daily quota"), after: .zero)
        case .rateLimited(let details):
            .retry(after: details.retryAfter ?? .seconds(2))
        case .invalidKey, .permissionDenied:
            .rotate(.disable(scope: .key, reason: failure.description), after: .zero)
        case .billing:
            .rotate(.disable(scope: .quotaGroup, reason: "billing"), after: .zero)
        case .serverError, .timeout, .connectionFailure:
            context.attemptOnKey < 3 ? .retry(after: .milliseconds(200)) : .stop(.notAtFault)
        case .blocked, .badRequest, .other:
            .stop(.notAtFault)
        }
    }
}

/// A key strategy of its own: every call takes the healthy key with the fewest attempts so far
/// (no dedication). State is a struct in a `Mutex`; transitions are short and never suspend.
final class LeastUsedKeyPool: KeyProvider {
    let keys: [APIKey]
    private struct State {
        var attempts: [Int]
        var successes: [Int]
        var failures: [Int]
        var health: [KeyHealth]
        var assigned: [TaskID: KeyID] = [:]
    }
    private let state: Mutex<State>

    init(keys: [APIKey]) {
        self.keys = keys
        let zeros = Array(repeating: 0, count: keys.count)
        state = Mutex(State(attempts: zeros, successes: zeros, failures: zeros, health: Array(repeating: .active, count: keys.count)))
    }

    func select(for task: TaskID, excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        let choice: Result<KeySelection, KeysExhaustedError> = state.withLock { state in
            for index in keys.indices {
                if case .cooling(let until, _) = state.health[index], until <= now { state.health[index] = .active }
            }
            let open = keys.indices.filter { !excluded.contains(KeyID($0)) && !Self.isDisabled(state.health[$0]) }
            guard !open.isEmpty else { return .failure(KeysExhaustedError(keys: snapshot(state, at: now).keys, excluded: excluded)) }
            let active = open.filter { state.health[$0] == .active }
            guard let best = active.min(by: { state.attempts[$0] < state.attempts[$1] }) else {
                let returns = open.compactMap { index -> GatewayClock.Instant? in
                    if case .cooling(let until, _) = state.health[index] { until } else { nil }
                }
                return .success(.waitUntil(returns.min() ?? now))
            }
            state.assigned[task] = KeyID(best)
            return .success(.use(keys[best]))
        }
        return try choice.get()
    }

    func assignedKey(for task: TaskID) -> APIKey? { state.withLock { $0.assigned[task] }.map { keys[$0.index] } }
    func release(task: TaskID) { _ = state.withLock { $0.assigned.removeValue(forKey: task) } }

    func record(_ outcome: AttemptOutcome, for key: KeyID, at now: GatewayClock.Instant) {
        state.withLock { state in
            state.attempts[key.index] += 1
            if outcome == .success { state.successes[key.index] += 1 } else { state.failures[key.index] += 1 }
        }
    }

    func apply(_ verdict: KeyVerdict, to key: KeyID, at now: GatewayClock.Instant) {
        state.withLock { state in
            switch verdict {
            case .notAtFault: break
            case .coolDown(let duration, _, let reason): state.health[key.index] = .cooling(until: now.advanced(by: duration), reason: reason)
            case .disable(_, let reason): state.health[key.index] = .disabled(reason: reason)
            }
        }
    }

    func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot { state.withLock { snapshot($0, at: now) } }

    private func snapshot(_ state: State, at now: GatewayClock.Instant) -> PoolSnapshot {
        PoolSnapshot(at: now, keys: keys.indices.map { index in
            KeySnapshot(
                id: KeyID(index), label: keys[index].label, masked: keys[index].masked, quotaGroup: keys[index].quotaGroup,
                health: state.health[index], leases: state.assigned.values.filter { $0.index == index }.count,
                attempts: state.attempts[index], successes: state.successes[index], failures: state.failures[index],
                rateLimited: 0, lastFailure: nil)
        })
    }

    private static func isDisabled(_ health: KeyHealth) -> Bool { if case .disabled = health { true } else { false } }
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
        .keyProvider(.custom { LeastUsedKeyPool(keys: $0) })
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
