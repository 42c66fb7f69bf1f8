/// A chat-completions answer (`object: "chat.completion"`), or the sum of a stream's chunks.
public struct ChatCompletion: Sendable, Hashable, Decodable {
    /// One alternative answer.
    public struct Choice: Sendable, Hashable, Decodable {
        /// Its position.
        public var index: Int?
        /// The assistant's message.
        public var message: Message?
        /// Why generation ended: `stop`, `length`, `tool_calls`, `content_filter`.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }

    /// What the assistant said.
    public struct Message: Sendable, Hashable, Decodable {
        /// `assistant`.
        public var role: String?
        /// The text (absent when the model only called tools).
        public var content: String?
        /// A refusal, when the model declined.
        public var refusal: String?
        /// The tool calls, by id, name and JSON arguments (which may be invalid JSON).
        public var toolCalls: [ToolCall]?

        enum CodingKeys: String, CodingKey {
            case role, content, refusal
            case toolCalls = "tool_calls"
        }
    }

    /// A function call the model asked for.
    public struct ToolCall: Sendable, Hashable, Decodable {
        /// The call's id, to answer in a `tool` message.
        public var id: String?
        /// The function.
        public var function: Function?

        /// A function's name and arguments.
        public struct Function: Sendable, Hashable, Decodable {
            /// Its name.
            public var name: String?
            /// Its arguments, a JSON string as the model wrote it.
            public var arguments: String?
        }
    }

    /// Tokens used.
    public struct Usage: Sendable, Hashable, Decodable {
        /// Prompt tokens.
        public var promptTokens: Int?
        /// Generated tokens.
        public var completionTokens: Int?
        /// Both.
        public var totalTokens: Int?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
        }
    }

    /// The answer's id.
    public var id: String?
    /// The model that answered (often a dated snapshot of the one asked for).
    public var model: String?
    /// The alternatives (one unless `n` was set).
    public var choices: [Choice]
    /// Tokens used, when the server says.
    public var usage: Usage?

    /// The first choice's text.
    public var text: String? { choices.first?.message?.content }
    /// The first choice's finish reason.
    public var finishReason: String? { choices.first?.finishReason }

    enum CodingKeys: String, CodingKey { case id, model, choices, usage }

    /// Decodes from the wire JSON: `choices` is required; a missing or malformed `id`, `model`
    /// or `usage` reads as `nil`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try? container.decodeIfPresent(String.self, forKey: .id)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
        choices = try container.decode([Choice].self, forKey: .choices)
        usage = try? container.decodeIfPresent(Usage.self, forKey: .usage)
    }

    init(id: String?, model: String?, choices: [Choice], usage: Usage?) {
        self.id = id
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}

/// One event of a streamed chat completion (`object: "chat.completion.chunk"`).
public struct ChatCompletionChunk: Sendable, Hashable, Decodable {
    /// One choice's increment.
    public struct Choice: Sendable, Hashable, Decodable {
        /// Its position.
        public var index: Int?
        /// What this chunk adds.
        public var delta: Delta?
        /// Set on the choice's last chunk.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }

    /// What a chunk adds to a choice.
    public struct Delta: Sendable, Hashable, Decodable {
        /// `assistant` on the first chunk.
        public var role: String?
        /// More text.
        public var content: String?
        /// More of a refusal.
        public var refusal: String?
    }

    /// The completion's id (the same on every chunk; some servers omit it).
    public var id: String?
    /// The model.
    public var model: String?
    /// The choices' increments (empty on the usage chunk).
    public var choices: [Choice]
    /// The whole request's usage, on the last chunk when `include_usage` was asked.
    public var usage: ChatCompletion.Usage?

    /// The first choice's new text.
    public var text: String? { choices.first?.delta?.content }
    /// The first choice's finish reason, on its last chunk.
    public var finishReason: String? { choices.first?.finishReason }

    enum CodingKeys: String, CodingKey { case id, model, choices, usage }

    /// Decodes from the wire JSON, reading any missing or malformed field as `nil` (`choices`
    /// as none).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try? container.decodeIfPresent(String.self, forKey: .id)
        model = try? container.decodeIfPresent(String.self, forKey: .model)
        choices = (try? container.decodeIfPresent([Choice].self, forKey: .choices)) ?? []
        usage = try? container.decodeIfPresent(ChatCompletion.Usage.self, forKey: .usage)
    }
}
