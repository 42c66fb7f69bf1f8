public import GatewayCore
import HTTPTypes

/// Checks every `Transport` must pass, run against a server that implements the reference
/// endpoints (`/echo`, `/status/{code}`, `/bytes/{n}`, `/stream/{n}`, `/delay/{ms}`, `/gzip`,
/// `/headers/many`): the in-memory ``referenceMock(authority:)`` or a real HTTP server.
///
/// Each check throws ``ConformanceFailure`` when the transport misbehaves, so any test
/// framework can run them:
/// ```swift
/// @Test(arguments: TransportConformance.Check.allCases)
/// func conforms(_ check: TransportConformance.Check) async throws {
///     try await TransportConformance(transport: myTransport, authority: "127.0.0.1:\(port)").run(check)
/// }
/// ```
public struct TransportConformance: Sendable {
    /// The checks, by name.
    public enum Check: String, CaseIterable, Sendable, CustomStringConvertible {
        /// A `POST` to `/echo` comes back with its method, path, query, a request header and a
        /// 10 000-byte body.
        case echoesMethodHeadersAndBody
        /// Statuses 418, 503 and 404 come back as answers with their bodies, not as errors.
        case passesStatusThrough
        /// A body of a million bytes arrives byte for byte.
        case deliversLargeBodyExactly
        /// A paced stream arrives in order, in more than one chunk.
        case streamsChunksInOrder
        /// All 50 header fields of an answer are kept.
        case keepsManyHeaders
        /// A gzip-encoded body arrives decoded.
        case decodesGzip
        /// Cancelling a request before the server answers ends it promptly with `CancellationError`.
        case cancelsBeforeHead
        /// Cancelling while a stream's body arrives ends it with `CancellationError`.
        case cancelsDuringBody
        /// A request past its `timeout` throws a timeout `TransportError`.
        case timesOut
        /// A request to ``TransportConformance/unreachableAuthority`` throws a connection-refused
        /// `TransportError`.
        case reportsRefusedConnection
        /// 50 concurrent requests each get their own answer.
        case handlesConcurrentRequests

        /// The check's name.
        public var description: String { rawValue }
    }

    /// The transport under test.
    public let transport: any Transport
    /// The scheme of the reference server, `http` or `https`.
    public let scheme: String
    /// The reference server's host and port, e.g. `127.0.0.1:8080`.
    public let authority: String
    /// An address where nothing listens.
    public let unreachableAuthority: String

    /// Checks `transport` against the reference server at `authority`; nothing may listen at
    /// `unreachableAuthority`.
    public init(transport: any Transport, scheme: String = "http", authority: String, unreachableAuthority: String = "127.0.0.1:1") {
        self.transport = transport
        self.scheme = scheme
        self.authority = authority
        self.unreachableAuthority = unreachableAuthority
    }

    /// Runs one check.
    public func run(_ check: Check) async throws {
        switch check {
        case .echoesMethodHeadersAndBody: try await echoesMethodHeadersAndBody()
        case .passesStatusThrough: try await passesStatusThrough()
        case .deliversLargeBodyExactly: try await deliversLargeBodyExactly()
        case .streamsChunksInOrder: try await streamsChunksInOrder()
        case .keepsManyHeaders: try await keepsManyHeaders()
        case .decodesGzip: try await decodesGzip()
        case .cancelsBeforeHead: try await cancelsBeforeHead()
        case .cancelsDuringBody: try await cancelsDuringBody()
        case .timesOut: try await timesOut()
        case .reportsRefusedConnection: try await reportsRefusedConnection()
        case .handlesConcurrentRequests: try await handlesConcurrentRequests()
        }
    }

    // MARK: Checks

    func echoesMethodHeadersAndBody() async throws {
        let body = (0..<10_000).map { UInt8($0 % 256) }
        var fields = HTTPFields()
        fields[HTTPField.Name("x-conformance")!] = "yes"
        let response = try await transport.send(request(.post, "/echo?q=1", fields: fields, body: body))
        try expect(response.status == 200, "echo status \(response.status)")
        try expect(response.body == body, "echo body differs (\(response.body.count) bytes back of \(body.count))")
        try expect(response.head.headerFields[HTTPField.Name("x-echo-method")!] == "POST", "method not echoed as POST")
        try expect(response.head.headerFields[HTTPField.Name("x-echo-path")!] == "/echo?q=1", "path and query not echoed")
        try expect(response.head.headerFields[HTTPField.Name("x-echo-h-x-conformance")!] == "yes", "request header not sent")
    }

    func passesStatusThrough() async throws {
        for code in [418, 503, 404] {
            let response = try await transport.send(request(.get, "/status/\(code)"))
            try expect(response.status == code, "status \(code) came back as \(response.status)")
            try expect(String(decoding: response.body, as: UTF8.self) == "status \(code)", "status body differs")
        }
    }

