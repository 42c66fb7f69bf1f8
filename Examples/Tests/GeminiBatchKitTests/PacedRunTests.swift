import Foundation
import GatewayCore
import GeminiBatchKit
import GeminiEmulator
import Testing

/// How a run spends the quota: chunk calls in flight at the key's pace, a time scale for
/// compressed-time servers, shared quotas learned, and the same runner over an OpenAI-compatible API.
@Suite("Paced runs: calls in flight, time scale, learned groups, OpenAI-compatible", .serialized, .timeLimit(.minutes(2)))
struct PacedRunTests {
    static func keys(_ count: Int, projects: Int? = nil, states: [KeyState] = []) -> [EmulatorKey] {
        (0..<count).map { index in
            EmulatorKey(
                key: "paced-run-key-\(String(repeating: "w", count: 8))-\(index + 1)", project: "p\(index % (projects ?? count) + 1)",
                state: index < states.count ? states[index] : .valid, label: "k\(index + 1)")
        }
    }

    func folders() throws -> (root: URL, input: URL, output: URL) {
        let root = try temporaryFolder()
        return (root, root.appendingPathComponent("in"), root.appendingPathComponent("out"))
    }

    @Test("a paid tier (pace faster than an answer): one file's chunk calls run several at once on its key")
    func inFlightOnPaidTier() async throws {
        let (root, input, output) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeFiles(input, ["big.txt": paragraphs(48)])
        let chunks = Chunker(maxCharacters: 200).chunks(of: paragraphs(48)).count
        let keys = Self.keys(1)
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 2_400)], timeScale: 0.05, latencyMilliseconds: 300)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            var run = settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys)
            run.rate = .perMinute(2_400)   // 40 a second in the emulator's compressed time: 25 ms apart
            run.timeScale = 0.05
            let outcome = try await BatchApp.run(run, log: { _ in })
            #expect(outcome.exitStatus == 0)
            let audit = emulator.audit()
            #expect(audit.totalRequests == chunks + 1)   // the chunks and the combining call
            #expect(audit.projects.allSatisfy { $0.rateLimited == 0 })
            // About latency ÷ spacing = 12 at once; one at a time would be 1.
            #expect((3...16).contains(audit.key("k1")?.maxInFlight ?? 0))
            let result = try #require(try OutputStore(folder: output).finishedResult(for: "big.txt"))
            #expect(result.chunks.map(\.index) == Array(1...chunks), "answers that came in any order are kept in order")
        }
    }

    @Test("a free tier (pace slower than an answer): one call at a time, as before; --max-in-flight caps a paid one")
    func oneAtATimeOnFreeTier() async throws {
        let (root, input, output) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeFiles(input, ["a.txt": paragraphs(4), "b.txt": paragraphs(12)])
        let keys = Self.keys(2)
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 2_400)], timeScale: 0.05, latencyMilliseconds: 20)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            var run = settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys)
            run.rate = RateLimit(requests: 1, per: .milliseconds(300))
            let outcome = try await BatchApp.run(run, log: { _ in })
            #expect(outcome.exitStatus == 0)
            #expect(emulator.audit().keys.allSatisfy { $0.maxInFlight == 1 })
        }
        let capped = root.appendingPathComponent("capped")
        let slow = EmulatorConfiguration(keys: keys, quotas: ["*": .unlimited], timeScale: 0.05, latencyMilliseconds: 200)
        try await GeminiEmulator.withEmulator(slow) { emulator in
            var run = settings(input: input, output: capped, baseURL: emulator.baseURL, keys: keys)
            run.job.maxCallsInFlight = 2
            let outcome = try await BatchApp.run(run, log: { _ in })
            #expect(outcome.exitStatus == 0)
            #expect(emulator.audit().keys.allSatisfy { $0.maxInFlight <= 2 })
            #expect(emulator.audit().keys.contains { $0.maxInFlight == 2 })
        }
    }

    @Test("--time-scale scales the rate (in the server's time), the backoffs and the learning window")
    func timeScale() {
        let run = BatchSettings(
            input: URL(fileURLWithPath: "/in"), output: URL(fileURLWithPath: "/out"), job: BatchJob(concurrency: 1),
            rate: .perMinute(15), timeScale: 0.05, headroom: 0, keys: .list(["k"]))
        #expect(run.wallRate.requests == 15 && run.wallRate.period == .seconds(3))
        #expect(run.gatewayLimit.period == .seconds(3))
        let real = BatchSettings(
            input: URL(fileURLWithPath: "/in"), output: URL(fileURLWithPath: "/out"), job: BatchJob(concurrency: 1),
            rate: .perMinute(15), keys: .list(["k"]))
        #expect(real.wallRate.period == .seconds(60))
    }

    @Test("two keys of one project nobody declared: the 429s show it, the run ends learned and says so")
    func learnsSharedProject() async throws {
        let (root, input, output) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeFiles(input, ["a.txt": paragraphs(40, tag: "a"), "b.txt": paragraphs(40, tag: "b"), "c.txt": paragraphs(40, tag: "c")])
        let keys = Self.keys(3, projects: 2)   // k1 and k3 share p1
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 20)], timeScale: 0.05)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            var run = settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys)
            run.keys = .entries(keys.map { KeySource.Entry(secret: $0.key, label: $0.label) })   // no project declared
            run.rate = .perMinute(20)
            run.timeScale = 0.05
            let outcome = try await BatchApp.run(run, log: { _ in })
            #expect(outcome.exitStatus == 0)
            #expect(outcome.summary.filesOK == 3)
            #expect(outcome.summary.sharedQuotaNotes.count == 1)
            #expect(outcome.summary.sharedQuotaNotes.first?.contains("k1 and k3") == true)
            #expect(outcome.summary.humanReadable.contains("appear to share one project's quota"))
            #expect(emulator.audit().project("p2")?.rateLimited == 0, "a project with one key is never over")
        }
    }

    @Test("--provider openai-compatible: 5 keys in 5 projects paced by the server's headers, no rate given: every call, zero 429")
    func openAICompatible() async throws {
        let (root, input, output) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeFiles(input, Dictionary(uniqueKeysWithValues: (1...5).map { ("f\($0).txt", paragraphs(6, tag: "\($0)")) }))
        let keys = Self.keys(5)
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 60)], timeScale: 0.05)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            var run = settings(input: input, output: output, baseURL: emulator.baseURL + "/v1beta/openai", keys: keys)
            run.api = .openAICompatible
            run.rate = .perMinute(60)   // the CLI's starting pace when no --rate is given …
            run.rateIsCeiling = false   // … which the headers then replace
            run.timeScale = 0.05
            let outcome = try await BatchApp.run(run, log: { _ in })
            #expect(outcome.exitStatus == 0)
            #expect(outcome.summary.filesOK == 5)
            #expect(outcome.summary.rateLimited == 0)
            #expect(emulator.audit().projects.allSatisfy { $0.rateLimited == 0 && $0.maxAdmittedInAnyWindow <= 60 })
            let result = try #require(try OutputStore(folder: output).finishedResult(for: "f1.txt"))
            #expect(!result.summary.isEmpty && result.chunks.count == Chunker(maxCharacters: 200).chunks(of: paragraphs(6, tag: "1")).count)
        }
    }

    @Test("--provider openai-compatible: an invalid key is disabled after its one request, its file moves on")
    func openAIInvalidKey() async throws {
        let (root, input, output) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try writeFiles(input, ["a.txt": paragraphs(3), "b.txt": paragraphs(3)])
        let keys = Self.keys(3, states: [.invalid])
        try await GeminiEmulator.withEmulator(fastEmulator(keys)) { emulator in
            var run = settings(input: input, output: output, baseURL: emulator.baseURL + "/v1beta/openai", keys: keys)
            run.api = .openAICompatible
            run.job.concurrency = 2
            let outcome = try await BatchApp.run(run, log: { _ in })
            #expect(outcome.exitStatus == 0)
            #expect(outcome.summary.filesOK == 2)
            #expect(emulator.audit().key("k1")?.requests == 1)
            #expect(outcome.summary.keysDisabled.count == 1)
        }
    }
}
