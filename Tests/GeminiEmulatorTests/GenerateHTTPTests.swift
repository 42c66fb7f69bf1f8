#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes
import Testing

@Suite("Emulator over HTTP: generate, stream and the other methods", .timeLimit(.minutes(1)))
struct GenerateHTTPTests {
    @Test("generateContent answers with a candidate, usage, model version and response id")
    func generate() async throws {
        try await Harness.with { harness in
            let response = try await harness.generate(json: Harness.prompt("What is the capital of Wyoming?"))
            #expect(response.status == 200)
            #expect(response.contentType == "application/json; charset=UTF-8")
            let body = JSON.object(response.body)
            #expect(JSON.text(body) == "Emulated answer to: What is the capital of Wyoming?")
            #expect(JSON.candidate(body)?["finishReason"] as? String == "STOP")
            #expect((JSON.candidate(body)?["content"] as? [String: Any])?["role"] as? String == "model")
            let usage = try #require(body?["usageMetadata"] as? [String: Any])
            let prompt = try #require(usage["promptTokenCount"] as? Int)
            let candidates = try #require(usage["candidatesTokenCount"] as? Int)
            #expect(prompt == 8)  // 31 characters / 4, rounded up
            #expect(candidates == 9)  // one token per word
            #expect(usage["totalTokenCount"] as? Int == prompt + candidates)
            #expect(body?["modelVersion"] as? String == "gemini-2.5-flash")
            #expect((body?["responseId"] as? String)?.count == 22)
        }
    }

    @Test("the answer quotes the last user turn, cut to 60 characters; snake_case fields work")
    func lastUserTurn() async throws {
        try await Harness.with { harness in
            let long = String(repeating: "abcdefghij", count: 10)
            let json = """
                {"system_instruction":{"parts":[{"text":"Be brief."}]},
                 "contents":[{"role":"user","parts":[{"text":"first question"}]},{"role":"model","parts":[{"text":"an answer"}]},
                             {"role":"user","parts":[{"text":"\(long)"}]}],
                 "generation_config":{"temperature":0.2}}
                """
            let request = harness.request(.post, "/v1/models/gemini-2.0-flash:generateContent", key: Harness.key, body: Array(json.utf8))
            let response = try await harness.transport.send(request)
            #expect(response.status == 200)
            #expect(JSON.text(JSON.object(response.body)) == "Emulated answer to: " + long.prefix(60))
        }
    }

