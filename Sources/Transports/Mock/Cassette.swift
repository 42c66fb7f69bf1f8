import Foundation
import GatewayCore
import HTTPTypes

/// Recorded HTTP exchanges, as ``RecordingTransport`` writes them and ``ReplayTransport`` plays
/// them back.
///
/// On disk a cassette is gzip-compressed JSON (see ``load(from:)`` and ``write(to:)``). Bodies
/// are base64; a response body is kept as the chunks it arrived in, so a streamed response
/// replays with the same chunking. Header fields are `[name, value]` pairs, in order.
///
/// A cassette written by ``RecordingTransport`` holds no credentials: see its documentation
/// for what is removed.
public struct Cassette: Codable, Hashable, Sendable {
    /// The format version this library reads and writes.
    public static let currentVersion = 1

    /// The format version of this cassette.
    public var version: Int
    /// The exchanges, in the order they completed while recording.
    public var interactions: [Interaction]

    /// A cassette holding `interactions`.
    public init(interactions: [Interaction] = [], version: Int = Cassette.currentVersion) {
        self.version = version
        self.interactions = interactions
    }

    /// One header field; encoded as a `[name, value]` pair.
    public struct Header: Codable, Hashable, Sendable {
        /// The field name as sent (compare case-insensitively).
        public var name: String
        /// The field value.
        public var value: String

        /// A header field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }

        /// Decodes a `[name, value]` pair; a name that is not a valid field name is an error.
        public init(from decoder: any Decoder) throws {
            var pair = try decoder.unkeyedContainer()
            name = try pair.decode(String.self)
            value = try pair.decode(String.self)
            guard pair.isAtEnd else {
                throw DecodingError.dataCorruptedError(in: pair, debugDescription: "a header is a [name, value] pair")
            }
            guard HTTPField.Name(name) != nil else {
                throw DecodingError.dataCorruptedError(in: pair, debugDescription: "invalid header name")
            }
        }

        /// Encodes the field as a `[name, value]` pair.
        public func encode(to encoder: any Encoder) throws {
            var pair = encoder.unkeyedContainer()
            try pair.encode(name)
            try pair.encode(value)
        }
    }

    /// The request of an exchange.
    public struct Request: Codable, Hashable, Sendable {
        /// The method, e.g. `"POST"`.
        public var method: String
        /// The scheme, e.g. `"https"`.
        public var scheme: String?
        /// The host and port.
        public var authority: String?
        /// The path including any query.
        public var path: String
        /// The header fields in order, without credentials.
        public var headers: [Header]
        /// The body (base64 in the file).
        public var body: [UInt8]

        /// A recorded request.
        public init(method: String, scheme: String?, authority: String?, path: String, headers: [Header], body: [UInt8]) {
            self.method = method
            self.scheme = scheme
            self.authority = authority
            self.path = path
            self.headers = headers
            self.body = body
        }

        private enum CodingKeys: String, CodingKey { case method, scheme, authority, path, headers, body }

        /// Decodes a request; the body is base64 text.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            method = try container.decode(String.self, forKey: .method)
            scheme = try container.decodeIfPresent(String.self, forKey: .scheme)
            authority = try container.decodeIfPresent(String.self, forKey: .authority)
            path = try container.decode(String.self, forKey: .path)
            headers = try container.decode([Header].self, forKey: .headers)
            body = try container.decodeBase64(forKey: .body)
        }

