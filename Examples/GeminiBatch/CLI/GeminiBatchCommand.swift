import ArgumentParser
import Foundation
import GatewayCore
import GeminiBatchKit

/// `gemini-batch`: processes every file of a folder in parallel, each file on its own dedicated
/// Gemini key, with pacing per project, retries, rotation, resume and a run summary.
@main
struct GeminiBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemini-batch",
        abstract: "Process every file of a folder with Gemini, one dedicated key per file.",
        discussion: """
            Keys come from GEMINI_API_KEY_1..N (and GEMINI_API_KEY_<n>_PROJECT) in the environment \
            or a .env file. Each file is cut into chunks; each chunk is one call with --prompt, then \
            one call combines the answers with --summary-prompt. Results go to <output>/<file>.json; \
            files already done are skipped, so an interrupted run resumes. Run with --demo to try it \
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

    @Option(help: "Characters per chunk.")
    var chunkChars: Int = 4_000

    @Option(help: "Files processed at once (default: the number of keys).")
    var concurrency: Int?

    @Option(help: "The Gemini model.")
    var model: String = "gemini-2.5-flash-lite"

    @Option(help: "Requests per period per project, e.g. 15/60s (default: the model's free tier).")
    var rate: String?

    @Option(help: "Fraction of the rate kept in reserve against network jitter.")
    var headroom: Double = 0.02

    @Option(help: "Input+output tokens per minute per project.")
    var tpm: Int?

    @Option(help: "Requests per day per project.")
    var rpd: Int?

    @Option(help: "The API base URL (or GEMINI_BASE_URL), e.g. an emulator or a proxy.")
    var baseURL: String?

    @Option(help: "Write a machine-readable run summary here.")
    var summaryJSON: String?

    @Option(help: "Skip input files larger than this many bytes.")
    var maxFileBytes: Int = 8 << 20

    @Option(help: "The .env file to read keys from, if it exists.")
    var envFile: String = ".env"

    @Flag(help: "Run against the built-in emulator with demo keys and sample input.")
    var demo = false

    @Option(help: "With --demo: the folder for the demo's input, output and summary.")
    var demoFolder: String = "gemini-batch-demo"

    func validate() throws {
        guard chunkChars >= 100 else { throw ValidationError("--chunk-chars must be at least 100") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if !demo, input == nil { throw ValidationError("give an input folder, or --demo") }
        guard (0..<0.5).contains(headroom) else { throw ValidationError("--headroom must be in 0..<0.5") }
        if let tpm, tpm <= 0 { throw ValidationError("--tpm must be positive") }
        if let rpd, rpd <= 0 { throw ValidationError("--rpd must be positive") }
    }

    func run() async throws {
        let live = ProgressDisplay.isTerminal
        let log: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data("gemini-batch: \(line)\n".utf8))
        }
        let outcome: BatchApp.Outcome
        do {
            if demo {
                let folder = URL(fileURLWithPath: demoFolder, isDirectory: true)
                outcome = try await Demo.run(in: folder, liveProgress: live, log: log)
                print("demo input:   \(folder.appendingPathComponent("input").path)")
                print("demo output:  \(folder.appendingPathComponent("output").path)")
                print("demo summary: \(folder.appendingPathComponent("summary.json").path)")
            } else {
                outcome = try await BatchApp.run(try settings(live: live), log: log)
            }
        } catch let error as BatchError {
            log("error: \(error)")
            throw ExitCode(2)
        }
        print(outcome.summary.humanReadable)
        if let problem = outcome.keyProblem { log(problem) }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }

    private func settings(live: Bool) async throws -> BatchSettings {
        let environment: KeyEnvironment
        do {
            environment = try await KeyEnvironment(dotEnvPath: envFile)
        } catch {
            throw BatchError.configuration("cannot read \(envFile): \(error)")
        }
        let limit: RateLimit
        do {
            limit = try rate.map { try RateLimit.parse($0) } ?? FreeTier.rate(for: model)
        } catch {
            throw BatchError.configuration("\(error)")
        }
        let keyCount = (1...10_000).prefix { environment.value("GEMINI_API_KEY_\($0)") != nil }.count
        return BatchSettings(
            input: URL(fileURLWithPath: input ?? ".", isDirectory: true),
            output: URL(fileURLWithPath: output, isDirectory: true),
            job: BatchJob(
                model: model, chunkPrompt: PromptTemplate(prompt), summaryPrompt: PromptTemplate(summaryPrompt),
                chunkCharacters: chunkChars, concurrency: concurrency ?? max(keyCount, 1)),
            rate: limit, headroom: headroom, tokensPerMinute: tpm, requestsPerDay: rpd,
            baseURL: baseURL ?? environment.value("GEMINI_BASE_URL"),
            summaryJSON: summaryJSON.map { URL(fileURLWithPath: $0) },
            keys: environment.keySource, maxFileBytes: maxFileBytes, liveProgress: live)
    }
}
