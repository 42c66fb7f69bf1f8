import Foundation
import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// Request builders and small readers shared by the MockTransport tests.

/// The path most tests send to; its query must be ignored by path matching.
let generatePath = "/v1beta/models/m:generateContent?alt=sse"
/// `generatePath` without its query.
let generatePathWithoutQuery = "/v1beta/models/m:generateContent"

/// The header that carries an API key.
enum KeyHeader: Sendable, CaseIterable, CustomTestStringConvertible {
    case googAPIKey, xAPIKey, bearer

    var testDescription: String {
        switch self {
        case .googAPIKey: "x-goog-api-key"
        case .xAPIKey: "x-api-key"
        case .bearer: "Authorization: Bearer"
        }
    }
}

/// A request to `example.test`, optionally carrying `key` in the header `via`.
func makeRequest(
    path: String = generatePath,
    method: HTTPRequest.Method = .post,
    key: String? = nil,
    via header: KeyHeader = .googAPIKey,
    headers extra: HTTPFields = [:],
    body: String = ""
) -> TransportRequest {
    var fields = extra
    if let key {
        switch header {
        case .googAPIKey: fields[HTTPField.Name("x-goog-api-key")!] = key
        case .xAPIKey: fields[HTTPField.Name("x-api-key")!] = key
        case .bearer: fields[.authorization] = "Bearer \(key)"
        }
    }
    let head = HTTPRequest(method: method, scheme: "https", authority: "example.test", path: path, headerFields: fields)
    return TransportRequest(head: head, body: Array(body.utf8))
}

extension TransportResponse {
    /// The body as UTF-8 text.
    var text: String { String(decoding: body, as: UTF8.self) }
}

extension MockTransport {
    /// Sends `request` and returns only the status code.
    func status(of request: TransportRequest) async throws -> Int {
        try await send(request).status
    }
}

/// Reads every chunk of a streamed body as text; a stream error is returned beside the chunks.
func drain(_ body: ByteChunks) async -> (chunks: [String], error: (any Error)?) {
    var chunks: [String] = []
    do {
        for try await chunk in body { chunks.append(String(decoding: chunk, as: UTF8.self)) }
        return (chunks, nil)
    } catch {
        return (chunks, error)
    }
}

/// The body of `response` parsed as a top-level JSON object.
///
/// Foundation's `JSONSerialization` on Linux accepts trailing commas (`[1,]`), which real JSON
/// parsers reject, so the body is also checked for them.
func jsonObject(_ response: MockResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let trailingComma = hasTrailingComma(response.body)
    #expect(!trailingComma, "trailing comma in JSON body", sourceLocation: sourceLocation)
    let parsed = try JSONSerialization.jsonObject(with: Data(response.body))
    return try #require(parsed as? [String: Any], "body is not a JSON object", sourceLocation: sourceLocation)
}

/// The `error` object of a Gemini error envelope.
func geminiError(_ response: MockResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let object = try jsonObject(response, sourceLocation: sourceLocation)
    return try #require(object["error"] as? [String: Any], "no error object", sourceLocation: sourceLocation)
}

/// The entries of `error.details` (empty when absent).
func details(of error: [String: Any]) -> [[String: Any]] {
    error["details"] as? [[String: Any]] ?? []
}

/// The first detail whose `@type` ends with `typeSuffix` (e.g. `"google.rpc.RetryInfo"`).
func detail(_ typeSuffix: String, in error: [String: Any]) -> [String: Any]? {
    details(of: error).first { ($0["@type"] as? String)?.hasSuffix(typeSuffix) == true }
}

/// Whether a `,` directly precedes a `]` or `}` (whitespace aside) outside JSON strings.
func hasTrailingComma(_ json: [UInt8]) -> Bool {
    var inString = false, escaped = false, lastSignificant: UInt8 = 0
    for byte in json {
        if inString {
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            lastSignificant = byte
            continue
        }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
        case UInt8(ascii: "]"), UInt8(ascii: "}"): if lastSignificant == UInt8(ascii: ",") { return true }
        case UInt8(ascii: "\""): inString = true
        default: break
        }
        lastSignificant = byte
    }
    return false
}
