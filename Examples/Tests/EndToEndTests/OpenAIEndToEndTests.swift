import CurlTransport
import GatewayCore
import GeminiEmulator
import OpenAICompatibleProvider
import Testing

/// The OpenAI-compatible provider over curl against the emulator's `/v1beta/openai/` surface,
/// time compressed (a quota minute lasts 3 s): the provider's window is scaled to match.
@Suite("End to end: gateway + OpenAI-compatible provider + curl + emulator", .serialized, .timeLimit(.minutes(1)))
struct OpenAIEndToEndTests {
    static func run<R: Sendable>(
        _ configuration: EmulatorConfiguration,
        // 10 % under the announced rate, as the Gemini end-to-end tests pace: loopback latency
        // varies, and a strict sliding window leaves no margin.
        rate: RateLimiterChoice = .followingServer(headroom: 0.1),
        _ body: @Sendable (Gateway<OpenAICompatibleProvider>, GeminiEmulator) async throws -> R
    ) async throws -> R {
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            try await CurlTransport.withTransport { transport in
                var provider = OpenAICompatibleProvider.Configuration.geminiOpenAI(base: emulator.baseURL)
                provider.rateLimitWindow = Duration.seconds(60).scaledForTest(EndToEnd.timeScale)
                let gateway = try Gateway.builder()
                    .keys(.entries(configuration.keys.map { KeySource.Entry(secret: $0.key, project: $0.project) }))
                    .rateLimit(rate)
                    .retryPolicy(ClassifyingRetryPolicy().scaled(by: EndToEnd.timeScale))
                    .options(GatewayOptions(callTimeout: .seconds(60), attemptTimeout: .seconds(10)))
                    .transport(transport)
                    .provider(.openAICompatible(provider))
                    .build()
                return try await body(gateway, emulator)
            }
        }
    }

    static func chats(_ gateway: Gateway<OpenAICompatibleProvider>, tasks: Int, calls: Int) async -> (answers: Int, errors: [String]) {
        await withTaskGroup(of: (Int, [String]).self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var answers = 0
                    var errors: [String] = []
                    do {
                        try await gateway.withClient(task: TaskID("file-\(task)")) { client in
                            for call in 0..<calls {
                                do {
                                    _ = try await client.chat("file \(task) chunk \(call)", model: "gemini-2.5-flash-lite")
                                    answers += 1
                                } catch {
                                    errors.append("\(error)")
                                }
                            }
                        }
                    } catch {
                        errors.append("\(error)")
                    }
                    return (answers, errors)
                }
            }
            var total = (answers: 0, errors: [String]())
            for await (answers, errors) in group {
                total.answers += answers
                total.errors += errors
            }
            return total
        }
    }

    @Test("5 keys in 5 projects, paced by the server's headers with no rate configured: every call, zero 429")
    func headerPaced() async throws {
        let keys = EndToEnd.keys((1...5).map { ("project-\($0)", .valid) })
        let (outcome, audit, statistics) = try await Self.run(EndToEnd.configuration(keys)) { gateway, emulator in
            (await Self.chats(gateway, tasks: 10, calls: 6), emulator.audit(), gateway.statistics())
        }
        #expect(outcome.errors == [])
        #expect(outcome.answers == 60)
        #expect(statistics.rateLimited == 0)
        #expect(audit.projects.map(\.rateLimited).reduce(0, +) == 0)
        for project in audit.projects { #expect(project.maxAdmittedInAnyWindow <= EndToEnd.emulatorRPM) }
    }

    @Test("an invalid key sees one request, in either error style", arguments: [OpenAIErrorStyle.gemini, .openAI])
    func invalidKey(_ style: OpenAIErrorStyle) async throws {
        let keys = EndToEnd.keys([("p1", .valid), ("p2", .invalid), ("p3", .valid)])
        var configuration = EndToEnd.configuration(keys)
        configuration.openAIErrorStyle = style
        let (outcome, audit, snapshot) = try await Self.run(configuration) { gateway, emulator in
            (await Self.chats(gateway, tasks: 4, calls: 3), emulator.audit(), gateway.snapshot())
        }
        #expect(outcome.errors == [] && outcome.answers == 12)
        #expect(audit.keys.first { $0.label == "key-2" }?.requests == 1)
        #expect(snapshot.keys[1].health.isDisabled)
        #expect(!"\(snapshot)".contains(keys[1].key))
    }

    @Test("insufficient_quota is not retried: one request, the project out, the others go on")
    func insufficientQuota() async throws {
        let keys = EndToEnd.keys([("p1", .valid), ("p2", .prepayDepleted)])
        var configuration = EndToEnd.configuration(keys)
        configuration.openAIErrorStyle = .openAI
        let (outcome, audit, snapshot) = try await Self.run(configuration) { gateway, emulator in
            (await Self.chats(gateway, tasks: 2, calls: 3), emulator.audit(), gateway.snapshot())
        }
        #expect(outcome.errors == [] && outcome.answers == 6)
        #expect(audit.keys.first { $0.label == "key-2" }?.requests == 1)
        #expect(snapshot.keys[1].health.isDisabled)
        #expect(snapshot.keys[1].lastFailure == .billing)
    }
}

extension Duration {
    /// `self` times `factor`, for the compressed-time emulator.
    func scaledForTest(_ factor: Double) -> Duration {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int64((Double(seconds) + Double(attoseconds) / 1e18) * factor * 1e9))
    }
}
