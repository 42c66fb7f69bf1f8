import Logging

/// One call's state: the original design's `call_with_retry`, as a loop over explicit steps.
///
/// select a key → wait for its quota group → send → classify → decide → wait, rotate or stop.
///
/// The loop does not keep the gateway: every step is handed it by the caller, who holds it. A
/// stored reference would cost a retain and a release per call on the one object every task
/// shares, a cache line the cores pass back and forth (measured: the largest single cost of a
/// call on two cores), and reaching components through an `inout self` copies them per use.
struct CallLoop<P: Provider> {
    let task: TaskID
    let deadline: Duration?
    let start: GatewayClock.Instant

    private var excluded: Set<KeyID> = []
    /// Keys tried before the current one (a set only once the call rotates: most calls use one
    /// key, and a first insert would allocate).
    private var earlierKeys: Set<KeyID> = []
    private(set) var trail: [AttemptRecord] = []
    /// The key of the last attempt (the one that answered, after a success).
    private(set) var lastKey: APIKey?
    private var currentKey: KeyID?
    private var attemptOnKey = 0
    /// The call's quota scope (the provider's, e.g. its model).
    private var scope: String?

    /// The key the task's previous call used, worth trying without a full selection.
    private let hint: KeyHint

    init(gateway: Gateway<P>, task: TaskID, deadline: Duration?, hint: KeyHint) {
        self.task = task
        self.hint = hint
        self.deadline = deadline
        self.start = gateway.clock.now
    }

    /// Distinct keys this call has tried, the current one included.
    private var keysTriedCount: Int {
        guard let currentKey else { return earlierKeys.count }
        return earlierKeys.count + (earlierKeys.contains(currentKey) ? 0 : 1)
    }

    private var deadlineInstant: GatewayClock.Instant? { deadline.map { start.advanced(by: $0) } }

    /// Runs the unary call: one `send` per attempt, classified by the provider.
    mutating func run(_ request: P.Request, on gateway: Gateway<P>) async throws -> P.Response {
        let provider = gateway.provider
        return try await run(cost: provider.cost(of: request), scope: provider.quotaScope(of: request), on: gateway) { loop, key in
            try await loop.attempt(request, key: key, on: gateway)
        } settle: { response in
            provider.tokensUsed(by: response)
        }
    }

    /// The loop shared by unary and streamed calls; `attempt` makes one classified exchange.
    mutating func run<Output>(
        cost: RateLimitCost,
        scope: String?,
        on gateway: Gateway<P>,
        attempt: (borrowing CallLoop, APIKey) async throws -> Result<Output, Failure>,
        settle: (Output) -> Int?
    ) async throws -> Output {
        self.scope = scope
        while true {
            try Task.checkCancellation()
            let key: APIKey
            switch try selectKey(on: gateway) {
            case .use(let chosen): key = chosen
            case .waitUntil(let until):
                // Every eligible key is cooling: wait for the first to return, then ask again.
                try await sleep(until: until, on: gateway)
                continue
            }
            let beforePacing = gateway.clock.now
            guard let permit = try await admit(cost, key: key, on: gateway) else { continue }
            // A pacing wait may have been long enough for another task to condemn the key (an
            // admission without a real wait skips the second look at the pool's lock).
            let admittedAt = gateway.clock.now
            if beforePacing.duration(to: admittedAt) >= .milliseconds(1),
                !gateway.keyProvider.isUsable(key.id, scope: scope, at: admittedAt)
            { continue }

            attemptOnKey += 1
            lastKey = key
            let attemptNumber = trail.count + 1
            let sentAt = admittedAt
            let outcome = try await attempt(self, key)
            switch outcome {
            case .success(let output):
                gateway.keyProvider.record(.success, for: key.id, at: gateway.clock.now)
                gateway.metrics.attempt("success")
                if let used = settle(output) {
                    gateway.rateLimiter.settle(permit, actualTokens: used)
                }
                gateway.logger.trace("call succeeded", metadata: ["task": "\(task)", "key": "\(key.label)", "attempt": "\(attemptNumber)"])
                return output
            case .failure(let failure):
                try await handle(failure.redacting(key), key: key, sentAt: sentAt, number: attemptNumber, on: gateway)
            }
        }
    }

    /// The request's transport form with the attempt's timeout applied; a provider that cannot
    /// encode it ends the call.
    func transportRequest(on gateway: Gateway<P>, _ make: () throws -> TransportRequest) throws -> TransportRequest {
        var http: TransportRequest
        do {
            http = try make()
        } catch {
            throw GatewayError.invalidRequest("\(type(of: error))", task: task, attempts: trail)
        }
        http.timeout = attemptTimeout(requested: http.timeout, on: gateway)
        return http
    }