        /// Encodes the request with the body as base64 text.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(method, forKey: .method)
            try container.encodeIfPresent(scheme, forKey: .scheme)
            try container.encodeIfPresent(authority, forKey: .authority)
            try container.encode(path, forKey: .path)
            try container.encode(headers, forKey: .headers)
            try container.encode(Data(body).base64EncodedString(), forKey: .body)
        }
    }

    /// The response of an exchange.
    public struct Response: Codable, Hashable, Sendable {
        /// The status code (`0...999`).
        public var status: Int
        /// The header fields in order.
        public var headers: [Header]
        /// The body as the chunks it arrived in (one chunk for a plain response, none for an empty one).
        public var chunks: [[UInt8]]
        /// Whether it was recorded from `stream` rather than `send`.
        public var isStream: Bool

        /// A recorded response.
        public init(status: Int, headers: [Header], chunks: [[UInt8]], isStream: Bool) {
            self.status = status
            self.headers = headers
            self.chunks = chunks
            self.isStream = isStream
        }

        /// The whole body.
        public var body: [UInt8] { chunks.flatMap { $0 } }

        private enum CodingKeys: String, CodingKey { case status, headers, chunks, isStream = "stream" }

        /// Decodes a response; chunks are base64 text and the status must be in `0...999`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            status = try container.decode(Int.self, forKey: .status)
            guard (0...999).contains(status) else {
                throw DecodingError.dataCorruptedError(forKey: .status, in: container, debugDescription: "status out of range")
            }
            headers = try container.decode([Header].self, forKey: .headers)
            chunks = try container.decode([String].self, forKey: .chunks).map { text in
                guard let data = Data(base64Encoded: text) else {
                    throw DecodingError.dataCorruptedError(forKey: .chunks, in: container, debugDescription: "invalid base64")
                }
                return Array(data)
            }
            isStream = try container.decode(Bool.self, forKey: .isStream)
        }

        /// Encodes the response with each chunk as base64 text.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(headers, forKey: .headers)
            try container.encode(chunks.map { Data($0).base64EncodedString() }, forKey: .chunks)
            try container.encode(isStream, forKey: .isStream)
        }
    }

    /// How an exchange failed: before a response head (the interaction has no response) or
    /// while its body streamed.
    public struct Failure: Codable, Hashable, Sendable {
        /// A `TransportError` kind (its `shortDescription`), or `"other"` for any other error.
        public var kind: String
        /// The error's detail or description.
        public var detail: String

        /// A recorded failure.
        public init(kind: String, detail: String) {
            self.kind = kind
            self.detail = detail
        }
    }

    /// One exchange: a request and its response, failure, or both (a stream cut mid-body).
    public struct Interaction: Codable, Hashable, Sendable {
        /// The request as recorded (sanitized).
        public var request: Request
        /// `nil` when the exchange failed before a response head arrived.
        public var response: Response?
        /// Set when the exchange, or its streamed body, failed.
        public var failure: Failure?

        /// A recorded exchange.
        public init(request: Request, response: Response?, failure: Failure? = nil) {
            self.request = request
            self.response = response
            self.failure = failure
        }
    }
}

extension KeyedDecodingContainer {
    fileprivate func decodeBase64(forKey key: Key) throws -> [UInt8] {
        guard let data = Data(base64Encoded: try decode(String.self, forKey: key)) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "invalid base64")
        }
        return Array(data)
    }
}

extension Cassette.Failure {
    /// How `error` is recorded: a `TransportError` by kind and detail, anything else as `"other"`.
    init(_ error: any Error) {
        if let transportError = error as? TransportError {
            self.init(kind: transportError.shortDescription, detail: transportError.detail)
        } else {
            self.init(kind: "other", detail: String(describing: error))
        }
    }

    /// The error to replay: a `TransportError` of the recorded kind (`.other` for unknown kinds).
    var error: TransportError {
        if let make = Self.transportErrors[kind] { return make(detail) }
        return .other(kind == "other" ? detail : "\(kind): \(detail)")
    }

    private static let transportErrors: [String: @Sendable (String) -> TransportError] = {
        let makers: [@Sendable (String) -> TransportError] = [
            { .connectionRefused($0) }, { .connectionReset($0) }, { .dnsFailure($0) }, { .tlsFailure($0) },
            { .timeout($0) }, { .malformedResponse($0) }, { .shutdown($0) }, { .other($0) },
            { detail in .responseTooLarge(limit: Int(detail.filter(\.isNumber)) ?? 0) },
        ]
        return Dictionary(makers.map { ($0("").shortDescription, $0) }, uniquingKeysWith: { first, _ in first })
    }()
}

// MARK: - File format

extension Cassette {
    /// The most JSON a cassette file may inflate to.
    static let maxJSONBytes = 256 << 20

