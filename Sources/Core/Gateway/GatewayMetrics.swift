import CoreMetrics

/// The gateway's swift-metrics counters, created once per gateway, and the same events as plain
/// totals for ``Gateway/statistics()``.
///
/// - `llmgateway_attempts_total{outcome}`: every attempt; `outcome` is `success` or a failure kind.
/// - `llmgateway_rotations_total`: times a call moved to another key.
/// - `llmgateway_calls_total{result}`: finished calls; `result` is `success` or an error name.
final class GatewayMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Locked<[String: Counter]>([:])
    private let totals = Locked(GatewayStatistics())

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// The counter of `label` with `dimensions`, made once.
    private func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Counter {
        let key = ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: label, dimensions: dimensions, factory: factory)
            counters[key] = counter
            return counter
        }
    }

    func attempt(_ outcome: String) {
        counter("llmgateway_attempts_total", [("outcome", outcome)]).increment()
        totals.withLock { totals in
            totals.attempts += 1
            if outcome == Failure.Kind.rateLimited.name { totals.rateLimited += 1 }
        }
    }

    func rotation() {
        counter("llmgateway_rotations_total").increment()
        totals.withLock { $0.rotations += 1 }
    }

    func retry() { totals.withLock { $0.retries += 1 } }

    func call(_ result: String) {
        counter("llmgateway_calls_total", [("result", result)]).increment()
        totals.withLock { totals in
            if result == "success" { totals.callsSucceeded += 1 } else { totals.callsFailed += 1 }
        }
    }

    /// The totals so far.
    var statistics: GatewayStatistics { totals.withLock { $0 } }
}
