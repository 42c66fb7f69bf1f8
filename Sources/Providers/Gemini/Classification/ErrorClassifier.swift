import Foundation
import GatewayCore

/// Classifies a non-2xx Gemini answer into a `Failure` from the structured error envelope
/// (status, `ErrorInfo.reason`, `QuotaFailure`, `RetryInfo`). Free text is read only where
/// it is the sole signal: the leaked-key and "unregistered callers" 403s, the prepay-depleted
/// 429 and "limit: 0". The table and its sources: ARCHITECTURE.md, "Classification".
struct ErrorClassifier: Sendable {
    /// Now, for per-day resets.
    let now: @Sendable () -> Date

    func classify(status: Int, body: [UInt8]) -> Failure {
        guard let envelope = ErrorEnvelope.read(from: body) else { return classifyBare(status: status, body: body) }
        let message = BodySnippet.ofMessage(envelope.message)
        if let keyFailure = keyFailure(envelope, status: status, message: message) { return keyFailure }
        switch status {
        case 401:
            return Failure(.invalidKey, status: status, message: message)
        case 402:
            return Failure(.billing, status: status, message: message)
        case 403:
            return classifyForbidden(envelope, message: message)
        case 408:
            return Failure(.timeout, status: status, message: message)
        case 429:
            return classifyRateLimit(envelope, message: message)
        case 499, 500...599:
            return Failure(.serverError(status: status), status: status, message: BodySnippet.ofMessage(envelope.message, limit: 120))
        case 400...499:
            let label = envelope.status.map { "\($0): " } ?? ""
            return Failure(.badRequest(status: status), status: status, message: label + message)
        default:
            return Failure(.other, status: status, message: "unexpected HTTP \(status): \(message)")
        }
    }

    // MARK: Keys

    /// `ErrorInfo` reasons that condemn the key whatever the status.
    private static let invalidKeyReasons: Set = ["API_KEY_INVALID", "API_KEY_EXPIRED", "ACCESS_TOKEN_TYPE_UNSUPPORTED"]
    /// `ErrorInfo` reasons that make a key useless for this API (google/api/error_reason.proto).
    private static let refusedKeyReasons: [String: String] = [
        "CONSUMER_SUSPENDED": "suspended",
        "SERVICE_DISABLED": "service disabled",
        "API_KEY_SERVICE_BLOCKED": "key restricted from this API",
        "API_KEY_HTTP_REFERRER_BLOCKED": "key restricted by HTTP referrer",
        "API_KEY_IP_ADDRESS_BLOCKED": "key restricted by IP address",
        "API_KEY_ANDROID_APP_BLOCKED": "key restricted to an Android app",
        "API_KEY_IOS_APP_BLOCKED": "key restricted to an iOS app",
    ]

    private func keyFailure(_ envelope: ErrorEnvelope, status: Int, message: String) -> Failure? {
        let reasons = envelope.reasons
        if let reason = reasons.first(where: Self.invalidKeyReasons.contains) {
            return Failure(.invalidKey, status: status, message: "\(reason): \(message)")
        }
        if let reason = reasons.first(where: { Self.refusedKeyReasons[$0] != nil }), (400...499).contains(status) {
            // The suspended message echoes the key: say what happened in our words, plus the project.
            var text = "\(Self.refusedKeyReasons[reason]!) (\(reason))"
            if let consumer = envelope.metadata("consumer"), consumer.hasPrefix("projects/") {
                text += ", \(BodySnippet.ofMessage(consumer, limit: 80))"
            }
            return Failure(.permissionDenied, status: status, message: text)
        }
        return nil
    }

    private func classifyForbidden(_ envelope: ErrorEnvelope, message: String) -> Failure {
        let lowered = envelope.message.lowercased()
        if lowered.contains("leaked") {
            return Failure(.permissionDenied, status: 403, message: "leaked: the key was reported as leaked")
        }
        if lowered.contains("unregistered callers") {
            return Failure(.other, status: 403, message:
                "configuration: no API key reached the server (unregistered callers); check that the x-goog-api-key header is sent and not stripped by a proxy")
        }
        // Other denials (a file of another project, a tuned model) are about the request, not the key.
        return Failure(.badRequest(status: 403), status: 403, message: "permission denied: \(message)")
    }

    // MARK: Rate limits

    private func classifyRateLimit(_ envelope: ErrorEnvelope, message: String) -> Failure {
        let lowered = envelope.message.lowercased()
        if lowered.contains("prepay"), lowered.contains("depleted") {
            return Failure(.billing, status: 429, message: message)
        }
        var quotaIDs = envelope.violations.compactMap(\.quotaId)
        // The 2024 format: ErrorInfo RATE_LIMIT_EXCEEDED with the quota in its metadata.
        if let legacy = envelope.metadata("quota_limit") { quotaIDs.append(legacy) }
        let zeroLimit = Self.saysLimitZero(envelope.message)
            || envelope.violations.contains { $0.quotaValue == "0" }
            || envelope.metadata("quota_limit_value") == "0"
        let daily = quotaIDs.first(where: Self.isDaily)
        let delay = envelope.retryDelay.flatMap(RetryDelay.parse)

        let details: RateLimitDetails
        var text = message
        if daily != nil || zeroLimit {
            // RetryInfo does not reflect the daily reset: cool until Pacific midnight.
            details = RateLimitDetails(
                retryAfter: DailyReset.duration(after: now()), window: .perDay, quotaID: daily ?? quotaIDs.first)
            if zeroLimit { text = "no quota for this model on this project (limit: 0): \(message)" }
        } else if !quotaIDs.isEmpty {
            details = RateLimitDetails(
                retryAfter: delay, window: .perMinute, quotaID: quotaIDs.first, requestLimit: Self.requestsPerMinute(envelope))
        } else {
            details = RateLimitDetails(retryAfter: delay, window: .unknown)
        }
        return Failure(.rateLimited(details), status: 429, message: text)
    }

    /// The limit of a requests-per-minute violation (`GenerateRequestsPerMinute…`), not of a
    /// token quota, whose value counts tokens.
    private static func requestsPerMinute(_ envelope: ErrorEnvelope) -> Int? {
        envelope.violations.first { violation in
            let id = violation.quotaId?.lowercased() ?? ""
            return id.contains("requests") && id.contains("perminute")
        }?.quotaValue.flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
    }

    private static func isDaily(_ quotaID: String) -> Bool {
        let lowered = quotaID.lowercased()
        return lowered.contains("perday") || lowered.contains("daily")
    }

    /// `limit: 0` not followed by another digit.
    static func saysLimitZero(_ message: String) -> Bool {
        var rest = Substring(message)
        while let range = rest.range(of: "limit: 0") {
            rest = rest[range.upperBound...]
            if rest.first.map({ !$0.isNumber && $0 != "." }) ?? true { return true }
        }
        return false
    }

    // MARK: Bodies that are not an envelope

    private func classifyBare(status: Int, body: [UInt8]) -> Failure {
        let snippet = BodySnippet.ofBody(body)
        let kind: Failure.Kind = switch status {
        case 401: .invalidKey
        case 402: .billing
        case 408: .timeout
        case 429: .rateLimited(RateLimitDetails(window: .unknown))
        case 499, 500...599: .serverError(status: status)
        case 400...499: .badRequest(status: status)
        default: .other
        }
        let text = snippet.isEmpty ? "HTTP \(status) with no readable body" : snippet
        return Failure(kind, status: status, message: text)
    }
}
