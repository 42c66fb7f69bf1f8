import BenchSupport
import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider

/// Quota efficiency over curl against the emulator (15 requests per 3 s per project and model,
/// time scale 0.05), with the gateway pacing at `--rate 15/3s` less 2 % headroom.
///
/// The work is a queue of small tasks (a `withClient` scope of a few calls each, like the files
/// of gemini-batch) pulled by one worker per key, so keys found bad do not leave work stranded.
///
/// Efficiency = answers per quota window (3 s) ÷ the ceiling, the sum of the rates of the
/// projects that have a healthy key (15 each). A sliding-window server admits a whole window's
/// worth at once, so a short run can score slightly above 1.
enum EndToEndBenchmark {
    struct Scenario {
        var name: String
        var keys: [(project: String, state: KeyState)]
        var declare = true
        /// Tasks in the queue, each a scope of ``callsPerTask`` calls.
        var tasks: Int
        var callsPerTask: Int
        var faults = FaultPlan()
    }

    static func run(_ report: ([String: Any]) -> Void) async throws {
        var mix = FaultPlan()
        mix.internalError = 0.04
        mix.unavailable = 0.04
        mix.deadlineExceeded = 0.02
        mix.connectionReset = 0.02
        mix.htmlBadGateway = 0.02
        mix.malformedBody = 0.02
        mix.blockedPrompt = 0.02
        let scenarios = [
            Scenario(name: "5 keys in 5 projects", keys: (1...5).map { ("p\($0)", .valid) }, tasks: 100, callsPerTask: 4),
            Scenario(name: "2 invalid and 1 denied among 5", keys: [("p1", .valid), ("p2", .invalid), ("p3", .suspended), ("p4", .valid), ("p5", .expired)],
                     tasks: 50, callsPerTask: 3),
            Scenario(name: "2 keys sharing a project, declared", keys: [("shared", .valid), ("shared", .valid)], tasks: 25, callsPerTask: 3),
            Scenario(name: "2 keys sharing a project, undeclared", keys: [("shared", .valid), ("shared", .valid)], declare: false, tasks: 25, callsPerTask: 3),
            Scenario(name: "fault mix, 5 keys in 5 projects", keys: (1...5).map { ("p\($0)", .valid) }, tasks: 100, callsPerTask: 4, faults: mix),
        ]
        for scenario in scenarios { report(try await measure(scenario)) }
    }

    static func measure(_ scenario: Scenario) async throws -> [String: Any] {
        let keys = scenario.keys.enumerated().map { index, entry in
            EmulatorKey(key: "bench-e2e-key-\(index + 1)-xxxxxxxxxxxx", project: entry.project, state: entry.state, label: "k\(index + 1)")
        }
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 15)], timeScale: 0.05, faults: scenario.faults, seed: 11)
        let period = 3.0, rate = 15.0
        return try await GeminiEmulator.withEmulator(configuration) { emulator in
            try await CurlTransport.withTransport { transport in
                let gateway = try Gateway.builder()
                    .keys(.entries(keys.map { .init(secret: $0.key, project: scenario.declare ? $0.project : nil) }))
                    .rateLimit(.tokenBucket(RateLimit(requests: 15, per: .seconds(3)).withHeadroom(0.02)))
                    .options(GatewayOptions(callTimeout: .seconds(120), attemptTimeout: .seconds(10)))
                    .transport(transport)
                    .provider(.gemini(.init(baseURL: emulator.baseURL)))
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
                                guard task < scenario.tasks else { return }
                                _ = try? await gateway.withClient(task: TaskID("task-\(task)")) { client in
                                    for call in 0..<scenario.callsPerTask {
                                        do {
                                            _ = try await client.generate("task \(task) call \(call)")
                                            answers.append(true)
                                        } catch {
                                            answers.append(false)   // a typed error: an ended call, not a lost one
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
                let healthyProjects = Set(keys.filter { $0.state == .valid }.map(\.project)).count
                let ok = answers.all.filter { $0 }.count
                let efficiency = Double(ok) / (seconds / period) / (rate * Double(healthyProjects))
                return [
                    "benchmark": "end to end", "scenario": scenario.name, "calls": scenario.tasks * scenario.callsPerTask,
                    "answers": ok, "typed errors": answers.all.count - ok,
                    "calls lost": scenario.tasks * scenario.callsPerTask - answers.all.count,
                    "wall seconds": seconds, "efficiency": efficiency,
                    "http 429": audit.projects.map(\.rateLimited).reduce(0, +),
                    "max admitted in any window": audit.projects.map(\.maxAdmittedInAnyWindow).max() ?? 0,
                    "window limit": 15, "requests at emulator": audit.totalRequests,
                ]
            }
        }
    }
}
