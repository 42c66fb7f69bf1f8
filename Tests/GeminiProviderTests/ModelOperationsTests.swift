import Foundation
import GatewayCore
import GeminiProvider
import HTTPTypes
import Testing

/// batchEmbedContents, the models list and one model's metadata.
@Suite("Batch embedding and model metadata")
struct ModelOperationsTests {
    let provider = GeminiProvider()
    let key = testKey()

    @Test("batchEmbedContents names the call's model inside every request")
    func batchEmbedBody() throws {
        let request = try provider.makeRequest(
            .batchEmbedContents(BatchEmbedContentsRequest(texts: ["a", "bb"], taskType: .retrievalDocument), model: "gemini-embedding-001"),
            key: key)
        #expect(request.head.method == .post)
        #expect(request.head.path == "/v1beta/models/gemini-embedding-001:batchEmbedContents")
        let requests = try #require(try jsonObject(request.body)["requests"] as? [[String: Any]])
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0["model"] as? String == "models/gemini-embedding-001" })
        #expect(requests.first?["taskType"] as? String == "RETRIEVAL_DOCUMENT")
        #expect(provider.cost(of: .batchEmbedContents(BatchEmbedContentsRequest(texts: [String(repeating: "x", count: 400)]), model: "m"))
            == RateLimitCost(requests: 1, tokens: 100))
    }

    @Test("batchEmbedContents answers decode one embedding per request")
    func batchEmbedAnswer() throws {
        let request = GeminiRequest.batchEmbedContents(BatchEmbedContentsRequest(texts: ["a", "b"]), model: "gemini-embedding-001")
        let answer = try provider.parse(status: 200, body: #"{"embeddings":[{"values":[0.1,0.2]},{"values":[0.3]}]}"#, operation: request).get()
        #expect(answer.batchEmbedContents?.embeddings?.map(\.values) == [[0.1, 0.2], [0.3]])
    }

    @Test("the models list is a GET without a body; the page token is percent-encoded and the size clamped")
    func listModels() throws {
        let request = try provider.makeRequest(.listModels(pageSize: 5_000, pageToken: "a b/c+d"), key: key)
        #expect(request.head.method == .get)
        #expect(request.head.path == "/v1beta/models?pageSize=1000&pageToken=a%20b%2Fc%2Bd")
        #expect(request.body.isEmpty)
        #expect(request.head.headerFields[.contentType] == nil)
        #expect(request.head.headerFields[GeminiProvider.apiKeyHeader] == key.revealSecret())
        let bare = try provider.makeRequest(.listModels(), key: key)
        #expect(bare.head.path == "/v1beta/models")
    }

    @Test("a models page and one model decode")
    func modelAnswers() throws {
        let page = try provider.parse(status: 200, body: """
            {"models":[{"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash","inputTokenLimit":1048576,\
            "outputTokenLimit":65536,"supportedGenerationMethods":["generateContent","countTokens"],"thinking":true}],"nextPageToken":"n2"}
            """, operation: .listModels()).get()
        #expect(page.listModels?.models?.first?.inputTokenLimit == 1_048_576)
        #expect(page.listModels?.nextPageToken == "n2")
        let model = try provider.parse(status: 200, body: #"{"name":"models/gemini-2.5-pro","outputTokenLimit":65536}"#,
            operation: .getModel("gemini-2.5-pro")).get()
        #expect(model.model?.name == "models/gemini-2.5-pro")
        let request = try provider.makeRequest(.getModel("gemini-2.5-pro"), key: key)
        #expect(request.head.method == .get && request.head.path == "/v1beta/models/gemini-2.5-pro")
    }

    @Test("an unknown model on getModel is a bad request, not a key fault")
    func unknownModel() {
        let failure = provider.parse(status: 404, body: """
            {"error":{"code":404,"message":"models/gemini-9 is not found for API version v1beta.","status":"NOT_FOUND"}}
            """, operation: .getModel("gemini-9")).failure
        #expect(failure?.kind == .badRequest(status: 404))
    }

    @Test("the streaming request asks for SSE at streamGenerateContent?alt=sse")
    func streamingRequest() throws {
        let request = try provider.makeStreamingRequest(.plain, key: key)
        #expect(request.head.path == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
        #expect(request.head.headerFields[.accept] == "text/event-stream")
        #expect(request.head.headerFields[GeminiProvider.apiKeyHeader] == key.revealSecret())
    }
}
