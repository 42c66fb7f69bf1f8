/// Which quota window a rate limit belongs to.
public enum QuotaWindow: String, Sendable, Hashable {
    /// A per-minute quota, of requests or tokens: it frees up within the minute.
    case perMinute
    /// A per-day quota: it resets once a day.
    case perDay
    /// The answer did not say which window.
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
    /// The number of requests per window the answer says the quota allows (Gemini's
    /// `QuotaFailure.quotaValue` of a requests-per-minute quota), when it says so. A key pool
    /// that learns shared quotas compares it with what the key itself sent.
    public var requestLimit: Int?

    /// Creates the details of a rate-limit answer.
    public init(retryAfter: Duration? = nil, window: QuotaWindow = .unknown, quotaID: String? = nil, requestLimit: Int? = nil) {
        self.retryAfter = retryAfter
        self.window = window
        self.quotaID = quotaID
        self.requestLimit = requestLimit
    }
}

/// A classified failure of one attempt. Providers build these from structured response data
/// (status, error reason, details), never from substrings of a message; the retry policy
/// decides from the kind alone.
public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The classes a retry policy distinguishes. A struct, not an enum, so that new kinds can be
    /// added without breaking anyone's `switch` (which therefore needs a `default`).
    ///
    /// In a `switch`, `case .serverError:` matches every server error and
    /// `case .serverError(status: 503):` only that status; read the details from
    /// ``rateLimit``, ``status`` and ``blockReason``.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: String, Sendable, Hashable {
            case rateLimited = "rate_limited"
            case invalidKey = "invalid_key"
            case permissionDenied = "permission_denied"
            case billing
            case serverError = "server_error"
            case timeout
            case connectionFailure = "connection_failure"
            case unresolvedHost = "unresolved_host"
            case blocked
            case badRequest = "bad_request"
            case other
        }

        private let code: Code
        /// For ``rateLimited``: what the answer said about the limit.
        public let rateLimit: RateLimitDetails?
        /// For ``serverError`` and ``badRequest``: the HTTP status.
        public let status: Int?
        /// For ``blocked``: the provider's reason (e.g. `SAFETY`).
        public let blockReason: String?

        private init(_ code: Code, rateLimit: RateLimitDetails? = nil, status: Int? = nil, blockReason: String? = nil) {
            self.code = code
            self.rateLimit = rateLimit
            self.status = status
            self.blockReason = blockReason
        }

        /// Quota exceeded (HTTP 429), any window.
        public static let rateLimited = Kind(.rateLimited)
        /// Quota exceeded, with what the answer said about it.
        public static func rateLimited(_ details: RateLimitDetails) -> Kind { Kind(.rateLimited, rateLimit: details) }
        /// The key is invalid, expired or of the wrong type.
        public static let invalidKey = Kind(.invalidKey)
        /// The key is suspended, leaked, or its project has the service disabled.
        public static let permissionDenied = Kind(.permissionDenied)
        /// The key's project cannot pay (prepaid credit depleted): every key of the project is out.
        public static let billing = Kind(.billing)
        /// The server failed (5xx, an HTML error page, an unreadable body), any status.
        public static let serverError = Kind(.serverError)
        /// The server failed with `status`.
        public static func serverError(status: Int) -> Kind { Kind(.serverError, status: status) }
        /// The attempt timed out.
        public static let timeout = Kind(.timeout)
        /// The connection could not be made or broke (refused, reset, TLS).
        public static let connectionFailure = Kind(.connectionFailure)
        /// The host name did not resolve: a typo or a missing network, which waiting rarely mends.
        public static let unresolvedHost = Kind(.unresolvedHost)
        /// The prompt or answer was blocked by the provider's safety system; no key helps.
        public static let blocked = Kind(.blocked)
        /// Blocked, for `reason`.
        public static func blocked(reason: String) -> Kind { Kind(.blocked, blockReason: reason) }
        /// The request itself is wrong (400, 404, …), any status; retrying cannot help.
        public static let badRequest = Kind(.badRequest)
        /// The request itself is wrong, with `status`.
        public static func badRequest(status: Int) -> Kind { Kind(.badRequest, status: status) }
        /// Anything else; not retried.
        public static let other = Kind(.other)

        /// Whether `value` is of `pattern`'s kind, and has its details where `pattern` names any.
        public static func ~= (pattern: Kind, value: Kind) -> Bool {
            guard pattern.code == value.code else { return false }
            if let status = pattern.status, status != value.status { return false }
            if let reason = pattern.blockReason, reason != value.blockReason { return false }
            if let details = pattern.rateLimit, details != value.rateLimit { return false }
            return true
        }

        /// A payload-free name, suitable for metric labels (`rate_limited`, `server_error`, …).
        public var name: String { code.rawValue }

        /// The kind without its details (`.serverError` for `.serverError(status: 503)`).
        public var category: Kind { Kind(code) }

        /// The kind in words with its details, e.g. `server error 503`.
        public var description: String {
            switch code {
            case .rateLimited:
                guard let details = rateLimit else { return "rate limited" }
                var text = "rate limited (\(details.window.rawValue)"
                if let delay = details.retryAfter { text += ", retry after \(delay.formattedSeconds)" }
                return text + ")"
            case .serverError: return status.map { "server error \($0)" } ?? "server error"
            case .badRequest: return status.map { "bad request \($0)" } ?? "bad request"
            case .blocked: return blockReason.map { "blocked (\($0))" } ?? "blocked"
            default: return String(name.map { $0 == "_" ? " " : $0 })
            }
        }
    }

    /// The class of failure.
    public var kind: Kind
    /// The HTTP status, when there was a response.
    public var status: Int?
    /// A short explanation (a snippet of the server's message). Once the gateway has seen it,
    /// every trace of the attempt's key is masked and it is at most ``maxMessageLength`` long.
    public var message: String

    /// The longest message a failure shows, after redaction.
    public static var maxMessageLength: Int { 300 }
    /// The longest message a failure keeps before the gateway redacts it: room for a key that
    /// straddles the display cut to be found and masked first.
    static var maxRawMessageLength: Int { 4096 }

    /// Creates a failure. `message` is kept whole up to a few kilobytes; the gateway masks the
    /// key in it and then cuts it to ``maxMessageLength``.
    public init(_ kind: Kind, status: Int? = nil, message: String = "") {
        self.kind = kind
        self.status = status
        self.message = String(message.prefix(Self.maxRawMessageLength))
    }

    /// The same failure with every trace of `key` in its message masked — the whole key and any
    /// run of 8 or more of its characters, in any case — and then cut to ``maxMessageLength``.
    /// (Servers echo keys: Gemini's "suspended" message names `api_key:<KEY>`.)
    public func redacting(_ key: APIKey) -> Failure {
        var copy = self
        copy.message = String(key.redact(in: message).prefix(Self.maxMessageLength))
        return copy
    }

    /// The kind, the HTTP status when the kind does not show it, and the message.
    public var description: String {
        var text = kind.description
        if let status, !text.contains("\(status)") { text += " [HTTP \(status)]" }
        if !message.isEmpty { text += ": \(message.prefix(Self.maxMessageLength))" }
        return text
    }
}
