import BenchSupport
import CurlTransport
import GatewayCore
import GeminiEmulator
import OpenAICompatibleProvider

/// Quota efficiency of the OpenAI-compatible provider over curl against the emulator's
/// `/v1beta/openai/` surface: 5 keys in 5 projects, 60 requests per 3 s each (time scale 0.05),
/// the emulator announcing its limits in `x-ratelimit-*` headers. Two set-ups: paced by those
/// headers with no rate configured (`.followingServer()`, 10 % under), and paced by a rate the
/// user configured (`.tokenBucket(54/3s)`, the same 10 % under).
///
/// Efficiency = answers per quota window (3 s) ÷ the ceiling (60 per project per window).
enum OpenAIEndToEndBenchmark {
    static func run(_ report: ([String: Any]) -> Void) async throws {
        report(try await measure(name: "header-paced, no rate configured", rate: .followingServer(headroom: 0.1)))
        report(try await measure(name: "header-paced, 2 % under (the default headroom)", rate: .followingServer()))
        report(try await measure(name: "configured rate 54/3s", rate: .tokenBucket(RateLimit(requests: 54, per: .seconds(3)))))
    }

    static func measure(name: String, rate: RateLimiterChoice) async throws -> [String: Any] {
        let keys = (1...5).map { EmulatorKey(key: "bench-openai-key-\($0)-xxxxxxxxxxxx", project: "p\($0)", state: .valid) }
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 60)], timeScale: 0.05, seed: 5)
        let tasks = 50, calls = 10, period = 3.0, limit = 60.0
        return try await GeminiEmulator.withEmulator(configuration) { emulator in
            try await CurlTransport.withTransport { transport in
                var server = OpenAICompatibleProvider.Configuration.geminiOpenAI(base: emulator.baseURL)
                server.rateLimitWindow = .seconds(3)
                let gateway = try Gateway.builder()
                    .keys(.entries(keys.map { .init(secret: $0.key, project: $0.project) }))
                    .rateLimit(rate)
                    .options(GatewayOptions(callTimeout: .seconds(120), attemptTimeout: .seconds(10)))
                    .transport(transport)
                    .provider(.openAICompatible(server))
                    .build()
                let answers = Collected<Bool>()
                let clock = ContinuousClock()
                let start = clock.now
                let tickets = Ticket()
                await withTaskGroup(of: Void.self) { group in
                    for _ in keys {
                        group.addTask {
                            while true {
                                let task = tickets.take()
                                guard task < tasks else { return }
                                _ = try? await gateway.withClient(task: TaskID("task-\(task)")) { client in
                                    for call in 0..<calls {
                                        do {
                                            _ = try await client.chat("task \(task) call \(call)", model: "gemini-2.5-flash-lite")
                                            answers.append(true)
                                        } catch {
                                            answers.append(false)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                let wall = start.duration(to: clock.now)
                let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
                let audit = emulator.audit()
                let ok = answers.all.filter { $0 }.count
                return [
                    "benchmark": "openai end to end", "scenario": name, "calls": tasks * calls, "answers": ok,
                    "calls lost": tasks * calls - answers.all.count, "wall seconds": seconds,
                    "efficiency": Double(ok) / (seconds / period) / (limit * Double(keys.count)),
                    "http 429": audit.projects.map(\.rateLimited).reduce(0, +),
                    "max admitted in any window": audit.projects.map(\.maxAdmittedInAnyWindow).max() ?? 0, "window limit": 60,
                ]
            }
        }
    }
}
