import GatewayCore
import PostgresSharedState

/// `--shared-state postgres://…`: the run's keys, key health and pacing live in PostgreSQL,
/// shared with every gemini-batch process on the same database.
enum SharedStateWiring {
    /// Connects when the settings ask for shared state; `nil` when they do not.
    /// - Throws: ``BatchError/configuration(_:)`` (exit status 2) when the database is unreachable
    ///   or the URL is wrong.
    static func connect(_ settings: BatchSettings, log: @escaping @Sendable (String) -> Void) async throws(BatchError) -> PostgresSharedState? {
        guard let url = settings.sharedState else { return nil }
        do {
            let state = try await PostgresSharedState.connect(.init(
                url: url, namespace: settings.sharedNamespace, rateLimit: settings.gatewayLimit, leaseTTL: settings.sharedLeaseTTL))
            log("shared state: \(state.processesSeen) process(es) on the same keys")
            return state
        } catch {
            throw .configuration("--shared-state: \(error)")
        }
    }

    /// Gives back the run's leases and closes the connections (`nil`: nothing shared).
    static func finish(_ state: PostgresSharedState?) async { await state?.shutdown() }
}

extension GatewayBuilder {
    /// The in-process pool and `pacing`, or — with a shared state — its key provider and
    /// limiter (at the settings' fixed rate: the server's headers do not change a shared pace).
    func keysAndPacing(_ pacing: RateLimiterChoice, learning: SharedQuotaLearning, shared: PostgresSharedState?) -> Self {
        guard let shared else { return keyProvider(.dedicated(learning: learning)).rateLimit(pacing) }
        return keyProvider(.custom { keys in shared.keyProvider(for: keys, learning: learning) })
            .rateLimit(.custom { clock in shared.rateLimiter(clock: clock) })
    }
}
