import Foundation
import GatewayCore
import GeminiProvider
import HTTPTypes
import Testing

/// The HTTP request: URL, headers and the JSON body's shape.
@Suite("Request encoding")
struct RequestEncodingTests {
    let provider = GeminiProvider()
    let key = testKey()

    @Test("POST to models/{model}:generateContent, the key only in x-goog-api-key", arguments: [
        "gemini-2.5-flash", "models/gemini-2.5-flash", " gemini-2.5-flash ",
    ])
    func urlAndHeaders(model: String) throws {
        let request = try provider.makeRequest(.generateContent(.init(contents: [.user("hi")]), model: model), key: key)
        let head = request.head
        #expect(head.method == .post)
        #expect(head.scheme == "https")
        #expect(head.authority == "generativelanguage.googleapis.com")
        #expect(head.path == "/v1beta/models/gemini-2.5-flash:generateContent")
        #expect(head.headerFields[GeminiProvider.apiKeyHeader] == key.revealSecret())
        #expect(head.headerFields[.contentType] == "application/json")
        #expect(head.headerFields[.authorization] == nil)
        let url = "\(head.scheme ?? "")://\(head.authority ?? "")\(head.path ?? "")"
        #expect(!url.contains(key.revealSecret()))
        #expect(!url.contains("?"))
        #expect(!String(decoding: request.body, as: UTF8.self).contains(key.revealSecret()))
    }

    @Test("the JSON shape matches the reference; systemInstruction is a sibling of generationConfig")
    func bodyShape() throws {
        let body = GenerateContentRequest(
            contents: [.user("Hello"), .model("Hi!"), Content(role: .user, parts: [.text("Describe"), .inlineData(mimeType: "image/png", bytes: [1, 2, 3]), .fileData(mimeType: "application/pdf", fileURI: "https://generativelanguage.googleapis.com/v1beta/files/abc")])],
            systemInstruction: Content(parts: [.text("Be brief.")]),
            generationConfig: GenerationConfig(
                temperature: 0.5, topP: 0.9, topK: 40, maxOutputTokens: 256, candidateCount: 1, stopSequences: ["END"],
                seed: 7, responseMimeType: "application/json", thinkingConfig: ThinkingConfig(includeThoughts: true, thinkingBudget: 1024)),
            safetySettings: [SafetySetting(category: .harassment, threshold: .blockOnlyHigh)])
        let request = try provider.makeRequest(.generateContent(body, model: "gemini-2.5-flash"), key: key)
        let json = try jsonObject(request.body)

        #expect(Set(json.keys) == ["contents", "systemInstruction", "generationConfig", "safetySettings"])
        let contents = try #require(json["contents"] as? [[String: Any]])
        #expect(contents.map { $0["role"] as? String } == ["user", "model", "user"])
        let parts = try #require(contents[2]["parts"] as? [[String: Any]])
        #expect(parts[0]["text"] as? String == "Describe")
        let inline = try #require(parts[1]["inlineData"] as? [String: Any])
        #expect(inline["mimeType"] as? String == "image/png")
        #expect(inline["data"] as? String == "AQID")
        let file = try #require(parts[2]["fileData"] as? [String: Any])
        #expect(file["fileUri"] as? String == "https://generativelanguage.googleapis.com/v1beta/files/abc")
        #expect(file["mimeType"] as? String == "application/pdf")

        let system = try #require(json["systemInstruction"] as? [String: Any])
        #expect(system["role"] == nil)
        #expect((system["parts"] as? [[String: Any]])?.first?["text"] as? String == "Be brief.")

        let config = try #require(json["generationConfig"] as? [String: Any])
        #expect(config["systemInstruction"] == nil)
        #expect(config["temperature"] as? Double == 0.5)
        #expect(config["topP"] as? Double == 0.9)
        #expect(config["topK"] as? Int == 40)
        #expect(config["maxOutputTokens"] as? Int == 256)
        #expect(config["candidateCount"] as? Int == 1)
        #expect(config["stopSequences"] as? [String] == ["END"])
        #expect(config["seed"] as? Int == 7)
        #expect(config["responseMimeType"] as? String == "application/json")
        let thinking = try #require(config["thinkingConfig"] as? [String: Any])
        #expect(thinking["includeThoughts"] as? Bool == true)
        #expect(thinking["thinkingBudget"] as? Int == 1024)
        #expect(Set(config.keys) == ["temperature", "topP", "topK", "maxOutputTokens", "candidateCount", "stopSequences", "seed", "responseMimeType", "thinkingConfig"])

        let safety = try #require(json["safetySettings"] as? [[String: Any]])
        #expect(safety.first?["category"] as? String == "HARM_CATEGORY_HARASSMENT")
        #expect(safety.first?["threshold"] as? String == "BLOCK_ONLY_HIGH")
    }

