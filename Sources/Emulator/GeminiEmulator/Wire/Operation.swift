/// The API methods the emulator serves.
enum Operation: String, Sendable, CaseIterable {
    case generateContent, streamGenerateContent, countTokens, embedContent, batchEmbedContents
    case listModels, getModel

    /// Whether the request draws from the project's quota (and may fault).
    var drawsQuota: Bool {
        switch self {
        case .generateContent, .streamGenerateContent, .embedContent, .batchEmbedContents: true
        case .countTokens, .listModels, .getModel: false
        }
    }

    /// The `supportedGenerationMethods` entry a model needs for this operation.
    var requiredMethod: String? {
        switch self {
        case .generateContent, .streamGenerateContent: "generateContent"
        case .countTokens: "countTokens"
        case .embedContent, .batchEmbedContents: "embedContent"
        case .listModels, .getModel: nil
        }
    }

    /// The HTTP method the route takes.
    var httpMethod: String { self == .listModels || self == .getModel ? "GET" : "POST" }

    /// The RPC name real 401 bodies carry in `ErrorInfo.metadata.method`.
    func rpcMethod(version: String) -> String {
        switch self {
        case .listModels: "google.ai.generativelanguage.\(version).ModelService.ListModels"
        case .getModel: "google.ai.generativelanguage.\(version).ModelService.GetModel"
        default: "google.ai.generativelanguage.\(version).GenerativeService.\(rawValue.prefix(1).uppercased() + rawValue.dropFirst())"
        }
    }
}
