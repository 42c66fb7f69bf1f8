#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import Foundation
@testable import GeminiEmulator
import Testing

@Suite("EmulatorConfiguration decoding and validation")
struct ConfigurationTests {
    private func decode(_ json: String) throws -> EmulatorConfiguration {
        try JSONDecoder().decode(EmulatorConfiguration.self, from: Data(json.utf8))
    }

    @Test("an empty object takes every default")
    func empty() throws {
        let configuration = try decode("{}")
        #expect(configuration == EmulatorConfiguration(keys: []))
        #expect(configuration.quotas == ["*": ModelQuota(rpm: 15)])
        #expect(configuration.timeScale == 1)
        #expect(configuration.seed == 1)
        #expect(configuration.faults == FaultPlan())
        #expect(configuration.faults.slowMilliseconds == 2000)
    }

    @Test("partial keys, quotas and faults fill in their missing fields")
    func partial() throws {
        let configuration = try decode("""
            { "keys": [ { "key": "k1", "project": "p1" }, { "key": "k2", "project": "p2", "state": "suspended", "label": "two" } ],
              "quotas": { "gemini-2.5-pro": { "rpd": 100 } },
              "projectQuotas": { "p2": { "*": { "rpm": 2, "tpm": 1000 } } },
              "timeScale": 0.05, "faults": { "unavailable": 0.25 }, "seed": 9 }
            """)
        #expect(configuration.keys == [EmulatorKey(key: "k1", project: "p1"), EmulatorKey(key: "k2", project: "p2", state: .suspended, label: "two")])
        #expect(configuration.quotas == ["gemini-2.5-pro": ModelQuota(rpd: 100)])
        #expect(configuration.projectQuotas["p2"]?["*"] == ModelQuota(rpm: 2, tpm: 1000))
        #expect(configuration.timeScale == 0.05)
        #expect(configuration.faults == FaultPlan(unavailable: 0.25))
        #expect(configuration.seed == 9)
        #expect(configuration.latencyMilliseconds == 0)
    }

    @Test("encoding and decoding round-trips")
    func roundTrip() throws {
        let original = EmulatorConfiguration(
            keys: [EmulatorKey(key: "k", project: "p", state: .leaked)], quotas: ["*": ModelQuota(rpm: 1, tpm: 2, rpd: 3)],
            projectQuotas: ["p": ["m": ModelQuota()]], timeScale: 0.5, latencyMilliseconds: 3,
            faults: FaultPlan(internalError: 0.1, slow: 0.2, slowMilliseconds: 5, streamCut: 0.3), seed: 77)
        let decoded = try JSONDecoder().decode(EmulatorConfiguration.self, from: JSONEncoder().encode(original))
        #expect(decoded == original)
    }

    @Test("an unknown key state is a decoding error")
    func unknownState() {
        #expect(throws: DecodingError.self) { try decode(#"{"keys":[{"key":"k","state":"sleepy"}]}"#) }
    }

    @Test("validation refuses what cannot be served", arguments: [
        EmulatorConfiguration(keys: [], timeScale: 0),
        EmulatorConfiguration(keys: [], timeScale: .infinity),
        EmulatorConfiguration(keys: [], latencyMilliseconds: -1),
        EmulatorConfiguration(keys: [], faults: FaultPlan(unavailable: 1.5)),
        EmulatorConfiguration(keys: [EmulatorKey(key: "", project: "p")]),
        EmulatorConfiguration(keys: [EmulatorKey(key: "same", project: "p"), EmulatorKey(key: "same", project: "q")]),
        EmulatorConfiguration(keys: [], quotas: ["*": ModelQuota(rpm: -1)]),
    ])
    func validation(configuration: EmulatorConfiguration) async {
        #expect(throws: EmulatorError.self) { try configuration.validate() }
        await #expect(throws: EmulatorError.self) { _ = try await GeminiEmulator.start(configuration) }
    }

    @Test("audit labels never show a whole key")
    func auditLabels() {
        #expect(EmulatorKey(key: "AIzaSyABCDEFGH12345", project: "p").auditLabel == "…2345")
        #expect(EmulatorKey(key: "short", project: "p").auditLabel == "…(5 chars)")
        #expect(EmulatorKey(key: "AIzaSyABCDEFGH12345", project: "p", label: "mine").auditLabel == "mine")
    }

    @Test("fault draws walk the probabilities in order and skip kinds the operation cannot have")
    func faultDraws() {
        let plan = FaultPlan(internalError: 0.25, blockedPrompt: 0.25, streamCut: 0.25)
        #expect(plan.fault(for: 0.1, on: .generateContent) == .internalError)
        #expect(plan.fault(for: 0.3, on: .generateContent) == .blockedPrompt)
        #expect(plan.fault(for: 0.6, on: .generateContent) == nil)
        #expect(plan.fault(for: 0.6, on: .streamGenerateContent) == .streamCut)
        #expect(plan.fault(for: 0.3, on: .embedContent) == nil)
        #expect(plan.fault(for: 0.1, on: .countTokens) == nil)
        #expect(FaultPlan(unavailable: 1).fault(for: 0.999_999, on: .generateContent) == .unavailable)
    }
}
#endif
