#if PostgresSharedState
import Foundation
import GatewayCore
import Logging
import PostgresNIO

/// What the shared key provider and limiter of one ``PostgresSharedState`` share: the database,
/// the ordered write queue, this process's identity, and the live processes last counted.
final class SharedContext: Sendable {
    let database: Database
    let writes: WriteQueue
    let namespace: String
    /// Random per process start: whose leases and cooldowns these are.
    let holder = UUID()
    let leaseTTL: Duration
    let logger: Logger
    private let processes = Locked(1)
    private let leaseSyncs = Locked<[UUID: @Sendable () async -> Void]>([:])

    init(database: Database, namespace: String, leaseTTL: Duration, logger: Logger) {
        self.database = database
        self.writes = WriteQueue(database: database)
        self.namespace = namespace
        self.leaseTTL = leaseTTL
        self.logger = logger
    }

    /// Live processes of the namespace at the last heartbeat (at least 1: this one).
    var processesSeen: Int { processes.withLock { $0 } }
    func setProcessesSeen(_ count: Int) { processes.withLock { $0 = max(count, 1) } }

    /// Registers a provider's lease renewal, run at every heartbeat and after a reconnect.
    func addLeaseSync(_ sync: @escaping @Sendable () async -> Void) {
        leaseSyncs.withLock { $0[UUID()] = sync }
    }

    /// Marks this process alive, counts the others, renews every provider's leases.
    func heartbeat() async {
        let query = KeyStatements.heartbeat(namespace: namespace, holder: holder, ttl: leaseTTL)
        if let count = try? await database.call("heartbeat", { client in
            var count = 1
            for try await value in try await client.query(query).decode(Int.self) { count = value }
            return count
        }) {
            setProcessesSeen(count)
        }
        for sync in leaseSyncs.withLock({ Array($0.values) }) { await sync() }
    }
}
#endif
