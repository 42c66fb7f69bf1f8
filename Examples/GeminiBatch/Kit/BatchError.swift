/// Why a batch cannot run at all (as opposed to one file failing, which the summary reports).
public struct BatchError: Error, Sendable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case inputFolder = "input folder"
        case outputFolder = "output folder"
        case noKeys = "no keys"
        case allKeysUnusable = "no usable key"
        case configuration = "configuration"
    }

    private let code: Code
    /// What exactly is wrong, for people.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The input folder is missing, not a folder, or cannot be listed.
    public static func inputFolder(_ detail: String) -> Self { Self(.inputFolder, detail) }
    /// The output folder cannot be created, written or locked, or lies inside the input.
    public static func outputFolder(_ detail: String) -> Self { Self(.outputFolder, detail) }
    /// No key was given.
    public static func noKeys(_ detail: String) -> Self { Self(.noKeys, detail) }
    /// Every key was refused.
    public static func allKeysUnusable(_ detail: String) -> Self { Self(.allKeysUnusable, detail) }
    /// An option, prompt, URL, model or `.env` file that cannot be used.
    public static func configuration(_ detail: String) -> Self { Self(.configuration, detail) }

    /// `<what>: <detail>`, e.g. `output folder: … is not writable`.
    public var description: String { "\(code.rawValue): \(detail)" }
}
