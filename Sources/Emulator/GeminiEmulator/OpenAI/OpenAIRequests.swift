import Foundation

/// What the emulator needs from a `chat/completions` body.
struct ChatRequest: Sendable, Equatable {
    /// The model id as sent (a `models/` prefix included).
    var model: String
    /// The prompt as the native answer builder reads it.
    var generate: GenerateRequest
    var stream: Bool
    /// `stream_options.include_usage`: a last chunk with `choices: []` and the usage.
    var includeUsage: Bool
}

/// What the emulator needs from an `embeddings` body.
struct EmbeddingsRequest: Sendable, Equatable {
    var model: String
    /// One text per input (token-id inputs become their ids joined by spaces).
    var inputs: [String]
    /// `encoding_format: "base64"`: little-endian float32 values, base64-encoded.
    var base64: Bool
    var dimensions: Int
}

/// Parses and checks OpenAI-shaped bodies: JSON syntax, known field names, required fields,
/// roles and the types of the fields the emulator reads. Failures carry both error styles.
enum OpenAIRequests {
    typealias Object = [String: Any]

    /// The fields of a chat request the surface accepts (OpenAI's documented ones and Gemini's `extra_body`).
    static let chatFields: Set<String> = [
        "model", "messages", "temperature", "top_p", "n", "stream", "stream_options", "stop", "max_tokens",
        "max_completion_tokens", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs",
        "response_format", "tools", "tool_choice", "parallel_tool_calls", "seed", "user", "reasoning_effort",
        "service_tier", "metadata", "store", "modalities", "audio", "prediction", "safety_identifier",
        "prompt_cache_key", "verbosity", "web_search_options", "extra_body",
    ]
    static let embeddingFields: Set<String> = ["model", "input", "encoding_format", "dimensions", "user"]
    static let roles: Set<String> = ["system", "developer", "user", "assistant", "tool", "function"]

    // MARK: chat

