#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
@testable import GeminiEmulator
import Testing

@Suite("Emulator latency with jitter, and requests in flight per key")
struct LatencyAndInFlightTests {
    static let key = EmulatorKey(key: "latency-test-key-0001", project: "p1", label: "main")

    func generate(_ engine: EmulatorEngine, at now: Duration) -> EmulatorReply {
        let body = Array(#"{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}"#.utf8)
        return engine.reply(
            to: EmulatorRequest(method: "POST", uri: "/v1beta/models/gemini-2.5-flash:generateContent", apiKeyHeader: Self.key.key, body: body),
            at: now)
    }

    @Test("answers take the latency plus an even draw of the jitter, the same for the same seed")
    func jitter() {
        func delays(seed: UInt64) -> [Duration] {
            let engine = EmulatorEngine(configuration: EmulatorConfiguration(
                keys: [Self.key], quotas: ["*": ModelQuota(rpm: 10_000)], latencyMilliseconds: 1_500,
                latencyJitterMilliseconds: 1_000, seed: seed))
            return (0..<200).map { generate(engine, at: .seconds($0)).delay }
        }
        let drawn = delays(seed: 7)
        #expect(drawn.allSatisfy { $0 >= .milliseconds(1_500) && $0 <= .milliseconds(2_500) })
        #expect(drawn.min()! < .milliseconds(1_600) && drawn.max()! > .milliseconds(2_400), "the whole range is drawn")
        #expect(drawn == delays(seed: 7))
        #expect(drawn != delays(seed: 8))
    }

    @Test("no jitter: every answer takes the latency exactly")
    func fixedLatency() {
        let engine = EmulatorEngine(configuration: EmulatorConfiguration(
            keys: [Self.key], quotas: ["*": ModelQuota(rpm: 10_000)], latencyMilliseconds: 40))
        #expect((0..<5).map { generate(engine, at: .seconds($0)).delay } == Array(repeating: .milliseconds(40), count: 5))
    }

    @Test("the audit names the most requests a key had in flight at once")
    func inFlight() {
        let engine = EmulatorEngine(configuration: EmulatorConfiguration(
            keys: [Self.key], quotas: ["*": ModelQuota(rpm: 10_000)], latencyMilliseconds: 2_000))
        // Ten requests 0.2 s apart, each answered 2 s after it arrives: ten in flight at 1.8 s.
        for index in 0..<10 { _ = generate(engine, at: .milliseconds(200 * index)) }
        // Much later, one at a time.
        for index in 0..<3 { _ = generate(engine, at: .seconds(100 + 10 * index)) }
        #expect(engine.audit().key("main")?.maxInFlight == 10)
        #expect(engine.audit().key("main")?.succeeded == 13)
    }

    @Test("a negative jitter is refused")
    func negative() {
        #expect(throws: EmulatorError.self) {
            try EmulatorConfiguration(keys: [Self.key], latencyJitterMilliseconds: -1).validate()
        }
    }
}
#endif
