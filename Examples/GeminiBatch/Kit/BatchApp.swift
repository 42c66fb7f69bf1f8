import CurlTransport
import Foundation
import GatewayCore
import GeminiProvider
import OpenAICompatibleProvider

/// A whole `gemini-batch` run: check the settings, lock the output folder, scan, build the
/// gateway over curl, process, summarise.
public enum BatchApp {
    /// The outcome: the summary, and the exit status the command should end with.
    public struct Outcome: Sendable {
        /// The run's summary (also written to `--summary-json`).
        public var summary: RunSummary
        /// 0 when every file succeeded; 1 when some failed; 2 when no key was usable or the
        /// server never answered; 130 or 143 when SIGINT or SIGTERM stopped the run.
        public var exitStatus: Int32
        /// A message for people when no key was usable, naming each (masked) key and why.
        public var keyProblem: String?
        /// A message for people when the server never answered, naming its base URL.
        public var serverProblem: String?
    }

    /// Runs the batch described by `settings`, logging progress lines to `log`.
    /// - Throws: ``BatchError`` when the run cannot start (settings, input or output folder, no keys).
    public static func run(_ settings: BatchSettings, log: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        try check(settings)
        let store = try OutputStore(folder: settings.output)
        let lock = try OutputLock(folder: settings.output)
        defer { withExtendedLifetime(lock) {} }
        let removed = store.removeLeftoverTemporaries()
        if removed > 0 { log("removed \(removed) temporary file(s) an earlier run left behind") }
        let (files, skipped) = try InputScanner(maxFileBytes: settings.maxFileBytes).scan(settings.input)
        if files.isEmpty { log("no files to process in \(Printable.path(settings.input.path))") }
        for skip in skipped { log("skipped: \(Printable.escaped(skip.file)): \(skip.reason)") }

        let baseURL = settings.baseURL ?? settings.api.defaultBaseURL
        let curl = CurlConfiguration(connectTimeout: settings.connectTimeout, idleTimeout: settings.idleTimeout)
        return try await CurlTransport.withTransport(configuration: curl) { curlTransport in
            let watch = ServerWatch(window: settings.deadServerWindow) { failures, last in
                settings.stop.request(.deadServer(
                    "no answer from \(baseURL) in \(settings.deadServerWindow.inSeconds.formatted()) s: "
                        + "\(failures) attempt(s) failed to connect or timed out (last: \(last))"))
            }
            let transport = WatchedTransport(base: curlTransport, watch: watch)
            let run = Run(settings: settings, files: files, skipped: skipped, store: store, log: log)
            switch settings.api {
            case .gemini:
                return try await run.go(GeminiProvider.gemini(.init(baseURL: baseURL)), transport: transport,
                    pacing: .tokenBucket(settings.gatewayLimit))
            case .openAICompatible:
                // The x-ratelimit-* limits count over the server's minute: a compressed-time
                // server's minute is shorter.
                let window = Duration.seconds(60 * settings.timeScale)
                return try await run.go(
                    OpenAICompatibleProvider.openAICompatible(.init(baseURL: baseURL, rateLimitWindow: window)), transport: transport,
                    pacing: .followingServer(
                        initial: settings.gatewayLimit, ceiling: settings.rateIsCeiling ? settings.gatewayLimit : nil,
                        headroom: settings.headroom))
            }
        }
    }

    /// One run's inputs, once the folders are checked and scanned.
    private struct Run {
        var settings: BatchSettings
        var files: [InputFile]
        var skipped: [SkippedFile]
        var store: OutputStore
        var log: @Sendable (String) -> Void

        /// Builds the gateway for `provider` and processes the files.
        func go<P: BatchProvider>(_ provider: P, transport: some Transport, pacing: RateLimiterChoice) async throws -> Outcome {
            let shared = try await SharedStateWiring.connect(settings, log: log)
            let gateway: Gateway<P>
            do {
                // Keys without a declared project that the 429s show to share one quota are
                // paced as one group, learned over one quota window of the server's time.
                let learning = SharedQuotaLearning(window: settings.wallRate.period)
                gateway = try Gateway.builder()
                    .keys(settings.keys)
                    .keysAndPacing(pacing, learning: learning, shared: shared)
                    .retryPolicy(ClassifyingRetryPolicy.classifying(maxAttemptsPerKey: 5).scaled(by: settings.timeScale))
                    .options(GatewayOptions(attemptTimeout: settings.attemptTimeout))
                    .transport(transport)
                    .provider(provider)
                    .build()
            } catch {
                if error.isNoKeys {
                    let prefix = settings.api.keyPrefix
                    throw BatchError.noKeys(
                        "set \(prefix)1, \(prefix)2, … (and optionally \(prefix)<n>_PROJECT) in the environment or a .env file, or run with --demo")
                }
                throw BatchError.configuration("\(error)")
            }
            for warning in gateway.keyWarnings { log("warning: \(warning)") }
            var job = settings.job
            job.concurrency = min(job.concurrency, max(files.count, 1))

            let board = ProgressBoard()
            let display = settings.liveProgress ? ProgressDisplay(board: board, gateway: gateway) : nil
            let runner = BatchRunner(gateway: gateway, job: job, store: store, board: board, force: settings.force,
                stop: settings.stop, log: { line in if display == nil { log(line) } })
            display?.start()
            let summary = await runner.run(files, skipped: skipped, rate: settings.wallRate)
            await SharedStateWiring.finish(shared)
            display?.stop(elapsed: summary.wallSeconds)

            var summaryWritten = true
            if let path = settings.summaryJSON {
                do {
                    try OutputStore.writeJSON(summary, to: path)
                } catch {
                    summaryWritten = false
                    log("could not write the summary to \(Printable.path(path.path)): \(error.localizedDescription)")
                }
            }
            return BatchApp.outcome(summary, snapshot: gateway.snapshot(), stop: settings.stop, summaryWritten: summaryWritten)
        }
    }

    /// The checks made before anything is read or asked (exit status 2 when one fails).
    static func check(_ settings: BatchSettings) throws(BatchError) {
        do {
            try settings.job.chunkPrompt.validate(required: "chunk", allowed: PromptTemplate.chunkPlaceholders)
        } catch {
            throw .configuration("--prompt: \(error)")
        }
        do {
            try settings.job.summaryPrompt.validate(required: "answers", allowed: PromptTemplate.summaryPlaceholders)
        } catch {
            throw .configuration("--summary-prompt: \(error)")
        }
        try StartChecks.model(settings.job.model, api: settings.api)
        if let baseURL = settings.baseURL { try StartChecks.baseURL(baseURL) }
        try StartChecks.outputOutsideInput(input: settings.input, output: settings.output)
        if let summary = settings.summaryJSON { try StartChecks.summaryWritable(summary) }
    }

    private static func outcome(_ summary: RunSummary, snapshot: PoolSnapshot, stop: RunStop, summaryWritten: Bool) -> Outcome {
        if let reason = stop.reason {
            var serverProblem: String?
            if case .deadServer(let detail) = reason { serverProblem = "the server does not answer: \(detail)" }
            return Outcome(summary: summary, exitStatus: reason.exitStatus, keyProblem: nil, serverProblem: serverProblem)
        }
        let keys = snapshot.keys
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
        let failed = summary.hasFailures || !summaryWritten
        return Outcome(summary: summary, exitStatus: failed ? 1 : 0)
    }
}
