import Foundation
import GatewayCore

extension OpenAICompatibleProvider {
    /// Where requests go and how they are dressed.
    public struct Configuration: Sendable, Hashable {
        /// The API's base URL, path prefix included (`https://api.openai.com/v1`); requests go to
        /// `{baseURL}/chat/completions`, `{baseURL}/embeddings`, `{baseURL}/models`.
        public var baseURL: String
        /// Header fields sent with every request (e.g. `OpenAI-Organization`, `OpenAI-Project`).
        /// `Authorization` is the key's and cannot be set here.
        public var extraHeaders: [String: String]
        /// Model names to send instead of the ones asked for (`["fast": "gpt-4o-mini"]`).
        public var modelNames: [String: String]
        /// The window the server's `x-ratelimit-*` limits count over (OpenAI's: a minute).
        public var rateLimitWindow: Duration

        /// A configuration for any OpenAI-compatible server.
        public init(
            baseURL: String, extraHeaders: [String: String] = [:], modelNames: [String: String] = [:],
            rateLimitWindow: Duration = .seconds(60)
        ) {
            self.baseURL = baseURL
            self.extraHeaders = extraHeaders
            self.modelNames = modelNames
            self.rateLimitWindow = rateLimitWindow
        }

        /// OpenAI's API (`OPENAI_BASE_URL` when set, else `https://api.openai.com/v1`), with the
        /// organisation and project headers when given.
        public static func openAI(organization: String? = nil, project: String? = nil) -> Configuration {
            var headers: [String: String] = [:]
            if let organization { headers["OpenAI-Organization"] = organization }
            if let project { headers["OpenAI-Project"] = project }
            let base = ProcessInfo.processInfo.environment["OPENAI_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            return Configuration(baseURL: base ?? "https://api.openai.com/v1", extraHeaders: headers)
        }

        /// Gemini's OpenAI-compatible endpoint (`{base}/v1beta/openai`), with Gemini keys;
        /// `base` defaults to the public API.
        public static func geminiOpenAI(base: String = "https://generativelanguage.googleapis.com") -> Configuration {
            var trimmed = base
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            return Configuration(baseURL: trimmed + "/v1beta/openai")
        }

        /// A server on this machine or your network that speaks the same API: vLLM
        /// (`http://localhost:8000/v1`), Ollama (`http://localhost:11434/v1`), llama.cpp's
        /// server (`http://localhost:8080/v1`).
        public static func local(_ baseURL: String) -> Configuration { Configuration(baseURL: baseURL) }
    }
}
