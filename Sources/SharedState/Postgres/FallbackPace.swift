#if PostgresSharedState
public import GatewayCore

extension RateLimit {
    /// The conservative local limit while the shared state is away: this process's share when
    /// `processes` processes (as last seen) pace the same quota — the period `processes` times
    /// longer, the burst, tokens and daily requests divided (never below 1).
    public func sharedBy(_ processes: Int) -> RateLimit {
        let n = max(processes, 1)
        guard n > 1 else { return self }
        var share = self
        share.period = period * n
        share.burst = max(burst / n, 1)
        share.tokensPerMinute = tokensPerMinute.map { max($0 / n, 1) }
        share.requestsPerDay = requestsPerDay.map { max($0 / n, 1) }
        return share
    }
}
#endif
