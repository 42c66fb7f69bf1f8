import Foundation
import GatewayCore
import GeminiBatchKit
import GeminiEmulator
import NIOConcurrencyHelpers

/// Keys for the emulator that look nothing like real Google keys (secret scanners).
func testKeys(_ count: Int, prefix: String = "work-kept-key") -> [EmulatorKey] {
    (1...count).map { EmulatorKey(key: "\(prefix)-\(String(repeating: "z", count: 8))-\($0)", project: "p\($0)", label: "k\($0)") }
}

/// An emulator with no quota to speak of, `latency` ms per request.
func fastEmulator(_ keys: [EmulatorKey], latency: Int = 0) -> EmulatorConfiguration {
    EmulatorConfiguration(keys: keys, quotas: ["*": .unlimited], timeScale: 0.05, latencyMilliseconds: latency)
}

/// Settings for an in-process run over `input` into `output` against `baseURL`.
func settings(
    input: URL, output: URL, baseURL: String, keys: [EmulatorKey], chunkCharacters: Int = 200,
    summary: URL? = nil, force: Bool = false, prompt: PromptTemplate = .defaultChunk
) -> BatchSettings {
    BatchSettings(
        input: input, output: output,
        job: BatchJob(chunkPrompt: prompt, chunkCharacters: chunkCharacters, concurrency: keys.count),
        rate: RateLimit(requests: 10_000, per: .seconds(1)), baseURL: baseURL, summaryJSON: summary,
        keys: .entries(keys.map { KeySource.Entry(secret: $0.key, project: $0.project) }),
        attemptTimeout: .seconds(10), force: force)
}

/// Writes `files` (name → text) into `folder`, creating it.
func writeFiles(_ folder: URL, _ files: [String: String]) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
}

/// A text of `paragraphs` paragraphs of about 100 characters each.
func paragraphs(_ count: Int, tag: String = "") -> String {
    (1...count).map { "Paragraph \($0)\(tag) says one more useful thing about the topic, in plain and simple words." }
        .joined(separator: "\n\n")
}

/// Log lines collected from a run.
final class LogLines: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    var all: [String] { lines.withLockedValue { $0 } }
    func append(_ line: String) { lines.withLockedValue { $0.append(line) } }
}

/// One in-process run against a fresh emulator.
enum GeminiEmulatorRun {
    static func run(input: URL, output: URL, keys: [EmulatorKey], log: @escaping @Sendable (String) -> Void) async throws -> BatchApp.Outcome {
        try await GeminiEmulator.withEmulator(fastEmulator(keys)) { emulator in
            try await BatchApp.run(settings(input: input, output: output, baseURL: emulator.baseURL, keys: keys), log: log)
        }
    }
}
