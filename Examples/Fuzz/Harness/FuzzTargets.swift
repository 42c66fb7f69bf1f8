import Foundation
import GatewayCore
import HTTPTypes
import GeminiBatchKit
import GeminiProvider
#if DEBUG
// The internal parsers are reached with @testable, which only debug builds allow; a release
// build of the package keeps the targets that use public API only.
@testable import GatewayCore
@testable import GeminiEmulator
@testable import GeminiProvider
#endif

/// The fuzz targets: each takes any bytes and must return without trapping. libFuzzer drives
/// them in a fuzzing build (`scripts/fuzz.sh`); the tests and `gemini-batch-fuzz --smoke` run
/// each on seeds and random inputs. `@testable` reaches the internal parsers (SSE, retry
/// delay, the emulator's request parser), so those three exist in debug builds only (the
/// fuzzing build is one).
public enum FuzzTargets {
    /// A target: any bytes in, no result; a trap is the finding.
    public typealias Target = @Sendable ([UInt8]) -> Void

    /// Every target by name.
    public static let all: [(name: String, run: Target)] = {
        var targets: [(name: String, run: Target)] = [("gemini-answer", geminiAnswer)]
        #if DEBUG
        targets += [("sse", serverSentEvents), ("retry-delay", retryDelay), ("emulator-request", emulatorRequest)]
        #endif
        return targets + [("dotenv", dotEnv), ("kit-text", kitText)]
    }()

    /// The target called `name`.
    public static func named(_ name: String) -> Target? { all.first { $0.name == name }?.run }

    /// Seeds that reach deep into each target, for the smoke runs and libFuzzer's corpus.
    public static let seeds: [String] = [
        #"{"candidates":[{"content":{"parts":[{"text":"hi"}],"role":"model"},"finishReason":"STOP"}],"usageMetadata":{"totalTokenCount":3}}"#,
        #"{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"},{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]}]}}"#,
        #"{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}"#,
        "data: {\"candidates\":[]}\r\n\r\ndata: [DONE]\n\n: comment\nevent: x\ndata:a\ndata:b\n\n",
        "34.074824224s", "900ms", "-1s", "1e9s",
        #"{"contents":[{"role":"user","parts":[{"text":"hello"}]}],"generation_config":{"maxOutputTokens":5}}"#,
        "export GEMINI_API_KEY_1=\"a\\\"b\" # c\nK = v # c\nQ='x'\n#\n",
        "Part {index}/{count} of {file}: {chunk} {{literal}}",
        "https://user@host:99/p?q#f",
    ]

    static let provider = GeminiProvider()
    static let request = GeminiRequest.generateContent(GenerateContentRequest(contents: [.user("x")]), model: "gemini-2.5-flash")
    static let statuses = [200, 400, 401, 403, 404, 429, 500, 503, 504]

    /// The Gemini answer and error decoders (and the retry delay and quota parsing inside
    /// them): the first byte picks the status, the rest is the body.
    static let geminiAnswer: Target = { bytes in
        guard let first = bytes.first else { return }
        let status = statuses[Int(first) % statuses.count]
        let response = TransportResponse(head: .init(status: .init(code: status)), body: Array(bytes.dropFirst()))
        _ = provider.parse(response, for: request)
    }

    #if DEBUG
    /// The SSE parser, fed in pieces whose size the first byte picks.
    static let serverSentEvents: Target = { bytes in
        guard let first = bytes.first else { return }
        var parser = ServerSentEventParser(maxEventBytes: 256)
        let step = Int(first % 17) + 1
        var rest = bytes.dropFirst()[...]
        while !rest.isEmpty {
            if parser.feed(Array(rest.prefix(step))).overflow { return }
            rest = rest.dropFirst(step)
        }
    }

    /// `RetryInfo.retryDelay`.
    static let retryDelay: Target = { bytes in
        _ = RetryDelay.parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The emulator's generateContent request parser.
    static let emulatorRequest: Target = { bytes in
        _ = try? RequestParser.generate(bytes)
    }

    #endif

    /// The `.env` parser.
    static let dotEnv: Target = { bytes in
        _ = try? DotEnv.parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The Kit's text handling: prompt templates, start checks, escaping, fitting, journals.
    static let kitText: Target = { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let template = PromptTemplate(text)
        _ = try? template.validate(required: "chunk", allowed: PromptTemplate.chunkPlaceholders)
        _ = template.render(["chunk": text, "file": "f", "index": "1", "count": "2"])
        _ = try? StartChecks.baseURL(text)
        _ = try? StartChecks.model(text)
        _ = OutputNames.result(for: text)
        _ = TerminalText.fit(Printable.escaped(text), width: Int(bytes.first ?? 0) % 50)
        _ = CheckpointJournal.decode(Data(bytes))
    }

    /// Runs every target on the seeds, their prefixes and `count` random mutations of them
    /// (a deterministic generator, so a failure repeats); returns the executions.
    public static func smoke(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> Int {
        var state = seed
        func next() -> UInt64 {   // splitmix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var executions = 0
        let seedBytes = seeds.map { Array($0.utf8) }
        for (_, run) in all {
            for seed in seedBytes {
                for cut in stride(from: 0, through: seed.count, by: max(1, seed.count / 8)) {
                    run(Array(seed.prefix(cut)))
                    executions += 1
                }
            }
            for _ in 0..<count {
                var input = seedBytes[Int(next() % UInt64(seedBytes.count))]
                for _ in 0..<Int(next() % 8) + 1 {
                    let position = input.isEmpty ? 0 : Int(next() % UInt64(input.count))
                    switch next() % 3 {
                    case 0 where !input.isEmpty: input[position] = UInt8(truncatingIfNeeded: next())
                    case 1: input.insert(UInt8(truncatingIfNeeded: next()), at: position)
                    default: if !input.isEmpty { input.remove(at: position) }
                    }
                }
                run(input)
                executions += 1
            }
        }
        return executions
    }
}
