public import GatewayCore
import HTTPTypes

/// A transport that answers from a script, for tests: yours and ours.
///
/// Responses are scripted per key, path or any predicate, as a one-shot queue or a default;
/// every request is captured with the instant it arrived, for assertions.
///
/// ## Which answer a request gets
///
/// The most specific matching script answers, whatever order the scripts were registered in:
///
/// 1. ``Match/key(_:)`` — what a key gets holds on every path, as on a real server (an invalid
///    key stays invalid);
/// 2. ``Match/custom(_:)`` predicates, in the order they were registered;
/// 3. ``Match/path(_:)``, the exact path;
/// 4. ``Match/pathPrefix(_:)``, the longest prefix first;
/// 5. ``Match/any``.
///
/// The chosen script answers with its next queued response, or, once its queue is empty, with
/// its default. A script with neither (its queue used up, no default) is passed over for the
/// next one down the list. So a key's default beats a queue for every request: with
///
/// ```swift
/// mock.setDefault(.geminiInvalidKey, when: .key(badKey))
/// mock.enqueue(.geminiText("hello"))
/// ```
///
/// every request with `badKey` is refused and the queued answer waits for another key. When no
/// script has an answer, the ``setHandler(_:)`` handler is called; without one, the request
/// throws ``MockTransportError``.
public final class MockTransport: Transport {
    /// Which requests a script applies to.
    public enum Match: Sendable {
        /// Every request.
        case any
        /// Requests carrying this API key (`x-goog-api-key`, `x-api-key` or `Authorization: Bearer`).
        case key(String)
        /// Requests whose path (without query) equals this.
        case path(String)
        /// Requests whose path starts with this.
        case pathPrefix(String)
        /// Any predicate.
        case custom(@Sendable (TransportRequest) -> Bool)

        func matches(_ request: TransportRequest) -> Bool {
            switch self {
            case .any: true
            case .key(let key): MockTransport.apiKey(of: request) == key
            case .path(let path): request.pathWithoutQuery == path
            case .pathPrefix(let prefix): request.pathWithoutQuery.hasPrefix(prefix)
            case .custom(let predicate): predicate(request)
            }
        }
    }

    /// A request as the transport saw it.
    public struct RecordedRequest: Sendable {
        /// 1-based arrival order.
        public let number: Int
        /// The request itself.
        public let request: TransportRequest
        /// When it arrived, on the transport's clock.
        public let at: GatewayClock.Instant
        /// The API key it carried, if any (for assertions only; never print it).
        public let apiKey: String?
        /// The body as UTF-8 text.
        public var bodyText: String { String(decoding: request.body, as: UTF8.self) }
        /// The path without its query.
        public var path: String { request.pathWithoutQuery }
    }

    /// Computes a response dynamically: request and its 1-based number.
    public typealias Handler = @Sendable (TransportRequest, Int) async throws -> MockResponse

    private struct Rule {
        let match: Match
        var queue: [MockResponse]
        var fallback: MockResponse?
        /// Registration order, the tie-break within one specificity.
        let order: Int

        /// Whether this rule is asked before `other`: the more specific first, then the earlier.
        func precedes(_ other: Rule) -> Bool {
            let (a, b) = (match.specificity, other.match.specificity)
            return a != b ? a > b : order < other.order
        }
    }

    private struct State {
        var rules: [Rule] = []
        var handler: Handler?
        var recorded: [RecordedRequest] = []
        var inFlight = 0
    }

    private let clock: GatewayClock
    private let state = Locked(State())

    /// Creates a mock whose delays and timestamps use `clock` (a `ManualClock` in unit tests).
    public init<C: Clock>(clock: C) where C.Duration == Duration {
        self.clock = GatewayClock(clock)
    }

    /// Creates a mock on the real continuous clock.
    public convenience init() { self.init(clock: ContinuousClock()) }

    // MARK: Scripting

    /// Queues one-shot responses for matching requests, answered in order.
    public func enqueue(_ responses: MockResponse..., when match: Match = .any) {
        enqueue(responses, when: match)
    }

    /// Queues one-shot responses for matching requests, answered in order.
    public func enqueue(_ responses: [MockResponse], when match: Match = .any) {
        state.withLock { s in
            if let index = s.rules.firstIndex(where: { $0.match.isSame(as: match) }) {
                s.rules[index].queue.append(contentsOf: responses)
            } else {
                s.rules.append(Rule(match: match, queue: responses, fallback: nil, order: s.rules.count))
            }
        }
    }

    /// Answers matching requests with `response` whenever this match's own queue is empty
    /// (a more specific script still comes first; see the type's documentation).
    public func setDefault(_ response: MockResponse, when match: Match = .any) {
        state.withLock { s in
            if let index = s.rules.firstIndex(where: { $0.match.isSame(as: match) }) {
                s.rules[index].fallback = response
            } else {
                s.rules.append(Rule(match: match, queue: [], fallback: response, order: s.rules.count))
            }
        }
    }

    /// Answers requests that no script matches by calling `handler`.
    public func setHandler(_ handler: @escaping Handler) {
        state.withLock { $0.handler = handler }
    }

    // MARK: Inspection

    /// Every request so far, in arrival order.
    public var requests: [RecordedRequest] { state.withLock { $0.recorded } }
    /// How many requests arrived.
    public var requestCount: Int { state.withLock { $0.recorded.count } }
    /// Requests that carried `key`.
    public func requests(withKey key: String) -> [RecordedRequest] { requests.filter { $0.apiKey == key } }
    /// Exchanges started and not yet answered.
    public var inFlight: Int { state.withLock { $0.inFlight } }

    // MARK: Transport

