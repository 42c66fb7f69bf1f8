import Foundation

/// A chat-completions request: `POST {base}/chat/completions`.
public struct ChatRequest: Sendable, Hashable {
    /// The model (mapped through ``OpenAICompatibleProvider/Configuration/modelNames``).
    public var model: String
    /// The conversation.
    public var messages: [ChatMessage]
    /// Sampling temperature (0–2).
    public var temperature: Double?
    /// The most tokens to generate (`max_tokens`; reasoning models want ``maxCompletionTokens``).
    public var maxTokens: Int?
    /// The most tokens to generate, reasoning included (`max_completion_tokens`).
    public var maxCompletionTokens: Int?
    /// Up to four sequences that end the answer.
    public var stop: [String]?
    /// `true` asks for a JSON object (`response_format: {"type": "json_object"}`).
    public var jsonObject: Bool
    /// Tools, as the API's JSON array (`[{"type":"function","function":{…}}]`), passed through.
    public var toolsJSON: String?
    /// `tool_choice`, as JSON (`"auto"`, `"required"`, `{"type":"function",…}`), passed through.
    public var toolChoiceJSON: String?

    /// A request for `model` over `messages`.
    public init(
        model: String, messages: [ChatMessage], temperature: Double? = nil, maxTokens: Int? = nil,
        maxCompletionTokens: Int? = nil, stop: [String]? = nil, jsonObject: Bool = false,
        toolsJSON: String? = nil, toolChoiceJSON: String? = nil
    ) {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.maxCompletionTokens = maxCompletionTokens
        self.stop = stop
        self.jsonObject = jsonObject
        self.toolsJSON = toolsJSON
        self.toolChoiceJSON = toolChoiceJSON
    }

    /// The JSON body, with `model` already mapped.
    func body(model: String, stream: Bool) throws(OpenAIError) -> [UInt8] {
        var object: [String: Any] = ["model": model, "messages": messages.map(\.wire)]
        if let temperature {
            guard temperature.isFinite, (0...2).contains(temperature) else { throw .invalidRequest("temperature must lie in 0…2") }
            object["temperature"] = temperature
        }
        if let maxTokens { object["max_tokens"] = maxTokens }
        if let maxCompletionTokens { object["max_completion_tokens"] = maxCompletionTokens }
        if let stop, !stop.isEmpty {
            guard stop.count <= 4 else { throw .invalidRequest("at most 4 stop sequences") }
            object["stop"] = stop
        }
        if jsonObject { object["response_format"] = ["type": "json_object"] }
        if let toolsJSON { object["tools"] = try Self.parse(toolsJSON, "tools") }
        if let toolChoiceJSON { object["tool_choice"] = try Self.parse(toolChoiceJSON, "tool_choice") }
        if stream {
            object["stream"] = true
            object["stream_options"] = ["include_usage": true]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            throw .invalidRequest("the request cannot be encoded as JSON")
        }
        return Array(data)
    }

    private static func parse(_ json: String, _ field: String) throws(OpenAIError) -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else {
            throw .invalidRequest("\(field) is not valid JSON")
        }
        return value
    }
}
