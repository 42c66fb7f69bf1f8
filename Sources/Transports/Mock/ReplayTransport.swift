public import GatewayCore
import HTTPTypes

/// A transport that answers from a ``Cassette`` recorded by ``RecordingTransport``.
///
/// A request is answered by the first interaction that matches it under the ``MatchRule`` and
/// has not been played yet, so repeated identical requests get successive recordings in
/// recorded order. Once every matching interaction has been played, **the last one repeats**
/// (a poll or retry loop keeps getting the final answer). No matching interaction at all throws
/// ``CassetteError/noMatch(method:path:)``.
///
/// Before matching, a request is sanitized the way the recorder sanitized its recording: `key`
/// query parameters are removed and the `secrets` replaced, so a request carrying a real key
/// matches its redacted recording.
///
/// `stream` replays the recorded chunks one by one, then the recorded failure if the stream
/// was cut; `send` returns the whole body, or throws the failure. Recorded failures are thrown
/// as `TransportError` of the recorded kind.
///
/// ```swift
/// let replay = try ReplayTransport(path: "Fixtures/quota.cassette.json.gz")
/// ```
public final class ReplayTransport: Transport {
    /// Which parts of a request must equal the recording.
    public struct MatchRule: OptionSet, Hashable, Sendable {
        /// The bits of the rule.
        public let rawValue: Int
        /// A rule from its bits.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// The method.
        public static let method = MatchRule(rawValue: 1 << 0)
        /// The path without its query.
        public static let path = MatchRule(rawValue: 1 << 1)
        /// The query (after removing `key` parameters), in order; combine with ``path``.
        public static let query = MatchRule(rawValue: 1 << 2)
        /// The body bytes.
        public static let body = MatchRule(rawValue: 1 << 3)

        /// Method, path with its query, and body.
        public static let exact: MatchRule = [.method, .path, .query, .body]
        /// Method, path without its query, and body: the default.
        public static let `default`: MatchRule = [.method, .path, .body]
    }

    /// The recordings played.
    public let cassette: Cassette
    /// What a request must share with a recording to be answered by it.
    public let rule: MatchRule
    private let redactor: Redactor
    private let recorded: [Key]
    private let played: Locked<[Bool]>

    /// Replays `cassette`.
    /// - Parameters:
    ///   - cassette: The recorded exchanges.
    ///   - rule: What must match; ``MatchRule/default`` is method, path without query, and body.
    ///   - secrets: The secrets redacted while recording, if requests carry them in the path or body.
    public init(cassette: Cassette, matching rule: MatchRule = .default, redacting secrets: [String] = []) {
        self.cassette = cassette
        self.rule = rule
        self.redactor = Redactor(secrets: secrets)
        self.recorded = cassette.interactions.map { Key(method: $0.request.method, path: $0.request.path, body: $0.request.body) }
        self.played = Locked(Array(repeating: false, count: cassette.interactions.count))
    }

    /// Replays the cassette file at `path`.
    /// - Throws: ``CassetteError`` if the file is unreadable, corrupt or of another version.
    public convenience init(path: String, matching rule: MatchRule = .default, redacting secrets: [String] = []) throws(CassetteError) {
        try self.init(cassette: .load(from: path), matching: rule, redacting: secrets)
    }

    /// How many interactions have not been played yet.
    public var unplayedCount: Int { played.withLock { $0.count { !$0 } } }

    /// Answers with the next matching recording's whole body, or throws its recorded failure.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let (head, response, failure) = try replay(request)
        if let failure { throw failure.error }
        return TransportResponse(head: head, body: response.body)
    }

    /// Answers with the next matching recording, its body in the recorded chunks, followed by
    /// its recorded failure if the stream was cut.
    public func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        let (head, response, failure) = try replay(request)
        return StreamingTransportResponse(head: head, body: ByteChunks(response.chunks, failingWith: failure?.error))
    }

    /// The head, response and failure to answer `request` with; throws a failure recorded
    /// before the head.
    private func replay(_ request: TransportRequest) throws -> (HTTPResponse, Cassette.Response, Cassette.Failure?) {
        try Task.checkCancellation()
        let interaction = try next(for: request)
        guard let response = interaction.response else {
            throw interaction.failure?.error ?? CassetteError.corrupt("an interaction has neither response nor failure")
        }
        return (try Self.head(of: response), response, interaction.failure)
    }

    private func next(for request: TransportRequest) throws(CassetteError) -> Cassette.Interaction {
        let incoming = Key(method: request.head.method.rawValue, path: redactor.path(request.head.path ?? "/"), body: redactor.scrub(request.body))
        let candidates = recorded.indices.filter { recorded[$0].matches(incoming, rule) }
        guard let last = candidates.last else {
            throw .noMatch(method: incoming.method, path: String(incoming.pathWithoutQuery))
        }
        let index = played.withLock { played -> Int in
            let index = candidates.first { !played[$0] } ?? last
            played[index] = true
            return index
        }
        return cassette.interactions[index]
    }

    private static func head(of response: Cassette.Response) throws(CassetteError) -> HTTPResponse {
        guard (0...999).contains(response.status) else { throw .corrupt("status \(response.status) out of range") }
        var fields = HTTPFields()
        for header in response.headers {
            guard let name = HTTPField.Name(header.name) else { throw .corrupt("invalid header name") }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return HTTPResponse(status: .init(code: response.status), headerFields: fields)
    }

    /// The parts of a request that rules compare.
    private struct Key: Sendable {
        let method: String
        let path: String
        let body: [UInt8]

        var pathWithoutQuery: Substring { path.prefix { $0 != "?" } }
        var query: Substring { path.firstIndex(of: "?").map { path[path.index(after: $0)...] } ?? "" }

        func matches(_ other: Key, _ rule: MatchRule) -> Bool {
            (!rule.contains(.method) || method == other.method)
                && (!rule.contains(.path) || pathWithoutQuery == other.pathWithoutQuery)
                && (!rule.contains(.query) || query == other.query)
                && (!rule.contains(.body) || body == other.body)
        }
    }
}
