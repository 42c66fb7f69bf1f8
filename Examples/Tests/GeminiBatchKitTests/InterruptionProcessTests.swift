import Foundation
import GatewayCore
import GeminiBatchKit
import GeminiEmulator
import Testing

/// The built gemini-batch binary against the in-process emulator, stopped by real signals.
@Suite("Interrupting a real gemini-batch process", .serialized, .timeLimit(.minutes(3)))
struct InterruptionProcessTests {
    static let keys = testKeys(1, prefix: "signal-test-key")
    /// 50 chunks of ~200 characters at 50 ms each: 2.5 s, long enough to interrupt mid-file
    /// even on a loaded machine (the signal goes out after the 5th answer).
    static let bigText = paragraphs(50)

    struct Folders {
        let root: URL
        var input: URL { root.appendingPathComponent("in") }
        var output: URL { root.appendingPathComponent("out") }
        var summary: URL { root.appendingPathComponent("summary.json") }
        init() throws { root = try temporaryFolder("gemini-batch-signal") }
        /// One chunk call at a time, so the signal finds big.txt part-way and later.txt not started
        /// (with more in flight the next file starts as soon as big.txt's last chunk call is out).
        func arguments(_ baseURL: String) -> [String] {
            [input.path, "-o", output.path, "--base-url", baseURL, "--rate", "10000/1s", "--chunk-chars", "200", "--max-in-flight", "1",
             "--summary-json", summary.path, "--env-file", root.appendingPathComponent("none.env").path]
        }
    }

    static let environment = ["GEMINI_API_KEY_1": keys[0].key]

    /// The answers the checkpoint of `file` holds (0 when there is none yet).
    static func checkpointed(_ output: URL, _ file: String) -> Int {
        (try? OutputStore(folder: output).checkpoint(for: file)?.answers.count) ?? 0
    }

    func interrupt(with signal: Int32, expecting status: Int32) async throws {
        let folders = try Folders()
        defer { try? FileManager.default.removeItem(at: folders.root) }
        try writeFiles(folders.input, ["big.txt": Self.bigText, "later.txt": "never reached"])
        let chunks = Chunker(maxCharacters: 200).chunks(of: Self.bigText).count
        try await GeminiEmulator.withEmulator(fastEmulator(Self.keys, latency: 50)) { emulator in
            let process = try BatchProcess(in: folders.root, arguments: folders.arguments(emulator.baseURL), environment: Self.environment)
            try await waitUntil(within: .seconds(60), "5 checkpointed answers") { Self.checkpointed(folders.output, "big.txt") >= 5 }
            process.signal(signal)
            #expect(try await process.exitStatus(within: .seconds(30)) == status)

            let kept = Self.checkpointed(folders.output, "big.txt")
            #expect(kept >= 5 && kept < chunks)
            let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: folders.summary))
            #expect(summary.interrupted == RunStop.signalName(signal))
            #expect(summary.filesInterrupted == ["big.txt"])
            #expect(summary.filesNotStarted == 1)
            #expect(process.stdout.contains("stopped early"))
            let names = try FileManager.default.contentsOfDirectory(atPath: folders.output.path)
            #expect(!names.contains { $0.hasSuffix(".tmp") })

