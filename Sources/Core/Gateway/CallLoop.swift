import HTTPTypes
import Logging

/// One call's state: the original design's `call_with_retry`, as a loop over explicit steps.
///
/// lease a key → wait for its quota group → send → classify → decide → wait, rotate or stop.
/// ARCHITECTURE.md follows a request through these steps.
struct CallLoop<P: Provider> {
    let gateway: Gateway<P>
    let task: TaskID
    let deadline: Duration?
    let start: GatewayClock.Instant
    /// The call's model, when the provider keeps quotas per model.
    let model: String?

    /// Keys this call has rotated away from.
    private var excluded: Set<KeyID> = []
    private(set) var trail: [AttemptRecord] = []
    /// The key of the last attempt (the one that answered, after a success).
    private(set) var lastKey: APIKey?
    private var attemptOnKey = 0
    /// How long the last attempt took, from its admission to its answer.
    private(set) var lastLatency: Duration?
    /// Called once, when the call has leased its first key.
    var whenLeased: (@Sendable () -> Void)?

    init(gateway: Gateway<P>, task: TaskID, deadline: Duration?, model: String?) {
        self.gateway = gateway
        self.task = task
        self.deadline = deadline
        self.model = model
        self.start = gateway.clock.now
    }

    private var deadlineInstant: GatewayClock.Instant? { deadline.map { start.advanced(by: $0) } }
    private var now: GatewayClock.Instant { gateway.clock.now }

    /// Runs the unary call: one `send` per attempt, classified by the provider.
    mutating func run(_ request: P.Request) async throws -> P.Response {
        let gateway = gateway
        return try await run(cost: gateway.provider.cost(of: request)) { loop, key in
            try await loop.attempt(request, key: key)
        } settle: { response in
            gateway.provider.tokensUsed(by: response)
        }
    }

    /// The loop shared by unary and streamed calls; `attempt` makes one classified exchange.
    mutating func run<Output>(
        cost: RateLimitCost,
        attempt: (borrowing CallLoop, APIKey) async throws -> Result<Output, Failure>,
        settle: (Output) -> Int?
    ) async throws -> Output {
        while true {
            try Task.checkCancellation()
            let key: APIKey
            switch try await leaseKey() {
            case .use(let leased):
                key = leased
                whenLeased?()
                whenLeased = nil
            case .waitUntil(let until):
                // Every eligible key is cooling: wait for the first to return, then ask again.
                try await sleep(until: until)
                continue
            }
            // A key's first request goes alone; the others wait for its verdict, then lease again.
            let first: Bool
            switch gateway.firstAnswers.enter(key.id) {
            case .open: first = false
            case .first: first = true
            case .wait:
                try await gateway.firstAnswers.waitUntilOpen(key.id)
                continue
            }
            let beforePacing = now
            let permit: RateLimitPermit
            let outcome: Result<Output, Failure>
            let number = trail.count + 1
            let sentAt: GatewayClock.Instant
            do {
                permit = try await admit(cost, key: key)
                // Another task may have condemned the key while this one waited for its bucket.
                if beforePacing < now, !gateway.keyProvider.isUsable(key.id, model: model, at: now) {
                    if first { gateway.firstAnswers.open(key.id) }
                    continue
                }
                attemptOnKey += 1
                lastKey = key
                sentAt = now
                outcome = try await attempt(self, key)
            } catch {
                if first { gateway.firstAnswers.open(key.id) }
                throw error
            }
            lastLatency = sentAt.duration(to: now)
            switch outcome {
            case .success(let output):
                succeeded(on: key, permit: permit, tokens: settle(output), number: number)
                if first { gateway.firstAnswers.open(key.id) }
                return output
            case .failure(let failure):
                try await handle(failure.redacting(key), key: key, sentAt: sentAt, number: number, first: first)
            }
        }
    }

    /// The request's transport form with the attempt's timeout applied; a provider that cannot
    /// encode it ends the call with its reason.
    func transportRequest(_ make: () throws -> TransportRequest) throws -> TransportRequest {
        var http: TransportRequest
        do {
            http = try make()
        } catch {
            throw GatewayError.invalidRequest("\(error)", task: task, attempts: trail)
        }
        http.timeout = attemptTimeout(requested: http.timeout)
        return http
    }

    /// Leases the key for the next attempt, or says until when every eligible key is cooling.
    /// Only the provider's call suspends; the rest is synchronous, so its frame is not kept by
    /// every task (a task keeps the memory its deepest async frames once needed).
    private mutating func leaseKey() async throws -> KeySelection {
        let leased: Result<KeySelection, KeysExhaustedError>
        do {
            leased = .success(try await gateway.keyProvider.lease(for: task, excluding: excluded, model: model, at: now))
        } catch {
            leased = .failure(error)
        }
        return try accept(leased)
    }

    /// Counts a rotation, or turns a wait the call may not make, or an exhaustion, into its error.
    private mutating func accept(_ leased: Result<KeySelection, KeysExhaustedError>) throws -> KeySelection {
        let selection: KeySelection
        switch leased {
        case .success(let value): selection = value
        case .failure(let error): throw GatewayError.keysExhausted(error, task: task, attempts: trail)
        }
        switch selection {
        case .use(let key):
            if let previous = lastKey, previous.id != key.id {
                gateway.metrics.rotation()
                gateway.logger.debug("rotated key", metadata: ["task": "\(task)", "key": "\(key.label)"])
                attemptOnKey = 0
            }
        case .waitUntil(let until):
            let wait = now.duration(to: until)
            if let limit = gateway.options.maxQueueWait, wait > limit, !passesDeadline(until) {
                throw GatewayError.queueWaitExceeded(estimate: wait, limit: limit, task: task, attempts: trail)
            }
            gateway.logger.debug("all keys cooling; waiting", metadata: ["task": "\(task)", "seconds": "\(wait.secondsDouble)"])
        }
        return selection
    }

