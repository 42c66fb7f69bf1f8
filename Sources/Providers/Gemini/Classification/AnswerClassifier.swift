import GatewayCore

/// Classifies a 2xx Gemini answer: the decoded response, or the failure a 200 can carry (a
/// blocked prompt, a candidate stopped for safety with no text, thinking that used every token).
struct AnswerClassifier: Sendable {
    let errors: ErrorClassifier

    func classify(status: Int, body: [UInt8], operation: GeminiOperation) -> Result<GeminiResponse, Failure> {
        let decoded: Result<GeminiResponse, WireJSON.Problem>
        switch operation {
        case .countTokens:
            decoded = WireJSON.decode(CountTokensResponse.self, from: body).map(GeminiResponse.init)
        case .embedContent:
            decoded = WireJSON.decode(EmbedContentResponse.self, from: body).map(GeminiResponse.init)
        case .batchEmbedContents:
            decoded = WireJSON.decode(BatchEmbedContentsResponse.self, from: body).map(GeminiResponse.init)
        case .listModels:
            decoded = WireJSON.decode(ListModelsResponse.self, from: body).map(GeminiResponse.init)
        case .getModel:
            decoded = WireJSON.decode(ModelInfo.self, from: body).map(GeminiResponse.init)
        default:
            decoded = WireJSON.decode(GenerateContentResponse.self, from: body).map(GeminiResponse.init)
        }
        switch decoded {
        case .failure(let problem):
            let detail = problem == .tooDeep ? "malformed JSON (nested too deeply)" : "malformed JSON"
            return .failure(Failure(.serverError(status: status), status: status, message: detail))
        case .success(let response):
            if response.isEmpty, let envelope = ErrorEnvelope.read(from: body) {
                // An error envelope under a 2xx status (as streams report late errors).
                let code = envelope.code.flatMap { (400...599).contains($0) ? $0 : nil } ?? 500
                return .failure(errors.classify(status: code, body: body))
            }
            if let answer = response.generateContent, let failure = Self.failure(in: answer, status: status) {
                return .failure(failure)
            }
            return .success(response)
        }
    }

    /// The failure a `generateContent` answer represents, if any.
    static func failure(in answer: GenerateContentResponse, status: Int) -> Failure? {
        guard let candidate = answer.candidates?.first else {
            guard let reason = answer.promptFeedback?.blockReason else { return nil }
            return Failure(.blocked(reason: reason.rawValue), status: status, message: "prompt blocked (\(reason.rawValue))")
        }
        guard answer.text == nil, let reason = candidate.finishReason else { return nil }
        if reason.isBlocking {
            return Failure(.blocked(reason: reason.rawValue), status: status, message: "answer stopped (\(reason.rawValue)) with no text")
        }
        if reason == .maxTokens {
            return Failure(.other, status: status, message: "MAX_TOKENS with no text")
        }
        return nil
    }
}

extension GeminiResponse {
    /// Whether the decoded body carried none of its operation's fields.
    var isEmpty: Bool {
        switch body {
        case .generateContent(let response): response.isEmpty
        case .countTokens(let response): response.totalTokens == nil
        case .embedContent(let response): response.embedding == nil
        case .batchEmbedContents(let response): response.embeddings == nil
        case .listModels(let response): response.models == nil && response.nextPageToken == nil
        case .model(let response): response.name == nil
        }
    }
}
