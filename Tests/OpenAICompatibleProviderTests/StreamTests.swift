import Foundation
import GatewayCore
import OpenAICompatibleProvider
import Testing

@Suite("OpenAI-compatible streams decode on every split")
struct StreamTests {
    static let body = """
    : keep-alive

    data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Héllo"},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" wörld"},"finish_reason":null}]}

    data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

    data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

    data: [DONE]


    """

    let provider = OpenAICompatibleProvider(.local("http://127.0.0.1:8000/v1"))

    func decode(_ body: String, splitAt split: Int? = nil) -> (text: String, usage: Int?, failure: Failure?, events: Int) {
        var decoder = provider.makeEventDecoder(for: .chat(ChatRequest(model: "m", messages: [])))
        let bytes = Array(body.utf8)
        let pieces = split.map { [Array(bytes[..<$0]), Array(bytes[$0...])] } ?? [bytes]
        var events: [ChatCompletionChunk] = []
        var failure: Failure?
        for piece in pieces {
            let decoded = decoder.feed(piece)
            events += decoded.events
            failure = failure ?? decoded.failure
        }
        let last = decoder.finish()
        events += last.events
        failure = failure ?? last.failure
        return (events.compactMap(\.text).joined(), events.compactMap(\.usage).last?.totalTokens, failure, events.count)
    }

    @Test("one piece or two, at every byte: the same text, the usage, no failure")
    func everySplit() {
        let whole = decode(Self.body)
        #expect(whole.text == "Héllo wörld" && whole.usage == 11 && whole.failure == nil && whole.events == 5)
        for split in 1..<Self.body.utf8.count {
            let decoded = decode(Self.body, splitAt: split)
            #expect(decoded.text == whole.text && decoded.usage == 11 && decoded.failure == nil, "split at \(split)")
        }
    }

    @Test("a clean end without [DONE] after a finish reason is complete")
    func noDone() {
        let body = Self.body.replacingOccurrences(of: "data: [DONE]", with: "")
        #expect(decode(body).failure == nil)
    }

    @Test("a stream cut before any finish is a connection failure")
    func cut() {
        let lines = Self.body.components(separatedBy: "\n\n")
        #expect(decode(lines.prefix(3).joined(separator: "\n\n") + "\n\n").failure?.kind == .connectionFailure)
        #expect(decode(String(Self.body.prefix(300))).failure?.kind == .connectionFailure)
    }

    @Test("an error event after a 200 is classified; a content_filter finish is blocked")
    func errorEvents() {
        let error = "data: {\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\",\"code\":\"server_is_overloaded\"}}\n\n"
        #expect(decode(error).failure?.kind == .serverError(status: 500))
        let filtered = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"content_filter\"}]}\n\n"
        let decoded = decode(filtered)
        #expect(decoded.failure?.kind == .blocked(reason: "content_filter") && decoded.events == 1)
        #expect(decode("data: {not json}\n\n").failure?.kind == .serverError(status: 200))
    }
}
