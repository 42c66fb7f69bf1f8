import GatewayCore
import GeminiProvider
import OpenAICompatibleProvider

/// What the batch needs of a provider: a request asking one prompt, and the text of its answer.
/// Gemini's `generateContent` and any OpenAI-compatible chat completion conform, so one runner
/// serves both (`--provider gemini` or `openai-compatible`).
public protocol BatchProvider: Provider {
    /// The request asking `prompt` of `job.model`, with the job's generation settings.
    static func request(asking prompt: String, job: BatchJob) -> Request
    /// The answer's text and token count.
    /// - Throws: the provider's typed error when the answer has no text.
    static func answer(in response: Response) throws -> (text: String, tokens: Int?)
}

extension GeminiProvider: BatchProvider {
    /// A `generateContent` request with one user turn.
    public static func request(asking prompt: String, job: BatchJob) -> GeminiRequest {
        .generateContent(GenerateContentRequest(contents: [.user(prompt)], generationConfig: job.generationConfig), model: job.model)
    }

    /// The candidate's text; ``GeminiError/noText(finishReason:)`` when there is none.
    public static func answer(in response: GeminiResponse) throws -> (text: String, tokens: Int?) {
        let answer = response.generateContent
        guard let text = answer?.text, !text.isEmpty else {
            throw GeminiError.noText(finishReason: answer?.candidates?.first?.finishReason)
        }
        return (text, answer?.usageMetadata?.totalTokenCount)
    }
}

extension OpenAICompatibleProvider: BatchProvider {
    /// A chat completion with one user message; the job's temperature and output-token limit.
    public static func request(asking prompt: String, job: BatchJob) -> OpenAIRequest {
        .chat(ChatRequest(
            model: job.model, messages: [.user(prompt)], temperature: job.generationConfig?.temperature,
            maxTokens: job.generationConfig?.maxOutputTokens))
    }

    /// The first choice's text; ``OpenAIError/noText(finishReason:)`` when there is none (a
    /// `content_filter` finish is classified before, as a blocked call).
    public static func answer(in response: OpenAIResponse) throws -> (text: String, tokens: Int?) {
        let completion = response.chat
        guard let text = completion?.text, !text.isEmpty else { throw OpenAIError.noText(finishReason: completion?.finishReason) }
        return (text, completion?.usage?.totalTokens)
    }
}
