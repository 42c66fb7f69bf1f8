#if Emulator  // the server needs SwiftNIO, resolved only with the package's Emulator trait
import CurlTransport
import Foundation
import GatewayCore
import GeminiEmulator
import HTTPTypes

/// An emulator plus a curl transport pointed at it, for the HTTP tests.
struct Harness {
    let emulator: GeminiEmulator
    let transport: CurlTransport

    static let key = "fake-test-key-0123456789-abcdef"

    /// One valid key (``key``) in project `p1`, plus `extraKeys`.
    static func configuration(
        extraKeys: [EmulatorKey] = [], quotas: [String: ModelQuota] = ["*": ModelQuota(rpm: 1000)],
        faults: FaultPlan = FaultPlan(), timeScale: Double = 1, seed: UInt64 = 1
    ) -> EmulatorConfiguration {
        EmulatorConfiguration(
            keys: [EmulatorKey(key: key, project: "p1", label: "main")] + extraKeys,
            quotas: quotas, timeScale: timeScale, faults: faults, seed: seed)
    }

    /// Runs `body` with a fresh emulator and transport, shutting both down afterwards.
    static func with<R>(
        _ configuration: EmulatorConfiguration = configuration(),
        curl: CurlConfiguration = CurlConfiguration(totalTimeout: .seconds(10)),
        _ body: (Harness) async throws -> R
    ) async throws -> R {
        try await GeminiEmulator.withEmulator(configuration) { emulator in
            try await CurlTransport.withTransport(configuration: curl) { transport in
                try await body(Harness(emulator: emulator, transport: transport))
            }
        }
    }

    func request(_ method: HTTPRequest.Method, _ path: String, key: String?, body: [UInt8] = []) -> TransportRequest {
        var head = HTTPRequest(method: method, scheme: "http", authority: emulator.authority, path: path)
        if let key { head.headerFields[HTTPField.Name("x-goog-api-key")!] = key }
        if !body.isEmpty { head.headerFields[.contentType] = "application/json" }
        return TransportRequest(head: head, body: body)
    }

    /// POSTs `json` to `/v1beta/models/<model>:<operation>`.
    func post(_ operation: String, model: String = "gemini-2.5-flash", key: String? = Harness.key, json: String = Harness.prompt("Hello")) async throws -> TransportResponse {
        try await transport.send(request(.post, "/v1beta/models/\(model):\(operation)", key: key, body: Array(json.utf8)))
    }

    func generate(key: String? = Harness.key, model: String = "gemini-2.5-flash", json: String = Harness.prompt("Hello")) async throws -> TransportResponse {
        try await post("generateContent", model: model, key: key, json: json)
    }

    func get(_ path: String, key: String? = Harness.key) async throws -> TransportResponse {
        try await transport.send(request(.get, path, key: key))
    }

    /// A minimal generateContent body with one user text.
    static func prompt(_ text: String) -> String {
        #"{"contents":[{"role":"user","parts":[{"text":"\#(text)"}]}]}"#
    }
}

/// JSON navigation for assertions.
enum JSON {
    static func object(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// The `error` object of an envelope.
    static func error(_ bytes: [UInt8]) -> [String: Any]? { object(bytes)?["error"] as? [String: Any] }

    /// The detail of `type` (`ErrorInfo`, `RetryInfo`, …) in an envelope.
    static func detail(_ bytes: [UInt8], _ type: String) -> [String: Any]? {
        (error(bytes)?["details"] as? [[String: Any]])?.first { ($0["@type"] as? String) == "type.googleapis.com/google.rpc.\(type)" }
    }

    /// `candidates[0]`.
    static func candidate(_ object: [String: Any]?) -> [String: Any]? { (object?["candidates"] as? [[String: Any]])?.first }

    /// `candidates[0].content.parts[0].text`.
    static func text(_ object: [String: Any]?) -> String? {
        ((candidate(object)?["content"] as? [String: Any])?["parts"] as? [[String: Any]])?.first?["text"] as? String
    }
}

extension TransportResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String? { head.headerFields[.contentType] }
}

/// The events of an SSE body: the JSON after each `data: `, split on the blank lines.
func sseEvents(_ text: String) -> [String] {
    text.components(separatedBy: "\r\n\r\n").filter { !$0.isEmpty }.map { $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : $0 }
}
#endif
