import Foundation
import GeminiEmulator

/// The configurations the command serves without a file.
enum DemoConfiguration {
    /// Three valid keys in three projects, default quotas.
    static let standard = EmulatorConfiguration(keys: (1...3).map { EmulatorKey(key: "emulator-key-\($0)", project: "project-\($0)", label: "key-\($0)") })

    /// One key per failing state, in project `project-demo`.
    static let failingKeys: [EmulatorKey] = KeyState.allCases.filter { $0 != .valid }.map {
        EmulatorKey(key: "emulator-key-\($0.rawValue)", project: "project-demo", state: $0, label: "key-\($0.rawValue)")
    }

    /// A configuration showing every field.
    static let example = EmulatorConfiguration(
        keys: standard.keys + [EmulatorKey(key: "emulator-key-suspended", project: "project-3", state: .suspended, label: "suspended")],
        quotas: ["*": ModelQuota(rpm: 15), "gemini-2.5-pro": ModelQuota(rpm: 5, tpm: 250_000, rpd: 100)],
        projectQuotas: ["project-3": ["*": ModelQuota(rpm: 30)]],
        timeScale: 1, latencyMilliseconds: 0,
        faults: FaultPlan(unavailable: 0.01, slow: 0.01, slowMilliseconds: 2000),
        seed: 1)

    static func exampleJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(example), as: UTF8.self)
    }
}
