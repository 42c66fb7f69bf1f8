/// The error bodies the OpenAI-compatible surface (`/v1beta/openai/`) answers with.
public enum OpenAIErrorStyle: String, Codable, Sendable, CaseIterable {
    /// What Gemini's real endpoint sends: a JSON array holding one Google envelope,
    /// `[{"error":{"code":429,"message":…,"status":"RESOURCE_EXHAUSTED","details":[…]}}]`, with the
    /// native API's status codes (an invalid key is a 400 `API_KEY_INVALID`).
    case gemini
    /// OpenAI's object, `{"error":{"message","type","param","code"}}`, with OpenAI's status codes:
    /// 401 `invalid_api_key`, 429 `rate_limit_exceeded` or `insufficient_quota`, 404 `model_not_found`,
    /// 400 `invalid_request_error`, 503 `server_is_overloaded`, 500 `server_error`.
    case openAI = "openai"
}
