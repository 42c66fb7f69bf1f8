import GatewayCore

extension GatewayClient where P == OpenAICompatibleProvider {
    /// The assistant's answer to `prompt` (one user turn, after an optional system message), on
    /// this task's key with pacing, retries and rotation.
    /// - Throws: `GatewayError` when the call fails; ``OpenAIError/noText(finishReason:)``
    ///   when the answer has no text.
    public func chat(
        _ prompt: String, model: String, system: String? = nil, temperature: Double? = nil,
        maxTokens: Int? = nil, deadline: Duration? = nil
    ) async throws -> String {
        let messages = (system.map { [ChatMessage.system($0)] } ?? []) + [.user(prompt)]
        let request = ChatRequest(model: model, messages: messages, temperature: temperature, maxTokens: maxTokens)
        let completion = try await send(.chat(request), deadline: deadline).chat
        guard let text = completion?.text?.trimmingWhitespace(), !text.isEmpty else {
            throw OpenAIError.noText(finishReason: completion?.finishReason)
        }
        return text
    }

    /// The vectors of `texts`, in order.
    public func embed(_ texts: [String], model: String, deadline: Duration? = nil) async throws -> [[Double]] {
        try await send(.embeddings(EmbeddingsRequest(model: model, input: texts)), deadline: deadline).embeddings?.vectors ?? []
    }

    /// A streamed chat completion: pacing, retries and rotation apply until the first chunk.
    public func streamChat(_ request: ChatRequest, deadline: Duration? = nil) async throws -> GatewayStream<ChatCompletionChunk> {
        try await stream(.chat(request), deadline: deadline)
    }
}

extension GatewayStream where Event == ChatCompletionChunk {
    /// The text deltas of the first choice, in order (chunks without text are skipped). Throws
    /// `StreamInterruptedError` when the stream breaks after its first chunk.
    public var textDeltas: AsyncThrowingCompactMapSequence<Self, String> {
        compactMap { chunk in chunk.text }
    }
}