    func deliversLargeBodyExactly() async throws {
        let count = 1_000_000
        let response = try await transport.send(request(.get, "/bytes/\(count)"))
        try expect(response.body.count == count, "got \(response.body.count) of \(count) bytes")
        try expect(response.body.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) }, "body bytes differ")
    }

    func streamsChunksInOrder() async throws {
        let streamed = try await transport.stream(request(.get, "/stream/5?size=16&delay_ms=20"))
        try expect(streamed.head.status.code == 200, "stream status \(streamed.head.status.code)")
        var chunks: [[UInt8]] = []
        for try await chunk in streamed.body { chunks.append(chunk) }
        let expected = (0..<5).flatMap { index in Array(repeating: UInt8(ascii: "a") + UInt8(index % 26), count: 16) }
        try expect(chunks.flatMap { $0 } == expected, "streamed bytes differ")
        try expect(chunks.count >= 2, "a paced stream arrived as \(chunks.count) chunk(s)")
    }

    func keepsManyHeaders() async throws {
        let response = try await transport.send(request(.get, "/headers/many"))
        for index in 0..<50 {
            try expect(response.head.headerFields[HTTPField.Name("x-h-\(index)")!] == "value-\(index)", "header x-h-\(index) missing")
        }
    }

    func decodesGzip() async throws {
        let response = try await transport.send(request(.get, "/gzip"))
        let text = String(decoding: response.body, as: UTF8.self)
        try expect(text == String(repeating: "hello gzip ", count: 100), "gzip body not decoded (\(response.body.count) bytes)")
    }

    func cancelsBeforeHead() async throws {
        let transport = self.transport
        // The server would answer after 30 s; a cancelled send must end long before. The margin
        // is wide because blocking socket tests running beside this one can hold the cooperative
        // threads for seconds (seen once under ThreadSanitizer: 5.1 s against a 5 s limit).
        let slow = request(.get, "/delay/30000")
        let clock = ContinuousClock()
        let start = clock.now
        let call = Task { try await transport.send(slow) }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        do {
            _ = try await call.value
            throw ConformanceFailure("a cancelled request completed")
        } catch is CancellationError {
        }
        try expect(clock.now - start < .seconds(15), "cancellation took \(clock.now - start)")
    }

    func cancelsDuringBody() async throws {
        let transport = self.transport
        let slow = request(.get, "/stream/200?size=16&delay_ms=50")
        let firstChunk = Flag()
        let reader = Task { () -> Int in
            let streamed = try await transport.stream(slow)
            var count = 0
            for try await _ in streamed.body {
                count += 1
                firstChunk.set()
            }
            return count
        }
        while !firstChunk.isSet { try await Task.sleep(for: .milliseconds(5)) }
        reader.cancel()
        do {
            let count = try await reader.value
            throw ConformanceFailure("a cancelled stream ran to its end (\(count) chunks)")
        } catch is CancellationError {
        }
    }

    func timesOut() async throws {
        var slow = request(.get, "/delay/5000")
        slow.timeout = .milliseconds(300)
        do {
            _ = try await transport.send(slow)
            throw ConformanceFailure("a request past its timeout succeeded")
        } catch let error as TransportError {
            try expect(error.isSameKind(as: .timeout()), "expected a timeout, got \(error)")
        }
    }

    func reportsRefusedConnection() async throws {
        var refused = request(.get, "/")
        refused.head.authority = unreachableAuthority
        do {
            _ = try await transport.send(refused)
            throw ConformanceFailure("a request to \(unreachableAuthority) succeeded")
        } catch let error as TransportError {
            try expect(error.isSameKind(as: .connectionRefused()), "expected connection refused, got \(error)")
        }
    }

    func handlesConcurrentRequests() async throws {
        let transport = self.transport
        let requests = (0..<50).map { index in (index, request(.post, "/echo", body: Array("request \(index)".utf8))) }
        let mismatches = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, request) in requests {
                group.addTask {
                    let response = try await transport.send(request)
                    return response.status == 200 && response.body == Array("request \(index)".utf8)
                }
            }
            var bad = 0
            for try await ok in group where !ok { bad += 1 }
            return bad
        }
        try expect(mismatches == 0, "\(mismatches) of 50 concurrent answers were wrong")
    }

    // MARK: Helpers

    func request(_ method: HTTPRequest.Method, _ path: String, fields: HTTPFields = [:], body: [UInt8] = []) -> TransportRequest {
        TransportRequest(head: HTTPRequest(method: method, scheme: scheme, authority: authority, path: path, headerFields: fields), body: body)
    }

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ConformanceFailure(message()) }
    }
}

/// A transport failed a conformance check.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    /// What the transport did wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A thread-safe one-way flag.
final class Flag: Sendable {
    private let value = Locked(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
