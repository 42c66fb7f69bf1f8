/// Proportional time, for servers whose time runs faster than the wall clock: an emulator at a
/// time scale of 0.05 lives a quota minute in 3 s, and a client that backs off in real seconds
/// spends twenty times the quota it means to. Scale the policy's and the limiter's durations by
/// the same factor (a testing aid; real APIs run at 1).
///
/// ```swift
/// let scale = 0.05
/// let builder = Gateway.builder()
///     .rateLimit(.tokenBucket(RateLimit.geminiFreeTier.scaled(by: scale)))
///     .retryPolicy(ClassifyingRetryPolicy().scaled(by: scale))
/// ```
extension Duration {
    /// This duration times `factor` (non-finite or negative factors give zero).
    package func scaled(by factor: Double) -> Duration { .secondsClamped(secondsDouble * factor) }
}

extension Backoff {
    /// The same schedule with its delays times `factor`.
    public func scaled(by factor: Double) -> Backoff {
        var copy = self
        copy.initial = initial.scaled(by: factor)
        copy.maximum = maximum.scaled(by: factor)
        return copy
    }
}

extension ClassifyingRetryPolicy {
    /// The same policy with every duration of its own times `factor`: both backoffs, the
    /// longest server delay waited out in place, the daily cooldown. Delays the server names
    /// (`RetryInfo`, `retry-after`) are the server's time already and are not scaled.
    public func scaled(by factor: Double) -> ClassifyingRetryPolicy {
        var copy = self
        copy.serverBackoff = serverBackoff.scaled(by: factor)
        copy.rateLimitBackoff = rateLimitBackoff.scaled(by: factor)
        copy.maxServerDelay = maxServerDelay.scaled(by: factor)
        copy.dailyCooldown = max(dailyCooldown.scaled(by: factor), .milliseconds(1))
        return copy
    }
}

extension RateLimit {
    /// The same limit over a period times `factor` (15 a minute at 0.05: 15 every 3 s); the
    /// first daily reset moves the same way.
    public func scaled(by factor: Double) -> RateLimit {
        var copy = self
        copy.period = max(period.scaled(by: factor), .nanoseconds(1))
        copy.firstDailyReset = firstDailyReset.map { max($0.scaled(by: factor), .nanoseconds(1)) }
        return copy
    }
}
