import Foundation
import GatewayCore
import GeminiProvider
import HTTPTypes

/// Fixed wall-clock instants (America/Los_Angeles), for per-day reset tests.
enum Instants {
    /// 2026-06-15 10:00 PDT: 14 h before the next Pacific midnight.
    static let juneMorning = Date(timeIntervalSince1970: 1_781_542_800)
    /// 2026-03-08 01:00 PST, the night clocks spring forward: 22 h to the next midnight.
    static let springForward = Date(timeIntervalSince1970: 1_772_960_400)
    /// 2026-03-07 23:00 PST: 1 h to midnight, before the change.
    static let beforeSpringForward = Date(timeIntervalSince1970: 1_772_953_200)
    /// 2026-11-01 00:30 PDT, the night clocks fall back: 24.5 h to the next midnight.
    static let fallBack = Date(timeIntervalSince1970: 1_793_518_200)
    /// 2026-06-16 00:00 PDT exactly: a whole day to the next midnight.
    static let midnight = Date(timeIntervalSince1970: 1_781_593_200)
    /// 2026-06-15 23:59:59.5 PDT: half a second to midnight.
    static let halfSecondToMidnight = Date(timeIntervalSince1970: 1_781_593_199.5)
}

extension GeminiProvider {
    /// A provider whose clock is stopped at `now`.
    static func fixed(at now: Date = Instants.juneMorning, baseURL: String = Configuration.defaultBaseURL) -> GeminiProvider {
        GeminiProvider(Configuration(baseURL: baseURL, now: { now }))
    }

    /// Parses a generateContent answer with `status` and `body`.
    func parse(status: Int, body: String, operation: GeminiRequest = .plain) -> Result<GeminiResponse, Failure> {
        parse(status: status, bytes: Array(body.utf8), operation: operation)
    }

    func parse(status: Int, bytes: [UInt8], operation: GeminiRequest = .plain) -> Result<GeminiResponse, Failure> {
        parse(TransportResponse(head: HTTPResponse(status: .init(code: status)), body: bytes), for: operation)
    }
}

extension GeminiRequest {
    /// A one-line generateContent request.
    static let plain = GeminiRequest.generateContent(GenerateContentRequest(contents: [.user("hi")]), model: "gemini-2.5-flash")
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var success: Success? { try? get() }
}

/// A key whose secret is long enough to be masked.
func testKey(_ secret: String = "AIza.Sy-test-secret-key-0001", index: Int = 0) -> APIKey {
    APIKey(secret: secret, id: KeyID(index))
}

/// The JSON object in `bytes`.
func jsonObject(_ bytes: [UInt8]) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
}
