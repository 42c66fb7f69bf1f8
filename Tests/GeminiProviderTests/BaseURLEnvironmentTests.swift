import GatewayCore
import GeminiProvider
import HTTPTypes
import Testing

/// Issue 15, item 6: `.gemini()` honours `GEMINI_BASE_URL`, as gemini-batch does. Precedence:
/// an explicit base URL, then the environment, then the public API. The environment is passed
/// in, never set on the process, so parallel tests cannot see each other's values.
@Suite("GeminiProvider base URL from the environment")
struct BaseURLEnvironmentTests {
    typealias Configuration = GeminiProvider.Configuration

    @Test("GEMINI_BASE_URL is used when set")
    func environmentWins() {
        #expect(Configuration.environmentBaseURL(["GEMINI_BASE_URL": "http://127.0.0.1:8080"]) == "http://127.0.0.1:8080")
        #expect(Configuration.environmentBaseURL(["GEMINI_BASE_URL": "  http://127.0.0.1:8080\n"]) == "http://127.0.0.1:8080")
    }

    @Test("unset or blank falls back to the public API", arguments: [[:], ["GEMINI_BASE_URL": ""], ["GEMINI_BASE_URL": "  "], ["OTHER": "http://x"]])
    func fallback(_ environment: [String: String]) {
        #expect(Configuration.environmentBaseURL(environment) == Configuration.defaultBaseURL)
    }

    @Test("an explicit base URL wins over the environment")
    func explicitWins() {
        let configuration = Configuration(baseURL: "http://explicit.test")
        #expect(configuration.baseURL == "http://explicit.test")
        #expect(GeminiProvider.gemini(.init(baseURL: "http://explicit.test")).configuration.baseURL == "http://explicit.test")
    }

    @Test("the default configuration reads the process environment")
    func defaultReadsProcessEnvironment() {
        #expect(Configuration().baseURL == Configuration.environmentBaseURL())
        #expect(GeminiProvider.gemini().configuration.baseURL == Configuration.environmentBaseURL())
    }

    @Test("a provider built from GEMINI_BASE_URL sends there")
    func requestsGoThere() throws {
        let provider = GeminiProvider(.init(baseURL: Configuration.environmentBaseURL(["GEMINI_BASE_URL": "http://127.0.0.1:9999/proxy"])))
        let key = try #require(try KeySet(loading: .list(["base-url-test-key"])).keys.first)
        let request = try provider.makeRequest(.generateContent(.init(contents: [.user("hi")]), model: "gemini-2.5-flash"), key: key)
        #expect(request.head.authority == "127.0.0.1:9999")
        #expect(request.head.scheme == "http")
        #expect(request.head.path?.hasPrefix("/proxy/v1beta/models/gemini-2.5-flash:generateContent") == true)
    }
}