    /// Answers `request` from the script (see <doc:ScriptingPrecedence>), after the response's
    /// delay on the mock's clock; a stream error or a scripted failure is thrown.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let response = try await respond(to: request)
        if let streamError = response.streamError { throw streamError }
        return TransportResponse(head: HTTPResponse(status: .init(code: response.status), headerFields: response.headers), body: response.body)
    }

    /// Answers `request` from the script as a stream: the head at once, then the chunks (paced
    /// by ``MockResponse/pacedChunks(every:)`` on the mock's clock), then the stream error if any.
    public func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        let response = try await respond(to: request)
        let head = HTTPResponse(status: .init(code: response.status), headerFields: response.headers)
        guard let interval = response.chunkDelay, interval > .zero else {
            return StreamingTransportResponse(head: head, body: ByteChunks(response.chunks, failingWith: response.streamError))
        }
        let body = PacedChunks(chunks: response.chunks, interval: interval, failure: response.streamError, clock: clock)
        return StreamingTransportResponse(head: head, body: ByteChunks(body))
    }

    private func respond(to request: TransportRequest) async throws -> MockResponse {
        // Predicates run outside the lock, so a `.custom` one may itself read the mock. Rules are
        // only ever appended, so their indices stay valid between the two critical sections.
        let matches = state.withLock { $0.rules.map(\.match) }
        let matching = Set(matches.indices.filter { matches[$0].matches(request) })
        let (number, scripted, handler) = state.withLock { s -> (Int, MockResponse?, Handler?) in
            let number = s.recorded.count + 1
            s.recorded.append(RecordedRequest(number: number, request: request, at: clock.now, apiKey: Self.apiKey(of: request)))
            s.inFlight += 1
            // The most specific matching rule that has an answer (see the type's documentation).
            let candidates = s.rules.indices
                .filter { matching.contains($0) && (!s.rules[$0].queue.isEmpty || s.rules[$0].fallback != nil) }
                .sorted { s.rules[$0].precedes(s.rules[$1]) }
            guard let index = candidates.first else { return (number, nil, s.handler) }
            if !s.rules[index].queue.isEmpty { return (number, s.rules[index].queue.removeFirst(), nil) }
            return (number, s.rules[index].fallback, nil)
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        let response: MockResponse
        if let scripted {
            response = scripted
        } else if let handler {
            response = try await handler(request, number)
        } else {
            throw MockTransportError.noScriptedResponse(method: request.head.method.rawValue, path: request.pathWithoutQuery, number: number)
        }
        if let delay = response.delay, delay > .zero {
            // Like a real transport, give up when the request's own timeout comes first.
            if let timeout = request.timeout, timeout < delay {
                try await clock.sleep(until: clock.now.advanced(by: timeout))
                throw TransportError.timeout("no answer within \(timeout) (mock delay \(delay))")
            }
            try await clock.sleep(until: clock.now.advanced(by: delay))
        }
        try Task.checkCancellation()
        if let error = response.error { throw error }
        return response
    }

    static func apiKey(of request: TransportRequest) -> String? {
        let fields = request.head.headerFields
        if let key = fields[HTTPField.Name("x-goog-api-key")!] { return key }
        if let key = fields[HTTPField.Name("x-api-key")!] { return key }
        if let auth = fields[.authorization], auth.hasPrefix("Bearer ") { return String(auth.dropFirst(7)) }
        return nil
    }
}

/// Chunks delivered `interval` apart on the mock's clock; cancellation ends the stream with
/// `CancellationError`, as a real transport's does.
private struct PacedChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let chunks: [[UInt8]]
    let interval: Duration
    let failure: (any Error & Sendable)?
    let clock: GatewayClock

    final class AsyncIterator: AsyncIteratorProtocol, Sendable {
        private let source: PacedChunks
        private let position = Locked(0)

        init(_ source: PacedChunks) { self.source = source }

        func next() async throws -> [UInt8]? {
            let index = position.withLock { index -> Int in
                defer { index += 1 }
                return index
            }
            if index > 0, index <= source.chunks.count {
                try await source.clock.sleep(until: source.clock.now.advanced(by: source.interval))
            }
            try Task.checkCancellation()
            if index < source.chunks.count { return source.chunks[index] }
            if index == source.chunks.count, let failure = source.failure { throw failure }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(self) }
}

/// The mock had no answer for a request: a test forgot to script it.
public struct MockTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The request's method.
    public let method: String
    /// The request's path without its query.
    public let path: String
    /// The request's 1-based arrival number.
    public let number: Int

    static func noScriptedResponse(method: String, path: String, number: Int) -> Self {
        Self(method: method, path: path, number: number)
    }

    /// Names the request, for the test's failure message.
    public var description: String { "MockTransport: no response scripted for request \(number), \(method) \(path)" }
}

extension MockTransport.Match {
    /// How specific a match is, for precedence: key, predicate, path, prefix (longer is more
    /// specific), anything.
    var specificity: Int {
        switch self {
        case .key: 4_000_000
        case .custom: 3_000_000
        case .path: 2_000_000
        case .pathPrefix(let prefix): 1_000_000 + min(prefix.utf8.count, 999_999)
        case .any: 0
        }
    }

    /// Same scripting target, so repeated `enqueue` calls extend one queue.
    func isSame(as other: Self) -> Bool {
        switch (self, other) {
        case (.any, .any): true
        case (.key(let a), .key(let b)): a == b
        case (.path(let a), .path(let b)): a == b
        case (.pathPrefix(let a), .pathPrefix(let b)): a == b
        default: false
        }
    }
}

extension TransportRequest {
    /// The request path without its query string.
    public var pathWithoutQuery: String {
        let path = head.path ?? "/"
        return path.firstIndex(of: "?").map { String(path[..<$0]) } ?? path
    }
}
