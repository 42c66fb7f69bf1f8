#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes

/// Requests to the OpenAI-compatible surface (`/v1beta/openai/`), the key as `Authorization: Bearer`.
extension Harness {
    func openAIRequest(_ method: HTTPRequest.Method, _ path: String, key: String?, json: String? = nil) -> TransportRequest {
        var head = HTTPRequest(method: method, scheme: "http", authority: emulator.authority, path: "/v1beta/openai/\(path)")
        if let key { head.headerFields[.authorization] = "Bearer \(key)" }
        let body = json.map { Array($0.utf8) } ?? []
        if !body.isEmpty { head.headerFields[.contentType] = "application/json" }
        return TransportRequest(head: head, body: body)
    }

    /// POSTs `json` to `chat/completions`.
    func chat(key: String? = Harness.key, json: String = Harness.chatBody("Hello")) async throws -> TransportResponse {
        try await transport.send(openAIRequest(.post, "chat/completions", key: key, json: json))
    }

    /// POSTs `json` to `embeddings`.
    func embeddings(key: String? = Harness.key, json: String) async throws -> TransportResponse {
        try await transport.send(openAIRequest(.post, "embeddings", key: key, json: json))
    }

    /// GETs `models` or `models/{id}`.
    func openAIGet(_ path: String, key: String? = Harness.key) async throws -> TransportResponse {
        try await transport.send(openAIRequest(.get, path, key: key))
    }

    /// A chat body with one user message.
    static func chatBody(_ text: String, model: String = "gemini-2.5-flash", extra: String = "") -> String {
        #"{"model":"\#(model)","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"\#(text)"}]\#(extra)}"#
    }
}

extension TransportResponse {
    /// A response header by name.
    func header(_ name: String) -> String? { head.headerFields[HTTPField.Name(name)!] }

    /// The `x-ratelimit-*` and `retry-after` headers present.
    var rateLimitHeaderNames: [String] {
        head.headerFields.map { $0.name.canonicalName }.filter { $0.hasPrefix("x-ratelimit-") || $0 == "retry-after" }.sorted()
    }
}

/// JSON navigation for OpenAI-shaped bodies.
enum OpenAIJSON {
    /// `error` of OpenAI's object.
    static func error(_ bytes: [UInt8]) -> [String: Any]? { JSON.object(bytes)?["error"] as? [String: Any] }

    /// `error` of the single element of Gemini's array, or nil when the body is not a one-element array.
    static func arrayError(_ bytes: [UInt8]) -> [String: Any]? {
        guard let array = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [Any], array.count == 1 else { return nil }
        return (array[0] as? [String: Any])?["error"] as? [String: Any]
    }

    /// `choices[0]`.
    static func choice(_ object: [String: Any]?) -> [String: Any]? { (object?["choices"] as? [[String: Any]])?.first }

    /// `choices[0].message.content`.
    static func content(_ object: [String: Any]?) -> String? { (choice(object)?["message"] as? [String: Any])?["content"] as? String }
}

/// The `data:` payloads of an OpenAI-style SSE body (LF framing), and whether every event was a
/// single `data: ` line followed by a blank line.
func openAIEvents(_ text: String) -> (payloads: [String], wellFramed: Bool) {
    let blocks = text.components(separatedBy: "\n\n")
    let wellFramed = text.hasSuffix("\n\n") && blocks.dropLast().allSatisfy { $0.hasPrefix("data: ") && !$0.contains("\n") }
    return (blocks.filter { !$0.isEmpty }.map { $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : $0 }, wellFramed)
}

/// Seconds in a Go duration string (`"1.5s"`, `"12ms"`, `"6m0s"`, `"1h0m0s"`), or nil if it is not one.
func goDurationSeconds(_ text: String) -> Double? {
    var total = 0.0
    var rest = Substring(text)
    guard !rest.isEmpty else { return nil }
    while !rest.isEmpty {
        let number = rest.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(number) else { return nil }
        rest = rest.dropFirst(number.count)
        let unit = rest.prefix { $0.isLetter }
        rest = rest.dropFirst(unit.count)
        switch unit {
        case "h": total += value * 3600
        case "m": total += value * 60
        case "s": total += value
        case "ms": total += value / 1000
        default: return nil
        }
    }
    return total
}
#endif
