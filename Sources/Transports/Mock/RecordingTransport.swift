public import GatewayCore
import Foundation
import HTTPTypes

/// A transport that forwards to another and records every exchange into a ``Cassette``, for
/// ``ReplayTransport`` to play back later.
///
/// Responses reach the caller unchanged; only the recording is sanitized:
/// - the request headers `x-goog-api-key`, `authorization`, `x-api-key` and
///   `proxy-authorization` are dropped (any case);
/// - every `key` parameter is removed from the request query (the other parameters stay, in order);
/// - each of the `secrets` is replaced with `REDACTED` wherever it occurs — raw, percent-encoded
///   or JSON-escaped — in the request path, authority, header values and body, the response
///   header values and body, and recorded error details. In a streamed body a secret split
///   across chunks is found too; the chunk boundary then moves to the end of `REDACTED`.
///
/// An exchange is recorded when it completes: for `send` when the response arrives or the call
/// fails; for `stream` when the caller reads the body to its end or to its error, or releases
/// the body before that (recorded as far as it was read). A failure is recorded as a
/// ``Cassette/Failure``; cancellation is not a failure and is not recorded as one. Interactions
/// are kept in completion order; concurrent requests are fine.
///
/// ```swift
/// let recorder = RecordingTransport(wrapping: liveTransport, cassettePath: path, redacting: [apiKey])
/// // ... run the gateway on `recorder` ...
/// try recorder.save()
/// ```
public final class RecordingTransport: Transport {
    /// Where ``save()`` writes the cassette.
    public let cassettePath: String
    private let wrapped: any Transport
    private let redactor: Redactor
    private let log = InteractionLog()

    /// Records the exchanges of `transport`.
    /// - Parameters:
    ///   - transport: The transport that does the real work.
    ///   - cassettePath: Where ``save()`` writes; an existing file there is replaced.
    ///   - secrets: Strings (API keys, tokens) that must not reach the cassette; empty ones are ignored.
    public init(wrapping transport: any Transport, cassettePath: String, redacting secrets: [String] = []) {
        self.wrapped = transport
        self.cassettePath = cassettePath
        self.redactor = Redactor(secrets: secrets)
    }

    /// The exchanges recorded so far, sanitized.
    public var cassette: Cassette { Cassette(interactions: log.interactions) }

    /// Writes the exchanges recorded so far to ``cassettePath`` (atomically, replacing the file).
    /// Streams still being read are not included yet.
    public func save() throws(CassetteError) {
        try cassette.write(to: cassettePath)
    }

    /// Forwards `request`, records the exchange (or its failure), and returns the response unchanged.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let recorded = redactor.request(request)
        let response: TransportResponse
        do {
            response = try await wrapped.send(request)
        } catch {
            recordFailure(of: recorded, error)
            throw error
        }
        let chunks = response.body.isEmpty ? [] : [response.body]
        log.append(redactor.interaction(recorded, head: response.head, chunks: chunks, isStream: false, failure: nil))
        return response
    }

    /// Forwards `request` and returns the response with its body passed through unchanged; the
    /// exchange is recorded when the body ends, fails, or is released.
    public func stream(_ request: TransportRequest) async throws -> StreamingTransportResponse {
        let recorded = redactor.request(request)
        let response: StreamingTransportResponse
        do {
            response = try await wrapped.stream(request)
        } catch {
            recordFailure(of: recorded, error)
            throw error
        }
        let head = response.head
        let tap = StreamTap { [log, redactor] chunks, failure in
            log.append(redactor.interaction(recorded, head: head, chunks: chunks, isStream: true, failure: failure))
        }
        return StreamingTransportResponse(head: head, body: ByteChunks(TappedChunks(base: response.body, tap: tap)))
    }

    private func recordFailure(of request: Cassette.Request, _ error: any Error) {
        guard !(error is CancellationError) else { return }
        log.append(Cassette.Interaction(request: request, response: nil, failure: redactor.failure(error)))
    }
}

/// The interactions recorded so far, shared by concurrent exchanges.
private final class InteractionLog: Sendable {
    private let state = Locked<[Cassette.Interaction]>([])

    var interactions: [Cassette.Interaction] { state.withLock { $0 } }

    func append(_ interaction: Cassette.Interaction) {
        state.withLock { $0.append(interaction) }
    }
}