    /// Records a successful attempt (synchronous, for the same reason as ``accept(_:)``).
    private func succeeded(on key: APIKey, permit: RateLimitPermit, tokens: Int?, number: Int) {
        gateway.keyProvider.report(.success, verdict: .notAtFault, for: key.id, at: now)
        gateway.metrics.attempt("success")
        if let tokens { gateway.rateLimiter.settle(permit, actualTokens: tokens) }
        gateway.logger.trace("call succeeded", metadata: ["task": "\(task)", "key": "\(key.label)", "attempt": "\(number)"])
    }

    /// Waits for the key's quota group to admit the request. A wait longer than the call may
    /// queue, or past its deadline, ends this call only: nobody's key health changes.
    private func admit(_ cost: RateLimitCost, key: APIKey) async throws -> RateLimitPermit {
        let queueLimit = gateway.options.maxQueueWait
        var maxWait = queueLimit
        if let deadlineInstant {
            let remaining = max(now.duration(to: deadlineInstant), .zero)
            maxWait = min(maxWait ?? remaining, remaining)
        }
        do {
            return try await gateway.rateLimiter.acquire(cost, in: gateway.keyProvider.quotaGroup(of: key).forModel(model), maxWait: maxWait)
        } catch let error as RateLimiterError {
            guard let estimate = error.estimatedWait else {
                throw GatewayError.rateLimiterRefused(error, task: task, attempts: trail)
            }
            if passesDeadline(now.advanced(by: estimate)) {
                throw GatewayError.deadlineExceeded(deadline ?? .zero, task: task, attempts: trail)
            }
            throw GatewayError.queueWaitExceeded(estimate: estimate, limit: queueLimit ?? estimate, task: task, attempts: trail)
        }
    }

    private func passesDeadline(_ instant: GatewayClock.Instant) -> Bool {
        deadlineInstant.map { instant > $0 } ?? false
    }

    /// One HTTP exchange, classified.
    private func attempt(_ request: P.Request, key: APIKey) async throws -> Result<P.Response, Failure> {
        let http = try transportRequest { try gateway.provider.makeRequest(request, key: key) }
        do {
            let response = try await gateway.transport.send(http)
            observeLimits(in: response.head, key: key)
            return gateway.provider.parse(response, for: request)
        } catch {
            return .failure(try classifyTransportError(error))
        }
    }

    /// Hands the limits an answer announces to the limiter.
    func observeLimits(in head: HTTPResponse, key: APIKey) {
        if let limits = gateway.provider.serverRateLimits(in: head) {
            gateway.rateLimiter.observe(limits, in: gateway.keyProvider.quotaGroup(of: key).forModel(model))
        }
    }

    private func attemptTimeout(requested: Duration?) -> Duration? {
        var timeout = [requested, gateway.options.attemptTimeout].compactMap { $0 }.min()
        if let deadlineInstant {
            let remaining = max(now.duration(to: deadlineInstant), .milliseconds(1))
            timeout = min(timeout ?? remaining, remaining)
        }
        return timeout
    }

    /// Asks the policy about a failure, reports it with the verdict, and carries out the decision.
    /// Judges a failed attempt; when it was the key's `first`, opens the key to the attempts
    /// waiting for that verdict once it is reported (before any backoff).
    private mutating func handle(_ failure: Failure, key: APIKey, sentAt: GatewayClock.Instant, number: Int, first: Bool) async throws {
        let failedAt = now
        gateway.metrics.attempt(failure.kind.name)
        if let details = failure.kind.rateLimit, details.window != .perDay, let delay = details.retryAfter {
            gateway.rateLimiter.penalize(gateway.keyProvider.quotaGroup(of: key).forModel(model), until: failedAt.advanced(by: delay))
        }
        let context = RetryContext(attemptOnKey: attemptOnKey, attempt: number, model: model)
        let decision = gateway.retryPolicy.decide(after: failure, context: context)
        let verdict: KeyVerdict = switch decision {
        case .retry: .notAtFault
        case .rotate(let verdict, _), .stop(let verdict): verdict
        }
        gateway.keyProvider.report(.failure(failure.kind), verdict: verdict, for: key.id, at: failedAt)
        if first { gateway.firstAnswers.open(key.id) }
        trail.append(AttemptRecord(number: number, keyLabel: key.label, keyID: key.id, failure: failure, decision: decision, at: sentAt))
        gateway.logger.debug("attempt failed", metadata: [
            "task": "\(task)", "key": "\(key.label)", "attempt": "\(number)", "failure": "\(failure.kind.name)",
            "decision": "\(trail[trail.count - 1])",
        ])
        switch decision {
        case .retry(let delay):
            gateway.metrics.retry()
            try await sleep(until: failedAt.advanced(by: delay))
        case .rotate(_, let delay):
            excluded.insert(key.id)
            try await sleep(until: failedAt.advanced(by: delay))
        case .stop:
            throw GatewayError.failed(failure, task: task, attempts: trail)
        }
    }

    /// Sleeps on the gateway's clock, failing at once when the wake-up would pass the deadline.
    private func sleep(until instant: GatewayClock.Instant) async throws {
        if passesDeadline(instant) {
            throw GatewayError.deadlineExceeded(deadline ?? .zero, task: task, attempts: trail)
        }
        if instant > now { try await gateway.clock.sleep(until: instant) }
    }
}
