import Glibc
import HTTPTestServer
import Testing

/// The test server itself, driven over raw sockets (no URLSession, no curl).
@Suite("HTTPTestServer", .timeLimit(.minutes(1)))
struct HTTPTestServerTests {
    /// A started server; callers `defer { server.stop() }`.
    private func startedServer() throws -> HTTPTestServer {
        let server = HTTPTestServer()
        try server.start()
        return server
    }

    private func get(_ path: String, from server: HTTPTestServer, extraHeaders: String = "") throws -> RawResponse {
        let client = try RawClient(port: server.port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extraHeaders)Connection: close\r\n\r\n")
        return try client.readResponse()
    }

    // MARK: Lifecycle

    @Test("start() binds a real ephemeral port on 127.0.0.1")
    func startGivesRealPort() throws {
        let server = HTTPTestServer()
        #expect(server.port == 0)
        let port = try server.start()
        defer { server.stop() }
        #expect(port > 0 && port < 65536)
        #expect(server.port == port)
        #expect(server.baseURL == "http://127.0.0.1:\(port)")
        let response = try get("/status/200", from: server)
        #expect(response.status == 200)
    }

    @Test("stop() is idempotent, and a stopped server cannot start again")
    func stopIsIdempotent() throws {
        let server = try startedServer()
        let port = server.port
        server.stop()
        server.stop()
        #expect(server.openConnections == 0)
        #expect(throws: HTTPTestServerError.self) { try server.start() }
        #expect(throws: (any Error).self) { try RawClient(port: port) }

        let neverStarted = HTTPTestServer()
        neverStarted.stop()
        neverStarted.stop()
    }

    @Test("requestCount counts every fully read request")
    func requestCountCounts() throws {
        let server = try startedServer()
        defer { server.stop() }
        #expect(server.requestCount == 0)
        for path in ["/status/200", "/nope", "/echo"] {
            _ = try get(path, from: server)
        }
        #expect(server.requestCount == 3)
    }

    // MARK: Endpoints

