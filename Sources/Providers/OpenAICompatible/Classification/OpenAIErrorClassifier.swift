import Foundation
import GatewayCore
import HTTPTypes

/// Classifies a non-2xx answer of an OpenAI-compatible API from its structure — status, the
/// envelope's `code` and `type`, Google's `ErrorInfo.reason`, `RetryInfo` and `QuotaFailure` —
/// never from its message text. The table and each row's source: ARCHITECTURE.md,
/// "Classification (OpenAI-compatible)".
///
/// Bodies come in several shapes, all accepted: OpenAI's `{"error":{message,type,param,code}}`;
/// Gemini's OpenAI endpoint's JSON **array** of Google envelopes
/// (`[{"error":{code,message,status,details}}]`); OpenRouter's and llama.cpp's numeric codes;
/// vLLM's and Mistral's flat `{"object":"error",…}` and `{"message":…}`; and anything else
/// (HTML, text, nothing), classified by status.
struct OpenAIErrorClassifier: Sendable {
    let now: @Sendable () -> Date

    /// 429 codes that mean the money, not the pace, ran out: no wait helps.
    static let billingCodes: Set<String> = [
        "insufficient_quota", "credit_balance_exhausted", "organization_spend_limit_exceeded",
        "project_spend_limit_exceeded", "organization_usage_limit_exceeded", "billing_hard_limit_reached",
    ]

    /// What the body says, whatever its shape.
    struct Envelope {
        var message = ""
        var type: String?
        var code: String?
        /// Google's canonical status (`RESOURCE_EXHAUSTED`, …), for the array shape.
        var status: String?
        var reason: String?
        var retryDelay: Duration?
        var perDay = false
    }

    func classify(status: Int, headers: HTTPFields, body: [UInt8]) -> Failure {
        let envelope = Self.envelope(from: body)
        let message = envelope.map { Self.describe($0) } ?? Self.snippet(of: body)
        let kind = self.kind(status: status, envelope: envelope ?? Envelope(), headers: headers)
        return Failure(kind, status: status, message: message)
    }

    private func kind(status: Int, envelope: Envelope, headers: HTTPFields) -> Failure.Kind {
        let code = envelope.code?.lowercased()
        let type = envelope.type?.lowercased()
        // Google envelopes (Gemini's endpoint): the reason decides the key's fate.
        switch envelope.reason {
        case "API_KEY_INVALID", "API_KEY_EXPIRED", "ACCESS_TOKEN_TYPE_UNSUPPORTED": return .invalidKey
        case "CONSUMER_SUSPENDED", "SERVICE_DISABLED", "API_KEY_SERVICE_BLOCKED": return .permissionDenied
        default: break
        }
        switch status {
        case 401:
            return .invalidKey
        case 402:
            return .billing
        case 403:
            // A region refusal is the caller's network, not the key.
            if code == "unsupported_country_region_territory" || type == "request_forbidden" { return .badRequest(status: 403) }
            return .permissionDenied
        case 408:
            return .timeout
        case 429:
            if let code, Self.billingCodes.contains(code) { return .billing }
            if type == "insufficient_quota" { return .billing }
            let delay = envelope.retryDelay ?? RateLimitHeaders.retryAfter(in: headers, now: now()) ?? Self.resetWait(in: headers)
            let window: QuotaWindow = envelope.perDay ? .perDay : (code == nil && envelope.status == nil ? .unknown : .perMinute)
            return .rateLimited(RateLimitDetails(retryAfter: delay, window: window, quotaID: envelope.code))
        case 409, 500...599:
            return .serverError(status: status)
        case 400..<500:
            return .badRequest(status: status)
        default:
            return .other
        }
    }

    /// When a 429 names no wait: the reset of the budget its headers say is spent.
    private static func resetWait(in headers: HTTPFields) -> Duration? {
        guard let limits = RateLimitHeaders.limits(in: headers, window: .seconds(60)) else { return nil }
        var wait: Duration?
        if limits.requestsRemaining == 0, let reset = limits.requestsReset { wait = reset }
        if limits.tokensRemaining == 0, let reset = limits.tokensReset { wait = max(wait ?? reset, reset) }
        return wait
    }

    // MARK: Reading the body

    /// The envelope of any accepted shape, or `nil` when the body is not one.
    static func envelope(from body: [UInt8]) -> Envelope? {
        guard body.count <= 1 << 20, let json = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            return nil
        }
        if let array = json as? [Any], let first = array.first as? [String: Any], let error = first["error"] as? [String: Any] {
            return google(error)
        }
        guard let object = json as? [String: Any] else { return nil }
        if let error = object["error"] as? [String: Any] {
            return error["status"] is String || error["details"] is [Any] ? google(error) : openAI(error)
        }
        if let message = object["error"] as? String { return Envelope(message: message) }
        if object["message"] != nil || object["object"] as? String == "error" { return openAI(object) }
        return nil
    }

    private static func openAI(_ error: [String: Any]) -> Envelope {
        Envelope(message: text(error["message"]), type: error["type"] as? String, code: codeText(error["code"]))
    }

    private static func google(_ error: [String: Any]) -> Envelope {
        var envelope = Envelope(message: text(error["message"]), code: nil, status: error["status"] as? String)
        for detail in error["details"] as? [[String: Any]] ?? [] {
            let type = detail["@type"] as? String ?? ""
            if type.hasSuffix("google.rpc.ErrorInfo") { envelope.reason = detail["reason"] as? String }
            if type.hasSuffix("google.rpc.RetryInfo"), let delay = detail["retryDelay"] as? String {
                envelope.retryDelay = GoDuration.parse(delay)
            }
            if type.hasSuffix("google.rpc.QuotaFailure") {
                let violations = detail["violations"] as? [[String: Any]] ?? []
                envelope.perDay = violations.contains { ($0["quotaId"] as? String)?.contains("PerDay") == true }
                envelope.code = violations.first?["quotaId"] as? String
            }
        }
        return envelope
    }

    /// `code` as servers write it: a string, a number, or null.
    private static func codeText(_ value: Any?) -> String? {
        switch value {
        case let text as String: text.isEmpty ? nil : text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    /// `message` as servers write it: a string, or any JSON (Mistral sends arrays).
    private static func text(_ value: Any?) -> String {
        switch value {
        case let text as String: return text
        case nil, is NSNull: return ""
        case let other?:
            guard JSONSerialization.isValidJSONObject(other), let data = try? JSONSerialization.data(withJSONObject: other) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static func describe(_ envelope: Envelope) -> String {
        let label = [envelope.code, envelope.reason, envelope.status].compactMap { $0 }.first
        let message = envelope.message.filter { !$0.isNewline }
        return label.map { "\($0): \(message)" } ?? message
    }

    /// A short, tag-free piece of a body that is not an envelope (an HTML error page, text).
    static func snippet(of body: [UInt8]) -> String {
        var text = String(decoding: body.prefix(4096), as: UTF8.self)
        while let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text.replaceSubrange(open...close, with: " ")
        }
        let words = text.split { $0.isWhitespace || $0.isNewline }.joined(separator: " ")
        return String(words.prefix(200))
    }
}
