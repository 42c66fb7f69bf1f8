extension GatewayClient {
    /// Sends `requests` from this task, several at once — as many as the task's quota group can
    /// take (the server's latency over the group's pace, see ``RateLimiter/pace(in:)``), at most
    /// `maxInFlight` — and returns each one's result in the order given.
    ///
    /// Every call runs the whole call loop on the task's key (paced, retried, rotated), so a
    /// call that backs off does not hold up the others, and none of them paces faster than the
    /// group allows. The first call of the gateway for a model goes alone, to measure the
    /// latency; later batches start from the latency the gateway saw last.
    /// - Parameters:
    ///   - requests: What to send.
    ///   - maxInFlight: The most calls in flight at once (default 16).
    ///   - deadline: Each call's own deadline (default: the gateway's `callTimeout`).
    /// - Returns: One result per request: the response, or the call's `GatewayError` (or
    ///   `CancellationError` when the task was cancelled).
    nonisolated(nonsending) public func sendAll(_ requests: [P.Request], maxInFlight: Int = 16, deadline: Duration? = nil) async -> [Result<P.Response, any Error>] {
        var results = [Result<P.Response, any Error>?](repeating: nil, count: requests.count)
        await sendEach(requests, maxInFlight: maxInFlight, deadline: deadline) { index, result in
            results[index] = result.map(\.response)
        }
        return results.map { $0 ?? .failure(CancellationError()) }
    }

    /// Sends `requests` like ``sendAll(_:maxInFlight:deadline:)`` and hands each result to
    /// `body` as it arrives, in the order the calls finish — so a caller can keep each answer
    /// (write it to disk, show it) before the others are in.
    ///
    /// `body` runs in this task, one result at a time. When it throws, the calls still in flight
    /// are cancelled and the error is rethrown after they end (their results are not handed on).
    /// - Parameters:
    ///   - requests: What to send.
    ///   - maxInFlight: The most calls in flight at once (default 16).
    ///   - deadline: Each call's own deadline (default: the gateway's `callTimeout`).
    ///   - allStarted: Called once, when the last request has started, with the number of calls
    ///     then in flight (it included): when that is more than one, the key's pace has room for
    ///     other work while the last answers come back.
    ///   - body: Gets the request's index and its response with the call's report, or the
    ///     call's error (`GatewayError`, or `CancellationError` once the task is cancelled).
    nonisolated(nonsending) public func sendEach<E: Error>(
        _ requests: [P.Request], maxInFlight: Int = 16, deadline: Duration? = nil, allStarted: (_ inFlight: Int) -> Void = { _ in },
        _ body: (Int, Result<(response: P.Response, report: CallReport), any Error>) async throws(E) -> Void
    ) async throws(E) {
        typealias Answer = Result<(response: P.Response, report: CallReport), any Error>
        let model = requests.first.flatMap { gateway.provider.quotaModel(of: $0) } ?? ""
        var window = InFlightWindow(cap: maxInFlight, measured: gateway.latencies.withLock { $0[model] })
        var failure: E?
        await withTaskGroup(of: InFlightEvent<Answer>.self) { group in
            var next = 0
            var running = 0
            while next < requests.count || running > 0 {
                // Until the task holds a key its group's pace is unknown: one call goes first,
                // and the window opens as soon as that call has leased its key.
                let holdsKey = currentKey != nil
                let limit = failure != nil ? 0 : holdsKey ? window.size(interval: pace(for: requests[min(next, requests.count - 1)])) : 1
                while running < limit, next < requests.count {
                    let index = next
                    let (leased, announce) = AsyncStream<Void>.makeStream()
                    var whenLeased: (@Sendable () -> Void)?
                    if !holdsKey {
                        whenLeased = { announce.finish() }
                        group.addTask { () -> InFlightEvent<Answer> in
                            for await _ in leased {}
                            return .leased
                        }
                    }
                    group.addTask { [whenLeased] () -> InFlightEvent<Answer> in
                        defer { announce.finish() }
                        do {
                            let (response, report) = try await sendReporting(requests[index], deadline: deadline, whenLeased: whenLeased)
                            return .answered(index, .success((response, report)))
                        } catch {
                            return .answered(index, .failure(error))
                        }
                    }
                    next += 1
                    running += 1
                    if next == requests.count { allStarted(running) }
                }
                guard let event = await group.next() else { break }
                guard case .answered(let index, let result) = event else { continue }
                running -= 1
                if case .success(let answer) = result, let latency = answer.report.latency {
                    window.observe(latency)
                    gateway.latencies.withLock { $0[model, default: InFlightWindow(cap: 1)].observe(latency) }
                }
                guard failure == nil else { continue }
                do throws(E) {
                    try await body(index, result)
                } catch {
                    failure = error
                    next = requests.count   // start nothing more
                    group.cancelAll()
                }
            }
        }
        if let failure { throw failure }
    }

    /// The pace of the quota group `request` would draw from on the task's current key.
    private func pace(for request: P.Request) -> Duration? {
        guard let key = currentKey else { return nil }
        return gateway.rateLimiter.pace(in: gateway.keyProvider.quotaGroup(of: key).forModel(gateway.provider.quotaModel(of: request)))
    }
}

/// What a call started by ``GatewayClient/sendEach(_:maxInFlight:deadline:allStarted:_:)`` tells
/// the loop: its answer, or (for a task that held no key) that it has leased one.
private enum InFlightEvent<Answer: Sendable>: Sendable {
    case answered(Int, Answer)
    case leased
}