    /// Picks the key for the next attempt, or says until when every eligible key is cooling.
    /// Synchronous, so its frame is not part of every call's async frames (a task keeps the
    /// memory its deepest async frames needed for as long as it lives).
    private mutating func selectKey(on gateway: Gateway<P>) throws -> KeySelection {
        // The first attempt of a call tries the key the task used last, through the pool's
        // lock-free shortcut; the pool may decline, and then it selects as usual.
        if currentKey == nil, let hinted = hint.key,
            let key = gateway.keyProvider.reuse(hinted, for: task, excluding: excluded, scope: scope, at: gateway.clock.now)
        {
            currentKey = key.id
            return .use(key)
        }
        let selection: KeySelection
        do {
            selection = try gateway.keyProvider.select(for: task, excluding: excluded, scope: scope, at: gateway.clock.now)
        } catch {
            throw GatewayError.keysExhausted(error, task: task, attempts: trail)
        }
        switch selection {
        case .use(let key):
            hint.key = key.id
            if key.id != currentKey {
                if let previous = currentKey {
                    gateway.metrics.rotation()
                    gateway.logger.debug("rotated key", metadata: ["task": "\(task)", "key": "\(key.label)"])
                    earlierKeys.insert(previous)
                }
                currentKey = key.id
                attemptOnKey = 0
            }
            return .use(key)
        case .waitUntil(let until):
            let wait = gateway.clock.now.duration(to: until)
            if let maxWait = gateway.options.maxQueueWait, wait > maxWait {
                let snapshot = gateway.keyProvider.snapshot(at: gateway.clock.now)
                throw GatewayError.keysExhausted(
                    KeysExhaustedError(keys: snapshot.keys, excluded: excluded), task: task, attempts: trail)
            }
            gateway.logger.debug("all keys cooling; waiting", metadata: ["task": "\(task)", "seconds": "\(wait.secondsDouble)"])
            return .waitUntil(until)
        }
    }

    /// Waits for the key's quota group to admit the request. Returns `nil` when the wait would
    /// be too long and the call should try another key.
    private mutating func admit(_ cost: RateLimitCost, key: APIKey, on gateway: Gateway<P>) async throws -> RateLimitPermit? {
        var maxWait = gateway.options.maxQueueWait
        if let deadlineInstant {
            let remaining = gateway.clock.now.duration(to: deadlineInstant)
            maxWait = min(maxWait ?? remaining, remaining)
        }
        do {
            return try await gateway.rateLimiter.acquire(cost, in: key.quotaGroup.scoped(scope), maxWait: maxWait.map { max($0, .zero) })
        } catch let error as RateLimiterError {
            guard let estimate = error.estimatedWait else {
                throw GatewayError.rateLimiterRefused(error, task: task, attempts: trail)
            }
            if let deadlineInstant, gateway.clock.now.advanced(by: estimate) > deadlineInstant {
                throw GatewayError.deadlineExceeded(deadline ?? .zero, task: task, attempts: trail)
            }
            // The group's queue is longer than the call may wait: leave this key for now.
            excluded.insert(key.id)
            gateway.keyProvider.apply(
                .coolDown(for: estimate, scope: scope.map(KeyScope.quotaGroupScope) ?? .quotaGroup, reason: "rate limiter backlog"),
                to: key.id, at: gateway.clock.now)
            return nil
        }
    }

    /// One HTTP exchange, classified.
    private func attempt(_ request: P.Request, key: APIKey, on gateway: Gateway<P>) async throws -> Result<P.Response, Failure> {
        let http = try transportRequest(on: gateway) { try gateway.provider.makeRequest(request, key: key) }
        do {
            let response = try await gateway.transport.send(http)
            return gateway.provider.parse(response, for: request)
        } catch {
            return .failure(try classifyTransportError(error))
        }
    }


    private func attemptTimeout(requested: Duration?, on gateway: Gateway<P>) -> Duration? {
        var timeout = [requested, gateway.options.attemptTimeout].compactMap { $0 }.min()
        if let deadlineInstant {
            let remaining = max(gateway.clock.now.duration(to: deadlineInstant), .milliseconds(1))
            timeout = min(timeout ?? remaining, remaining)
        }
        return timeout
    }

    /// Records a failure, asks the policy, and applies its decision.
    private mutating func handle(
        _ failure: Failure, key: APIKey, sentAt: GatewayClock.Instant, number: Int, on gateway: Gateway<P>
    ) async throws {
        let logger = gateway.logger
        let now = gateway.clock.now
        gateway.keyProvider.record(.failure(failure.kind), for: key.id, at: now)
        gateway.metrics.attempt(failure.kind.name)
        if case .rateLimited(let details) = failure.kind, details.window != .perDay, let delay = details.retryAfter {
            gateway.rateLimiter.penalize(key.quotaGroup.scoped(scope), until: now.advanced(by: delay))
        }
        let context = RetryContext(
            attemptOnKey: attemptOnKey, attempt: number, keysTried: keysTriedCount, keyCount: gateway.keys.count,
            quotaScope: scope)
        let decision = gateway.retryPolicy.decide(after: failure, context: context)
        trail.append(AttemptRecord(number: number, keyLabel: key.label, keyID: key.id, failure: failure, decision: decision, at: sentAt))
        logger.debug("attempt failed", metadata: [
            "task": "\(task)", "key": "\(key.label)", "attempt": "\(number)", "failure": "\(failure.kind.name)",
            "decision": "\(trail.last!.description)",
        ])
        switch decision {
        case .retry(let delay):
            gateway.metrics.retry()
            try await sleep(until: now.advanced(by: delay), on: gateway)
        case .rotate(let verdict, let delay):
            gateway.keyProvider.apply(verdict, to: key.id, at: now)
            excluded.insert(key.id)
            try await sleep(until: now.advanced(by: delay), on: gateway)
        case .stop(let verdict):
            gateway.keyProvider.apply(verdict, to: key.id, at: now)
            throw GatewayError.failed(failure, task: task, attempts: trail)
        }
    }

    /// Sleeps on the gateway's clock, failing at once when the wake-up would pass the deadline.
    private func sleep(until instant: GatewayClock.Instant, on gateway: Gateway<P>) async throws {
        if let deadlineInstant, instant > deadlineInstant {
            throw GatewayError.deadlineExceeded(deadline ?? .zero, task: task, attempts: trail)
        }
        if instant > gateway.clock.now { try await gateway.clock.sleep(until: instant) }
    }
}
