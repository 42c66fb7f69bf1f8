import Foundation
import Testing

/// The built `gemini-batch` binary, run as a real process with real signals. `swift test`
/// builds it next to the test bundle; a missing binary fails the test that needs it.
struct BatchProcess {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    /// `.build/<triple>/debug/gemini-batch`, beside the running test bundle.
    static func binary() throws -> URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = exe.deletingLastPathComponent().appendingPathComponent("gemini-batch")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw ProcessTestError("no gemini-batch binary at \(candidate.path); run `swift build --package-path Examples` first")
        }
        return candidate
    }

    /// Starts `gemini-batch arguments` in `folder` with only `environment` (plus PATH), stdout
    /// and stderr going to files in `folder`. With `shell`, runs `/bin/sh -c shell` instead,
    /// `$0` being the binary (to close or redirect descriptors as a user would).
    init(in folder: URL, arguments: [String], environment: [String: String] = [:], shell: String? = nil) throws {
        let tag = UUID().uuidString.prefix(8)
        stdoutURL = folder.appendingPathComponent("stdout-\(tag).txt")
        stderrURL = folder.appendingPathComponent("stderr-\(tag).txt")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let binary = try Self.binary()
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shell, binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { mine, _ in mine }
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to end (at most `limit`) and returns its exit status, or 128 + the
    /// signal that killed it.
    func exitStatus(within limit: Duration = .seconds(60)) async throws -> Int32 {
        try await waitUntil(within: limit, "gemini-batch to exit") { !process.isRunning }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Runs to the end and returns the exit status.
    static func run(in folder: URL, _ arguments: [String], environment: [String: String] = [:], shell: String? = nil,
                    within limit: Duration = .seconds(60)) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try BatchProcess(in: folder, arguments: arguments, environment: environment, shell: shell)
        let status = try await process.exitStatus(within: limit)
        return (status, process.stdout, process.stderr)
    }
}

struct ProcessTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 20 ms until it holds; throws when `limit` passes first. For
/// end-to-end tests only: the limit is generous and nothing is asserted on elapsed time.
func waitUntil(within limit: Duration, _ what: String, _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw ProcessTestError("timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}
