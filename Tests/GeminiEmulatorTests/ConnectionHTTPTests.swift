#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes
import Testing
import TransportConformance

@Suite("Emulator connections: keep-alive, pipelining, hang-ups, shutdown", .timeLimit(.minutes(1)))
struct ConnectionHTTPTests {
    private func rawRequest(_ path: String, body: String = Harness.prompt("Hi"), close: Bool = false) -> String {
        "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nx-goog-api-key: \(Harness.key)\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n\(close ? "connection: close\r\n" : "")\r\n\(body)"
    }

    @Test("sequential requests reuse one keep-alive connection")
    func keepAlive() async throws {
        try await Harness.with { harness throws in
            for _ in 0..<10 { #expect(try await harness.generate().status == 200) }
            #expect(harness.transport.statistics.connectionsOpened == 1)
        }
    }

    @Test("pipelined requests are answered in order on one connection")
    func pipelining() async throws {
        try await Harness.with { harness in
            let connection = try RawConnection(port: harness.emulator.port)
            let path = "/v1beta/models/gemini-2.5-flash:generateContent"
            connection.send(rawRequest(path, body: Harness.prompt("first")) + rawRequest(path, body: Harness.prompt("second")) + rawRequest("/v1beta/models/nope:generateContent", body: "{}", close: true))
            let (text, closed) = connection.read()
            #expect(closed)
            let statuses = text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
            #expect(statuses == ["200", "200", "404"])
            let first = try #require(text.range(of: "to: first"))
            let second = try #require(text.range(of: "to: second"))
            #expect(first.lowerBound < second.lowerBound)
        }
    }

    @Test("a client hanging up mid-stream leaves the server serving")
    func hangUpMidStream() async throws {
        var configuration = Harness.configuration()
        configuration.latencyMilliseconds = 100
        try await Harness.with(configuration) { harness in
            for _ in 0..<3 {
                let connection = try RawConnection(port: harness.emulator.port)
                connection.send(rawRequest("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body: Harness.prompt("a long story about dragons and knights")))
                _ = connection.read { $0.contains("data: ") }
                connection.hangUp()
            }
            // Hang up while the (delayed) reply is still scheduled.
            let delayed = try RawConnection(port: harness.emulator.port)
            delayed.send("GET /v1beta/models HTTP/1.1\r\nHost: x\r\nx-goog-api-key: \(Harness.key)\r\n\r\n")
            delayed.hangUp()
            // Once the server has seen every hang-up, its reply timer for the delayed request is
            // already scheduled and fires before the next request's (one event loop, in order).
            let emulator = harness.emulator
            try await waitUntil { emulator.liveConnections == 0 }
            #expect(try await harness.generate().status == 200)
        }
    }

    @Test("a request line the parser refuses is answered 400 and closed")
    func garbage() async throws {
        try await Harness.with { harness in
            let connection = try RawConnection(port: harness.emulator.port)
            connection.send("THIS IS NOT HTTP\r\n\r\n")
            let (text, closed) = connection.read()
            #expect(text.hasPrefix("HTTP/1.1 400"))
            #expect(closed)
        }
    }

    @Test("shutdown closes live connections and the listening socket, and is idempotent")
    func shutdown() async throws {
        let emulator = try await GeminiEmulator.start(Harness.configuration())
        let connection = try RawConnection(port: emulator.port)
        connection.send(rawRequest("/v1beta/models/gemini-2.5-flash:generateContent"))
        #expect(connection.read { $0.contains("\"responseId\"") }.text.hasPrefix("HTTP/1.1 200"))
        #expect(emulator.liveConnections == 1)
        async let first: Void = emulator.shutdown()
        async let second: Void = emulator.shutdown()
        _ = try await (first, second)
        try await emulator.shutdown()
        #expect(connection.read().closed, "the idle keep-alive connection was closed")
        #expect(throws: (any Error).self) { _ = try RawConnection(port: emulator.port) }
    }

    @Test("latency is added to every answer")
    func latency() async throws {
        var configuration = Harness.configuration()
        configuration.latencyMilliseconds = 150
        try await Harness.with(configuration) { harness throws in
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await harness.generate(key: nil).status == 403)
            #expect(clock.now - start >= .milliseconds(150))
        }
    }
}
#endif
