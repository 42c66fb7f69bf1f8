import Foundation

extension GeminiProvider {
    /// Where a ``GeminiProvider`` sends requests and how it tells time.
    public struct Configuration: Sendable {
        /// The API's base URL (default `https://generativelanguage.googleapis.com`). Point it at
        /// an emulator or a proxy; a path (`https://proxy.example/gemini`) is kept as a prefix.
        public var baseURL: String
        /// The API version segment of the path (default `v1beta`).
        public var apiVersion: String
        /// The wall-clock time, for per-day quota resets (midnight Pacific). Inject a fixed
        /// date in tests.
        public var now: @Sendable () -> Date

        /// The public Gemini Developer API.
        public static let defaultBaseURL = "https://generativelanguage.googleapis.com"

        public init(
            baseURL: String = Configuration.defaultBaseURL,
            apiVersion: String = "v1beta",
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.baseURL = baseURL
            self.apiVersion = apiVersion
            self.now = now
        }
    }
}