            // The rerun asks only the unanswered chunks, the summary call and the other file.
            let before = emulator.audit().totalRequests
            let rerun = try await BatchProcess.run(in: folders.root, folders.arguments(emulator.baseURL), environment: Self.environment)
            #expect(rerun.status == 0)
            #expect(rerun.stderr.contains("resuming big.txt: \(kept) of \(chunks) chunk answers kept, \(chunks - kept) to ask"))
            #expect(emulator.audit().totalRequests - before == (chunks - kept + 1) + 1)
            let result = try #require(try OutputStore(folder: folders.output).finishedResult(for: "big.txt"))
            #expect(result.chunks.map(\.index) == Array(1...chunks))
        }
    }

    @Test("SIGINT mid-file: answers kept, summary marked interrupted, exit 130; the rerun asks only the unanswered chunks")
    func sigint() async throws { try await interrupt(with: SIGINT, expecting: 130) }

    @Test("SIGTERM mid-file: the same, with exit 143")
    func sigterm() async throws { try await interrupt(with: SIGTERM, expecting: 143) }

    @Test("SIGKILL mid-file: the rerun takes the lock, removes temporaries left behind and resumes from the journal")
    func sigkill() async throws {
        let folders = try Folders()
        defer { try? FileManager.default.removeItem(at: folders.root) }
        try writeFiles(folders.input, ["big.txt": Self.bigText])
        let chunks = Chunker(maxCharacters: 200).chunks(of: Self.bigText).count
        try await GeminiEmulator.withEmulator(fastEmulator(Self.keys, latency: 50)) { emulator in
            let process = try BatchProcess(in: folders.root, arguments: folders.arguments(emulator.baseURL), environment: Self.environment)
            try await waitUntil(within: .seconds(60), "3 checkpointed answers") { Self.checkpointed(folders.output, "big.txt") >= 3 }
            process.signal(SIGKILL)
            #expect(try await process.exitStatus(within: .seconds(30)) == 128 + SIGKILL)
            let kept = Self.checkpointed(folders.output, "big.txt")
            // What a kill in the middle of a result write leaves.
            try Data("{\"file\":".utf8).write(to: folders.output.appendingPathComponent(OutputNames.temporary()))

            let before = emulator.audit().totalRequests
            let rerun = try await BatchProcess.run(in: folders.root, folders.arguments(emulator.baseURL), environment: Self.environment)
            #expect(rerun.status == 0)
            #expect(rerun.stderr.contains("removed 1 temporary file(s)"))
            #expect(emulator.audit().totalRequests - before == chunks - kept + 1)
            let names = try FileManager.default.contentsOfDirectory(atPath: folders.output.path)
            #expect(Set(names) == ["big.txt.json", OutputNames.lockName])
        }
    }

    @Test("a second SIGINT while the first is handled ends the process at once with 130")
    func secondSigint() async throws {
        let folders = try Folders()
        defer { try? FileManager.default.removeItem(at: folders.root) }
        try writeFiles(folders.input, ["big.txt": Self.bigText])
        try await GeminiEmulator.withEmulator(fastEmulator(Self.keys, latency: 50)) { emulator in
            let process = try BatchProcess(in: folders.root, arguments: folders.arguments(emulator.baseURL), environment: Self.environment)
            try await waitUntil(within: .seconds(60), "a checkpointed answer") { Self.checkpointed(folders.output, "big.txt") >= 1 }
            process.signal(SIGINT)
            process.signal(SIGINT)
            #expect(try await process.exitStatus(within: .seconds(30)) == 130)
            #expect(Self.checkpointed(folders.output, "big.txt") >= 1)
        }
    }

    @Test("a second run on the same output folder exits 2 at once, naming the first run's PID")
    func lockedOutput() async throws {
        let folders = try Folders()
        defer { try? FileManager.default.removeItem(at: folders.root) }
        try writeFiles(folders.input, ["big.txt": Self.bigText])
        try await GeminiEmulator.withEmulator(fastEmulator(Self.keys, latency: 50)) { emulator in
            let first = try BatchProcess(in: folders.root, arguments: folders.arguments(emulator.baseURL), environment: Self.environment)
            try await waitUntil(within: .seconds(60), "the first run's first answer") { Self.checkpointed(folders.output, "big.txt") >= 1 }
            let second = try await BatchProcess.run(in: folders.root, folders.arguments(emulator.baseURL), environment: Self.environment,
                within: .seconds(20))
            #expect(second.status == 2)
            #expect(second.stdout.isEmpty)   // no summary: it stopped before reading anything
            #expect(second.stderr.contains("in use by another gemini-batch run (PID \(first.pid))"))
            #expect(first.process.isRunning)
            first.signal(SIGTERM)
            #expect(try await first.exitStatus(within: .seconds(30)) == 143)
        }
    }
}
