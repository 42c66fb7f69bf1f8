import CurlTransport
import Foundation
import GatewayCore
import GeminiProvider

/// A whole `gemini-batch` run: scan, build the gateway over curl, process, summarise.
public enum BatchApp {
    /// The outcome: the summary, and the exit status the command should end with.
    public struct Outcome: Sendable {
        public var summary: RunSummary
        /// 0 when every file succeeded; 1 when some failed; 2 when no key was usable.
        public var exitStatus: Int32
        /// A message for people when no key was usable, naming each (masked) key and why.
        public var keyProblem: String?
    }

    /// Runs the batch described by `settings`, logging progress lines to `log`.
    /// - Throws: ``BatchError`` when the run cannot start (input or output folder, no keys, bad settings).
    public static func run(_ settings: BatchSettings, log: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        let (files, skipped) = try InputScanner(maxFileBytes: settings.maxFileBytes).scan(settings.input)
        let store = try OutputStore(folder: settings.output)
        if files.isEmpty { log("no files to process in \(settings.input.path)") }
        for skip in skipped { log("skipped: \(skip.file): \(skip.reason)") }

        return try await CurlTransport.withTransport { transport in
            let gateway: Gateway<GeminiProvider>
            do {
                gateway = try Gateway.builder()
                    .keys(settings.keys)
                    .rateLimit(.tokenBucket(settings.gatewayLimit))
                    .retryPolicy(.classifying(maxAttemptsPerKey: 5))
                    .options(GatewayOptions(attemptTimeout: settings.attemptTimeout))
                    .transport(transport)
                    .provider(.gemini(.init(baseURL: settings.baseURL ?? GeminiProvider.Configuration.defaultBaseURL)))
                    .build()
            } catch let error as ConfigurationError {
                if error.isNoKeys {
                    throw BatchError.noKeys(
                        "set GEMINI_API_KEY_1, GEMINI_API_KEY_2, … (and optionally GEMINI_API_KEY_<n>_PROJECT) in the environment or a .env file, or run with --demo")
                }
                throw BatchError.configuration("\(error)")
            }
            for warning in gateway.keyWarnings { log("warning: \(warning)") }
            var job = settings.job
            job.concurrency = min(job.concurrency, max(files.count, 1))

            let board = ProgressBoard()
            let display = settings.liveProgress ? ProgressDisplay(board: board, gateway: gateway) : nil
            let runner = BatchRunner(gateway: gateway, job: job, store: store, board: board, log: { line in
                if display == nil { log(line) }
            })
            display?.start()
            let summary = await runner.run(files, skipped: skipped, rate: settings.rate)
            display?.stop(elapsed: summary.wallSeconds)

            if let path = settings.summaryJSON {
                do {
                    try OutputStore.writeJSON(summary, to: path)
                } catch {
                    log("could not write the summary to \(path.path): \(error.localizedDescription)")
                }
            }
            let keys = gateway.snapshot().keys
            let unusable = !keys.isEmpty && keys.allSatisfy {
                if case .disabled = $0.health { true } else { false }
            }
            if unusable {
                let lines = keys.map { key -> String in
                    if case .disabled(let reason) = key.health { "  \(key.label) \(key.masked): \(reason)" } else { "  \(key.label) \(key.masked)" }
                }
                return Outcome(summary: summary, exitStatus: 2,
                    keyProblem: (["no usable key: every key was refused by the server"] + lines).joined(separator: "\n"))
            }
            return Outcome(summary: summary, exitStatus: summary.hasFailures ? 1 : 0, keyProblem: nil)
        }
    }
}
