import Foundation

extension GeminiProvider {
    /// Where a ``GeminiProvider`` sends requests and how it tells time.
    public struct Configuration: Sendable {
        /// The API's base URL. Point it at an emulator or a proxy; a path
        /// (`https://proxy.example/gemini`) is kept as a prefix.
        ///
        /// Precedence, as in gemini-batch: a `baseURL` given to ``init(baseURL:apiVersion:now:)``,
        /// else the `GEMINI_BASE_URL` environment variable (when set and not blank), else the
        /// public API (``defaultBaseURL``). So `GEMINI_BASE_URL=http://127.0.0.1:8080 swift run …`
        /// points an unchanged `.gemini()` program at an emulator.
        public var baseURL: String
        /// The API version segment of the path (default `v1beta`).
        public var apiVersion: String
        /// The wall-clock time, for per-day quota resets (midnight Pacific). Inject a fixed
        /// date in tests.
        public var now: @Sendable () -> Date

        /// The public Gemini Developer API.
        public static let defaultBaseURL = "https://generativelanguage.googleapis.com"

        /// The environment variable that overrides ``defaultBaseURL``: `GEMINI_BASE_URL`.
        public static let baseURLEnvironmentVariable = "GEMINI_BASE_URL"

        /// The base URL a configuration gets when none is given: `GEMINI_BASE_URL` from
        /// `environment` when it is set and not blank (surrounding whitespace trimmed), else
        /// ``defaultBaseURL``.
        public static func environmentBaseURL(
            _ environment: [String: String] = ProcessInfo.processInfo.environment
        ) -> String {
            let value = environment[baseURLEnvironmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return value.isEmpty ? defaultBaseURL : value
        }

        /// A configuration.
        /// - Parameters:
        ///   - baseURL: Where requests go; by default `GEMINI_BASE_URL`, else the public API
        ///     (see ``environmentBaseURL(_:)``). An explicit value always wins.
        ///   - apiVersion: The version segment of the path.
        ///   - now: The wall-clock time, for per-day quota resets.
        public init(
            baseURL: String = Configuration.environmentBaseURL(),
            apiVersion: String = "v1beta",
            now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.baseURL = baseURL
            self.apiVersion = apiVersion
            self.now = now
        }
    }
}