    /// Reads a cassette file (gzip- or zlib-compressed JSON).
    /// - Throws: ``CassetteError/unreadable(_:)`` if the file cannot be read,
    ///   ``CassetteError/corrupt(_:)`` if it is not a compressed cassette,
    ///   ``CassetteError/unsupportedVersion(_:)`` for another format version.
    public static func load(from path: String) throws(CassetteError) -> Cassette {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable("cannot read \(path)")
        }
        return try Cassette(compressed: Array(data))
    }

    /// Decodes a cassette from the bytes of a cassette file.
    /// - Throws: ``CassetteError/corrupt(_:)`` or ``CassetteError/unsupportedVersion(_:)``.
    public init(compressed bytes: [UInt8]) throws(CassetteError) {
        let json: [UInt8]
        do {
            json = try Gzip.decompress(bytes, maxOutputBytes: Self.maxJSONBytes)
        } catch {
            throw .corrupt(error.description)
        }
        let decoder = JSONDecoder()
        let probe: VersionProbe
        do {
            probe = try decoder.decode(VersionProbe.self, from: Data(json))
        } catch {
            throw .corrupt("not a cassette: no version")
        }
        guard probe.version == Self.currentVersion else { throw .unsupportedVersion(probe.version) }
        do {
            self = try decoder.decode(Cassette.self, from: Data(json))
        } catch let error as DecodingError {
            throw .corrupt(error.summary)
        } catch {
            throw .corrupt("undecodable")
        }
    }

    /// The bytes of a cassette file: pretty-printed JSON with sorted keys, gzip-compressed.
    public func compressed() throws(CassetteError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json: Data
        do {
            json = try encoder.encode(self)
        } catch {
            throw .writeFailed("cannot encode: \(error)")
        }
        do {
            return try Gzip.compress(Array(json))
        } catch {
            throw .writeFailed(error.description)
        }
    }

    /// Writes the cassette to `path` atomically: into a temporary file in the same folder, which
    /// is flushed to disk and then renamed over `path`. Readers see the old file or the new one,
    /// never a partial one; on failure the temporary file is removed.
    /// - Throws: ``CassetteError/writeFailed(_:)``.
    public func write(to path: String) throws(CassetteError) {
        try writeAtomically(compressed(), to: path)
    }

    private struct VersionProbe: Decodable {
        let version: Int
    }
}

private func writeAtomically(_ bytes: [UInt8], to path: String) throws(CassetteError) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else { throw .writeFailed("\(path) is not a file path") }
    let temporary = "\(folder).\(name).\(UUID().uuidString).tmp"

    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .writeFailed("cannot create a file in \(folder.isEmpty ? "." : folder): \(errnoText())") }
    var renamed = false
    defer { if !renamed { unlink(temporary) } }

    var failure: String?
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                failure = "write: \(errnoText())"
                return
            }
            offset += written
        }
    }
    if failure == nil, fsync(descriptor) != 0 { failure = "fsync: \(errnoText())" }
    if close(descriptor) != 0, failure == nil { failure = "close: \(errnoText())" }
    if let failure { throw .writeFailed(failure) }
    guard rename(temporary, path) == 0 else { throw .writeFailed("rename to \(path): \(errnoText())") }
    renamed = true
}

private func errnoText() -> String { String(cString: strerror(errno)) }

extension DecodingError {
    /// Where and why decoding failed, without the offending values.
    fileprivate var summary: String {
        let (path, reason): ([any CodingKey], String) = switch self {
        case .typeMismatch(_, let context): (context.codingPath, "wrong type")
        case .valueNotFound(_, let context): (context.codingPath, "missing value")
        case .keyNotFound(let key, let context): (context.codingPath + [key], "missing key")
        case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
        @unknown default: ([], "undecodable")
        }
        let location = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return location.isEmpty ? reason : "\(reason) at \(location)"
    }
}

// MARK: - Errors

/// A cassette could not be read, written or played.
public struct CassetteError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Hashable, Sendable {
        case unreadable = "cassette unreadable"
        case corrupt = "cassette corrupt"
        case unsupportedVersion = "unsupported cassette version"
        case writeFailed = "cassette write failed"
        case noMatch = "no recorded interaction"
    }

    private let code: Code
    /// Extra detail: a file path, a position in the file, or the unmatched request's method and
    /// path (never its query, headers or body, so never a key).
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The file does not exist or cannot be read.
    public static func unreadable(_ detail: String = "") -> Self { Self(.unreadable, detail) }
    /// The file is not compressed cassette JSON, or holds invalid values.
    public static func corrupt(_ detail: String = "") -> Self { Self(.corrupt, detail) }
    /// The file has a format version this library does not read.
    public static func unsupportedVersion(_ version: Int) -> Self { Self(.unsupportedVersion, "\(version)") }
    /// The file could not be written.
    public static func writeFailed(_ detail: String = "") -> Self { Self(.writeFailed, detail) }
    /// No interaction in the cassette matches a request with this method and path (give the
    /// path without its query).
    public static func noMatch(method: String, path: String) -> Self { Self(.noMatch, "\(method) \(path)") }

    /// A detail-free name of the kind of failure.
    public var shortDescription: String { code.rawValue }

    /// Whether two errors are of the same kind, ignoring detail.
    public func isSameKind(as other: CassetteError) -> Bool { code == other.code }

    /// The kind of failure and its detail.
    public var description: String {
        if detail.isEmpty { return code.rawValue }
        return code == .noMatch ? "\(code.rawValue) for \(detail)" : "\(code.rawValue): \(detail)"
    }
}
