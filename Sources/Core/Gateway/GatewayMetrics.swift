import CoreMetrics

/// The gateway's swift-metrics counters, created once per gateway, and the same events as plain
/// totals for ``Gateway/statistics()``.
///
/// - `llmgateway_attempts_total{outcome}`: every attempt; `outcome` is `success` or a failure kind.
/// - `llmgateway_rotations_total`: times a call moved to another key.
/// - `llmgateway_calls_total{result}`: finished calls; `result` is `success` or an error name.
final class GatewayMetrics: Sendable {
    private let factory: any MetricsFactory
    private let rotations: Counter
    /// Counters made on first use, by outcome and by result.
    private let attempts = Locked<[String: Counter]>([:])
    private let calls = Locked<[String: Counter]>([:])
    private let totals = Locked(GatewayStatistics())

    init(factory: any MetricsFactory) {
        self.factory = factory
        self.rotations = Counter(label: "llmgateway_rotations_total", factory: factory)
    }

    private func counter(in counters: Locked<[String: Counter]>, _ label: String, _ dimension: String, _ value: String) -> Counter {
        counters.withLock { counters in
            if let counter = counters[value] { return counter }
            let counter = Counter(label: label, dimensions: [(dimension, value)], factory: factory)
            counters[value] = counter
            return counter
        }
    }

    func attempt(_ outcome: String) {
        counter(in: attempts, "llmgateway_attempts_total", "outcome", outcome).increment()
        totals.withLock { totals in
            totals.attempts += 1
            if outcome == Failure.Kind.rateLimited.name { totals.rateLimited += 1 }
        }
    }

    func rotation() {
        rotations.increment()
        totals.withLock { $0.rotations += 1 }
    }

    func retry() { totals.withLock { $0.retries += 1 } }

    func call(_ result: String) {
        counter(in: calls, "llmgateway_calls_total", "result", result).increment()
        totals.withLock { totals in
            if result == "success" { totals.callsSucceeded += 1 } else { totals.callsFailed += 1 }
        }
    }

    /// The totals so far.
    var statistics: GatewayStatistics { totals.withLock { $0 } }
}
