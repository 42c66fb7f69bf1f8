import Foundation
import GatewayCore
import GeminiBatchKit
import GeminiEmulator
import Testing

/// Hostile options and broken output streams, through the real binary.
@Suite("No crash on any input (real process)", .serialized, .timeLimit(.minutes(3)))
struct RobustnessProcessTests {
    static let keys = testKeys(1, prefix: "robust-test-key")

    func folders() throws -> (root: URL, input: URL) {
        let root = try temporaryFolder("gemini-batch-robust")
        let input = root.appendingPathComponent("in")
        try writeFiles(input, ["a.txt": paragraphs(3)])
        return (root, input)
    }

    @Test("bad numbers and argument-parser's own usage errors exit 2 with a clear message, never 64 or a crash",
          arguments: [
            (["--chunk-chars", "-5"], "--chunk-chars must be in"), (["--chunk-chars", "99"], "--chunk-chars must be in"),
            (["--concurrency", "0"], "--concurrency"), (["--headroom", "nan"], "--headroom"), (["--tpm", "-1"], "--tpm"),
            (["--max-file-bytes", "9223372036854775807"], "--max-file-bytes"), (["--max-file-bytes", "0"], "--max-file-bytes"),
            (["--rate", "999999999999999999/1s"], "--rate"), (["--rate", "5/0s"], "--rate"), (["--bogus"], "Unknown option"),
            (["--chunk-chars", "many"], "chunk-chars"), (["--base-url", "notaurl"], "--base-url is not a URL"),
            (["--base-url", "file:///etc/passwd"], "scheme 'file'"), (["--model", "../../x?y=1"], "--model"),
            (["--prompt", "{ chunk }"], "{ chunk }"),
          ])
    func badOptions(options: [String], message: String) async throws {
        let (root, input) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try await BatchProcess.run(in: root, [input.path, "-o", root.appendingPathComponent("out").path] + options,
            environment: ["GEMINI_API_KEY_1": Self.keys[0].key])
        #expect(run.status == 2)
        #expect(run.stderr.contains(message))
    }

    @Test("an output folder inside the input, an unwritable --summary-json and a folder as .env exit 2 before any call")
    func refusedAtStart() async throws {
        let (root, input) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        try await GeminiEmulator.withEmulator(fastEmulator(Self.keys)) { emulator in
            let base = [input.path, "--base-url", emulator.baseURL]
            let cases: [([String], String)] = [
                (["-o", input.path], "the input folder"),
                (["-o", input.appendingPathComponent("out").path], "inside the input folder"),
                (["-o", root.appendingPathComponent("out").path, "--summary-json", "/nonexistent/s.json"], "--summary-json"),
                (["-o", root.appendingPathComponent("out").path, "--env-file", root.path], "is a folder"),
            ]
            for (options, message) in cases {
                let run = try await BatchProcess.run(in: root, base + options, environment: ["GEMINI_API_KEY_1": Self.keys[0].key])
                #expect(run.status == 2, "\(options)")
                #expect(run.stderr.contains(message), "\(options): \(run.stderr)")
            }
            #expect(emulator.audit().totalRequests == 0)
        }
    }

    @Test("stderr on /dev/full, stderr closed, stdout closed: the run ends with its exit status and writes its summary",
          arguments: ["exec \"$0\" \"$@\" 2>/dev/full", "exec \"$0\" \"$@\" 2>&-", "exec \"$0\" \"$@\" >&- 2>&-", "exec \"$0\" \"$@\" >/dev/full"])
    func brokenStreams(shell: String) async throws {
        let (root, input) = try folders()
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = root.appendingPathComponent("summary.json")
        try await GeminiEmulator.withEmulator(fastEmulator(Self.keys)) { emulator in
            let run = try await BatchProcess.run(in: root,
                [input.path, "-o", root.appendingPathComponent("out").path, "--base-url", emulator.baseURL, "--rate", "1000/1s",
                 "--summary-json", summary.path, "--env-file", root.appendingPathComponent("none.env").path],
                environment: ["GEMINI_API_KEY_1": Self.keys[0].key], shell: shell)
            #expect(run.status == 0)
            let written = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: summary))
            #expect(written.filesOK == 1)
            // The closed descriptors were not taken over by the run's own files.
            let result = try Data(contentsOf: root.appendingPathComponent("out/a.txt.json"))
            #expect((try? JSONDecoder().decode(FileResult.self, from: result)) != nil)
        }
    }
}
