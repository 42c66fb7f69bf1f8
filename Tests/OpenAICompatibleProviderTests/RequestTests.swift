import Foundation
import GatewayCore
import HTTPTypes
import OpenAICompatibleProvider
import Testing

@Suite("OpenAI-compatible requests and answers")
struct RequestTests {
    let key = APIKey(secret: "sk-test-secret-0000000001", id: KeyID(0))

    func json(_ request: TransportRequest) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    @Test("chat: path under the base URL's prefix, Bearer key in a header only, every field on the wire")
    func chatRequest() throws {
        let provider = OpenAICompatibleProvider(OpenAICompatibleProvider.Configuration(
            baseURL: "https://proxy.example/openai/v1/", extraHeaders: ["OpenAI-Project": "proj_1"], modelNames: ["fast": "gpt-4o-mini"]))
        let chat = ChatRequest(
            model: "fast", messages: [.system("Be brief."), .user("Hi"), .assistant("Hello")], temperature: 0.5, maxTokens: 64,
            stop: ["\n\n"], jsonObject: true, toolsJSON: #"[{"type":"function","function":{"name":"f","parameters":{}}}]"#,
            toolChoiceJSON: #""auto""#)
        let request = try provider.makeRequest(.chat(chat), key: key)
        #expect(request.head.method == .post)
        #expect(request.head.authority == "proxy.example")
        #expect(request.head.path == "/openai/v1/chat/completions")
        #expect(request.head.headerFields[.authorization] == "Bearer \(key.revealSecret())")
        #expect(request.head.headerFields[HTTPField.Name("OpenAI-Project")!] == "proj_1")
        #expect(!(request.head.path ?? "").contains(key.revealSecret()))
        let body = try json(request)
        #expect(body["model"] as? String == "gpt-4o-mini")
        #expect((body["messages"] as? [[String: Any]])?.map { $0["role"] as? String } == ["system", "user", "assistant"])
        #expect(body["temperature"] as? Double == 0.5 && body["max_tokens"] as? Int == 64)
        #expect(body["stop"] as? [String] == ["\n\n"])
        #expect((body["response_format"] as? [String: String]) == ["type": "json_object"])
        #expect((body["tools"] as? [[String: Any]])?.first?["type"] as? String == "function")
        #expect(body["tool_choice"] as? String == "auto")
        #expect(body["stream"] == nil)
    }

    @Test("a streamed chat asks for SSE and the usage chunk")
    func streamRequest() throws {
        let provider = OpenAICompatibleProvider(.local("http://127.0.0.1:8000/v1"))
        let request = try provider.makeStreamingRequest(.chat(ChatRequest(model: "m", messages: [.user("x")])), key: key)
        let body = try json(request)
        #expect(body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Bool]) == ["include_usage": true])
        #expect(request.head.headerFields[.accept] == "text/event-stream")
    }

    @Test("embeddings and models")
    func otherEndpoints() throws {
        let provider = OpenAICompatibleProvider(.geminiOpenAI(base: "http://127.0.0.1:1234"))
        let embed = try provider.makeRequest(.embeddings(EmbeddingsRequest(model: "text-embedding-004", input: ["a", "b"])), key: key)
        #expect(embed.head.path == "/v1beta/openai/embeddings")
        #expect(try json(embed)["encoding_format"] as? String == "float")
        let models = try provider.makeRequest(.models, key: key)
        #expect(models.head.method == .get && models.head.path == "/v1beta/openai/models" && models.body.isEmpty)
    }

    @Test("bad settings fail at build with their reason; bad requests before sending", arguments: ["not a url", "ftp://x/v1", "https://u:p@x/v1", "https://x/v1?key=1"])
    func badBaseURL(_ url: String) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try Gateway.builder().keys(["sk-test-secret-0000000001"]).transport(NeverTransport())
                .provider(.openAICompatible(.local(url))).build()
        }
        #expect("\(try #require(error))".contains("invalid base URL"))
    }

    @Test("requests that cannot be encoded", arguments: [
        ChatRequest(model: "m", messages: [.user("x")], temperature: 3),
        ChatRequest(model: "m", messages: [.user("x")], stop: ["a", "b", "c", "d", "e"]),
        ChatRequest(model: "m", messages: [.user("x")], toolsJSON: "[not json"),
        ChatRequest(model: "", messages: [.user("x")]),
    ])
    func unencodable(_ chat: ChatRequest) {
        let provider = OpenAICompatibleProvider(.local("http://127.0.0.1:8000/v1"))
        #expect(throws: OpenAIError.self) { try provider.makeRequest(.chat(chat), key: key) }
    }

    @Test("answers decode: chat, usage, tool calls, embeddings in input order, models")
    func answers() throws {
        let provider = OpenAICompatibleProvider(.local("http://127.0.0.1:8000/v1"))
        func parse(_ body: String, _ request: OpenAIRequest) throws -> OpenAIResponse {
            try provider.parse(TransportResponse(head: HTTPResponse(status: .ok), body: Array(body.utf8)), for: request).get()
        }
        let chatBody = #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29}}"#
        let chat = try #require(try parse(chatBody, .chat(ChatRequest(model: "m", messages: [.user("x")]))).chat)
        #expect(chat.text == "Hello!" && chat.finishReason == "stop" && chat.usage?.totalTokens == 29)
        #expect(chat.choices.first?.message?.toolCalls?.first?.function?.arguments == #"{"a":1}"#)
        #expect(provider.tokensUsed(by: .chat(chat)) == 29)
        let embeddings = try #require(try parse(#"{"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5]},{"object":"embedding","index":0,"embedding":[0.25,1]}],"model":"e"}"#, .embeddings(EmbeddingsRequest(model: "e", input: ["a", "b"]))).embeddings)
        #expect(embeddings.vectors == [[0.25, 1], [0.5]])
        let models = try #require(try parse(#"{"object":"list","data":[{"id":"models/gemini-2.5-flash","object":"model","owned_by":"google"}]}"#, .models).models)
        #expect(models.data.map(\.id) == ["models/gemini-2.5-flash"])
    }

    @Test("the quota model is the mapped model: each model paced on its own")
    func quotaModel() {
        let provider = OpenAICompatibleProvider(OpenAICompatibleProvider.Configuration(baseURL: "http://x/v1", modelNames: ["fast": "gpt-4o-mini"]))
        #expect(provider.quotaModel(of: .chat(ChatRequest(model: "fast", messages: []))) == "gpt-4o-mini")
        #expect(provider.quotaModel(of: .models) == nil)
    }
}

/// A transport that is never called.
struct NeverTransport: Transport {
    func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse { throw CancellationError() }
}