    @Test("unset fields are left out")
    func minimalBody() throws {
        let request = try provider.makeRequest(.generateContent(.init(contents: [.user("hi")]), model: "gemini-2.5-flash"), key: key)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"contents":[{"parts":[{"text":"hi"}],"role":"user"}]}"#)
    }

    @Test("the base URL is configurable: scheme, port and path prefix", arguments: [
        ("http://127.0.0.1:8080", "http", "127.0.0.1:8080", "/v1beta/models/gemini-2.5-flash:generateContent"),
        ("https://proxy.example.com/gemini/", "https", "proxy.example.com", "/gemini/v1beta/models/gemini-2.5-flash:generateContent"),
        ("HTTP://localhost:9/a/b", "http", "localhost:9", "/a/b/v1beta/models/gemini-2.5-flash:generateContent"),
        ("http://[::1]:8080", "http", "[::1]:8080", "/v1beta/models/gemini-2.5-flash:generateContent"),
    ])
    func baseURL(base: String, scheme: String, authority: String, path: String) throws {
        let provider = GeminiProvider(.init(baseURL: base))
        try provider.validate()
        let head = try provider.makeRequest(.plain, key: key).head
        #expect(head.scheme == scheme)
        #expect(head.authority == authority)
        #expect(head.path == path)
    }

    @Test("an unusable base URL or version is a typed error", arguments: [
        ("ftp://example.com", "v1beta"), ("not a url", "v1beta"), ("https://", "v1beta"),
        ("https://example.com?key=abc", "v1beta"), ("https://user:pw@example.com", "v1beta"), ("https://example.com#x", "v1beta"),
        ("https://example.com", "v1/../x"), ("https://example.com", ""),
    ])
    func badBaseURL(base: String, version: String) {
        let provider = GeminiProvider(.init(baseURL: base, apiVersion: version))
        #expect(throws: GeminiError.self) { try provider.validate() }
        #expect(throws: GeminiError.self) { try provider.makeRequest(.plain, key: key) }
    }

    @Test("model names that would change the path are refused", arguments: [
        "", "models/", "../secrets", "gemini?key=1", "a/b", "gemini 2.5", "models/x:streamGenerateContent", "gemini#x", ".hidden", "modèle",
    ])
    func badModel(model: String) {
        #expect(throws: GeminiError.self) {
            try provider.makeRequest(.generateContent(.init(contents: [.user("x")]), model: model), key: key)
        }
    }

    @Test("tunedModels names are kept")
    func tunedModel() throws {
        let head = try provider.makeRequest(.generateContent(.init(contents: [.user("x")]), model: "tunedModels/my-model-1"), key: key).head
        #expect(head.path == "/v1beta/tunedModels/my-model-1:generateContent")
    }

    @Test("an unencodable body is a typed error, not a trap")
    func unencodable() {
        let body = GenerateContentRequest(contents: [.user("x")], generationConfig: GenerationConfig(temperature: .nan))
        #expect(throws: GeminiError.self) { try provider.makeRequest(.generateContent(body, model: "gemini-2.5-flash"), key: key) }
    }

    @Test("countTokens and embedContent use their own paths and bodies")
    func otherOperations() throws {
        let count = try provider.makeRequest(.countTokens(.init(contents: [.user("hi")]), model: "gemini-2.5-flash"), key: key)
        #expect(count.head.path == "/v1beta/models/gemini-2.5-flash:countTokens")
        #expect(try jsonObject(count.body).keys.sorted() == ["contents"])

        let nested = try provider.makeRequest(
            .countTokens(.init(generateContentRequest: .init(contents: [.user("hi")], systemInstruction: Content(parts: [.text("s")]))), model: "gemini-2.5-flash"),
            key: key)
        let inner = try #require(try jsonObject(nested.body)["generateContentRequest"] as? [String: Any])
        #expect(inner["model"] as? String == "models/gemini-2.5-flash")
        #expect(inner["systemInstruction"] != nil)

        let embed = try provider.makeRequest(
            .embedContent(.init(content: Content(parts: [.text("hello")]), taskType: .retrievalDocument, title: "T", outputDimensionality: 256), model: "models/gemini-embedding-001"),
            key: key)
        #expect(embed.head.path == "/v1beta/models/gemini-embedding-001:embedContent")
        let json = try jsonObject(embed.body)
        #expect(json["taskType"] as? String == "RETRIEVAL_DOCUMENT")
        #expect(json["outputDimensionality"] as? Int == 256)
        #expect(json["title"] as? String == "T")
    }

    @Test("the request timeout is passed to the transport")
    func timeout() throws {
        let request = try provider.makeRequest(.generateContent(.init(contents: [.user("x")]), model: "gemini-2.5-flash", timeout: .seconds(30)), key: key)
        #expect(request.timeout == .seconds(30))
    }

    @Test("cost: one request plus prompt characters / 4 plus maxOutputTokens")
    func cost() {
        let prompt = String(repeating: "a", count: 400)
        let withOutput = GenerateContentRequest(
            contents: [.user(prompt)], systemInstruction: Content(parts: [.text(String(repeating: "s", count: 40))]),
            generationConfig: GenerationConfig(maxOutputTokens: 100))
        #expect(provider.cost(of: .generateContent(withOutput, model: "m")) == RateLimitCost(requests: 1, tokens: 110 + 100))
        #expect(provider.cost(of: .generateContent(.init(contents: [.user(prompt)]), model: "m")) == RateLimitCost(requests: 1, tokens: 100))
        #expect(provider.cost(of: .countTokens(.init(contents: [.user(prompt)]), model: "m")) == .oneRequest)
        #expect(provider.cost(of: .embedContent(.init(content: .user(prompt)), model: "m")) == RateLimitCost(requests: 1, tokens: 100))
    }

    @Test("the provider reads as .gemini() in a builder")
    func builderShorthand() throws {
        let gateway = try Gateway.builder().keys(["k-long-enough-0001"]).transport(MockTransportStub()).provider(.gemini()).build()
        #expect(gateway.provider.configuration.baseURL == GeminiProvider.Configuration.defaultBaseURL)
    }
}

/// A transport that is never called.
private struct MockTransportStub: Transport {
    func send(_ request: TransportRequest) async throws -> TransportResponse { throw TransportError.other("stub") }
    func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse { throw TransportError.other("stub") }
}
