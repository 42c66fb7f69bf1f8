import ArgumentParser
import Foundation
import GatewayCore
import GeminiBatchKit

/// `gemini-batch`: processes every file of a folder in parallel, each file on its own dedicated
/// Gemini key (or an OpenAI-compatible API's, `--provider openai-compatible`), with pacing per
/// project, retries, rotation, resume and a run summary.
@main
struct GeminiBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemini-batch",
        abstract: "Process every file of a folder with Gemini, one dedicated key per file.",
        discussion: """
            Keys come from GEMINI_API_KEY_1..N (and GEMINI_API_KEY_<n>_PROJECT) in the environment \
            or a .env file; with --provider openai-compatible from OPENAI_API_KEY_1..N (base URL \
            from --base-url or OPENAI_BASE_URL, pace from the server's rate-limit headers). Each file \
            is cut into chunks; each chunk is one call with --prompt (a file's chunk calls run several \
            at once when the key's pace allows), then one call combines the answers with --summary-prompt. Results go to <output>/<file>.json, \
            keyed to the input's bytes: an unchanged file already done is skipped, a changed one redone \
            (--force redoes all). Chunk answers are saved as they arrive, so a stopped or failed file \
            resumes with its unanswered chunks. SIGINT or SIGTERM finishes writing and the summary \
            and exits 130 or 143; a second one exits at once. One run at a time per output folder. \
            Exit status: 0 all done, 1 some files failed, 2 could not run. Run with --demo to try it \
            without keys against the built-in Gemini emulator.
            """)

    @Argument(help: "The folder of input files (not needed with --demo).")
    var input: String?

    @Option(name: .shortAndLong, help: "Where results are written.")
    var output: String = "gemini-batch-output"

    @Option(help: "The per-chunk prompt: {chunk}, {file}, {index}, {count}.")
    var prompt: String = PromptTemplate.defaultChunk.text

    @Option(help: "The combining prompt: {answers}, {file}.")
    var summaryPrompt: String = PromptTemplate.defaultSummary.text

    @Option(parsing: .unconditional, help: "Characters per chunk (100…1000000).")
    var chunkChars: Int = 4_000

    @Option(parsing: .unconditional, help: "Files processed at once, 1…10000 (default: the number of keys; a file making its combining call does not count).")
    var concurrency: Int?

    @Option(help: "The API: gemini, or openai-compatible (chat completions; OpenAI, Gemini's OpenAI endpoint, vLLM, Ollama, …).")
    var provider: BatchAPI = .gemini

    @Option(help: "The model (default: gemini-2.5-flash-lite; with openai-compatible, OPENAI_MODEL or gpt-4o-mini).")
    var model: String?

    @Option(help: "Requests per period per project, e.g. 15/60s (default: the model's free tier; with openai-compatible, the server's headers, from 60/60s).")
    var rate: String?

    @Option(parsing: .unconditional, help: "The most chunk calls of one file in flight at once (1…1000); within it the number follows the key's pace and the latency.")
    var maxInFlight: Int = 16

    @Option(parsing: .unconditional, help: "The server's time over the wall clock's, for a compressed-time emulator (0.001…1; 0.05: a quota minute lasts 3 s). Scales the rate, backoffs and learning window. A testing aid.")
    var timeScale: Double = 1

    @Option(parsing: .unconditional, help: "Fraction of the rate kept in reserve against network jitter (0…0.5).")
    var headroom: Double = 0.02

    @Option(parsing: .unconditional, help: "Input+output tokens per minute per project (1…1000000000).")
    var tpm: Int?

    @Option(parsing: .unconditional, help: "Requests per day per project (1…1000000000).")
    var rpd: Int?

    @Option(help: "The API base URL (or GEMINI_BASE_URL / OPENAI_BASE_URL), e.g. an emulator or a proxy.")
    var baseURL: String?

    @Option(help: "Write a machine-readable run summary here.")
    var summaryJSON: String?

    @Option(parsing: .unconditional, help: "Skip input files larger than this many bytes (1…1073741824).")
    var maxFileBytes: Int = 8 << 20

    @Flag(help: "Redo every file, ignoring earlier results and saved chunk answers.")
    var force = false

    @Option(help: "postgres://user@host:port/db: share keys, key health and pacing with every gemini-batch process on this database (or GEMINI_BATCH_SHARED_STATE).")
    var sharedState: String?

    @Option(help: "With --shared-state: processes share keys and pace within this namespace.")
    var sharedNamespace: String = "gemini-batch"

    @Option(parsing: .unconditional, help: "With --shared-state: seconds a dead process's key leases last (1…3600).")
    var sharedLeaseTTL: Int = 30

    @Option(help: "The .env file to read keys from, if it exists.")
    var envFile: String = ".env"

    @Flag(help: "Run against the built-in emulator with demo keys and sample input.")
    var demo = false

    @Option(help: "With --demo: the folder for the demo's input, output and summary.")
    var demoFolder: String = "gemini-batch-demo"

    /// The largest file read into memory.
    static let maxFileBytesLimit = 1 << 30
    /// The most requests per period `--rate` may allow.
    static let maxRateRequests = 1_000_000

    func validate() throws {
        guard (100...1_000_000).contains(chunkChars) else { throw ValidationError("--chunk-chars must be in 100…1000000 (got \(chunkChars))") }
        if let concurrency, !(1...10_000).contains(concurrency) {
            throw ValidationError("--concurrency must be in 1…10000 (got \(concurrency))")
        }
        if !demo, input == nil { throw ValidationError("give an input folder, or --demo") }
        guard (1...1_000).contains(maxInFlight) else { throw ValidationError("--max-in-flight must be in 1…1000 (got \(maxInFlight))") }
        guard timeScale.isFinite, (0.001...1).contains(timeScale) else {
            throw ValidationError("--time-scale must be in 0.001…1 (got \(timeScale))")
        }
        guard headroom.isFinite, (0..<0.5).contains(headroom) else { throw ValidationError("--headroom must be in 0…0.5 (got \(headroom))") }
        if let tpm, !(1...1_000_000_000).contains(tpm) { throw ValidationError("--tpm must be in 1…1000000000 (got \(tpm))") }
        if let rpd, !(1...1_000_000_000).contains(rpd) { throw ValidationError("--rpd must be in 1…1000000000 (got \(rpd))") }
        guard (1...3600).contains(sharedLeaseTTL) else { throw ValidationError("--shared-lease-ttl must be in 1…3600 (got \(sharedLeaseTTL))") }
        guard (1...Self.maxFileBytesLimit).contains(maxFileBytes) else {
            throw ValidationError("--max-file-bytes must be in 1…\(Self.maxFileBytesLimit) (got \(maxFileBytes))")
        }
    }

    /// Parses the arguments and runs, ending with the README's exit statuses: 0 all done, 1
    /// some files failed, 2 the run could not run — argument-parser's own usage errors
    /// included, which would otherwise end with 64 — and 130 / 143 after SIGINT / SIGTERM.
    static func main() async {
        Console.prepareStandardStreams()
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let message = fullMessage(for: error)
            if exitCode(for: error) == .success {   // --help
                Console.output(message)
                Foundation.exit(0)
            }
            if !message.isEmpty { Console.error(message) }
            Foundation.exit(2)
        }
    }

    func run() async throws {
        let live = ProgressDisplay.isTerminal
        let log: @Sendable (String) -> Void = { line in Console.error("gemini-batch: \(line)") }
        let stop = RunStop()
        SignalTrap.install(stop, notice: log)
        let outcome: BatchApp.Outcome
        do {
            if demo {
                let folder = URL(fileURLWithPath: demoFolder, isDirectory: true)
                outcome = try await Demo.run(in: folder, liveProgress: live, stop: stop, log: log)
                Console.output("demo input:   \(Printable.path(folder.appendingPathComponent("input").path))")
                Console.output("demo output:  \(Printable.path(folder.appendingPathComponent("output").path))")
                Console.output("demo summary: \(Printable.path(folder.appendingPathComponent("summary.json").path))")
            } else {
                outcome = try await BatchApp.run(try settings(live: live, stop: stop, log: log), log: log)
            }
        } catch let error as BatchError {
            log("error: \(error)")
            throw ExitCode(2)
        }
        Console.output(outcome.summary.humanReadable)
        if let problem = outcome.keyProblem { log(problem) }
        if let problem = outcome.serverProblem { log(problem) }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }

    private func settings(live: Bool, stop: RunStop, log: @Sendable (String) -> Void) throws(BatchError) -> BatchSettings {
        var environment = try KeyEnvironment(dotEnvPath: envFile)
        environment.prefix = provider.keyPrefix
        if let warning = environment.keyGapWarning { log("warning: \(warning)") }
        let model = model ?? (provider == .gemini ? "gemini-2.5-flash-lite" : environment.value("OPENAI_MODEL") ?? "gpt-4o-mini")
        let limit: RateLimit
        do {
            limit = try rate.map { try RateLimit.parse($0) } ?? (provider == .gemini ? FreeTier.rate(for: model) : .perMinute(60))
        } catch {
            throw BatchError.configuration("--rate: \(error)")
        }
        guard limit.requests <= Self.maxRateRequests else {
            throw BatchError.configuration("--rate allows at most \(Self.maxRateRequests) requests per period (got \(limit.requests))")
        }
        let keyCount = environment.keyCount
        var settings = BatchSettings(
            api: provider,
            input: URL(fileURLWithPath: input ?? ".", isDirectory: true),
            output: URL(fileURLWithPath: output, isDirectory: true),
            job: BatchJob(
                model: model, chunkPrompt: PromptTemplate(prompt), summaryPrompt: PromptTemplate(summaryPrompt),
                chunkCharacters: chunkChars, concurrency: concurrency ?? max(keyCount, 1), maxCallsInFlight: maxInFlight),
            rate: limit, rateIsCeiling: rate != nil, timeScale: timeScale, headroom: headroom, tokensPerMinute: tpm, requestsPerDay: rpd,
            baseURL: baseURL ?? environment.value(provider.baseURLVariable),
            summaryJSON: summaryJSON.map { URL(fileURLWithPath: $0) },
            keys: environment.keySource, maxFileBytes: maxFileBytes, liveProgress: live, force: force, stop: stop)
        settings.sharedState = sharedState ?? environment.value("GEMINI_BATCH_SHARED_STATE")
        settings.sharedLeaseTTL = .seconds(sharedLeaseTTL)
        settings.sharedNamespace = sharedNamespace
        return settings
    }
}

extension BatchAPI: ExpressibleByArgument {}