    @Test("a key in the URL is refused with a 400 that names the header, even a valid key")
    func keyInURLRefused() async throws {
        try await Harness.with { harness in
            let json = #"{"contents":[{"parts":[{"text":"hi"}]}]}"#
            let request = harness.request(.post, "/v1/models/gemini-2.0-flash:generateContent?key=\(Harness.key)", key: nil, body: Array(json.utf8))
            let response = try await harness.transport.send(request)
            #expect(response.status == 400)
            let message = ((JSON.object(response.body)?["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("x-goog-api-key"))
            #expect(!message.contains(Harness.key))
        }
    }

    @Test("maxOutputTokens cuts the answer by words and finishes with MAX_TOKENS")
    func maxOutputTokens() async throws {
        try await Harness.with { harness in
            let json = #"{"contents":[{"parts":[{"text":"one two three four"}]}],"generationConfig":{"maxOutputTokens":3}}"#
            let body = JSON.object(try await harness.generate(json: json).body)
            #expect(JSON.text(body) == "Emulated answer to:")
            #expect(JSON.candidate(body)?["finishReason"] as? String == "MAX_TOKENS")
            #expect((body?["usageMetadata"] as? [String: Any])?["candidatesTokenCount"] as? Int == 3)
        }
    }

    @Test("proto3 JSON: null means unset and an int32 may be a string")
    func proto3Leniency() async throws {
        try await Harness.with { harness in
            let json = #"{"contents":[{"parts":[{"text":"one two three"}]}],"systemInstruction":null,"generationConfig":{"maxOutputTokens":"2"}}"#
            let response = try await harness.generate(json: json)
            #expect(response.status == 200)
            #expect(JSON.text(JSON.object(response.body)) == "Emulated answer")
            #expect(try await harness.generate(json: #"{"contents":[{"parts":[{"text":"x"}]}],"generationConfig":{"maxOutputTokens":"many"}}"#).status == 400)
        }
    }

    @Test("streamGenerateContent?alt=sse sends CRLF-framed data events with deltas and cumulative usage")
    func stream() async throws {
        try await Harness.with { harness in
            let request = harness.request(.post, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", key: Harness.key, body: Array(Harness.prompt("Tell me a story about a dragon").utf8))
            let response = try await harness.transport.stream(request)
            #expect(response.head.status.code == 200)
            #expect(response.head.headerFields[.contentType] == "text/event-stream")
            var chunks: [[UInt8]] = []
            for try await chunk in response.body { chunks.append(chunk) }
            #expect(chunks.count >= 2, "events are flushed separately")
            let text = String(decoding: chunks.joined(), as: UTF8.self)
            #expect(text.hasPrefix("data: {"))
            #expect(text.hasSuffix("}\r\n\r\n"))
            let events = sseEvents(text).map { JSON.object(Array($0.utf8)) }
            #expect(events.count == 3)
            #expect(events.allSatisfy { $0 != nil })
            #expect(events.compactMap { JSON.text($0) }.joined() == "Emulated answer to: Tell me a story about a dragon")
            let counts = events.compactMap { ($0?["usageMetadata"] as? [String: Any])?["candidatesTokenCount"] as? Int }
            #expect(counts == counts.sorted() && counts.last == 10)  // one token per word
            #expect(events.dropLast().allSatisfy { JSON.candidate($0)?["finishReason"] == nil })
            #expect(JSON.candidate(events.last ?? nil)?["finishReason"] as? String == "STOP")
        }
    }

    @Test("without alt=sse the stream is one JSON array")
    func streamArray() async throws {
        try await Harness.with { harness in
            let response = try await harness.post("streamGenerateContent")
            #expect(response.status == 200)
            let array = try #require((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [[String: Any]])
            #expect(array.count == 3)
            #expect(array.compactMap { JSON.text($0) }.joined() == "Emulated answer to: Hello")
        }
    }

    @Test("countTokens, embedContent and batchEmbedContents")
    func otherMethods() async throws {
        try await Harness.with { harness in
            let count = try await harness.post("countTokens", json: Harness.prompt("12345678"))
            #expect(count.status == 200)
            #expect(JSON.object(count.body)?["totalTokens"] as? Int == 2)
            let nested = try await harness.post("countTokens", json: #"{"generateContentRequest":{"model":"models/gemini-2.5-flash","contents":[{"parts":[{"text":"123"}]}]}}"#)
            #expect(JSON.object(nested.body)?["totalTokens"] as? Int == 1)

            let embed = try await harness.post("embedContent", model: "text-embedding-004", json: #"{"content":{"parts":[{"text":"hello"}]}}"#)
            #expect(embed.status == 200)
            let values = try #require((JSON.object(embed.body)?["embedding"] as? [String: Any])?["values"] as? [Double])
            #expect(values.count == 8)
            #expect(values.allSatisfy { (-1...1).contains($0) })
            let again = try await harness.post("embedContent", model: "text-embedding-004", json: #"{"content":{"parts":[{"text":"hello"}]}}"#)
            #expect((JSON.object(again.body)?["embedding"] as? [String: Any])?["values"] as? [Double] == values, "embeddings are deterministic")

            let batch = try await harness.post("batchEmbedContents", model: "gemini-embedding-001", json: """
                {"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]}},
                             {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]},"outputDimensionality":4}]}
                """)
            #expect(batch.status == 200)
            let embeddings = try #require(JSON.object(batch.body)?["embeddings"] as? [[String: Any]])
            #expect(embeddings.map { ($0["values"] as? [Double])?.count } == [8, 4])

            let mismatch = try await harness.post("batchEmbedContents", model: "gemini-embedding-001", json: #"{"requests":[{"model":"models/other","content":{"parts":[{"text":"a"}]}}]}"#)
            #expect(mismatch.status == 400)
        }
    }

    @Test("the models list and one model; unknown models and unsupported methods are 404")
    func models() async throws {
        try await Harness.with(Harness.configuration(quotas: ["*": ModelQuota(rpm: 5), "gemini-9-ultra": ModelQuota(rpm: 1)])) { harness in
            let list = try await harness.get("/v1beta/models")
            #expect(list.status == 200)
            let models = try #require(JSON.object(list.body)?["models"] as? [[String: Any]])
            let names = models.compactMap { $0["name"] as? String }
            for id in ["gemini-2.5-flash-lite", "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash", "text-embedding-004", "gemini-embedding-001", "gemini-9-ultra"] {
                #expect(names.contains("models/\(id)"))
            }
            #expect(models.allSatisfy { $0["displayName"] is String && $0["inputTokenLimit"] is Int && $0["outputTokenLimit"] is Int && $0["supportedGenerationMethods"] is [String] })

            let one = try await harness.get("/v1beta/models/gemini-2.5-pro")
            #expect(JSON.object(one.body)?["name"] as? String == "models/gemini-2.5-pro")
            #expect(try await harness.generate(model: "gemini-9-ultra").status == 200, "models named in the quotas are served")

            let unknown = try await harness.generate(model: "gemini-5.0-flash")
            #expect(unknown.status == 404)
            #expect(JSON.error(unknown.body)?["status"] as? String == "NOT_FOUND")
            #expect(JSON.error(unknown.body)?["message"] as? String == "models/gemini-5.0-flash is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.")
            #expect(try await harness.get("/v1beta/models/gemini-5.0-flash").status == 404)
            #expect(try await harness.generate(model: "text-embedding-004").status == 404, "an embedding model cannot generate")
            #expect(try await harness.get("/v1beta/tunedModels").status == 404)
        }
    }
}
#endif
