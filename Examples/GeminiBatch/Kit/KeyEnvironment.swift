import Configuration
import Foundation
import GatewayCore
import SystemPackage

/// Where `gemini-batch` reads its settings: the process environment first, then a `.env` file
/// (swift-configuration's providers), so `GEMINI_API_KEY_1..N`, `GEMINI_API_KEY_<n>_PROJECT`
/// and `GEMINI_BASE_URL` may live in either.
public struct KeyEnvironment: Sendable {
    private let reader: ConfigReader

    /// Reads the environment and, if it exists, the file at `dotEnvPath`.
    /// - Throws: when the `.env` file exists but is malformed.
    public init(dotEnvPath: String = ".env") async throws {
        let secrets = SecretsSpecifier<String, String>.dynamic { name, _ in name.contains("API_KEY") }
        reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(secretsSpecifier: secrets),
            try await EnvironmentVariablesProvider(
                environmentFilePath: FilePath(dotEnvPath), allowMissing: true, secretsSpecifier: secrets),
        ])
    }

    /// The value of the variable `name`, from the environment or the `.env` file.
    public func value(_ name: String) -> String? {
        reader.string(forKey: ConfigKey([name]), isSecret: name.contains("API_KEY"))
    }

    /// The keys, as the gateway loads them: `GEMINI_API_KEY_1..N` up to the first gap.
    public var keySource: KeySource {
        let reader = reader
        return .environment(prefix: "GEMINI_API_KEY_", lookup: { name in
            reader.string(forKey: ConfigKey([name]), isSecret: name.contains("API_KEY"))
        })
    }

    /// Whether at least `GEMINI_API_KEY_1` is set (to a non-blank value).
    public var hasKeys: Bool { !(value("GEMINI_API_KEY_1") ?? "").allSatisfy(\.isWhitespace) }
}