    static func chat(_ body: [UInt8]) throws(OpenAIFailure) -> ChatRequest {
        let fields = try object(body, allowed: chatFields)
        let model = try modelField(fields)
        guard let messagesValue = fields["messages"] else {
            throw .invalidRequest("Missing required parameter: 'messages'.", param: "messages", code: "missing_required_parameter")
        }
        guard let messages = messagesValue as? [Any] else { throw invalidType("messages", "an array") }
        guard !messages.isEmpty else {
            throw .invalidRequest(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                param: "messages", code: "empty_array")
        }
        var characters = 0
        var lastUserText = ""
        for (index, item) in messages.enumerated() {
            let path = "messages[\(index)]"
            guard let message = item as? Object else { throw invalidType(path, "an object") }
            guard let role = message["role"] as? String else {
                throw .invalidRequest("Missing required parameter: '\(path).role'.", param: "\(path).role", code: "missing_required_parameter")
            }
            guard roles.contains(role) else {
                throw .invalidRequest(
                    "Invalid value: '\(role)'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
                    param: "\(path).role", code: "invalid_value")
            }
            let texts = try texts(message["content"], path: "\(path).content")
            characters += texts.reduce(0) { $0 + $1.count }
            if role == "user", !texts.isEmpty { lastUserText = texts.joined() }
        }
        var maxTokens: Int?
        for name in ["max_tokens", "max_completion_tokens"] {
            guard let value = fields[name] else { continue }
            guard let limit = integer(value), limit > 0 else { throw invalidType(name, "a positive integer") }
            maxTokens = limit
        }
        var stream = false
        if let value = fields["stream"] {
            guard let flag = value as? Bool else { throw invalidType("stream", "a boolean") }
            stream = flag
        }
        var includeUsage = false
        if let value = fields["stream_options"] {
            guard stream else {
                throw .invalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: "stream_options", code: "invalid_value")
            }
            guard let options = value as? Object else { throw invalidType("stream_options", "an object") }
            if let include = options["include_usage"] {
                guard let flag = include as? Bool else { throw invalidType("stream_options.include_usage", "a boolean") }
                includeUsage = flag
            }
        }
        return ChatRequest(
            model: model, generate: GenerateRequest(promptCharacters: characters, lastUserText: lastUserText, maxOutputTokens: maxTokens),
            stream: stream, includeUsage: includeUsage)
    }

    /// The texts of a message's `content`: a string, an array of parts (text parts read, others
    /// accepted) or null (an assistant turn with tool calls).
    private static func texts(_ content: Any?, path: String) throws(OpenAIFailure) -> [String] {
        switch content {
        case nil, is NSNull: return []
        case let text as String: return [text]
        case let parts as [Any]:
            var texts: [String] = []
            for (index, part) in parts.enumerated() {
                guard let object = part as? Object, let type = object["type"] as? String else { throw invalidType("\(path)[\(index)]", "an object with a type") }
                if type == "text" {
                    guard let text = object["text"] as? String else { throw invalidType("\(path)[\(index)].text", "a string") }
                    texts.append(text)
                }
            }
            return texts
        default: throw invalidType(path, "a string or an array of content parts")
        }
    }

    // MARK: embeddings

    static func embeddings(_ body: [UInt8]) throws(OpenAIFailure) -> EmbeddingsRequest {
        let fields = try object(body, allowed: embeddingFields)
        let model = try modelField(fields)
        guard let input = fields["input"] else {
            throw .invalidRequest("Missing required parameter: 'input'.", param: "input", code: "missing_required_parameter")
        }
        let inputs: [String]
        switch input {
        case let text as String: inputs = [text]
        case let items as [Any] where !items.isEmpty:
            if let texts = items as? [String] {
                inputs = texts
            } else if let ids = tokenIDs(items) {
                inputs = [ids]
            } else if let lists = items as? [[Any]], let texts = optionalAll(lists.map(tokenIDs)) {
                inputs = texts
            } else {
                throw invalidType("input", "a string, an array of strings or token arrays")
            }
        default: throw invalidType("input", "a string or a non-empty array")
        }
        guard !inputs.contains(where: \.isEmpty) else {
            throw .invalidRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", param: "input", code: "invalid_value")
        }
        var base64 = false
        if let value = fields["encoding_format"] {
            guard let format = value as? String, format == "float" || format == "base64" else {
                throw .invalidRequest("Invalid value for 'encoding_format': expected 'float' or 'base64'.", param: "encoding_format", code: "invalid_value")
            }
            base64 = format == "base64"
        }
        var dimensions = 8
        if let value = fields["dimensions"] {
            guard let count = integer(value), (1...3072).contains(count) else { throw invalidType("dimensions", "an integer in 1...3072") }
            dimensions = count
        }
        return EmbeddingsRequest(model: model, inputs: inputs, base64: base64, dimensions: dimensions)
    }

    private static func tokenIDs(_ items: [Any]) -> String? {
        guard !items.isEmpty, let ids = optionalAll(items.map(integer)) else { return nil }
        return ids.map(String.init).joined(separator: " ")
    }

    private static func optionalAll<T>(_ values: [T?]) -> [T]? {
        var result: [T] = []
        for value in values {
            guard let value else { return nil }
            result.append(value)
        }
        return result
    }

    // MARK: helpers

    /// The body as an object of known fields; `null` values count as not set.
    private static func object(_ body: [UInt8], allowed: Set<String>) throws(OpenAIFailure) -> Object {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            throw OpenAIFailure(
                google: RequestError.syntax.body, status: 400,
                openAI: OpenAIFailure.object(
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
                    type: "invalid_request_error"),
                status: 400)
        }
        guard let object = parsed as? Object else { throw .invalidRequest(RequestError.notAnObject.body) }
        for key in object.keys.sorted() where !allowed.contains(key) { throw .unknownField(key) }
        return object.filter { !($0.value is NSNull) }
    }

    private static func modelField(_ fields: Object) throws(OpenAIFailure) -> String {
        guard let value = fields["model"] else { throw .invalidRequest("you must provide a model parameter") }
        guard let model = value as? String, !model.isEmpty else { throw invalidType("model", "a non-empty string") }
        return model
    }

    private static func invalidType(_ path: String, _ expected: String) -> OpenAIFailure {
        .invalidRequest("Invalid type for '\(path)': expected \(expected).", param: path, code: "invalid_type")
    }

    /// A whole JSON number.
    private static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        return Int(exactly: number.doubleValue)
    }
}

extension OpenAIFailure: Error {}
