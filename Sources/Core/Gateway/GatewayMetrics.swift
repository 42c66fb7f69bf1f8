import CoreMetrics

/// The gateway's swift-metrics counters, created once per gateway, and the same events as plain
/// totals for ``Gateway/statistics()``.
///
/// - `llmgateway_attempts_total{outcome}`: every attempt; `outcome` is `success` or a failure kind.
/// - `llmgateway_rotations_total`: times a call moved to another key.
/// - `llmgateway_calls_total{result}`: finished calls; `result` is `success` or an error name.
///
/// The totals are per-core atomics (``PerCoreCounters``), not a lock or one shared atomic: every
/// call bumps them, and a line that every core writes is what keeps throughput from growing
/// with cores.
///
/// A class, so that reaching it costs one reference, not a copy of every counter in it.
final class GatewayMetrics: Sendable {
    private let attempts: [String: Counter]
    private let successfulAttempts: Counter
    private let rotations: Counter
    private let successfulCalls: Counter
    private let factory: any MetricsFactory
    private let tally = PerCoreCounters()

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
        self.successfulAttempts = attempts["success"]!
        self.rotations = Counter(label: "llmgateway_rotations_total", factory: factory)
        self.successfulCalls = Counter(label: "llmgateway_calls_total", dimensions: [("result", "success")], factory: factory)
    }

    func attempt(_ outcome: String) {
        if outcome == "success" { successfulAttempts.increment() } else { attempts[outcome]?.increment() }
        tally.add(1, to: Total.attempts)
        if outcome == "rate_limited" { tally.add(1, to: Total.rateLimited) }
    }
    func rotation() {
        rotations.increment()
        tally.add(1, to: Total.rotations)
    }
    func retry() { tally.add(1, to: Total.retries) }
    func call(_ result: String) {
        if result == "success" {
            successfulCalls.increment()
            tally.add(1, to: Total.callsSucceeded)
        } else {
            Counter(label: "llmgateway_calls_total", dimensions: [("result", result)], factory: factory).increment()
            tally.add(1, to: Total.callsFailed)
        }
    }

    /// The totals so far (each counter read on its own; a snapshot, not a transaction).
    var statistics: GatewayStatistics {
        var stats = GatewayStatistics()
        stats.callsSucceeded = tally.total(Total.callsSucceeded)
        stats.callsFailed = tally.total(Total.callsFailed)
        stats.attempts = tally.total(Total.attempts)
        stats.retries = tally.total(Total.retries)
        stats.rotations = tally.total(Total.rotations)
        stats.rateLimited = tally.total(Total.rateLimited)
        return stats
    }
}

/// Where each total sits in the per-core counters.
private enum Total {
    static let callsSucceeded = 0
    static let callsFailed = 1
    static let attempts = 2
    static let retries = 3
    static let rotations = 4
    static let rateLimited = 5
}
