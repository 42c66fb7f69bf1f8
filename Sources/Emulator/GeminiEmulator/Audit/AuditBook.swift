/// The per-key counters, kept next to the ledger under the server's lock.
struct AuditBook: Sendable {
    /// How a request carrying a known key ended.
    enum Outcome: Sendable {
        case succeeded, rateLimited, rejected, fault, badRequest
    }

    private let keys: [EmulatorKey]
    private var counters: [KeyAudit]
    /// Per key, when each answer still being prepared will be sent.
    private var answersDue: [[Duration]]
    private(set) var totalRequests = 0

    init(keys: [EmulatorKey]) {
        self.keys = keys
        self.counters = keys.map { KeyAudit(label: $0.auditLabel, project: $0.project) }
        self.answersDue = keys.map { _ in [] }
    }

    /// Counts a request on the key at `index` in flight from `start` until its answer is sent at `end`.
    mutating func recordInFlight(keyIndex index: Int, from start: Duration, until end: Duration) {
        answersDue[index].removeAll { $0 <= start }
        answersDue[index].append(end)
        counters[index].maxInFlight = max(counters[index].maxInFlight, answersDue[index].count)
    }

    /// Counts a request that reached the API paths.
    mutating func countRequest() { totalRequests += 1 }

    /// Records how a request with the configured key at `index` ended.
    mutating func record(_ outcome: Outcome, keyIndex index: Int) {
        counters[index].requests += 1
        switch outcome {
        case .succeeded: counters[index].succeeded += 1
        case .rateLimited: counters[index].rateLimited += 1
        case .rejected: counters[index].rejected += 1
        case .fault: counters[index].faults += 1
        case .badRequest: break
        }
    }

    mutating func reset() { self = AuditBook(keys: keys) }

    /// The audit, with project figures taken from the ledger.
    func audit(ledger: QuotaLedger) -> EmulatorAudit {
        let projectNames = Set(keys.map(\.project)).union(ledger.usage.keys).sorted()
        let projects = projectNames.map { name -> ProjectAudit in
            let models = ledger.usage[name] ?? [:]
            var perModel: [String: ModelAudit] = [:]
            for (model, usage) in models {
                perModel[model] = ModelAudit(admitted: usage.admitted, rateLimited: usage.rateLimited, maxAdmittedInAnyWindow: usage.maxInWindow, rpm: usage.rpm)
            }
            let admitted = perModel.values.reduce(0) { $0 + $1.admitted }
            let rateLimited = perModel.values.reduce(0) { $0 + $1.rateLimited }
            return ProjectAudit(
                project: name, requests: admitted + rateLimited, admitted: admitted, rateLimited: rateLimited,
                maxAdmittedInAnyWindow: ledger.projects[name]?.maxInWindow ?? 0,
                windowLimit: perModel.values.compactMap(\.rpm).min(), perModel: perModel)
        }
        return EmulatorAudit(keys: counters, projects: projects, totalRequests: totalRequests)
    }
}
