/// A gateway could not be built from its configuration. Thrown by the builder, never at call time.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case noKeys(String)
        case invalidRate(String)
        case invalidPolicy(String)
        case missingComponent(String)
        case invalidProvider(String)
    }

    private let code: Code

    /// No usable key was found at `origin`.
    public static func noKeys(_ origin: String) -> ConfigurationError { .init(code: .noKeys(origin)) }
    /// A rate, burst or period is zero, negative or not a number.
    public static func invalidRate(_ reason: String) -> ConfigurationError { .init(code: .invalidRate(reason)) }
    /// A retry policy setting is out of range.
    public static func invalidPolicy(_ reason: String) -> ConfigurationError { .init(code: .invalidPolicy(reason)) }
    /// The builder lacks a required part.
    public static func missingComponent(_ name: String) -> ConfigurationError { .init(code: .missingComponent(name)) }

    /// The provider's own check failed (a bad base URL, say), for `reason`.
    public static func invalidProvider(_ reason: String) -> ConfigurationError { .init(code: .invalidProvider(reason)) }

    /// Whether no usable key was found (as opposed to a bad setting).
    public var isNoKeys: Bool { if case .noKeys = code { true } else { false } }

    /// What is wrong, in one line, with a hint where one helps.
    public var description: String {
        switch code {
        case .noKeys(let origin):
            "no API keys found (\(origin)); set GEMINI_API_KEY_1, GEMINI_API_KEY_2, … or pass keys in code"
        case .invalidRate(let reason): "invalid rate limit: \(reason)"
        case .invalidPolicy(let reason): "invalid retry policy: \(reason)"
        case .missingComponent(let name): "the gateway builder needs a \(name)"
        case .invalidProvider(let reason): "invalid provider settings: \(reason)"
        }
    }
}
