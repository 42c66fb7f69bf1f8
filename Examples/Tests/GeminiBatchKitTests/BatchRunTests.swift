import Foundation
import GatewayCore
import GeminiBatchKit
import GeminiEmulator
import Testing

/// Whole runs against the emulator over curl: resume, bad keys, empty input, the summary.
@Suite("Batch runs against the emulator", .serialized, .timeLimit(.minutes(1)))
struct BatchRunTests {
    static func emulatorKeys(_ states: [KeyState]) -> [EmulatorKey] {
        states.enumerated().map { index, state in
            EmulatorKey(key: "batch-test-key-\(String(repeating: "q", count: 8))-\(index + 1)", project: "p\(index + 1)", state: state, label: "k\(index + 1)")
        }
    }

    /// Runs a batch over `input` with the emulator's `keys`; returns the outcome and the audit.
    func runBatch(
        input: URL, output: URL, keys: [EmulatorKey], summary: URL? = nil, maxCallsInFlight: Int = 16,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> (BatchApp.Outcome, EmulatorAudit) {
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 120)], timeScale: 0.05)
        return try await GeminiEmulator.withEmulator(configuration) { emulator in
            let settings = BatchSettings(
                input: input, output: output, job: BatchJob(chunkCharacters: 200, concurrency: keys.count, maxCallsInFlight: maxCallsInFlight),
                rate: RateLimit(requests: 120, per: .seconds(3)), baseURL: emulator.baseURL, summaryJSON: summary,
                keys: .entries(keys.map { KeySource.Entry(secret: $0.key, project: $0.project) }), attemptTimeout: .seconds(10))
            let outcome = try await BatchApp.run(settings, log: log)
            return (outcome, emulator.audit())
        }
    }

    func writeInput(_ folder: URL, files: [String: String]) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
    }

    static let text = (1...6).map { "Paragraph \($0) says something useful about the topic at hand." }.joined(separator: "\n\n")

    @Test("every file gets a result with chunk answers and a summary; the run summary counts it all")
    func fullRun() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        try writeInput(input, files: ["a.txt": Self.text, "b.txt": Self.text, "c.txt": "short"])
        let summaryURL = root.appendingPathComponent("summary.json")
        let (outcome, audit) = try await runBatch(input: input, output: output, keys: Self.emulatorKeys([.valid, .valid]), summary: summaryURL)
        #expect(outcome.exitStatus == 0)
        #expect(outcome.summary.filesOK == 3 && outcome.summary.filesFailed.isEmpty)
        let store = try OutputStore(folder: output)
        let a = try #require(store.finishedResult(for: "a.txt"))
        #expect(a.chunks.count >= 2)
        #expect(!a.summary.isEmpty)
        #expect(a.key.hasPrefix("#") && !a.key.contains("batch-test-key"))
        #expect(store.finishedResult(for: "c.txt")?.chunks.count == 1)
        // 2 files × (chunks + 1 summary call) + 1 single-chunk file.
        #expect(outcome.summary.calls == 2 * (a.chunks.count + 1) + 1)
        #expect(audit.totalRequests == outcome.summary.attempts)
        let written = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: summaryURL))
        #expect(written.calls == outcome.summary.calls)
        #expect(written.perKey.count == 2)
        #expect(!String(decoding: try Data(contentsOf: summaryURL), as: UTF8.self).contains("batch-test-key"))
    }

    @Test("files start longest first, so no long file runs alone at the end")
    func longestFirst() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        try writeInput(input, files: ["a.txt": "short", "b.txt": paragraphs(4), "c.txt": paragraphs(12), "d.txt": paragraphs(8)])
        let lines = LogLines()
        // One key, one call at a time (so no file starts early while another's last calls are
        // out): files run one after another, in the order they start.
        let (outcome, _) = try await runBatch(
            input: input, output: output, keys: Self.emulatorKeys([.valid]), maxCallsInFlight: 1, log: lines.append)
        #expect(outcome.summary.filesOK == 4)
        #expect(lines.all.filter { $0.hasPrefix("done: ") } == ["done: c.txt", "done: d.txt", "done: b.txt", "done: a.txt"])
    }

    @Test("an interrupted run resumes: finished files are not asked again")
    func resume() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        try writeInput(input, files: ["a.txt": Self.text, "b.txt": Self.text])
        let keys = Self.emulatorKeys([.valid])
        let (first, _) = try await runBatch(input: input, output: output, keys: keys)
        #expect(first.summary.filesOK == 2)
        try writeInput(input, files: ["c.txt": "one more"])
        let (second, audit) = try await runBatch(input: input, output: output, keys: keys)
        #expect(second.summary.filesResumed == 2)
        #expect(second.summary.filesOK == 1)
        #expect(audit.totalRequests == 1)   // only c.txt's one chunk
    }

    @Test("all keys invalid: exit status 2 and a message naming each masked key and its reason")
    func allKeysInvalid() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        try writeInput(input, files: ["a.txt": "x", "b.txt": "y", "c.txt": "z"])
        let keys = Self.emulatorKeys([.invalid, .leaked])
        let (outcome, audit) = try await runBatch(input: input, output: output, keys: keys)
        #expect(outcome.exitStatus == 2)
        #expect(outcome.summary.filesFailed.count == 3)
        #expect(outcome.summary.keysDisabled.count == 2)
        let problem = try #require(outcome.keyProblem)
        #expect(problem.contains("#1 …") && problem.contains("#2 …"))
        #expect(problem.contains("invalid key") && problem.contains("leaked"))
        #expect(!problem.contains("batch-test-key"))
        // One request per bad key, then nothing more: a file that rotates onto a key whose first
        // request is still unanswered waits for its verdict.
        #expect(audit.totalRequests == 2)
    }

    @Test("an empty input folder is a run of nothing, not an error")
    func emptyFolder() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in"), output = root.appendingPathComponent("out")
        try writeInput(input, files: [:])
        let (outcome, audit) = try await runBatch(input: input, output: output, keys: Self.emulatorKeys([.valid]))
        #expect(outcome.exitStatus == 0)
        #expect(outcome.summary.filesTotal == 0)
        #expect(audit.totalRequests == 0)
    }

    @Test("no keys at all is a typed error that says how to give them")
    func noKeys() async throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        try writeInput(input, files: ["a.txt": "x"])
        let settings = BatchSettings(
            input: input, output: root.appendingPathComponent("out"), job: BatchJob(concurrency: 1),
            rate: .perMinute(15), keys: .list([]))
        do {
            _ = try await BatchApp.run(settings, log: { _ in })
            Issue.record("expected an error")
        } catch let error as BatchError {
            #expect("\(error)".contains("GEMINI_API_KEY_1"))
        }
    }
}
