import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// What the mock records about each request.
@Suite("MockTransport captured requests", .timeLimit(.minutes(1)))
struct MockCaptureTests {
    let clock = ManualClock()
    let mock: MockTransport

    init() { mock = MockTransport(clock: clock) }

    @Test("each request is recorded with number, path, body, key and arrival instant")
    func recordsRequests() async throws {
        mock.setDefault(.status(200))

        _ = try await mock.send(makeRequest(key: "k1", body: "one"))
        clock.advance(by: .seconds(2))
        _ = try await mock.send(makeRequest(path: "/v1/chat/completions?stream=true", key: "k2", via: .bearer, body: "two"))
        clock.advance(by: .milliseconds(1500))
        _ = try await mock.send(makeRequest(path: "/health", method: .get))

        let recorded = mock.requests
        try #require(recorded.count == 3)
        #expect(recorded.map(\.number) == [1, 2, 3])
        #expect(recorded.map(\.path) == [generatePathWithoutQuery, "/v1/chat/completions", "/health"])
        #expect(recorded.map(\.bodyText) == ["one", "two", ""])
        #expect(recorded.map(\.apiKey) == ["k1", "k2", nil])
        #expect(recorded.map(\.at.offset) == [.zero, .seconds(2), .milliseconds(3500)])
        #expect(recorded[2].request.head.method == .get)
        #expect(recorded[1].request.head.path == "/v1/chat/completions?stream=true")
        #expect(mock.requestCount == 3)
    }

    @Test("requests(withKey:) filters by the key in any supported header")
    func requestsWithKey() async throws {
        mock.setDefault(.status(200))

        _ = try await mock.send(makeRequest(key: "k1", via: .googAPIKey))
        _ = try await mock.send(makeRequest(key: "k2", via: .xAPIKey))
        _ = try await mock.send(makeRequest(key: "k1", via: .bearer))
        _ = try await mock.send(makeRequest())

        #expect(mock.requests(withKey: "k1").map(\.number) == [1, 3])
        #expect(mock.requests(withKey: "k2").map(\.number) == [2])
        #expect(mock.requests(withKey: "k3").isEmpty)
        #expect(mock.requestCount == 4)
    }

    @Test("requests that fail are still recorded")
    func failedRequestsAreRecorded() async throws {
        mock.enqueue(.failure(TransportError.connectionRefused()))

        #expect(mock.requestCount == 0)
        await #expect(throws: TransportError.self) { try await mock.send(makeRequest(key: "k1")) }
        await #expect(throws: MockTransportError.self) { try await mock.send(makeRequest(key: "k1")) }
        #expect(mock.requestCount == 2)
        #expect(mock.requests(withKey: "k1").count == 2)
        #expect(mock.inFlight == 0)
    }

    @Test("inFlight counts a delayed exchange until it is answered")
    func inFlightDuringDelay() async throws {
        mock.enqueue(.status(200).delayed(by: .seconds(3)))
        #expect(mock.inFlight == 0)

        let task = Task { [mock] in try await mock.send(makeRequest()) }
        await clock.waitForSleepers(count: 1)
        #expect(mock.inFlight == 1)
        #expect(mock.requestCount == 1)

        clock.advance(by: .seconds(3))
        #expect(try await task.value.status == 200)
        #expect(mock.inFlight == 0)
    }
}
