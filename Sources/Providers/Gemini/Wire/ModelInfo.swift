/// A model as `GET models` and `GET models/{model}` describe it.
public struct ModelInfo: Codable, Sendable, Hashable {
    /// The resource name, e.g. `models/gemini-2.5-flash`.
    public var name: String?
    public var baseModelId: String?
    public var version: String?
    public var displayName: String?
    public var description: String?
    public var inputTokenLimit: Int?
    public var outputTokenLimit: Int?
    /// E.g. `generateContent`, `countTokens`, `embedContent`.
    public var supportedGenerationMethods: [String]?
    public var temperature: Double?
    public var maxTemperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var thinking: Bool?

    public init(name: String? = nil, displayName: String? = nil, inputTokenLimit: Int? = nil,
                outputTokenLimit: Int? = nil, supportedGenerationMethods: [String]? = nil) {
        self.name = name
        self.displayName = displayName
        self.inputTokenLimit = inputTokenLimit
        self.outputTokenLimit = outputTokenLimit
        self.supportedGenerationMethods = supportedGenerationMethods
    }
}

/// One page of `GET models`.
public struct ListModelsResponse: Codable, Sendable, Hashable {
    public var models: [ModelInfo]?
    /// Pass to the next ``GeminiRequest/listModels(pageSize:pageToken:timeout:)``; absent on the last page.
    public var nextPageToken: String?

    public init(models: [ModelInfo]? = nil, nextPageToken: String? = nil) {
        self.models = models
        self.nextPageToken = nextPageToken
    }
}
