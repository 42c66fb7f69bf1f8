import GatewayCore

extension GatewayClient where P == GeminiProvider {
    /// Generates text for `prompt`: the original design's `call_with_retry`, on this task's key
    /// with pacing, retries and rotation.
    ///
    /// - Parameters:
    ///   - prompt: The user's text (one user turn).
    ///   - model: `gemini-2.5-flash-lite` by default; `models/…` also accepted.
    ///   - config: Generation settings; `nil` leaves the model's defaults.
    ///   - system: A system instruction, sent as `systemInstruction`.
    ///   - deadline: The longest the whole call may take (default: the gateway's call timeout).
    /// - Returns: The first candidate's text (its non-thought text parts joined), trimmed.
    /// - Throws: `GatewayError` when the call fails (blocked prompts, bad requests, exhausted
    ///   keys, …); ``GeminiError/invalidModel(_:)`` before sending for a bad model name;
    ///   ``GeminiError/noText(finishReason:)`` when the answer has no text.
    public func generate(
        _ prompt: String,
        model: String = "gemini-2.5-flash-lite",
        config: GenerationConfig? = nil,
        system: String? = nil,
        deadline: Duration? = nil
    ) async throws -> String {
        _ = try ModelName(model)
        let body = GenerateContentRequest(
            contents: [.user(prompt)],
            systemInstruction: system.map { Content(parts: [.text($0)]) },
            generationConfig: config)
        let response = try await send(.generateContent(body, model: model), deadline: deadline)
        let answer = response.generateContent
        let text = (answer?.text ?? "").trimmingWhitespace()
        guard !text.isEmpty else { throw GeminiError.noText(finishReason: answer?.candidates?.first?.finishReason) }
        return text
    }
}

extension GatewayClient where P == GeminiProvider {
    /// Streams the answer to `prompt` (`streamGenerateContent?alt=sse`). Pacing, retries and
    /// rotation apply until the first chunk arrives; after that nothing is replayed.
    ///
    /// ```swift
    /// let stream = try await client.streamGenerate("Tell a story")
    /// for try await delta in stream.textDeltas { print(delta, terminator: "") }
    /// // or: let answer = try await stream.collectAnswer()   // .incomplete(failure) if cut
    /// ```
    /// - Throws: `GatewayError` when no attempt produced a chunk (blocked prompts, bad
    ///   requests, exhausted keys, …); ``GeminiError/invalidModel(_:)`` for a bad model name.
    public func streamGenerate(
        _ prompt: String,
        model: String = "gemini-2.5-flash-lite",
        config: GenerationConfig? = nil,
        system: String? = nil,
        deadline: Duration? = nil
    ) async throws -> GatewayStream<GenerateContentResponse> {
        _ = try ModelName(model)
        let body = GenerateContentRequest(
            contents: [.user(prompt)],
            systemInstruction: system.map { Content(parts: [.text($0)]) },
            generationConfig: config)
        return try await stream(.generateContent(body, model: model), deadline: deadline)
    }
}
