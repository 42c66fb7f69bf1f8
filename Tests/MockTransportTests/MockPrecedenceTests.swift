import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// Which script answers when several match (issue 15): the most specific, whatever the order of
/// registration — key, predicate, path, longest prefix, any — its queue first, then its default.
@Suite("MockTransport precedence", .timeLimit(.minutes(1)))
struct MockPrecedenceTests {
    let mock = MockTransport(clock: ManualClock())

    @Test("a key's default beats a queue for any request, registered before or after it")
    func keyDefaultBeatsBroadQueue() async throws {
        mock.enqueue(.status(200), .status(201))
        mock.setDefault(.status(400), when: .key("bad"))

        #expect(try await mock.status(of: makeRequest(key: "bad")) == 400)
        #expect(try await mock.status(of: makeRequest(key: "bad")) == 400)
        // The queue was left for the other key.
        #expect(try await mock.status(of: makeRequest(key: "good")) == 200)
        #expect(try await mock.status(of: makeRequest(key: "good")) == 201)
    }

    @Test("key over predicate over path over prefix over any, in every registration order", arguments: [false, true])
    func specificityOrder(reversed: Bool) async throws {
        let path = generatePathWithoutQuery
        var scripts: [(MockTransport.Match, Int)] = [
            (.any, 200), (.pathPrefix("/v1beta/"), 201), (.path(path), 202),
            (.custom { $0.head.method == .post }, 203), (.key("k1"), 204),
        ]
        if reversed { scripts.reverse() }
        for (match, status) in scripts { mock.setDefault(.status(status), when: match) }

        #expect(try await mock.status(of: makeRequest(key: "k1")) == 204)
        #expect(try await mock.status(of: makeRequest(key: "k2")) == 203)
        #expect(try await mock.status(of: makeRequest(method: .get, key: "k2")) == 202)
        #expect(try await mock.status(of: makeRequest(path: "/v1beta/models", method: .get)) == 201)
        #expect(try await mock.status(of: makeRequest(path: "/other", method: .get)) == 200)
    }

    @Test("the longer of two matching prefixes wins")
    func longestPrefix() async throws {
        mock.setDefault(.status(201), when: .pathPrefix("/v1beta/"))
        mock.setDefault(.status(202), when: .pathPrefix("/v1beta/models/"))
        mock.setDefault(.status(203), when: .pathPrefix("/v1"))

        #expect(try await mock.status(of: makeRequest(path: generatePath)) == 202)
        #expect(try await mock.status(of: makeRequest(path: "/v1beta/files")) == 201)
        #expect(try await mock.status(of: makeRequest(path: "/v1/x")) == 203)
    }

    @Test("within one script the queue comes before the default")
    func queueThenDefaultWithinAScript() async throws {
        mock.setDefault(.status(500), when: .key("k1"))
        mock.enqueue(.status(201), when: .key("k1"))

        #expect(try await mock.status(of: makeRequest(key: "k1")) == 201)
        #expect(try await mock.status(of: makeRequest(key: "k1")) == 500)
    }

    @Test("a specific script with nothing left passes the request down the list")
    func exhaustedSpecificFallsThrough() async throws {
        mock.enqueue(.status(201), when: .key("k1"))
        mock.setDefault(.status(299))

        #expect(try await mock.status(of: makeRequest(key: "k1")) == 201)
        #expect(try await mock.status(of: makeRequest(key: "k1")) == 299)
    }

    @Test("predicates of the same rank answer in registration order")
    func predicatesInOrder() async throws {
        mock.setDefault(.status(201), when: .custom { _ in true })
        mock.setDefault(.status(202), when: .custom { _ in true })

        #expect(try await mock.status(of: makeRequest()) == 201)
    }

    @Test("the handler answers only when no script has an answer")
    func handlerLast() async throws {
        mock.enqueue(.status(201), when: .path(generatePathWithoutQuery))
        mock.setHandler { _, _ in .status(299) }

        #expect(try await mock.status(of: makeRequest()) == 201)
        #expect(try await mock.status(of: makeRequest()) == 299)
    }
}
