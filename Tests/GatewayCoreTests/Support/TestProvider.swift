import Foundation
import GatewayCore
import HTTPTypes

/// A minimal Gemini-shaped provider for core tests: classifies by status and the structured
/// fields of the error envelope (never by message text). The real Gemini provider is its own module.
struct TestProvider: Provider {
    struct Request: Sendable {
        var prompt: String
        var model = "test-model"
        var tokens = 0
        init(_ prompt: String, tokens: Int = 0) {
            self.prompt = prompt
            self.tokens = tokens
        }
    }
    typealias Response = String

    func makeRequest(_ request: Request, key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-goog-api-key")!] = key.revealSecret()
        fields[.contentType] = "application/json"
        let head = HTTPRequest(
            method: .post, scheme: "https", authority: "test.invalid",
            path: "/v1beta/models/\(request.model):generateContent", headerFields: fields)
        let body = try JSONSerialization.data(withJSONObject: ["prompt": request.prompt])
        return TransportRequest(head: head, body: Array(body))
    }

    func cost(of request: Request) -> RateLimitCost { RateLimitCost(requests: 1, tokens: request.tokens) }

    func parse(_ response: TransportResponse, for request: Request) -> Result<String, Failure> {
        let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let status = response.status
        if status == 200 {
            guard let json else { return .failure(Failure(.serverError(status: 200), status: 200, message: "malformed body")) }
            if let feedback = json["promptFeedback"] as? [String: Any], let reason = feedback["blockReason"] as? String {
                return .failure(Failure(.blocked(reason: reason), status: 200))
            }
            let candidates = json["candidates"] as? [[String: Any]]
            let content = candidates?.first?["content"] as? [String: Any]
            let parts = content?["parts"] as? [[String: Any]]
            guard let text = parts?.first?["text"] as? String else {
                return .failure(Failure(.other, status: 200, message: "no text"))
            }
            return .success(text)
        }
        let error = json?["error"] as? [String: Any]
        let message = error?["message"] as? String ?? ""
        let details = error?["details"] as? [[String: Any]] ?? []
        func detail(_ suffix: String) -> [String: Any]? {
            details.first { ($0["@type"] as? String)?.hasSuffix(suffix) == true }
        }
        switch status {
        case 400 where detail("ErrorInfo")?["reason"] as? String == "API_KEY_INVALID", 401:
            return .failure(Failure(.invalidKey, status: status, message: message))
        case 402:
            return .failure(Failure(.billing, status: status, message: message))
        case 403:
            return .failure(Failure(.permissionDenied, status: status, message: message))
        case 429:
            let quotaID = ((detail("QuotaFailure")?["violations"] as? [[String: Any]])?.first?["quotaId"] as? String)
            let delay = (detail("RetryInfo")?["retryDelay"] as? String).flatMap(Self.parseDelay)
            let daily = quotaID?.contains("PerDay") == true
            let details = RateLimitDetails(
                retryAfter: daily ? nil : delay, window: daily ? .perDay : (quotaID == nil ? .unknown : .perMinute),
                quotaID: quotaID)
            return .failure(Failure(.rateLimited(details), status: status, message: message))
        case 500...599:
            return .failure(Failure(.serverError(status: status), status: status, message: String(message.prefix(80))))
        default:
            return .failure(Failure(.badRequest(status: status), status: status, message: message))
        }
    }

    /// `"26s"`, `"0.5s"`, `"900ms"`.
    static func parseDelay(_ text: String) -> Duration? {
        if text.hasSuffix("ms"), let value = Double(text.dropLast(2)) { return .secondsClamped(value / 1000) }
        if text.hasSuffix("s"), let value = Double(text.dropLast()) { return .secondsClamped(value) }
        return nil
    }
}
