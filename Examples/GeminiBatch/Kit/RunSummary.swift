import Foundation
import GatewayCore

/// The machine-readable summary of a run (`--summary-json`).
public struct RunSummary: Codable, Sendable {
    /// A file that failed, and why.
    public struct FileFailure: Codable, Sendable, Hashable {
        /// The file's name.
        public var file: String
        /// Why it was disabled.
        public var reason: String
    }

    /// One key's share of the run.
    public struct KeyUsage: Codable, Sendable, Hashable {
        /// Label and masked text, e.g. `#2 …wxyz`.
        public var key: String
        /// The key's quota group (its project, when declared).
        public var quotaGroup: String
        /// `active`, `cooling until … because …` or `disabled because …`.
        public var state: String
        /// HTTP attempts on the key.
        public var attempts: Int
        /// Attempts answered with success.
        public var successes: Int
        /// Attempts that failed.
        public var failures: Int
        /// Attempts answered with 429.
        public var rateLimited: Int
    }

    /// A key the server refused, and why.
    public struct DisabledKey: Codable, Sendable, Hashable {
        /// Label and masked text, e.g. `#2 …wxyz`.
        public var key: String
        /// Why it was disabled.
        public var reason: String
    }

    /// The model asked.
    public var model: String
    /// The pacing, per quota group (e.g. `15/3s`).
    public var rate: String
    /// Files of the input folder to process.
    public var filesTotal: Int
    /// Files processed in this run.
    public var filesOK: Int
    /// Files already done by an earlier run, left as they were.
    public var filesResumed: Int
    /// Files that failed, with reasons.
    public var filesFailed: [FileFailure]
    /// Files left out (binary, empty, too large, unreadable), with reasons.
    public var filesSkipped: [SkippedFile]
    /// Successful calls.
    public var calls: Int
    /// Calls that failed after their retries.
    public var failedCalls: Int
    /// HTTP attempts over all calls.
    public var attempts: Int
    /// Attempts repeated on the same key.
    public var retries: Int
    /// Times a call moved to another key.
    public var rotations: Int
    /// Attempts answered with HTTP 429.
    public var rateLimited: Int
    /// Keys the server refused.
    public var keysDisabled: [DisabledKey]
    /// Wall seconds the run took.
    public var wallSeconds: Double
    /// Successful calls per wall second.
    public var callsPerSecond: Double
    /// Calls completed per quota window, over what the quota groups allow per window (the sum
    /// of their rates); `nil` when nothing ran.
    public var efficiency: Double?
    /// Each key's share.
    public var perKey: [KeyUsage]
    /// What the run learned about keys without a declared project: which appear to share one
    /// project's quota (they were paced as one group once the 429s showed it).
    public var sharedQuotaNotes: [String] = []
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
        for note in sharedQuotaNotes { lines.append("note: \(note) (<PREFIX><n>_PROJECT, e.g. GEMINI_API_KEY_2_PROJECT=my-project)") }
        return lines.joined(separator: "\n")
    }
}

extension KeySnapshot {
    /// `#2 …wxyz`.
    var displayName: String { "\(label) \(masked)" }
}
