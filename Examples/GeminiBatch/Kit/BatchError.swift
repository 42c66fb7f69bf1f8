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
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func inputFolder(_ detail: String) -> Self { Self(.inputFolder, detail) }
    public static func outputFolder(_ detail: String) -> Self { Self(.outputFolder, detail) }
    public static func noKeys(_ detail: String) -> Self { Self(.noKeys, detail) }
    public static func allKeysUnusable(_ detail: String) -> Self { Self(.allKeysUnusable, detail) }
    public static func configuration(_ detail: String) -> Self { Self(.configuration, detail) }

    public var description: String { "\(code.rawValue): \(detail)" }
}
