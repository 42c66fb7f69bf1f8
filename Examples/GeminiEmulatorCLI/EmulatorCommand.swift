import ArgumentParser
import Foundation
import GeminiEmulator

/// `gemini-emulator [--config path.json] [--port 0] [--host 127.0.0.1] [--time-scale x] [--demo-keys]
/// [--openai-error-style gemini|openai] [--no-openai-rate-limit-headers] [--print-config]`
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gemini-emulator",
        abstract: "A local Gemini-compatible API server with keys, quotas and seeded faults.",
        discussion: """
            Prints one line, "gemini-emulator listening on http://HOST:PORT", then serves until SIGINT or SIGTERM.
            Without --config it serves three valid keys, emulator-key-1...3, in projects project-1...3.
            The audit is at GET /emulator/audit.
            The OpenAI-compatible surface is at http://HOST:PORT/v1beta/openai/ (keys as Authorization: Bearer).
            """)

    @Option(name: .long, help: "A JSON configuration file (see --print-config).")
    var config: String?

    @Option(name: .long, help: "The port to listen on; 0 picks a free one.")
    var port: Int = 0

    @Option(name: .long, help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Quota time scale: 1 is real time, 0.05 makes a quota minute last 3 s.")
    var timeScale: Double?

    @Flag(name: .long, help: "Also serve one key per failing state: emulator-key-invalid, -expired, -unauthenticated, -suspended, -leaked, -serviceDisabled, -prepayDepleted (project project-demo).")
    var demoKeys = false

    @Option(name: .customLong("openai-error-style"), help: "Error bodies of the OpenAI-compatible surface: gemini (an array of Google envelopes, as the real endpoint) or openai (OpenAI's object). Overrides the configuration file.")
    var openAIErrorStyle: String?

    @Flag(name: .customLong("no-openai-rate-limit-headers"), help: "Leave the x-ratelimit-* and retry-after headers off the OpenAI-compatible surface's answers.")
    var noOpenAIRateLimitHeaders = false

    @Flag(name: .long, help: "Print an example configuration as JSON and exit.")
    var printConfig = false

    func run() async throws {
        if printConfig {
            print(try DemoConfiguration.exampleJSON())
            return
        }
        var configuration = try loadConfiguration()
        if let timeScale { configuration.timeScale = timeScale }
        if demoKeys { configuration.keys += DemoConfiguration.failingKeys }
        if let openAIErrorStyle {
            guard let style = OpenAIErrorStyle(rawValue: openAIErrorStyle) else {
                throw ValidationError("--openai-error-style must be gemini or openai, not \(openAIErrorStyle)")
            }
            configuration.openAIErrorStyle = style
        }
        if noOpenAIRateLimitHeaders { configuration.openAIRateLimitHeaders = false }
        let emulator = try await GeminiEmulator.start(configuration, host: host, port: port)
        FileHandle.standardOutput.write(Data("gemini-emulator listening on \(emulator.baseURL)\n".utf8))
        await SignalWaiter.waitForTermination()
        try await emulator.shutdown()
    }

    private func loadConfiguration() throws -> EmulatorConfiguration {
        guard let config else { return DemoConfiguration.standard }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: config))
        } catch {
            throw ValidationError("cannot read \(config): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(EmulatorConfiguration.self, from: data)
        } catch {
            throw ValidationError("\(config) is not a valid emulator configuration: \(error)")
        }
    }
}

extension EmulatorCommand {
    /// Parses the process arguments and runs; in an async function `main()` resolves to the async entry point.
    static func runFromCommandLine() async {
        await main()
    }
}
