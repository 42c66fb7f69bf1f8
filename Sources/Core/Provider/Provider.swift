public import HTTPTypes

/// Speaks one LLM API: turns a request plus a key into HTTP, and HTTP back into a result or a
/// classified ``Failure``.
///
/// Providers are pure: no I/O, no state. The gateway does the sending, pacing and retrying.
public protocol Provider: Sendable {
    /// What a caller asks for.
    associatedtype Request: Sendable
    /// What a successful call returns.
    associatedtype Response: Sendable

    /// Builds the HTTP request for `request`, authenticated with `key` (in a header, never the URL).
    /// - Throws: when `request` cannot be encoded; the call then ends without retry.
    func makeRequest(_ request: Request, key: APIKey) throws -> TransportRequest

    /// Classifies a response: the decoded result, or the failure it represents.
    func parse(_ response: TransportResponse, for request: Request) -> Result<Response, Failure>

    /// What `request` draws from a quota (one request and, if known, an estimate of tokens).
    func cost(of request: Request) -> RateLimitCost

    /// The tokens a response actually used, to settle a tokens-per-minute estimate.
    func tokensUsed(by response: Response) -> Int?

    /// The model whose share of a quota group's quota `request` draws from, when the API keeps
    /// quotas per model (Gemini: per project and model); `nil` (the default) for the group as a
    /// whole. Requests to different models are paced separately and cool down separately.
    func quotaModel(of request: Request) -> String?

    /// The limits an answer's headers announce, for a limiter that follows the server; `nil`
    /// (the default) when the API announces none.
    func serverRateLimits(in response: HTTPResponse) -> ServerRateLimits?

    /// Checks the provider's settings (a base URL, a version); called once by
    /// ``GatewayBuilder/build()``, so that a bad setting fails there with its reason. The
    /// default accepts everything.
    func validate() throws
}

extension Provider {
    /// One request, no token estimate.
    public func cost(of request: Request) -> RateLimitCost { .oneRequest }
    /// Unknown.
    public func tokensUsed(by response: Response) -> Int? { nil }
    /// The group as a whole.
    public func quotaModel(of request: Request) -> String? { nil }
    /// Accepts everything.
    public func validate() throws {}
    /// None announced.
    public func serverRateLimits(in response: HTTPResponse) -> ServerRateLimits? { nil }
}