    @Test("/echo returns method, path with query, request headers and the POST body")
    func echo() throws {
        let server = try startedServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        let body = "hello echo body"
        try client.send(
            "POST /echo?x=1&y=two HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Custom-Thing:  some value \r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("x-echo-method") == "POST")
        #expect(response.header("x-echo-path") == "/echo?x=1&y=two")
        #expect(response.header("x-echo-h-x-custom-thing") == "some value")
        #expect(response.header("x-echo-h-host") == "127.0.0.1")
        #expect(response.header("x-echo-h-content-length") == "\(body.utf8.count)")
        #expect(response.header("content-type") == "application/octet-stream")
        #expect(response.text == body)
    }

    @Test("/echo accepts a chunked request body")
    func echoChunkedRequestBody() throws {
        let server = try startedServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send(
            "PUT /echo HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: t\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.header("x-echo-method") == "PUT")
        #expect(response.text == "hello world")
    }

    @Test("/status/418 answers 418 with body 'status 418'")
    func status418() throws {
        let server = try startedServer()
        defer { server.stop() }
        let response = try get("/status/418?ignored=1", from: server)
        #expect(response.status == 418)
        #expect(response.text == "status 418")
        #expect(response.header("content-length") == "10")
    }

    @Test("/bytes/1000 sends 1000 bytes, byte i = i % 251")
    func bytes() throws {
        let server = try startedServer()
        defer { server.stop() }
        let response = try get("/bytes/1000", from: server)
        #expect(response.status == 200)
        #expect(response.header("content-length") == "1000")
        #expect(response.header("content-type") == "application/octet-stream")
        #expect(response.body.count == 1000)
        #expect(response.body == (0..<1000).map { UInt8($0 % 251) })
    }

    @Test("/stream/3 is chunked: three chunks of 'size' bytes, a, b, c")
    func streamFraming() throws {
        let server = try startedServer()
        defer { server.stop() }
        let response = try get("/stream/3?size=5&delay_ms=1", from: server)
        #expect(response.status == 200)
        #expect(response.header("transfer-encoding") == "chunked")
        #expect(response.header("content-length") == nil)
        let chunks = try #require(decodeChunked(response.body))
        #expect(chunks.map { String(decoding: $0, as: UTF8.self) } == ["aaaaa", "bbbbb", "ccccc"])

        let defaults = try #require(decodeChunked(try get("/stream/2", from: server).body))
        #expect(defaults == [[UInt8](repeating: 97, count: 16), [UInt8](repeating: 98, count: 16)])
    }

    @Test("keep-alive: two requests on one connection, then Connection: close closes it")
    func keepAlive() throws {
        let server = try startedServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)

        try client.send("GET /status/200 HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.status == 200)
        #expect(first.header("connection") == nil)

        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        let second = try client.readResponse()
        #expect(second.text == "abc")
        #expect(server.openConnections == 1)
        #expect(server.requestCount == 2)

        try client.send("GET /bytes/10 HTTP/1.1\r\nHost: x\r\nconnection: close\r\n\r\n")
        let third = try client.readResponse()
        #expect(third.body.count == 10)
        #expect(third.header("connection") == "close")
        #expect(try client.readUntilClose().isEmpty)
        // The server half-closes, then waits (at most 1 s) for our close before closing its end.
        client.close()
        #expect(eventually { server.openConnections == 0 })
    }

    @Test("/gzip is Content-Encoding: gzip and inflates to 'hello gzip ' x 100")
    func gzip() throws {
        let server = try startedServer()
        defer { server.stop() }
        let response = try get("/gzip", from: server)
        #expect(response.status == 200)
        #expect(response.header("content-encoding") == "gzip")
        #expect(response.body.starts(with: [0x1F, 0x8B]))
        let inflated = try #require(gunzip(response.body))
        #expect(String(decoding: inflated, as: UTF8.self) == String(repeating: "hello gzip ", count: 100))
    }

    @Test("/headers/many sends x-h-0 ... x-h-49")
    func manyHeaders() throws {
        let server = try startedServer()
        defer { server.stop() }
        let response = try get("/headers/many", from: server)
        for index in 0..<50 {
            #expect(response.header("x-h-\(index)") == "value-\(index)")
        }
    }

    @Test("/delay/{ms} answers ok after the delay; unknown paths are 404")
    func delayAndNotFound() throws {
        let server = try startedServer()
        defer { server.stop() }
        let start = ContinuousClock.now
        let delayed = try get("/delay/50", from: server)
        #expect(delayed.text == "ok")
        #expect(ContinuousClock.now - start >= .milliseconds(50))

        let missing = try get("/no/such/thing", from: server)
        #expect(missing.status == 404)
        #expect(missing.text == "not found")
    }

    @Test("a request head over 64 KiB gets 431 and a closed connection")
    func headTooLarge() throws {
        let server = try startedServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        let filler = String(repeating: "a", count: 70 * 1024)
        try client.send("GET /echo HTTP/1.1\r\nX-Big: \(filler)\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 431)
        #expect(server.requestCount == 0)
    }

    // MARK: Misbehaving endpoints

    @Test("/bad/close-mid-body announces 1000 bytes and delivers fewer")
    func closeMidBody() throws {
        let server = try startedServer()
        defer { server.stop() }
        let response = try get("/bad/close-mid-body", from: server)
        #expect(response.header("content-length") == "1000")
        #expect(response.truncated)
        #expect(response.body.count == 100)
    }

    @Test("/bad/malformed-headers and /bad/garbage send their exact bytes and close")
    func malformedAndGarbage() throws {
        let server = try startedServer()
        defer { server.stop() }
        for (path, expected) in [
            ("/bad/malformed-headers", "HTTP/1.1 200 OK\r\nthis line has no colon\r\n\r\nbody"),
            ("/bad/garbage", "\u{0}\u{1}hello\r\n\r\n"),
        ] {
            let client = try RawClient(port: server.port)
            try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readUntilClose() == Array(expected.utf8))
        }
    }

    @Test("/bad/http10-no-length is HTTP/1.0 with 5000 bytes delimited by close")
    func http10NoLength() throws {
        let server = try startedServer()
        defer { server.stop() }
        let response = try get("/bad/http10-no-length", from: server)
        #expect(response.statusLine == "HTTP/1.0 200 OK")
        #expect(response.header("content-length") == nil)
        #expect(response.body == [UInt8](repeating: UInt8(ascii: "x"), count: 5000))
    }

    @Test("/bad/endless keeps streaming; the server thread ends when the client leaves")
    func endless() throws {
        let server = try startedServer()
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /bad/endless HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try client.readResponse(bodyless: true)
        #expect(head.header("transfer-encoding") == "chunked")
        var received = 0
        while received < 256 * 1024 {
            let count = try client.receiveAndDiscard()
            #expect(count > 0)
            if count == 0 { break }
            received += count
        }
        client.close()
        #expect(eventually { server.openConnections == 0 })
    }

    @Test("stop() promptly closes a /bad/no-answer connection and openConnections drops to 0")
    func stopClosesNoAnswer() throws {
        let server = try startedServer()
        let client = try RawClient(port: server.port)
        try client.send("GET /bad/no-answer HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { server.requestCount == 1 })
        #expect(server.openConnections == 1)

        let start = ContinuousClock.now
        server.stop()
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(server.openConnections == 0)
        // The client sees the close, not its 5 s read timeout, and never got a byte.
        #expect(try client.readUntilClose().isEmpty)
        #expect(ContinuousClock.now - start < .seconds(2))
    }
}
