import CoreMetrics

/// The gateway's swift-metrics counters, created once per gateway.
///
/// - `llmgateway_attempts_total{outcome}`: every attempt; `outcome` is `success` or a failure kind.
/// - `llmgateway_rotations_total`: times a call moved to another key.
/// - `llmgateway_calls_total{result}`: finished calls; `result` is `success` or an error name.
struct GatewayMetrics: Sendable {
    private let attempts: [String: Counter]
    private let rotations: Counter
    private let factory: any MetricsFactory
    /// The same events as plain totals, for ``Gateway/statistics``.
    let tally = Locked(GatewayStatistics())

    static let outcomes = [
        "success", "rate_limited", "invalid_key", "permission_denied", "billing", "server_error",
        "timeout", "connection_failure", "blocked", "bad_request", "other",
    ]

    init(factory: any MetricsFactory) {
        self.factory = factory
        var attempts: [String: Counter] = [:]
        for outcome in Self.outcomes {
            attempts[outcome] = Counter(label: "llmgateway_attempts_total", dimensions: [("outcome", outcome)], factory: factory)
        }
        self.attempts = attempts
        self.rotations = Counter(label: "llmgateway_rotations_total", factory: factory)
    }

    func attempt(_ outcome: String) {
        attempts[outcome]?.increment()
        tally.withLock {
            $0.attempts += 1
            if outcome == "rate_limited" { $0.rateLimited += 1 }
        }
    }
    func rotation() {
        rotations.increment()
        tally.withLock { $0.rotations += 1 }
    }
    func retry() { tally.withLock { $0.retries += 1 } }
    func call(_ result: String) {
        Counter(label: "llmgateway_calls_total", dimensions: [("result", result)], factory: factory).increment()
        tally.withLock { if result == "success" { $0.callsSucceeded += 1 } else { $0.callsFailed += 1 } }
    }
}
