#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes
import Testing

@Suite("Emulator over HTTP: the OpenAI-compatible chat, embeddings and models", .timeLimit(.minutes(1)))
struct OpenAIChatHTTPTests {
    @Test("chat/completions answers a chat.completion with the native answer's text and token counts")
    func chat() async throws {
        try await Harness.with { harness in
            let response = try await harness.chat(json: Harness.chatBody("What is the capital of Wyoming?"))
            #expect(response.status == 200)
            #expect(response.contentType == "application/json")
            let body = try #require(JSON.object(response.body))
            #expect(body["object"] as? String == "chat.completion")
            #expect((body["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(body["model"] as? String == "gemini-2.5-flash")
            #expect(body["created"] as? Int != nil)
            #expect(OpenAIJSON.content(body) == "Emulated answer to: What is the capital of Wyoming?")
            let choice = try #require(OpenAIJSON.choice(body))
            #expect(choice["finish_reason"] as? String == "stop")
            #expect((choice["message"] as? [String: Any])?["role"] as? String == "assistant")
            let usage = try #require(body["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 10)  // "Be brief." + the question: 40 characters / 4
            #expect(usage["completion_tokens"] as? Int == 9)  // one token per word
            #expect(usage["total_tokens"] as? Int == 19)

            let native = try await harness.generate(json: Harness.prompt("What is the capital of Wyoming?"))
            #expect(JSON.text(JSON.object(native.body)) == OpenAIJSON.content(body), "both surfaces give the same answer")
        }
    }

