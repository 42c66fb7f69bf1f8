import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// Streamed bodies, cut streams, and what `send` returns for plain responses.
@Suite("MockTransport streaming and responses", .timeLimit(.minutes(1)))
struct MockStreamingTests {
    let mock = MockTransport(clock: ManualClock())

    @Test("stream returns the head and then the chunks in order")
    func streamChunksInOrder() async throws {
        mock.enqueue(.stream(["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"], status: 206))

        let response = try await mock.stream(makeRequest())
        #expect(response.head.status.code == 206)
        let (chunks, error) = await drain(response.body)
        #expect(chunks == ["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"])
        #expect(error == nil)
    }

    @Test("a cut stream yields its chunks, then throws")
    func cutStream() async throws {
        mock.enqueue(.stream(["a", "b"], cutWith: TransportError.connectionReset()))

        let response = try await mock.stream(makeRequest())
        #expect(response.head.status.code == 200)
        let (chunks, error) = await drain(response.body)
        #expect(chunks == ["a", "b"])
        let transportError = try #require(error as? TransportError)
        #expect(transportError == TransportError.connectionReset())
    }

    @Test("send on a cut stream throws the stream's error")
    func sendOnCutStream() async throws {
        mock.enqueue(.stream(["a"], cutWith: TransportError.connectionReset()))

        await #expect(throws: TransportError.connectionReset()) { try await mock.send(makeRequest()) }
        #expect(mock.inFlight == 0)
    }

    @Test("each stream() call gets its own body sequence")
    func streamsAreIndependent() async throws {
        mock.setDefault(.stream(["x", "y"]))

        let first = try await mock.stream(makeRequest())
        let second = try await mock.stream(makeRequest())
        #expect(await drain(first.body).chunks == ["x", "y"])
        #expect(await drain(second.body).chunks == ["x", "y"])
    }

    @Test("send on a plain response returns status, content type and body bytes")
    func sendPlain() async throws {
        mock.enqueue(.json(#"{"ok":true}"#, status: 201), .text("hé", contentType: "text/plain; charset=utf-8"))

        let json = try await mock.send(makeRequest())
        #expect(json.status == 201)
        #expect(json.head.headerFields[.contentType] == "application/json; charset=UTF-8")
        #expect(json.body == Array(#"{"ok":true}"#.utf8))

        let text = try await mock.send(makeRequest())
        #expect(text.status == 200)
        #expect(text.head.headerFields[.contentType] == "text/plain; charset=utf-8")
        #expect(text.body == [0x68, 0xC3, 0xA9])
    }

    @Test("send joins a multi-chunk body; stream splits a plain body into one chunk")
    func sendAndStreamAgree() async throws {
        mock.enqueue(.stream(["ab", "cd", "e"]), .text("whole"))

        #expect(try await mock.send(makeRequest()).text == "abcde")
        let streamed = try await mock.stream(makeRequest())
        #expect(streamed.head.headerFields[.contentType] == "text/plain")
        #expect(await drain(streamed.body).chunks == ["whole"])
    }

    @Test("custom headers and an empty status response pass through")
    func customHeadersAndStatus() async throws {
        var headers = HTTPFields()
        headers[.retryAfter] = "7"
        mock.enqueue(MockResponse(status: 429, headers: headers), .status(204))

        let limited = try await mock.send(makeRequest())
        #expect(limited.status == 429)
        #expect(limited.head.headerFields[.retryAfter] == "7")
        #expect(limited.body.isEmpty)

        let empty = try await mock.send(makeRequest())
        #expect(empty.status == 204)
        #expect(empty.body.isEmpty)
        #expect(empty.head.headerFields[.contentType] == nil)
    }
}
