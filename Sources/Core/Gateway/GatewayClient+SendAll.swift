extension GatewayClient {
    /// Sends `requests` from this task, several at once — as many as the task's quota group can
    /// take (the server's latency over the group's pace, see ``RateLimiter/pace(in:)``), at most
    /// `maxInFlight` — and returns each one's result in the order given.
    ///
    /// Every call runs the whole call loop on the task's key (paced, retried, rotated), so a
    /// call that backs off does not hold up the others, and none of them paces faster than the
    /// group allows. The first call goes alone, to measure the latency.
    /// - Parameters:
    ///   - requests: What to send.
    ///   - maxInFlight: The most calls in flight at once (default 16).
    ///   - deadline: Each call's own deadline (default: the gateway's `callTimeout`).
    /// - Returns: One result per request: the response, or the call's `GatewayError` (or
    ///   `CancellationError` when the task was cancelled).
    public func sendAll(_ requests: [P.Request], maxInFlight: Int = 16, deadline: Duration? = nil) async -> [Result<P.Response, any Error>] {
        var results = [Result<P.Response, any Error>?](repeating: nil, count: requests.count)
        var window = InFlightWindow(cap: maxInFlight)
        await withTaskGroup(of: (Int, Result<(P.Response, CallReport), any Error>).self) { group in
            var next = 0
            var running = 0
            while next < requests.count || running > 0 {
                let limit = window.size(interval: pace(for: next < requests.count ? requests[next] : requests[0]))
                while running < limit, next < requests.count {
                    let index = next
                    group.addTask {
                        do {
                            return (index, .success(try await sendReporting(requests[index], deadline: deadline)))
                        } catch {
                            return (index, .failure(error))
                        }
                    }
                    next += 1
                    running += 1
                }
                guard let (index, result) = await group.next() else { break }
                running -= 1
                if case .success((_, let report)) = result, let latency = report.latency { window.observe(latency) }
                results[index] = result.map(\.0)
            }
        }
        return results.map { $0 ?? .failure(CancellationError()) }
    }

    /// The pace of the quota group `request` would draw from on the task's current key.
    private func pace(for request: P.Request) -> Duration? {
        guard let key = currentKey else { return nil }
        return gateway.rateLimiter.pace(in: gateway.keyProvider.quotaGroup(of: key).forModel(gateway.provider.quotaModel(of: request)))
    }
}
