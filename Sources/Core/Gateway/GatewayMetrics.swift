import CoreMetrics
import Synchronization

/// The gateway's swift-metrics counters, created once per gateway, and the same events as plain
/// totals for ``Gateway/statistics()``.
///
/// - `llmgateway_attempts_total{outcome}`: every attempt; `outcome` is `success` or a failure kind.
/// - `llmgateway_rotations_total`: times a call moved to another key.
/// - `llmgateway_calls_total{result}`: finished calls; `result` is `success` or an error name.
///
/// The totals are atomics, not a lock: every call bumps them, and a lock shared by every task
/// is one more cache line for two cores to fight over.
struct GatewayMetrics: Sendable {
    private let attempts: [String: Counter]
    private let rotations: Counter
    private let successfulCalls: Counter
    private let factory: any MetricsFactory
    private let tally = Tally()

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
        self.successfulCalls = Counter(label: "llmgateway_calls_total", dimensions: [("result", "success")], factory: factory)
    }

    func attempt(_ outcome: String) {
        attempts[outcome]?.increment()
        tally.attempts.add(1, ordering: .relaxed)
        if outcome == "rate_limited" { tally.rateLimited.add(1, ordering: .relaxed) }
    }
    func rotation() {
        rotations.increment()
        tally.rotations.add(1, ordering: .relaxed)
    }
    func retry() { tally.retries.add(1, ordering: .relaxed) }
    func call(_ result: String) {
        if result == "success" {
            successfulCalls.increment()
            tally.callsSucceeded.add(1, ordering: .relaxed)
        } else {
            Counter(label: "llmgateway_calls_total", dimensions: [("result", result)], factory: factory).increment()
            tally.callsFailed.add(1, ordering: .relaxed)
        }
    }

    /// The totals so far (each counter read on its own; a snapshot, not a transaction).
    var statistics: GatewayStatistics {
        var stats = GatewayStatistics()
        stats.callsSucceeded = tally.callsSucceeded.load(ordering: .relaxed)
        stats.callsFailed = tally.callsFailed.load(ordering: .relaxed)
        stats.attempts = tally.attempts.load(ordering: .relaxed)
        stats.retries = tally.retries.load(ordering: .relaxed)
        stats.rotations = tally.rotations.load(ordering: .relaxed)
        stats.rateLimited = tally.rateLimited.load(ordering: .relaxed)
        return stats
    }
}

/// The atomic totals behind ``GatewayStatistics``.
private final class Tally: Sendable {
    let callsSucceeded = Atomic(0)
    let callsFailed = Atomic(0)
    let attempts = Atomic(0)
    let retries = Atomic(0)
    let rotations = Atomic(0)
    let rateLimited = Atomic(0)
}
