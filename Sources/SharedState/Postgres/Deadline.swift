#if PostgresSharedState
import GatewayCore

/// Runs `operation` in an unstructured task and gives up waiting for it after `timeout` of real
/// time: postgres-nio ignores cancellation once a query is written, so only a race bounds a call
/// to a database that stopped answering. The operation is left to end by itself.
func withDeadline<T: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = Locked<CheckedContinuation<T, any Error>?>(nil)
    let resume: @Sendable (Result<T, any Error>) -> Bool = { result in
        guard let continuation = outcome.withLock({ state -> CheckedContinuation<T, any Error>? in
            defer { state = nil }
            return state
        }) else { return false }
        continuation.resume(with: result)
        return true
    }
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        outcome.withLock { $0 = continuation }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            if !Task.isCancelled { _ = resume(.failure(SharedStateError.unavailable("no answer within \(timeout)"))) }
        }
        Task {
            let result: Result<T, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            timer.cancel()
            _ = resume(result)
        }
    }
}
#endif
