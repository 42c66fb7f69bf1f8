import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// How scripts pick the response for a request: queue order, key, path, predicate, defaults, handler.
@Suite("MockTransport scripting", .timeLimit(.minutes(1)))
struct MockScriptingTests {
    let mock = MockTransport(clock: ManualClock())

    // MARK: Sequence

    @Test("enqueue answers in order, each response once")
    func sequenceIsOrderedAndOneShot() async throws {
        mock.enqueue(.status(201), .status(202))
        mock.enqueue([.status(203)])

        #expect(try await mock.status(of: makeRequest()) == 201)
        #expect(try await mock.status(of: makeRequest()) == 202)
        #expect(try await mock.status(of: makeRequest()) == 203)
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest()) }
    }

    // MARK: Key

    @Test("key scripts match the key in each supported header", arguments: KeyHeader.allCases)
    func keyMatchesHeader(_ header: KeyHeader) async throws {
        mock.enqueue(.status(201), when: .key("k1"))
        mock.enqueue(.status(202), when: .key("k2"))

        #expect(try await mock.status(of: makeRequest(key: "k2", via: header)) == 202)
        #expect(try await mock.status(of: makeRequest(key: "k1", via: header)) == 201)
        // Each key's queue is now empty: no fallback to the other key.
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest(key: "k1", via: header)) }
    }

    @Test("a request without the key does not match a key script")
    func keyDoesNotMatchOtherRequests() async throws {
        mock.enqueue(.status(201), when: .key("k1"))

        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest()) }
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest(key: "k1x")) }
        let basic: HTTPFields = [.authorization: "Basic k1"]
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest(headers: basic)) }
        #expect(try await mock.status(of: makeRequest(key: "k1")) == 201)
    }

    // MARK: Path

    @Test("path scripts compare the path without its query")
    func pathIgnoresQuery() async throws {
        mock.setDefault(.status(201), when: .path(generatePathWithoutQuery))

        #expect(try await mock.status(of: makeRequest(path: generatePath)) == 201)
        #expect(try await mock.status(of: makeRequest(path: generatePathWithoutQuery)) == 201)
        await #expect(throws: MockTransportError.self) {
            try await mock.send(makeRequest(path: "/v1beta/models/m:streamGenerateContent?alt=sse"))
        }
        await #expect(throws: MockTransportError.self) {
            try await mock.send(makeRequest(path: "/v1beta/models/m:generateContentX"))
        }
    }

    @Test("pathPrefix scripts match paths that start with the prefix")
    func pathPrefix() async throws {
        mock.setDefault(.status(201), when: .pathPrefix("/v1beta/models/"))
        mock.setDefault(.status(202), when: .pathPrefix("/v1/"))

        #expect(try await mock.status(of: makeRequest(path: generatePath)) == 201)
        #expect(try await mock.status(of: makeRequest(path: "/v1beta/models/other:countTokens?key=x")) == 201)
        #expect(try await mock.status(of: makeRequest(path: "/v1/chat/completions?stream=true")) == 202)
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest(path: "/v1beta/files")) }
    }

    // MARK: Predicate

    @Test("custom predicates see the whole request")
    func customPredicate() async throws {
        mock.setDefault(.status(201), when: .custom { String(decoding: $0.body, as: UTF8.self).contains("hello") })
        mock.setDefault(.status(202), when: .custom { $0.head.method == .get })

        #expect(try await mock.status(of: makeRequest(body: #"{"say":"hello"}"#)) == 201)
        #expect(try await mock.status(of: makeRequest(method: .get)) == 202)
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest(body: "bye")) }
    }

    // MARK: Defaults and handler

    @Test("setDefault answers every time once the queue is empty")
    func defaultAfterQueue() async throws {
        mock.setDefault(.status(204))
        mock.enqueue(.status(201))

        #expect(try await mock.status(of: makeRequest()) == 201)
        #expect(try await mock.status(of: makeRequest()) == 204)
        #expect(try await mock.status(of: makeRequest()) == 204)
    }

    @Test("a more specific default wins over a broader queue (issue 15)")
    func specificDefaultWinsOverQueue() async throws {
        mock.setDefault(.status(500), when: .key("k1"))
        mock.enqueue(.status(200))

        #expect(try await mock.status(of: makeRequest(key: "k1")) == 500)
        #expect(try await mock.status(of: makeRequest(key: "k2")) == 200)
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest(key: "k2")) }
    }

    @Test("setDefault replaces the previous default for the same match")
    func defaultReplaced() async throws {
        mock.setDefault(.status(201), when: .key("k1"))
        mock.setDefault(.status(202), when: .key("k1"))

        #expect(try await mock.status(of: makeRequest(key: "k1")) == 202)
    }

    @Test("the handler answers only unmatched requests, with their 1-based number")
    func handlerForUnmatched() async throws {
        mock.enqueue(.status(201), when: .path("/scripted"))
        mock.setHandler { request, number in
            .text("\(number) \(request.pathWithoutQuery)", status: 299)
        }

        let first = try await mock.send(makeRequest(path: "/other?x=1"))
        #expect(first.status == 299)
        #expect(first.text == "1 /other")
        #expect(try await mock.status(of: makeRequest(path: "/scripted")) == 201)
        let third = try await mock.send(makeRequest(path: "/scripted"))
        #expect(third.status == 299)
        #expect(third.text == "3 /scripted")
    }

    @Test("errors thrown by the handler reach the caller")
    func handlerThrows() async throws {
        mock.setHandler { _, _ in throw TransportError.dnsFailure("example.test") }

        await #expect(throws: TransportError.dnsFailure("example.test")) { try await mock.send(makeRequest()) }
        #expect(mock.inFlight == 0)
    }

    // MARK: Unscripted

    @Test("an unscripted request throws MockTransportError naming method and path")
    func unscriptedThrows() async throws {
        mock.enqueue(.status(200))
        _ = try await mock.send(makeRequest())

        let error = try #require(await #expect(throws: MockTransportError.self) {
            try await mock.send(makeRequest(path: generatePath))
        })
        #expect(error.path == generatePathWithoutQuery)
        #expect(error.method == "POST")
        #expect(error.number == 2)
        #expect(error.description.contains(generatePathWithoutQuery))
        #expect(!error.description.contains("alt=sse"))
    }
}
