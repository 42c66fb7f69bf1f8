import GatewayCore
/// A validated model resource name: `models/gemini-2.5-flash` from either `gemini-2.5-flash` or
/// `models/gemini-2.5-flash` (and `tunedModels/…` as given).
struct ModelName: Sendable, Hashable {
    /// The resource path, e.g. `models/gemini-2.5-flash`.
    let path: String

    private static let collections = ["models/", "tunedModels/"]

    init(_ text: String) throws(GeminiError) {
        let trimmed = text.trimmingWhitespace()
        let collection = Self.collections.first { trimmed.hasPrefix($0) }
        let id = collection.map { String(trimmed.dropFirst($0.count)) } ?? trimmed
        guard !id.isEmpty, id.count <= 200, id.utf8.allSatisfy(Self.isAllowed), id.first != "." else {
            throw .invalidModel(text)
        }
        path = (collection ?? "models/") + id
    }

    /// Letters, digits, `-`, `.` and `_`: everything a model id uses, nothing that changes a path.
    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
