import Foundation
import GatewayCore

/// The machine-readable summary of a run (`--summary-json`).
public struct RunSummary: Codable, Sendable {
    public struct FileFailure: Codable, Sendable, Hashable {
        public var file: String
        public var reason: String
    }

    public struct KeyUsage: Codable, Sendable, Hashable {
        /// Label and masked text, e.g. `#2 …wxyz`.
        public var key: String
        public var quotaGroup: String
        /// `active`, `cooling until … because …` or `disabled because …`.
        public var state: String
        public var attempts: Int
        public var successes: Int
        public var failures: Int
        public var rateLimited: Int
    }

    public struct DisabledKey: Codable, Sendable, Hashable {
        public var key: String
        public var reason: String
    }

    public var model: String
    /// The pacing, per quota group (e.g. `15/3s`).
    public var rate: String
    public var filesTotal: Int
    /// Files processed in this run.
    public var filesOK: Int
    /// Files already done by an earlier run, left as they were.
    public var filesResumed: Int
    public var filesFailed: [FileFailure]
    public var filesSkipped: [SkippedFile]
    /// Successful calls.
    public var calls: Int
    public var failedCalls: Int
    public var attempts: Int
    /// Attempts repeated on the same key.
    public var retries: Int
    public var rotations: Int
    /// Attempts answered with HTTP 429.
    public var rateLimited: Int
    public var keysDisabled: [DisabledKey]
    public var wallSeconds: Double
    public var callsPerSecond: Double
    /// Calls completed per quota window, over what the quota groups allow per window (the sum
    /// of their rates); `nil` when nothing ran.
    public var efficiency: Double?
    public var perKey: [KeyUsage]
    /// Why the run stopped early (`SIGINT`, `SIGTERM`, `dead server: …`); `nil` when it ran to the end.
    public var interrupted: String? = nil
    /// Files stopped part-way; their chunk answers so far are checkpointed for the next run.
    public var filesInterrupted: [String] = []
    /// Files a stopped run did not start.
    public var filesNotStarted: Int = 0

    /// Whether any file failed (the exit status is then non-zero).
    public var hasFailures: Bool { !filesFailed.isEmpty }
}

extension RunSummary {
    /// A few lines for people.
    public var humanReadable: String {
        var lines = [
            "files: \(filesOK) done, \(filesResumed) already done, \(filesFailed.count) failed, \(filesSkipped.count) skipped (of \(filesTotal))",
            "calls: \(calls) ok, \(failedCalls) failed; attempts \(attempts), retries \(retries), rotations \(rotations), 429s \(rateLimited)",
            String(format: "time: %.1f s, %.2f calls/s", wallSeconds, callsPerSecond)
                + (efficiency.map { String(format: ", quota efficiency %.3f", $0) } ?? ""),
        ]
        if let interrupted {
            lines.append("stopped early (\(Printable.escaped(interrupted))): \(filesInterrupted.count) file(s) stopped part-way, "
                + "their answers kept; \(filesNotStarted) not started; run again to go on")
        }
        for failure in filesFailed { lines.append("failed: \(Printable.escaped(failure.file)): \(Printable.escaped(failure.reason))") }
        for skip in filesSkipped { lines.append("skipped: \(Printable.escaped(skip.file)): \(skip.reason)") }
        for key in keysDisabled { lines.append("key disabled: \(key.key): \(Printable.escaped(key.reason))") }
        return lines.joined(separator: "\n")
    }
}

extension KeySnapshot {
    /// `#2 …wxyz`.
    var displayName: String { "\(label) \(masked)" }
}
