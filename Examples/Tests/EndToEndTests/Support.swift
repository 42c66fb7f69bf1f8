import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

/// The pieces of one end-to-end run: an emulator on 127.0.0.1, a curl transport, a gateway.
struct EndToEnd {
    /// A quota "minute" lasts 3 s (time scale 0.05).
    static let timeScale = 0.05
    /// The emulator's per-project, per-model requests per quota minute.
    static let emulatorRPM = 60
    /// The gateway paces at 90 % of the emulator's rate: loopback latency varies by a
    /// millisecond or so, and a schedule at exactly the server's rate meets a strict sliding
    /// window with no headroom.
    static let gatewayRate = RateLimit(requests: 54, per: .seconds(3))

    static func keys(_ states: [(String, KeyState)]) -> [EmulatorKey] {
        states.enumerated().map { index, entry in
            EmulatorKey(key: "AIzaSy-e2e-\(String(repeating: "k", count: 12))-\(index + 1)", project: entry.0, state: entry.1, label: "key-\(index + 1)")
        }
    }

    static func configuration(_ keys: [EmulatorKey], faults: FaultPlan = FaultPlan(), seed: UInt64 = 7) -> EmulatorConfiguration {
        EmulatorConfiguration(
            keys: keys, quotas: ["*": ModelQuota(rpm: emulatorRPM)], timeScale: timeScale, faults: faults, seed: seed)
    }

    /// Runs `body` with an emulator and a gateway over curl; `declare` passes each key's project to the gateway.
    static func run<R: Sendable>(
        _ configuration: EmulatorConfiguration,
        declareProjects declare: Bool = true,
        rate: RateLimit? = nil,
        policy: ClassifyingRetryPolicy = .classifying(maxAttemptsPerKey: 5),
        _ body: @Sendable (Gateway<GeminiProvider>, GeminiEmulator) async throws -> R
    ) async throws -> R {
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            try await CurlTransport.withTransport { transport in
                let entries = configuration.keys.map { KeySource.Entry(secret: $0.key, project: declare ? $0.project : nil) }
                let gateway = try Gateway.builder()
                    .keys(.entries(entries))
                    .rateLimit(.tokenBucket(rate ?? gatewayRate))
                    .retryPolicy(policy)
                    .options(GatewayOptions(callTimeout: .seconds(60), attemptTimeout: .seconds(10)))
                    .transport(transport)
                    .provider(.gemini(.init(baseURL: emulator.baseURL)))
                    .build()
                return try await body(gateway, emulator)
            }
        }
    }
}

/// What happened to each call of a batch.
struct BatchOutcome: Sendable {
    var answers: [String] = []
    var errors: [String] = []
    var total: Int { answers.count + errors.count }
}

/// `tasks` tasks, each making `calls` calls on its own client; every outcome is collected.
func runBatch(_ gateway: Gateway<GeminiProvider>, tasks: Int, calls: Int) async -> BatchOutcome {
    await withTaskGroup(of: [Result<String, any Error>].self) { group in
        for task in 0..<tasks {
            group.addTask {
                var results: [Result<String, any Error>] = []
                do {
                    try await gateway.withClient(task: TaskID("file-\(task)")) { client in
                        for call in 0..<calls {
                            do {
                                results.append(.success(try await client.generate("file \(task) chunk \(call)")))
                            } catch {
                                results.append(.failure(error))
                            }
                        }
                    }
                } catch {
                    results.append(.failure(error))
                }
                return results
            }
        }
        var outcome = BatchOutcome()
        for await results in group {
            for result in results {
                switch result {
                case .success(let text): outcome.answers.append(text)
                case .failure(let error): outcome.errors.append("\(error)")
                }
            }
        }
        return outcome
    }
}
