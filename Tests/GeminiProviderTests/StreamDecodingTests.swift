import GatewayCore
import GeminiProvider
import Testing

/// The `alt=sse` decoder is a pure function over bytes: any split, any garbage, a typed result.
@Suite("Stream decoding")
struct StreamDecodingTests {
    /// Two chunks as recorded from the live API (CRLF framing, text deltas, a final finishReason).
    static let recorded = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"The\"}],\"role\": \"model\"}}],\"usageMetadata\": {\"promptTokenCount\": 7,\"totalTokenCount\": 7},\"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n"
        + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" is **Cheyenne**.\\n\"}],\"role\": \"model\"},\"finishReason\": \"STOP\"}],\"usageMetadata\": {\"promptTokenCount\": 7,\"candidatesTokenCount\": 10,\"totalTokenCount\": 17},\"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n"

    func decoder() -> GeminiEventDecoder { GeminiProvider.fixed().makeEventDecoder(for: .plain) }

    /// Feeds `bytes` in pieces of `size` and finishes.
    func decodeAll(_ bytes: [UInt8], pieceSize size: Int) -> (events: [GenerateContentResponse], failure: Failure?) {
        var decoder = decoder()
        var events: [GenerateContentResponse] = []
        var start = 0
        while start < bytes.count {
            let piece = Array(bytes[start..<min(start + size, bytes.count)])
            start += size
            let decoded = decoder.feed(piece)
            events += decoded.events
            if let failure = decoded.failure { return (events, failure) }
        }
        let last = decoder.finish()
        return (events + last.events, last.failure)
    }

    @Test("a recorded stream decodes to its chunks, however the bytes are split", arguments: [1, 2, 3, 7, 64, 100_000])
    func recordedStream(pieceSize: Int) {
        let (events, failure) = decodeAll(Array(Self.recorded.utf8), pieceSize: pieceSize)
        #expect(failure == nil)
        #expect(events.count == 2)
        #expect(events.compactMap(\.text).joined() == "The is **Cheyenne**.\n")
        #expect(events.last?.candidates?.first?.finishReason == .stop)
        #expect(events.last?.usageMetadata?.totalTokenCount == 17)
    }

    @Test("LF and CR line endings, comments, event/id fields and multi-line data are handled")
    func framingVariants() {
        let lf = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}\n\n"
        let cr = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}\r\r"
        let extras = ": keep-alive\nevent: message\nid: 7\ndata: {\"candidates\":\ndata: [{\"content\":{\"parts\":[{\"text\":\"c\"}]},\"finishReason\":\"STOP\"}]}\n\n"
        let (events, failure) = decodeAll(Array((lf + cr + extras).utf8), pieceSize: 5)
        #expect(failure == nil)
        #expect(events.compactMap(\.text) == ["a", "b", "c"])
    }

    @Test("an error event after a chunk: the chunk, then the classified failure")
    func errorEvent() {
        let body = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"First \"}]}}]}\r\n\r\n"
            + "data: {\"error\":{\"code\":500,\"message\":\"An internal error has occurred.\",\"status\":\"INTERNAL\"}}\r\n\r\n"
        let (events, failure) = decodeAll(Array(body.utf8), pieceSize: 1_000)
        #expect(events.count == 1)
        #expect(failure?.kind == .serverError(status: 500))
    }

    @Test("Google's fixture: bare pretty-printed JSON after two events is the stream's error")
    func bareErrorAfterEvents() {
        let body = "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"First \"}]}}]}\r\n\r\n"
            + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Second \"}]}}]}\r\n\r\n"
            + "{\n  \"error\": { \"code\": 429, \"message\": \"Resource has been exhausted (e.g. check quota).\", \"status\": \"RESOURCE_EXHAUSTED\" }\n}\n"
        let (events, failure) = decodeAll(Array(body.utf8), pieceSize: 9)
        #expect(events.compactMap(\.text) == ["First ", "Second "])
        guard case .rateLimited? = failure?.kind else {
            Issue.record("expected a rate limit, got \(String(describing: failure))")
            return
        }
    }

    @Test("a body cut in the middle of an event is a connection failure, not a crash")
    func cutMidEvent() {
        let whole = Array(Self.recorded.utf8)
        let firstEventEnd = Self.recorded.utf8.count / 2 + 40
        let (events, failure) = decodeAll(Array(whole[..<firstEventEnd]), pieceSize: 13)
        #expect(events.count == 1)
        #expect(failure?.kind == .connectionFailure)
    }

    @Test("a first event with only promptFeedback.blockReason is a blocked failure")
    func blockedPrompt() {
        let body = "data: {\"promptFeedback\": {\"blockReason\": \"SAFETY\"}}\r\n\r\n"
        let (events, failure) = decodeAll(Array(body.utf8), pieceSize: 4)
        #expect(events.isEmpty)
        #expect(failure?.kind == .blocked(reason: "SAFETY"))
    }

    @Test("an event that is not JSON is a server error carrying a snippet")
    func garbageEvent() {
        let (events, failure) = decodeAll(Array("data: <html>oops</html>\n\n".utf8), pieceSize: 3)
        #expect(events.isEmpty)
        #expect(failure?.kind == .serverError(status: 200))
        #expect(failure?.message.contains("oops") == true)
    }

    @Test("an endless line past the size limit stops with a typed failure")
    func oversizedEvent() {
        var decoder = decoder()
        var failure: Failure?
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        _ = decoder.feed(Array("data: ".utf8))
        for _ in 0..<10 where failure == nil { failure = decoder.feed(piece).failure }
        #expect(failure?.message.contains("larger than") == true)
        #expect(decoder.feed(piece).events.isEmpty)  // nothing after a failure
    }

    @Test("every truncation of a recorded stream gives events or a typed failure")
    func everyTruncation() {
        let whole = Array(Self.recorded.utf8)
        for end in 0...whole.count {
            let (events, failure) = decodeAll(Array(whole[..<end]), pieceSize: 17)
            #expect(events.count <= 2)
            if end == whole.count { #expect(failure == nil && events.count == 2) }
        }
    }

    @Test("random bytes never trap", arguments: [1, 2, 3, 4])
    func randomBytes(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        for _ in 0..<200 {
            let count = Int(random.next() % 400)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if random.next() % 2 == 0 { bytes = Array("data: ".utf8) + bytes + Array("\n\n".utf8) }
            let (events, _) = decodeAll(bytes, pieceSize: 1 + Int(random.next() % 50))
            // Random bytes are not JSON chunks: at most an accidental `{}` decodes.
            let framed = String(decoding: bytes, as: UTF8.self).contains("data:")
            #expect(framed || events.isEmpty)
        }
    }
}
