/// A model as `GET models` and `GET models/{model}` describe it.
public struct ModelInfo: Codable, Sendable, Hashable {
    /// The resource name, e.g. `models/gemini-2.5-flash`.
    public var name: String?
    /// The base model's name, e.g. `gemini-2.5-flash`.
    public var baseModelId: String?
    /// The model's version, e.g. `001`.
    public var version: String?
    /// A name for people, e.g. `Gemini 2.5 Flash`.
    public var displayName: String?
    /// A short description of the model.
    public var description: String?
    /// The most input tokens the model accepts.
    public var inputTokenLimit: Int?
    /// The most tokens the model generates.
    public var outputTokenLimit: Int?
    /// E.g. `generateContent`, `countTokens`, `embedContent`.
    public var supportedGenerationMethods: [String]?
    /// The default temperature.
    public var temperature: Double?
    /// The highest temperature the model accepts.
    public var maxTemperature: Double?
    /// The default nucleus-sampling probability.
    public var topP: Double?
    /// The default top-k.
    public var topK: Int?
    /// Whether the model can think.
    public var thinking: Bool?

    /// Creates a model description; the fields it does not take start `nil`.
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
    /// The models on this page.
    public var models: [ModelInfo]?
    /// Pass to the next ``GeminiRequest/listModels(pageSize:pageToken:timeout:)``; absent on the last page.
    public var nextPageToken: String?

    /// Creates a page, e.g. for a mock.
    public init(models: [ModelInfo]? = nil, nextPageToken: String? = nil) {
        self.models = models
        self.nextPageToken = nextPageToken
    }
}