/// Collects the chunks of one streamed body and reports them once, when the body ends, fails
/// or is released unfinished.
private final class StreamTap: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var claimed = false
        var finished = false
    }

    private let state = Locked(State())
    private let onFinish: @Sendable ([[UInt8]], Cassette.Failure?) -> Void

    init(onFinish: @escaping @Sendable ([[UInt8]], Cassette.Failure?) -> Void) {
        self.onFinish = onFinish
    }

    /// Whether the caller is the first reader of the body, the one whose chunks are recorded.
    func claim() -> Bool {
        state.withLock { state in
            defer { state.claimed = true }
            return !state.claimed
        }
    }

    func append(_ chunk: [UInt8]) {
        state.withLock { state in
            if !state.finished { state.chunks.append(chunk) }
        }
    }

    func finish(_ failure: Cassette.Failure?) {
        let chunks = state.withLock { state -> [[UInt8]]? in
            guard !state.finished else { return nil }
            state.finished = true
            return state.chunks
        }
        if let chunks { onFinish(chunks, failure) }
    }

    deinit { finish(nil) }
}

/// A body that passes its chunks through unchanged and shows them to a ``StreamTap``.
private struct TappedChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    let base: ByteChunks
    let tap: StreamTap

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), tap: tap.claim() ? tap : nil)
    }

    struct Iterator: AsyncIteratorProtocol, Sendable {
        var base: ByteChunks.AsyncIterator
        let tap: StreamTap?

        mutating func next() async throws -> [UInt8]? {
            do {
                guard let chunk = try await base.next() else {
                    tap?.finish(nil)
                    return nil
                }
                tap?.append(chunk)
                return chunk
            } catch let error as CancellationError {
                tap?.finish(nil)
                throw error
            } catch {
                tap?.finish(Cassette.Failure(error))
                throw error
            }
        }
    }
}

// MARK: - Sanitizing

/// Removes credentials from what is recorded; ``ReplayTransport`` applies the same to incoming
/// requests so they match their recordings.
struct Redactor: Sendable {
    /// Request headers that carry credentials, lowercased.
    static let droppedHeaders: Set<String> = ["x-goog-api-key", "authorization", "x-api-key", "proxy-authorization"]
    static let replacement = Array("REDACTED".utf8)

    /// Byte patterns to replace: each secret raw, percent-encoded (several ways) and JSON-escaped; longest first.
    private let patterns: [[UInt8]]

    init(secrets: [String]) {
        var patterns = Set<[UInt8]>()
        for secret in secrets where !secret.isEmpty {
            patterns.insert(Array(secret.utf8))
            for keepUnreserved in [true, false] {
                for uppercase in [true, false] {
                    patterns.insert(Array(secret.percentEncoded(keepingUnreserved: keepUnreserved, uppercase: uppercase).utf8))
                }
            }
            patterns.insert(Array(secret.jsonEscaped.utf8))
            patterns.insert(Array(secret.jsonEscaped.replacingOccurrences(of: "/", with: "\\/").utf8))
        }
        self.patterns = patterns.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
    }

    // MARK: Records

    func request(_ request: TransportRequest) -> Cassette.Request {
        let head = request.head
        let headers = head.headerFields
            .filter { !Self.droppedHeaders.contains($0.name.canonicalName) }
            .map { Cassette.Header(name: $0.name.rawName, value: scrub($0.value)) }
        return Cassette.Request(
            method: head.method.rawValue, scheme: head.scheme, authority: head.authority.map(scrub),
            path: path(head.path ?? "/"), headers: headers, body: scrub(request.body))
    }

    func interaction(
        _ request: Cassette.Request, head: HTTPResponse, chunks: [[UInt8]], isStream: Bool, failure: Cassette.Failure?
    ) -> Cassette.Interaction {
        let headers = head.headerFields.map { Cassette.Header(name: $0.name.rawName, value: scrub($0.value)) }
        let response = Cassette.Response(status: head.status.code, headers: headers, chunks: scrub(chunks), isStream: isStream)
        return Cassette.Interaction(request: request, response: response, failure: failure.map(scrub))
    }

    func failure(_ error: any Error) -> Cassette.Failure { scrub(Cassette.Failure(error)) }

