#if PostgresSharedState
import GatewayCore
import PostgresNIO

/// The database writes that synchronous calls (`report`, `penalize`, a release) cannot wait for:
/// run in the background one at a time, in the order they were made. A write that fails waits
/// for the database to come back and is tried again; nothing is dropped.
final class WriteQueue: Sendable {
    private let database: Database
    private let continuation: AsyncStream<Write>.Continuation
    private let pending = Locked(0)
    private let worker: Task<Void, Never>

    /// One write: a name for logs and its statement.
    struct Write: Sendable {
        let what: String
        let query: PostgresQuery
    }

    init(database: Database) {
        self.database = database
        let (stream, continuation) = AsyncStream<Write>.makeStream()
        self.continuation = continuation
        let pending = pending
        self.worker = Task {
            for await write in stream {
                var delay = Duration.milliseconds(50)
                while true {
                    if database.isUp, (try? await database.run(write.what, write.query)) != nil { break }
                    if Task.isCancelled { break }
                    try? await Task.sleep(for: delay)
                    delay = min(delay * 2, .seconds(2))
                }
                pending.withLock { $0 -= 1 }
            }
        }
    }

    /// Queues `query` after every write queued before it.
    func enqueue(_ what: String, _ query: PostgresQuery) {
        pending.withLock { $0 += 1 }
        continuation.yield(Write(what: what, query: query))
    }

    /// Writes not yet done.
    var backlog: Int { pending.withLock { $0 } }

    /// Waits (polling, real time) until every queued write is done or `timeout` passes.
    func flush(timeout: Duration = .seconds(5)) async {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while backlog > 0, clock.now < end {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops the worker (after a flush, normally).
    func close() {
        continuation.finish()
        worker.cancel()
    }
}
#endif
