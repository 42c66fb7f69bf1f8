/// The three quotas the emulator enforces, with the identifiers the real 429 bodies carry.
enum QuotaKind: String, Sendable, Hashable, CaseIterable {
    case requestsPerMinute, tokensPerMinute, requestsPerDay

    var quotaID: String {
        switch self {
        case .requestsPerMinute: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"
        case .tokensPerMinute: "GenerateContentInputTokensPerModelPerMinute-FreeTier"
        case .requestsPerDay: "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
        }
    }

    var quotaMetric: String {
        switch self {
        case .requestsPerMinute, .requestsPerDay: "generativelanguage.googleapis.com/generate_content_free_tier_requests"
        case .tokensPerMinute: "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count"
        }
    }
}

/// One exceeded quota.
struct QuotaViolation: Sendable, Equatable {
    var kind: QuotaKind
    var limit: Int
    /// How long until this quota would admit the request (real time). For the daily quota this
    /// deliberately does not reflect the reset, as the real API's `retryDelay` does not.
    var retryAfter: Duration
}

/// What the ledger decided for one request.
enum QuotaDecision: Sendable, Equatable {
    /// Admitted; `inWindow` is how many requests of that project and model the current minute window now holds.
    case admitted(inWindow: Int)
    /// Refused; nothing was recorded as admitted.
    case rateLimited(QuotaRejection)
}

/// A refusal: every exceeded quota and the delay the answer advertises (the longest of theirs).
struct QuotaRejection: Sendable, Equatable {
    var violations: [QuotaViolation]
    var retryAfter: Duration
}