    /// `path` without `key` query parameters and with secrets replaced.
    func path(_ path: String) -> String { scrub(Self.removingKeyParameters(path)) }

    // MARK: Scrubbing

    func scrub(_ failure: Cassette.Failure) -> Cassette.Failure {
        Cassette.Failure(kind: failure.kind, detail: scrub(failure.detail))
    }

    func scrub(_ text: String) -> String {
        guard !patterns.isEmpty else { return text }
        // A valid UTF-8 pattern only matches whole scalars of valid UTF-8 text.
        return String(decoding: scrub(Array(text.utf8)), as: UTF8.self)
    }

    func scrub(_ bytes: [UInt8]) -> [UInt8] {
        let found = matches(in: bytes)
        return found.isEmpty ? bytes : replacing(found, in: bytes)
    }

    /// Scrubs the chunks as one body, so a secret split across chunks is found, and keeps the
    /// chunk boundaries (one inside a secret moves to the end of its replacement).
    func scrub(_ chunks: [[UInt8]]) -> [[UInt8]] {
        guard !patterns.isEmpty else { return chunks }
        let body = chunks.flatMap { $0 }
        let found = matches(in: body)
        guard !found.isEmpty else { return chunks }
        let scrubbed = replacing(found, in: body)
        var result: [[UInt8]] = []
        var end = 0
        var newStart = 0
        for chunk in chunks {
            end += chunk.count
            let newEnd = Self.offset(end, after: found)
            result.append(Array(scrubbed[newStart..<newEnd]))
            newStart = newEnd
        }
        return result
    }

    /// Non-overlapping occurrences of any pattern, left to right, longest pattern first at each position.
    private func matches(in bytes: [UInt8]) -> [Range<Int>] {
        guard !patterns.isEmpty, !bytes.isEmpty else { return [] }
        var found: [Range<Int>] = []
        var index = 0
        search: while index < bytes.count {
            for pattern in patterns where pattern.count <= bytes.count - index && bytes[index] == pattern[0] {
                if bytes[index..<index + pattern.count].elementsEqual(pattern) {
                    found.append(index..<index + pattern.count)
                    index += pattern.count
                    continue search
                }
            }
            index += 1
        }
        return found
    }

    private func replacing(_ found: [Range<Int>], in bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var position = 0
        for range in found {
            result.append(contentsOf: bytes[position..<range.lowerBound])
            result.append(contentsOf: Self.replacement)
            position = range.upperBound
        }
        result.append(contentsOf: bytes[position...])
        return result
    }

    /// Where `offset` of the original lands after replacing `found`.
    private static func offset(_ offset: Int, after found: [Range<Int>]) -> Int {
        var shift = 0
        for range in found {
            if range.upperBound <= offset {
                shift += replacement.count - range.count
            } else if range.lowerBound < offset {
                return range.lowerBound + shift + replacement.count
            } else {
                break
            }
        }
        return offset + shift
    }

    /// `path` without any `key` parameter (name compared case-insensitively, after percent-decoding).
    static func removingKeyParameters(_ path: String) -> String {
        guard let mark = path.firstIndex(of: "?") else { return path }
        let parameters = path[path.index(after: mark)...].split(separator: "&", omittingEmptySubsequences: false)
        let kept = parameters.filter { parameter in
            let name = String(parameter.prefix { $0 != "=" })
            return (name.removingPercentEncoding ?? name).lowercased() != "key"
        }
        guard kept.count != parameters.count else { return path }
        let base = String(path[..<mark])
        return kept.isEmpty ? base : base + "?" + kept.joined(separator: "&")
    }
}

extension String {
    /// The string with every byte other than ASCII letters and digits (and, if
    /// `keepingUnreserved`, `-._~`) written as `%XX`.
    fileprivate func percentEncoded(keepingUnreserved: Bool, uppercase: Bool) -> String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                if keepingUnreserved {
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                } else {
                    out += byte.percentEscape(uppercase: uppercase)
                }
            default:
                out += byte.percentEscape(uppercase: uppercase)
            }
        }
        return out
    }
}

extension UInt8 {
    fileprivate func percentEscape(uppercase: Bool) -> String {
        "%" + String(self, radix: 16, uppercase: uppercase).leftPadded(to: 2)
    }
}
