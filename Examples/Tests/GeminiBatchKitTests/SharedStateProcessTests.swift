import Foundation
import GatewayCore
import GeminiBatchKit
import GeminiEmulator
import Testing

/// The PostgreSQL of `scripts/with-postgres.sh`, when the tests run inside it.
enum SharedStateDatabase {
    static let url = ProcessInfo.processInfo.environment["LLMGATEWAY_TEST_POSTGRES_URL"]
}

/// Several real gemini-batch processes on the same keys, sharing their state in the PostgreSQL
/// that `scripts/with-postgres.sh` starts (`LLMGATEWAY_TEST_POSTGRES_URL`), against one emulator.
@Suite(
    "Shared state: several gemini-batch processes on one key pool", .serialized, .timeLimit(.minutes(4)),
    .enabled(if: SharedStateDatabase.url != nil, "needs LLMGATEWAY_TEST_POSTGRES_URL (scripts/with-postgres.sh)"))
struct SharedStateProcessTests {
    static let databaseURL = SharedStateDatabase.url

    static func keys(_ states: [KeyState], tag: String) -> [EmulatorKey] {
        states.enumerated().map { index, state in
            EmulatorKey(key: "shared-\(tag)-key-\(String(repeating: "q", count: 8))-\(index + 1)", project: "p\(index + 1)",
                        state: state, label: "k\(index + 1)")
        }
    }

    static func environment(_ keys: [EmulatorKey]) -> [String: String] {
        var environment: [String: String] = [:]
        for (index, key) in keys.enumerated() {
            environment["GEMINI_API_KEY_\(index + 1)"] = key.key
            environment["GEMINI_API_KEY_\(index + 1)_PROJECT"] = key.project
        }
        return environment
    }

    /// `count` files named `f01.txt`…, dealt round-robin into `shares` input folders.
    static func dealFiles(_ count: Int, into shares: Int, under root: URL, paragraphs size: Int) throws -> [URL] {
        let folders = (0..<shares).map { root.appendingPathComponent("in\($0)") }
        for (index, folder) in folders.enumerated() {
            var files: [String: String] = [:]
            for file in stride(from: index, to: count, by: shares) {
                files[String(format: "f%02d.txt", file + 1)] = paragraphs(size, tag: " of file \(file + 1)")
            }
            try writeFiles(folder, files)
        }
        return folders
    }

    static func arguments(input: URL, output: URL, baseURL: String, rate: String, namespace: String, extra: [String] = []) -> [String] {
        [input.path, "-o", output.path, "--base-url", baseURL, "--rate", rate, "--time-scale", "0.05", "--chunk-chars", "200",
         "--env-file", input.appendingPathComponent("none.env").path,
         // 10 % under the rate: a loaded machine's late wake-ups never bunch requests into one window.
         "--headroom", "0.1", "--shared-state", databaseURL!, "--shared-namespace", namespace] + extra
    }

    /// The files finished in `outputs`, by name, with how many outputs hold each.
    static func finished(_ outputs: [URL]) -> [String: Int] {
        var seen: [String: Int] = [:]
        for output in outputs {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? [] where name.hasSuffix(".txt.json") {
                seen[String(name.dropLast(5)), default: 0] += 1
            }
        }
        return seen
    }

