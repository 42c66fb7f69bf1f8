/// Why the emulator could not start.
public struct EmulatorError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable { case invalidConfiguration, bindFailed }
    private let code: Code
    /// What was wrong.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The configuration cannot be served (see ``EmulatorConfiguration/validate()``).
    public static func invalidConfiguration(_ detail: String) -> Self { Self(.invalidConfiguration, detail) }
    /// The listening socket could not be opened.
    public static func bindFailed(_ detail: String) -> Self { Self(.bindFailed, detail) }

    /// What went wrong, for people.
    public var description: String {
        switch code {
        case .invalidConfiguration: "invalid emulator configuration: \(detail)"
        case .bindFailed: "emulator could not listen: \(detail)"
        }
    }
}
