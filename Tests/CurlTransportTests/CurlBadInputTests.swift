import CurlTransport
import GatewayCore
import HTTPTestServer
import HTTPTypes
import Testing
import TransportConformance

/// Servers that misbehave: every case ends in a typed error or a correct answer, never a crash,
/// and the driver's live handles return to 0.
@Suite("CurlTransport against misbehaving servers", .timeLimit(.minutes(1)))
struct CurlBadInputTests {
    func withServer(
        _ configuration: CurlConfiguration = CurlConfiguration(),
        _ body: (CurlTransport, String) async throws -> Void
    ) async throws {
        let server = HTTPTestServer()
        let port = try server.start()
        defer { server.stop() }
        try await CurlTransport.withTransport(configuration: configuration) { transport in
            try await body(transport, "127.0.0.1:\(port)")
            try await waitUntil { transport.liveHandles == 0 }
        }
    }

    func get(_ authority: String, _ path: String, timeout: Duration? = nil) -> TransportRequest {
        TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: path), timeout: timeout)
    }

    func expectTransportError(_ kind: TransportError, _ call: () async throws -> TransportResponse) async {
        do {
            let response = try await call()
            Issue.record("expected \(kind.shortDescription), got HTTP \(response.status) with \(response.body.count) bytes")
        } catch let error as TransportError {
            #expect(error.isSameKind(as: kind), "expected \(kind.shortDescription), got \(error)")
        } catch {
            Issue.record("expected a TransportError, got \(error)")
        }
    }

    @Test("a server that closes mid-body: connection reset")
    func closesMidBody() async throws {
        try await withServer { transport, authority in
            await expectTransportError(.connectionReset()) { try await transport.send(get(authority, "/bad/close-mid-body")) }
        }
    }

    @Test("malformed headers and garbage replies: malformed response")
    func malformed() async throws {
        try await withServer { transport, authority in
            for path in ["/bad/malformed-headers", "/bad/garbage"] {
                do {
                    let response = try await transport.send(get(authority, path))
                    Issue.record("\(path) answered HTTP \(response.status)")
                } catch let error as TransportError {
                    #expect(error.isSameKind(as: .malformedResponse()) || error.isSameKind(as: .connectionReset()), "\(path): \(error)")
                }
            }
        }
    }

    @Test("an endless body stops at the size limit with a typed error")
    func endlessBody() async throws {
        try await withServer(CurlConfiguration(maxResponseBytes: 256 << 10)) { transport, authority in
            await expectTransportError(.responseTooLarge(limit: 0)) { try await transport.send(get(authority, "/bad/endless")) }
        }
    }

    @Test("a server that never answers: timeout")
    func neverAnswers() async throws {
        try await withServer { transport, authority in
            await expectTransportError(.timeout()) {
                try await transport.send(get(authority, "/bad/no-answer", timeout: .milliseconds(300)))
            }
        }
    }

    @Test("HTTP/1.0 without a length is read to the close")
    func http10WithoutLength() async throws {
        try await withServer { transport, authority in
            let response = try await transport.send(get(authority, "/bad/http10-no-length"))
            #expect(response.status == 200)
            #expect(response.body == Array(repeating: UInt8(ascii: "x"), count: 5000))
        }
    }

    @Test("a body slower than the total timeout: timeout")
    func slowBody() async throws {
        try await withServer { transport, authority in
            await expectTransportError(.timeout()) {
                try await transport.send(get(authority, "/bad/slow-body", timeout: .milliseconds(700)))
            }
        }
    }

    @Test("a body larger than the limit, announced up front: too large")
    func announcedTooLarge() async throws {
        try await withServer(CurlConfiguration(maxResponseBytes: 1000)) { transport, authority in
            await expectTransportError(.responseTooLarge(limit: 0)) { try await transport.send(get(authority, "/bytes/5000")) }
        }
    }

    @Test("nothing listening: connection refused")
    func refused() async throws {
        try await withServer { transport, _ in
            await expectTransportError(.connectionRefused()) { try await transport.send(get("127.0.0.1:1", "/")) }
        }
    }
}

@Suite("CurlTransport lifecycle and backpressure", .timeLimit(.minutes(1)))
struct CurlLifecycleTests {
    @Test("a slow reader pauses the transfer instead of buffering without bound")
    func backpressure() async throws {
        let server = HTTPTestServer()
        let port = try server.start()
        defer { server.stop() }
        let highWater = 64 << 10
        try await CurlTransport.withTransport(configuration: CurlConfiguration(maxResponseBytes: 1 << 30, streamHighWater: highWater)) { transport in
            let request = TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/bad/endless"))
            let streamed = try await transport.stream(request)
            var iterator = streamed.body.makeAsyncIterator()
            _ = try await iterator.next()
            // Settle: the count stops moving once the driver pauses the transfer (however long the
            // machine takes to get there), then must stay still over a further window.
            var paused = transport.bytesReceived
            let settleBy = ContinuousClock.now + .seconds(10)
            repeat {
                try await Task.sleep(for: .milliseconds(100))
                let now = transport.bytesReceived
                if now == paused { break }
                paused = now
            } while ContinuousClock.now < settleBy
            try await Task.sleep(for: .milliseconds(300))
            #expect(transport.bytesReceived == paused, "the transfer kept receiving while nobody read")
            #expect(paused <= highWater + (1 << 20), "buffered \(paused) bytes for a \(highWater)-byte high-water mark")
            var read = 0
            while read < 4 << 20, let chunk = try await iterator.next() { read += chunk.count }
            #expect(transport.bytesReceived > paused, "reading did not resume the transfer")
        }
    }

    @Test("shutdown fails in-flight exchanges with a typed error, and later ones at once")
    func shutdownFailsInFlight() async throws {
        let server = HTTPTestServer()
        let port = try server.start()
        defer { server.stop() }
        let transport = CurlTransport()
        let request = TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/delay/10000"))
        let call = Task { try await transport.send(request) }
        try await waitUntil { transport.liveHandles == 1 }
        transport.shutdown()
        do {
            _ = try await call.value
            Issue.record("an in-flight request survived shutdown")
        } catch let error as TransportError {
            #expect(error.isSameKind(as: .shutdown()))
        }
        #expect(transport.liveHandles == 0)
        do {
            _ = try await transport.send(request)
            Issue.record("a request after shutdown succeeded")
        } catch let error as TransportError {
            #expect(error.isSameKind(as: .shutdown()))
        }
        transport.shutdown()  // idempotent
    }

    @Test("an abandoned stream is stopped, not left paused")
    func abandonedStream() async throws {
        let server = HTTPTestServer()
        let port = try server.start()
        defer { server.stop() }
        try await CurlTransport.withTransport(configuration: CurlConfiguration(streamHighWater: 16 << 10)) { transport in
            do {
                let request = TransportRequest(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1:\(port)", path: "/bad/endless"))
                let streamed = try await transport.stream(request)
                var iterator = streamed.body.makeAsyncIterator()
                _ = try await iterator.next()
            }
            try await waitUntil { transport.liveHandles == 0 }
        }
    }
}
