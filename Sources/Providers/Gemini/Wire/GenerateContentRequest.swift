/// The body of `models/{model}:generateContent`.
///
/// `systemInstruction`, `safetySettings`, `tools` and `toolConfig` are siblings of
/// `generationConfig` on the wire, not inside it.
public struct GenerateContentRequest: Codable, Sendable, Hashable {
    /// The conversation so far; at least one turn.
    public var contents: [Content]
    /// Instructions that steer the model for the whole conversation.
    public var systemInstruction: Content?
    /// Sampling and output settings.
    public var generationConfig: GenerationConfig?
    /// Blocking thresholds per harm category, in place of the defaults.
    public var safetySettings: [SafetySetting]?
    /// Tool declarations, as raw JSON.
    public var tools: [JSONValue]?
    /// Tool settings, as raw JSON.
    public var toolConfig: JSONValue?
    /// A cached-content resource name (`cachedContents/…`), which belongs to one project.
    public var cachedContent: String?
    /// The model resource name. Only needed when this request is nested in a `countTokens`
    /// body; the provider fills it in there and leaves it out otherwise.
    public var model: String?

    /// Creates a request; ``model`` starts `nil` (the provider fills it in where the API needs it).
    public init(
        contents: [Content], systemInstruction: Content? = nil, generationConfig: GenerationConfig? = nil,
        safetySettings: [SafetySetting]? = nil, tools: [JSONValue]? = nil, toolConfig: JSONValue? = nil,
        cachedContent: String? = nil
    ) {
        self.contents = contents
        self.systemInstruction = systemInstruction
        self.generationConfig = generationConfig
        self.safetySettings = safetySettings
        self.tools = tools
        self.toolConfig = toolConfig
        self.cachedContent = cachedContent
    }

    /// Characters of every text part in ``contents`` and ``systemInstruction``: the base of the
    /// provider's token estimate.
    var promptCharacters: Int {
        (contents + [systemInstruction].compactMap { $0 }).reduce(0) { total, content in
            content.parts.reduce(total) { $0 + ($1.text?.count ?? 0) }
        }
    }
}
