import Foundation

/// The success bodies of the OpenAI-compatible surface, built from the native answer so both
/// surfaces give the same text and token counts for the same prompt.
enum OpenAIBodies {
    /// How the choice ended, and whether its text is kept.
    enum Ending: Sendable {
        /// The answer as built (`stop`, or `length` when cut at the max tokens).
        case normal
        /// A blocked or SAFETY answer from the fault plan: no content, `content_filter`.
        case contentFilter
        /// The MAX_TOKENS fault (a thinking budget spent): no content, `length`.
        case budgetSpent
    }

    /// The `created` every model entry carries (2025-01-01T00:00:00Z).
    static let modelsCreated = 1_735_689_600

    // MARK: chat

    static func finishReason(_ answer: Answer, _ ending: Ending) -> String {
        switch ending {
        case .normal: answer.finishReason == "MAX_TOKENS" ? "length" : "stop"
        case .contentFilter: "content_filter"
        case .budgetSpent: "length"
        }
    }

    static func usage(_ answer: Answer, _ ending: Ending) -> JSONValue {
        let completion: Int
        let reasoning: Int
        switch ending {
        case .normal: (completion, reasoning) = (answer.candidateTokens, 0)
        case .contentFilter: (completion, reasoning) = (0, 0)
        case .budgetSpent: (completion, reasoning) = (Answer.thinkingBudget, Answer.thinkingBudget)
        }
        return .object([
            ("prompt_tokens", .int(answer.promptTokens)), ("completion_tokens", .int(completion)),
            ("total_tokens", .int(answer.promptTokens + completion)),
            ("completion_tokens_details", .object([("reasoning_tokens", .int(reasoning))])),
        ])
    }

    /// A `chat.completion` object.
    static func completion(_ answer: Answer, model: String, created: Int, ending: Ending) -> JSONValue {
        let content: JSONValue = ending == .normal ? .string(answer.text) : .null
        return .object([
            ("id", .string("chatcmpl-\(answer.responseID)")), ("object", "chat.completion"), ("created", .int(created)),
            ("model", .string(model)),
            ("choices", [.object([
                ("index", 0), ("message", .object([("role", "assistant"), ("content", content), ("refusal", .null)])),
                ("logprobs", .null), ("finish_reason", .string(finishReason(answer, ending))),
            ])]),
            ("usage", usage(answer, ending)),
        ])
    }

    /// The events of a stream, each the JSON after `data: `: the text in up to 3 deltas (the first
    /// with the role), an empty delta with the finish reason, and with `includeUsage` a last chunk
    /// with `choices: []` and the usage (every earlier chunk then says `"usage": null`). `[DONE]` is the caller's.
    static func chunks(_ answer: Answer, model: String, created: Int, ending: Ending, includeUsage: Bool) -> [JSONValue] {
        func chunk(_ choices: [JSONValue], usage: JSONValue? = nil) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("id", .string("chatcmpl-\(answer.responseID)")), ("object", "chat.completion.chunk"), ("created", .int(created)),
                ("model", .string(model)), ("choices", .array(choices)),
            ]
            if includeUsage { members.append(("usage", usage ?? .null)) }
            return .object(members)
        }
        func choice(_ delta: [(String, JSONValue)], finish: String?) -> JSONValue {
            .object([("index", 0), ("delta", .object(delta)), ("logprobs", .null), ("finish_reason", finish.map(JSONValue.string) ?? .null)])
        }
        var events: [JSONValue]
        if ending == .normal {
            events = Answer.groups(answer.pieces, count: 3).enumerated().map { index, group in
                let content: (String, JSONValue) = ("content", .string(group.joined()))
                return chunk([choice(index == 0 ? [("role", "assistant"), content] : [content], finish: nil)])
            }
        } else {
            events = [chunk([choice([("role", "assistant")], finish: nil)])]
        }
        events.append(chunk([choice([], finish: finishReason(answer, ending))]))
        if includeUsage { events.append(chunk([], usage: usage(answer, ending))) }
        return events
    }

    // MARK: embeddings

    /// An `embeddings` list; `tokens` is what the request cost.
    static func embeddings(_ request: EmbeddingsRequest, tokens: Int) -> JSONValue {
        let data = request.inputs.enumerated().map { index, text -> JSONValue in
            let values = Embedding.values(for: text, dimensions: request.dimensions)
            let embedding: JSONValue = request.base64 ? .string(base64Float32(values)) : .array(values.map(JSONValue.double))
            return .object([("object", "embedding"), ("index", .int(index)), ("embedding", embedding)])
        }
        return .object([
            ("object", "list"), ("data", .array(data)), ("model", .string(request.model)),
            ("usage", .object([("prompt_tokens", .int(tokens)), ("total_tokens", .int(tokens))])),
        ])
    }

    /// The values as little-endian float32, base64-encoded (what openai-python decodes).
    static func base64Float32(_ values: [Double]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = Float(value).bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    // MARK: models

    /// One model entry; the id carries `models/` as Gemini's endpoint lists them.
    static func model(_ model: ModelCatalog.Model) -> JSONValue {
        .object([
            ("id", .string("models/\(model.id)")), ("object", "model"), ("created", .int(modelsCreated)),
            ("owned_by", "google"), ("display_name", .string(model.displayName)),
        ])
    }

    static func modelList(_ catalog: ModelCatalog) -> JSONValue {
        .object([("object", "list"), ("data", .array(catalog.models.map(model)))])
    }
}
