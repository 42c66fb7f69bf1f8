import CurlTransport
import GatewayCore
import GeminiEmulator
import GeminiProvider
import Testing

/// The gateway, the Gemini provider and the curl transport against the emulator on 127.0.0.1,
/// with real time compressed (a quota minute lasts 3 s). Each test bounds its own run.
@Suite("End to end: gateway + Gemini + curl + emulator", .serialized, .timeLimit(.minutes(1)))
struct EmulatorEndToEndTests {
    @Test("5 keys in 5 projects: every call succeeds, zero 429")
    func fiveProjects() async throws {
        let keys = EndToEnd.keys((1...5).map { ("project-\($0)", .valid) })
        let (outcome, audit) = try await EndToEnd.run(EndToEnd.configuration(keys)) { gateway, emulator in
            (await runBatch(gateway, tasks: 10, calls: 6), emulator.audit())
        }
        #expect(outcome.errors == [])
        #expect(outcome.answers.count == 60)
        #expect(audit.projects.map(\.rateLimited).reduce(0, +) == 0)
        #expect(audit.keys.allSatisfy { $0.requests > 0 })  // the work spread over every key
        for project in audit.projects {
            #expect(project.maxAdmittedInAnyWindow <= EndToEnd.emulatorRPM)
        }
    }

    @Test("2 invalid and 1 denied key among 5: every call succeeds; each bad key is disabled at its first answer")
    func badKeys() async throws {
        let keys = EndToEnd.keys([
            ("p1", .valid), ("p2", .invalid), ("p3", .suspended), ("p4", .valid), ("p5", .expired),
        ])
        let (outcome, audit, snapshot) = try await EndToEnd.run(EndToEnd.configuration(keys)) { gateway, emulator in
            (await runBatch(gateway, tasks: 8, calls: 4), emulator.audit(), gateway.snapshot())
        }
        #expect(outcome.errors == [])
        #expect(outcome.answers.count == 32)
        // 8 tasks on 5 keys: tasks that start on the same bad key (or rotate onto one whose first
        // answer is still out) wait for its verdict, so each bad key sees exactly one request.
        for label in ["key-2", "key-3", "key-5"] {
            let requests = audit.keys.first { $0.label == label }?.requests ?? 0
            #expect(requests == 1, "\(label) saw \(requests) requests")
        }
        let disabled = snapshot.keys.filter { if case .disabled = $0.health { true } else { false } }.map(\.label)
        #expect(disabled == ["#2", "#3", "#5"])
        // The suspended key's message echoes the key; nothing of it may reach the snapshot.
        #expect(!"\(snapshot)".contains(keys[2].key))
    }

    @Test("2 keys sharing a declared project share one bucket: zero 429")
    func sharedProjectDeclared() async throws {
        let keys = EndToEnd.keys([("shared", .valid), ("shared", .valid)])
        let (outcome, audit) = try await EndToEnd.run(EndToEnd.configuration(keys), declareProjects: true) { gateway, emulator in
            (await runBatch(gateway, tasks: 4, calls: 5), emulator.audit())
        }
        #expect(outcome.errors == [])
        #expect(outcome.answers.count == 20)
        #expect(audit.projects.first?.rateLimited == 0)
    }

    @Test("2 keys sharing an undeclared project: the 429s are honoured through RetryInfo and every call succeeds")
    func sharedProjectUndeclared() async throws {
        let keys = EndToEnd.keys([("shared", .valid), ("shared", .valid)])
        // Each key paced at the project's full rate: together they run at twice what the project allows.
        let (outcome, audit) = try await EndToEnd.run(
            EndToEnd.configuration(keys), declareProjects: false, rate: RateLimit(requests: 60, per: .seconds(3))
        ) { gateway, emulator in
            (await runBatch(gateway, tasks: 2, calls: 50), emulator.audit())
        }
        #expect(outcome.errors == [])
        #expect(outcome.answers.count == 100)
        let project = try #require(audit.projects.first)
        #expect(project.rateLimited > 0)
        #expect(project.maxAdmittedInAnyWindow <= EndToEnd.emulatorRPM)
    }

    @Test("a fault mix: every call ends in an answer or a typed error; none lost, none hung")
    func faultMix() async throws {
        let keys = EndToEnd.keys((1...4).map { ("p\($0)", .valid) })
        var faults = FaultPlan()
        faults.internalError = 0.05
        faults.unavailable = 0.05
        faults.deadlineExceeded = 0.03
        faults.connectionReset = 0.03
        faults.htmlBadGateway = 0.03
        faults.malformedBody = 0.03
        faults.blockedPrompt = 0.03
        faults.safety = 0.03
        faults.maxTokens = 0.03
        var policy = ClassifyingRetryPolicy.classifying(maxAttemptsPerKey: 4)
        policy.serverBackoff = Backoff(initial: .milliseconds(20), maximum: .milliseconds(200))
        let outcome = try await EndToEnd.run(EndToEnd.configuration(keys, faults: faults), policy: policy) { gateway, _ in
            await runBatch(gateway, tasks: 8, calls: 6)
        }
        #expect(outcome.total == 48)
        #expect(outcome.answers.count >= 30)
        #expect(outcome.errors.allSatisfy { $0.contains("blocked") || $0.contains("no text") || $0.contains("call failed") })
        #expect(outcome.errors.allSatisfy { !$0.contains("AIzaSy-e2e") })
    }

    @Test("streaming: the happy path arrives in several chunks and completes")
    func streamingHappyPath() async throws {
        let keys = EndToEnd.keys([("p1", .valid)])
        let answer = try await EndToEnd.run(EndToEnd.configuration(keys)) { gateway, _ in
            try await gateway.withClient(task: "stream") { try await $0.streamGenerate("tell me a story").collectAnswer() }
        }
        #expect(answer.isComplete)
        #expect(answer.finishReason == .stop)
        #expect(answer.chunks >= 2)
        #expect(answer.text.contains("tell me a story"))
    }

    @Test("streaming: a cut after the first chunk is an incomplete answer with the partial text, not replayed")
    func streamingCut() async throws {
        let keys = EndToEnd.keys([("p1", .valid)])
        var faults = FaultPlan()
        faults.streamCut = 1
        let (answer, audit) = try await EndToEnd.run(EndToEnd.configuration(keys, faults: faults)) { gateway, emulator in
            (try await gateway.withClient(task: "stream") { try await $0.streamGenerate("tell me a story").collectAnswer() },
             emulator.audit())
        }
        #expect(!answer.isComplete)
        #expect(answer.chunks == 1)
        #expect(!answer.text.isEmpty)
        #expect(audit.totalRequests == 1)
    }
}
