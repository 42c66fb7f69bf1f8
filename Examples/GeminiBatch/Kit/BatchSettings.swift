import Foundation
import GatewayCore

/// Everything one run needs, as the command line gives it.
public struct BatchSettings: Sendable {
    public var input: URL
    public var output: URL
    public var job: BatchJob
    /// The server's rate per quota group (requests per period); the gateway paces a little
    /// below it (``headroom``).
    public var rate: RateLimit
    /// Fraction of the rate kept in reserve against network jitter (default 2 %).
    public var headroom: Double
    public var tokensPerMinute: Int?
    public var requestsPerDay: Int?
    /// `nil` for the public Gemini API.
    public var baseURL: String?
    public var summaryJSON: URL?
    public var keys: KeySource
    public var maxFileBytes: Int
    /// Redraw a live progress view on stderr (a terminal); otherwise log lines.
    public var liveProgress: Bool
    /// The longest one HTTP attempt may take.
    public var attemptTimeout: Duration

    public init(
        input: URL, output: URL, job: BatchJob, rate: RateLimit, headroom: Double = 0.02,
        tokensPerMinute: Int? = nil, requestsPerDay: Int? = nil, baseURL: String? = nil, summaryJSON: URL? = nil,
        keys: KeySource, maxFileBytes: Int = 8 << 20, liveProgress: Bool = false, attemptTimeout: Duration = .seconds(120)
    ) {
        self.input = input
        self.output = output
        self.job = job
        self.rate = rate
        self.headroom = headroom
        self.tokensPerMinute = tokensPerMinute
        self.requestsPerDay = requestsPerDay
        self.baseURL = baseURL
        self.summaryJSON = summaryJSON
        self.keys = keys
        self.maxFileBytes = maxFileBytes
        self.liveProgress = liveProgress
        self.attemptTimeout = attemptTimeout
    }

    /// The pacing the gateway applies: the rate less the headroom, plus the token and day limits.
    public var gatewayLimit: RateLimit {
        var limit = rate.withHeadroom(headroom)
        limit.tokensPerMinute = tokensPerMinute
        limit.requestsPerDay = requestsPerDay
        return limit
    }
}
