import Foundation
import GatewayCore
import GeminiEmulator

/// `gemini-batch --demo`: no keys needed. Starts the Gemini emulator in this process with a
/// handful of demo keys — one invalid, two sharing a project — writes sample input, and runs the
/// batch against it with the quota time scaled (a quota minute lasts 3 s).
public enum Demo {
    /// The emulator's keys: five keys in four projects; `#2` is invalid; `#3` and `#4` share a project.
    public static let keys: [EmulatorKey] = [
        EmulatorKey(key: "demo-key-aaaaaaaa-0001", project: "demo-project-a", state: .valid, label: "demo-1"),
        EmulatorKey(key: "demo-key-bbbbbbbb-0002", project: "demo-project-b", state: .invalid, label: "demo-2"),
        EmulatorKey(key: "demo-key-cccccccc-0003", project: "demo-project-c", state: .valid, label: "demo-3"),
        EmulatorKey(key: "demo-key-cccccccc-0004", project: "demo-project-c", state: .valid, label: "demo-4"),
        EmulatorKey(key: "demo-key-dddddddd-0005", project: "demo-project-d", state: .valid, label: "demo-5"),
    ]

    /// The emulator's quota time scale: a quota minute lasts 3 s.
    public static let timeScale = 0.05
    /// Free-tier requests per quota minute.
    public static let requestsPerMinute = 15

    /// Writes `count` sample text files of a few chunks each into `folder` (replacing it).
    public static func writeSampleInput(to folder: URL, count: Int = 8) throws {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let topics = ["heart failure", "river deltas", "compilers", "bee colonies", "tidal power", "medieval trade",
                      "glaciers", "type systems", "coral reefs", "printing presses"]
        for index in 0..<count {
            let topic = topics[index % topics.count]
            let paragraphs = (1...(3 + index % 3)).map { part in
                "Part \(part) about \(topic). " + String(repeating: "This sentence describes one more aspect of \(topic) in plain words. ", count: 12)
            }
            try paragraphs.joined(separator: "\n\n").write(
                to: folder.appendingPathComponent(String(format: "%02d-%@.txt", index + 1, topic.replacingOccurrences(of: " ", with: "-"))),
                atomically: true, encoding: .utf8)
        }
    }

    /// Runs the demo in `folder` (`input/`, `output/`, `summary.json`), logging to `log`.
    public static func run(
        in folder: URL, liveProgress: Bool, stop: RunStop = RunStop(), log: @escaping @Sendable (String) -> Void
    ) async throws -> BatchApp.Outcome {
        let input = folder.appendingPathComponent("input")
        let output = folder.appendingPathComponent("output")
        try writeSampleInput(to: input)
        try? FileManager.default.removeItem(at: output)   // the demo always shows a full run
        let configuration = EmulatorConfiguration(
            keys: keys, quotas: ["*": ModelQuota(rpm: requestsPerMinute)], timeScale: timeScale)
        return try await GeminiEmulator.withEmulator(configuration) { emulator in
            log("demo: Gemini emulator on \(emulator.baseURL); 5 keys (#2 invalid, #3 and #4 share a project), \(requestsPerMinute) requests per 3 s per project")
            let entries = keys.enumerated().map { index, key in
                KeySource.Entry(secret: key.key, project: key.project, label: "#\(index + 1)")
            }
            let settings = BatchSettings(
                input: input, output: output,
                job: BatchJob(chunkCharacters: 1_500, concurrency: keys.count),
                rate: .perMinute(requestsPerMinute), timeScale: timeScale,
                baseURL: emulator.baseURL, summaryJSON: folder.appendingPathComponent("summary.json"),
                keys: .entries(entries), liveProgress: liveProgress, attemptTimeout: .seconds(20), stop: stop)
            return try await BatchApp.run(settings, log: log)
        }
    }
}