    @Test("max_tokens cuts the answer and the finish reason is length; a models/ prefix is accepted")
    func maxTokens() async throws {
        try await Harness.with { harness in
            let response = try await harness.chat(json: Harness.chatBody("Tell me a long story", model: "models/gemini-2.5-pro", extra: #","max_tokens":3"#))
            #expect(response.status == 200)
            let body = JSON.object(response.body)
            #expect(OpenAIJSON.content(body) == "Emulated answer to:")
            #expect(OpenAIJSON.choice(body)?["finish_reason"] as? String == "length")
            #expect((body?["usage"] as? [String: Any])?["completion_tokens"] as? Int == 3)
        }
    }

    @Test("stream: true sends data: events, role then content deltas then the finish, ending with data: [DONE]")
    func streamFraming() async throws {
        try await Harness.with { harness in
            let request = harness.openAIRequest(.post, "chat/completions", key: Harness.key, json: Harness.chatBody("Tell me a story about a dragon", extra: #","stream":true"#))
            let response = try await harness.transport.stream(request)
            #expect(response.head.status.code == 200)
            #expect(response.head.headerFields[.contentType] == "text/event-stream; charset=utf-8")
            var chunks: [[UInt8]] = []
            for try await chunk in response.body { chunks.append(chunk) }
            #expect(chunks.count >= 3, "events are flushed separately")
            let (payloads, wellFramed) = openAIEvents(String(decoding: chunks.joined(), as: UTF8.self))
            #expect(wellFramed, "each event is one data: line and a blank line")
            #expect(payloads.last == "[DONE]")
            let events = payloads.dropLast().map { JSON.object(Array($0.utf8)) }
            #expect(events.count == 4, "three content deltas and the finish")
            #expect(events.allSatisfy { $0?["object"] as? String == "chat.completion.chunk" })
            #expect(Set(events.compactMap { $0?["id"] as? String }).count == 1, "one id on every chunk")
            #expect(events.allSatisfy { $0?["usage"] == nil }, "no usage without include_usage")
            let deltas = events.map { OpenAIJSON.choice($0)?["delta"] as? [String: Any] }
            #expect(deltas.first??["role"] as? String == "assistant")
            #expect(deltas.compactMap { $0?["content"] as? String }.joined() == "Emulated answer to: Tell me a story about a dragon")
            #expect(events.dropLast().allSatisfy { OpenAIJSON.choice($0)?["finish_reason"] is NSNull })
            #expect(OpenAIJSON.choice(events.last ?? nil)?["finish_reason"] as? String == "stop")
            #expect(deltas.last??.isEmpty == true)
        }
    }

    @Test("stream_options.include_usage adds a last chunk with choices [] and the usage; earlier chunks say usage null")
    func streamUsage() async throws {
        try await Harness.with { harness in
            let response = try await harness.chat(json: Harness.chatBody("Hello there", extra: #","stream":true,"stream_options":{"include_usage":true}"#))
            #expect(response.status == 200)
            let (payloads, wellFramed) = openAIEvents(response.text)
            #expect(wellFramed)
            #expect(payloads.last == "[DONE]")
            let events = payloads.dropLast().map { JSON.object(Array($0.utf8)) }
            let last = try #require(events.last ?? nil)
            #expect((last["choices"] as? [Any])?.isEmpty == true)
            let usage = try #require(last["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 5)  // "Be brief." + "Hello there": 20 characters / 4
            #expect(usage["completion_tokens"] as? Int == 5)
            #expect(usage["total_tokens"] as? Int == 10)
            #expect(events.dropLast().allSatisfy { $0?["usage"] is NSNull })
        }
    }

    @Test("stream_options without stream is a 400")
    func streamOptionsWithoutStream() async throws {
        try await Harness.with { harness in
            let response = try await harness.chat(json: Harness.chatBody("Hi", extra: #","stream_options":{"include_usage":true}"#))
            #expect(response.status == 400)
        }
    }

    @Test("a blocked or SAFETY draw answers 200 with finish_reason content_filter and no content, streamed or not")
    func contentFilter() async throws {
        for faults in [FaultPlan(blockedPrompt: 1), FaultPlan(safety: 1)] {
            try await Harness.with(Harness.configuration(faults: faults)) { harness in
                let response = try await harness.chat()
                #expect(response.status == 200)
                let body = JSON.object(response.body)
                #expect(OpenAIJSON.choice(body)?["finish_reason"] as? String == "content_filter")
                #expect((OpenAIJSON.choice(body)?["message"] as? [String: Any])?["content"] is NSNull)

                let streamed = try await harness.chat(json: Harness.chatBody("Hi", extra: #","stream":true"#))
                #expect(streamed.status == 200)
                let (payloads, _) = openAIEvents(streamed.text)
                #expect(payloads.last == "[DONE]")
                let finishes = payloads.dropLast().compactMap { OpenAIJSON.choice(JSON.object(Array($0.utf8)))?["finish_reason"] as? String }
                #expect(finishes == ["content_filter"])
                #expect(harness.emulator.audit().key("main")?.faults == 2, "audited as faults, like the native surface")
            }
        }
    }

    @Test("a stream error fault sends one chunk, then a data: event with an error object, and no [DONE]")
    func streamError() async throws {
        try await Harness.with(Harness.configuration(faults: FaultPlan(streamError: 1))) { harness in
            let response = try await harness.chat(json: Harness.chatBody("Hi there friend", extra: #","stream":true"#))
            #expect(response.status == 200)
            let (payloads, wellFramed) = openAIEvents(response.text)
            #expect(wellFramed)
            #expect(payloads.count == 2)
            #expect(JSON.error(Array((payloads.last ?? "").utf8))?["code"] as? Int == 500)
        }
    }

    @Test("embeddings answer floats, or little-endian float32 in base64 with the same values; arrays give one entry each")
    func embeddings() async throws {
        try await Harness.with { harness in
            let floats = try await harness.embeddings(json: #"{"model":"gemini-embedding-001","input":["first text","second"],"encoding_format":"float"}"#)
            #expect(floats.status == 200)
            #expect(floats.contentType == "application/json")
            let body = try #require(JSON.object(floats.body))
            #expect(body["object"] as? String == "list")
            let data = try #require(body["data"] as? [[String: Any]])
            #expect(data.map { $0["index"] as? Int } == [0, 1])
            #expect(data.allSatisfy { $0["object"] as? String == "embedding" })
            let values = try #require(data[0]["embedding"] as? [Double])
            #expect(values.count == 8)
            #expect((body["usage"] as? [String: Any])?["prompt_tokens"] as? Int == 5)  // 3 + 2

            let encoded = try await harness.embeddings(json: #"{"model":"models/gemini-embedding-001","input":"first text","encoding_format":"base64"}"#)
            #expect(encoded.status == 200)
            let text = try #require(((JSON.object(encoded.body)?["data"] as? [[String: Any]])?.first)?["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: text))
            #expect(bytes.count == 8 * 4)
            let decoded = stride(from: 0, to: bytes.count, by: 4).map { offset -> Float in
                var bits: UInt32 = 0
                for index in (0..<4).reversed() { bits = bits << 8 | UInt32(bytes[offset + index]) }
                return Float(bitPattern: bits)
            }
            #expect(decoded == values.map { Float($0) })

            let notEmbedding = try await harness.embeddings(json: #"{"model":"gemini-2.5-flash","input":"x"}"#)
            #expect(notEmbedding.status == 404, "a generative model cannot embed")
        }
    }

    @Test("models lists the catalogue with models/ ids; models/{id} answers one, with or without the prefix")
    func models() async throws {
        try await Harness.with { harness in
            let list = try await harness.openAIGet("models")
            #expect(list.status == 200)
            #expect(list.contentType == "application/json")
            let body = try #require(JSON.object(list.body))
            #expect(body["object"] as? String == "list")
            let data = try #require(body["data"] as? [[String: Any]])
            #expect(data.contains { $0["id"] as? String == "models/gemini-2.5-flash" })
            #expect(data.allSatisfy { $0["object"] as? String == "model" && $0["owned_by"] as? String == "google" && $0["created"] is Int })
            for path in ["models/gemini-2.5-pro", "models/models/gemini-2.5-pro"] {
                let one = try await harness.openAIGet(path)
                #expect(one.status == 200)
                #expect(JSON.object(one.body)?["id"] as? String == "models/gemini-2.5-pro")
            }
            #expect(try await harness.openAIGet("models/gemini-0-nothing").status == 404)
            #expect(try await harness.openAIGet("completions").status == 404, "no such endpoint")
        }
    }
}
#endif