    /// Runs `psql -Atc sql` against the test database; its output, trimmed.
    static func psql(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [databaseURL!, "-Atc", sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("3 processes at once on 5 keys, each on its share of 12 files: every file done once, no 429, no project over its rate")
    func threeProcessesShareThePace() async throws {
        let root = try temporaryFolder("gemini-batch-shared")
        defer { try? FileManager.default.removeItem(at: root) }
        let keys = Self.keys(Array(repeating: .valid, count: 5), tag: "pace")
        let inputs = try Self.dealFiles(12, into: 3, under: root, paragraphs: 8)
        let outputs = (0..<3).map { root.appendingPathComponent("out\($0)") }
        let namespace = "pace-\(UUID().uuidString.prefix(8))"
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 30)], timeScale: 0.05, latencyMilliseconds: 20)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            let processes = try (0..<3).map { index in
                try BatchProcess(in: root, arguments: Self.arguments(
                    input: inputs[index], output: outputs[index], baseURL: emulator.baseURL, rate: "30/60s", namespace: namespace),
                    environment: Self.environment(keys))
            }
            for process in processes {
                let status = try await process.exitStatus(within: .seconds(120))
                #expect(status == 0, "stderr: \(process.stderr)")
            }
            #expect(Self.finished(outputs) == Dictionary(uniqueKeysWithValues: (1...12).map { (String(format: "f%02d.txt", $0), 1) }))
            let audit = emulator.audit()
            #expect(audit.projects.map(\.rateLimited).reduce(0, +) == 0, "429s: \(audit.projects.map { ($0.project, $0.rateLimited) })")
            for project in audit.projects {
                #expect(project.maxAdmittedInAnyWindow <= (project.windowLimit ?? .max), "\(project.project): \(project.maxAdmittedInAnyWindow) in a window")
            }
        }
    }

    @Test("2 invalid and 1 denied key among 5, across 3 processes: each bad key gets exactly 1 request in total")
    func badKeysOnceForAll() async throws {
        let root = try temporaryFolder("gemini-batch-shared")
        defer { try? FileManager.default.removeItem(at: root) }
        let keys = Self.keys([.invalid, .valid, .invalid, .suspended, .valid], tag: "bad")
        let inputs = try Self.dealFiles(6, into: 3, under: root, paragraphs: 4)
        let outputs = (0..<3).map { root.appendingPathComponent("out\($0)") }
        let namespace = "bad-\(UUID().uuidString.prefix(8))"
        // 6 a minute in the server's time: 0.5 s between a project's requests, time enough for a
        // verdict to reach every process before a second request could go to the same key.
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 6)], timeScale: 0.05, latencyMilliseconds: 5)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            let processes = try (0..<3).map { index in
                try BatchProcess(in: root, arguments: Self.arguments(
                    input: inputs[index], output: outputs[index], baseURL: emulator.baseURL, rate: "6/60s", namespace: namespace),
                    environment: Self.environment(keys))
            }
            for process in processes {
                let status = try await process.exitStatus(within: .seconds(120))
                #expect(status == 0, "stderr: \(process.stderr)")
            }
            #expect(Self.finished(outputs).count == 6)
            let audit = emulator.audit()
            for label in ["k1", "k3", "k4"] {
                #expect(audit.key(label)?.requests == 1, "\(label): \(audit.key(label)?.requests ?? -1) requests")
            }
        }
    }

    @Test("kill -9 mid-run: the process's leases come back within the TTL, and a rerun finishes its files")
    func killedProcessLeasesReturn() async throws {
        let root = try temporaryFolder("gemini-batch-shared")
        defer { try? FileManager.default.removeItem(at: root) }
        let keys = Self.keys([.valid, .valid], tag: "kill")
        let inputs = try Self.dealFiles(2, into: 1, under: root, paragraphs: 40)
        let output = root.appendingPathComponent("out0")
        let namespace = "kill-\(UUID().uuidString.prefix(8))"
        let ttl = 2
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 120)], timeScale: 0.05, latencyMilliseconds: 20)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            let arguments = Self.arguments(
                input: inputs[0], output: output, baseURL: emulator.baseURL, rate: "120/60s", namespace: namespace,
                extra: ["--shared-lease-ttl", "\(ttl)"])
            let process = try BatchProcess(in: root, arguments: arguments, environment: Self.environment(keys))
            let live = "SELECT count(*) FROM llmgateway_lease WHERE namespace = '\(namespace)' AND expires_at > clock_timestamp()"
            try await waitUntil(within: .seconds(60), "2 live leases") { (try? Self.psql(live)) == "2" }
            try await waitUntil(within: .seconds(60), "a few answers") { emulator.audit().totalRequests >= 5 }
            process.signal(SIGKILL)
            #expect(try await process.exitStatus(within: .seconds(30)) == 128 + SIGKILL)
            let killedAt = ContinuousClock.now
            try await waitUntil(within: .seconds(Double(ttl) * 3), "the leases to lapse") { (try? Self.psql(live)) == "0" }
            #expect(killedAt.duration(to: ContinuousClock.now) <= .seconds(ttl) + .milliseconds(1500))
            let rerun = try await BatchProcess.run(in: root, arguments, environment: Self.environment(keys), within: .seconds(120))
            #expect(rerun.status == 0, "stderr: \(rerun.stderr)")
            #expect(Self.finished([output]) == ["f01.txt": 1, "f02.txt": 1])
            #expect((try? Self.psql(live)) == "0", "a lease outlived its run")
        }
    }

    @Test("2 keys of one project nobody declared: a process learns it from its 429s, a second one started later adopts it and trips none; both end learned")
    func learnedGroupShared() async throws {
        let root = try temporaryFolder("gemini-batch-shared")
        defer { try? FileManager.default.removeItem(at: root) }
        let keys = [1, 2].map { EmulatorKey(key: "shared-learn-key-\(String(repeating: "z", count: 8))-\($0)", project: "p1", label: "k\($0)") }
        // No GEMINI_API_KEY_<n>_PROJECT: the processes do not know the keys share p1.
        let environment = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ("GEMINI_API_KEY_\($0.offset + 1)", $0.element.key) })
        let first = root.appendingPathComponent("in-a"), second = root.appendingPathComponent("in-b")
        try writeFiles(first, ["a1.txt": paragraphs(80, tag: " a1"), "a2.txt": paragraphs(80, tag: " a2")])
        try writeFiles(second, ["b1.txt": paragraphs(12, tag: " b1"), "b2.txt": paragraphs(12, tag: " b2")])
        let outputs = [root.appendingPathComponent("out-a"), root.appendingPathComponent("out-b")]
        let summaries = [root.appendingPathComponent("a.json"), root.appendingPathComponent("b.json")]
        let namespace = "learn-\(UUID().uuidString.prefix(8))"
        let configuration = EmulatorConfiguration(keys: keys, quotas: ["*": ModelQuota(rpm: 20)], timeScale: 0.05, latencyMilliseconds: 10)
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            func arguments(_ index: Int, _ input: URL) -> [String] {
                Self.arguments(input: input, output: outputs[index], baseURL: emulator.baseURL, rate: "20/60s", namespace: namespace,
                               extra: ["--summary-json", summaries[index].path])
            }
            // A alone: each key paced at the full rate trips the project's quota until A learns.
            let a = try BatchProcess(in: root, arguments: arguments(0, first), environment: environment)
            let learned = "SELECT count(*) FROM llmgateway_key WHERE namespace = '\(namespace)' AND learned_group IS NOT NULL"
            try await waitUntil(within: .seconds(60), "A to learn and share the group") { (try? Self.psql(learned)) == "2" }
            // The emulator's window (a quota minute: 3 s at time scale 0.05) still holds what both
            // keys sent before A learned; B starts once it has passed.
            try await Task.sleep(for: .seconds(3.5))
            let refusedBeforeB = emulator.audit().project("p1")?.rateLimited ?? 0
            // B starts while A runs, knowing nothing yet: it reads the group from the database.
            let b = try BatchProcess(in: root, arguments: arguments(1, second), environment: environment)
            #expect(a.process.isRunning, "A ended before B started: nothing was paced together")
            for process in [a, b] {
                let status = try await process.exitStatus(within: .seconds(120))
                #expect(status == 0, "stderr: \(process.stderr)")
            }
            #expect(Self.finished(outputs) == ["a1.txt": 1, "a2.txt": 1, "b1.txt": 1, "b2.txt": 1])
            let decoded = try summaries.map { try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: $0)) }
            for (name, summary) in zip(["A", "B"], decoded) {
                #expect(summary.sharedQuotaNotes.count == 1, "\(name): \(summary.sharedQuotaNotes)")
                #expect(summary.sharedQuotaNotes.first?.contains("#1 and #2") == true, "\(name): \(summary.sharedQuotaNotes)")
            }
            let project = try #require(emulator.audit().project("p1"))
            // Learning takes a few refusals (two pieces of evidence, the calls already in flight);
            // once learned, both processes pace the two keys in one bucket on the server.
            #expect(refusedBeforeB >= 2 && refusedBeforeB <= 12, "429s while A learned: \(refusedBeforeB)")
            #expect(project.rateLimited - refusedBeforeB <= 1, "429s after B started: \(project.rateLimited - refusedBeforeB)")
            // B learned nothing itself (no 429, no evidence): its note is the group it adopted.
            #expect(decoded[1].rateLimited == 0, "B's 429s: \(decoded[1].rateLimited)")
        }
    }
}

/// Needs no database: what gemini-batch says when the one it is given does not answer.
@Suite("Shared state at start")
struct SharedStateStartTests {
    @Test("--shared-state to a database that does not answer: exit 2 and a clear message")
    func unreachable() async throws {
        let root = try temporaryFolder("gemini-batch-shared")
        defer { try? FileManager.default.removeItem(at: root) }
        try writeFiles(root.appendingPathComponent("in"), ["a.txt": "hello"])
        let run = try await BatchProcess.run(in: root, [
            root.appendingPathComponent("in").path, "-o", root.appendingPathComponent("out").path,
            "--base-url", "http://127.0.0.1:1", "--env-file", root.appendingPathComponent("none.env").path,
            "--shared-state", "postgres://gateway:pw-not-shown@127.0.0.1:1/gateway",
        ], environment: ["GEMINI_API_KEY_1": "unreachable-db-test-key-zzzzzzzz"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("shared-state database at 127.0.0.1:1/gateway is unreachable"), "stderr: \(run.stderr)")
        #expect(!run.stderr.contains("pw-not-shown"))
    }
}
