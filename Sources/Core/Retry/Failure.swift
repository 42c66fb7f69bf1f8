/// Which quota window a rate limit belongs to.
public enum QuotaWindow: String, Sendable, Hashable {
    case perMinute
    case perDay
    case unknown
}

/// What a provider learned from a rate-limit answer.
public struct RateLimitDetails: Sendable, Hashable {
    /// The server's own delay (Gemini: `RetryInfo.retryDelay`; for a per-day quota, the time
    /// until the next reset). `nil` when the server gave none.
    public var retryAfter: Duration?
    /// Per-minute, per-day or unknown.
    public var window: QuotaWindow
    /// The provider's name for the quota that was hit, e.g. a Gemini `quotaId`.
    public var quotaID: String?

    public init(retryAfter: Duration? = nil, window: QuotaWindow = .unknown, quotaID: String? = nil) {
        self.retryAfter = retryAfter
        self.window = window
        self.quotaID = quotaID
    }
}

/// A classified failure of one attempt. Providers build these from structured response data
/// (status, error reason, details), never from substrings of a message; the retry policy
/// decides from the kind alone.
public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The classes a retry policy distinguishes.
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        /// Quota exceeded (HTTP 429).
        case rateLimited(RateLimitDetails)
        /// The key is invalid, expired or of the wrong type.
        case invalidKey
        /// The key is suspended, leaked, or its project has the service disabled.
        case permissionDenied
        /// The key's project cannot pay (prepaid credit depleted): every key of the project is out.
        case billing
        /// The server failed (5xx, an HTML error page, an unreadable body).
        case serverError(status: Int)
        /// The attempt timed out.
        case timeout
        /// The connection could not be made or broke (refused, reset, DNS, TLS).
        case connectionFailure
        /// The prompt or answer was blocked by the provider's safety system; no key helps.
        case blocked(reason: String)
        /// The request itself is wrong (400, 404, …); retrying cannot help.
        case badRequest(status: Int)
        /// Anything else; not retried.
        case other

        /// A payload-free name, suitable for metric labels.
        public var name: String {
            switch self {
            case .rateLimited: "rate_limited"
            case .invalidKey: "invalid_key"
            case .permissionDenied: "permission_denied"
            case .billing: "billing"
            case .serverError: "server_error"
            case .timeout: "timeout"
            case .connectionFailure: "connection_failure"
            case .blocked: "blocked"
            case .badRequest: "bad_request"
            case .other: "other"
            }
        }

        public var description: String {
            switch self {
            case .rateLimited(let details):
                var text = "rate limited (\(details.window.rawValue)"
                if let delay = details.retryAfter { text += ", retry after \(delay.formattedSeconds)" }
                return text + ")"
            case .serverError(let status): return "server error \(status)"
            case .badRequest(let status): return "bad request \(status)"
            case .blocked(let reason): return "blocked (\(reason))"
            default: return name.replacingUnderscores()
            }
        }
    }

    public var kind: Kind
    /// The HTTP status, when there was a response.
    public var status: Int?
    /// A short, key-free explanation (a snippet of the server's message).
    public var message: String

    public init(_ kind: Kind, status: Int? = nil, message: String = "") {
        self.kind = kind
        self.status = status
        self.message = String(message.prefix(300))
    }

    /// The same failure with every occurrence of `key`'s secret in its message masked (servers
    /// echo keys: Gemini's "suspended" message names `api_key:<KEY>`).
    public func redacting(_ key: APIKey) -> Failure {
        let secret = key.revealSecret()
        guard !secret.isEmpty, message.contains(secret) else { return self }
        var copy = self
        copy.message = message.replacing(secret, with: key.masked)
        return copy
    }

    public var description: String {
        var text = kind.description
        if let status, !text.contains("\(status)") { text += " [HTTP \(status)]" }
        if !message.isEmpty { text += ": \(message)" }
        return text
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }
}
