#if PostgresSharedState
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GatewayCore
import PostgresNIO
@testable import PostgresSharedState
import Testing

/// The PostgreSQL that `scripts/with-postgres.sh` started (its URL and control script), and
/// helpers to connect and to read the tables directly.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    /// Set by `scripts/with-postgres.sh`; the database suites are skipped without it.
    static let url = environment["LLMGATEWAY_TEST_POSTGRES_URL"]
    /// `stop|start|restart` for the cluster (the restart test).
    static let control = environment["LLMGATEWAY_TEST_POSTGRES_CTL"]
    static var isAvailable: Bool { url != nil }

    /// A name no other test uses: each test keeps to its own namespace and groups.
    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    static func connect(
        namespace: String, rate: RateLimit = .perMinute(600), ttl: Duration = .seconds(30), callTimeout: Duration = .seconds(2),
        listenerCheck: Duration = .seconds(15), url: String? = nil
    ) async throws -> PostgresSharedState {
        try await PostgresSharedState.connect(.init(
            url: url ?? self.url!, namespace: namespace, rateLimit: rate, leaseTTL: ttl, callTimeout: callTimeout,
            listenerCheckInterval: listenerCheck))
    }

    /// The test database's URL with another database name.
    static func url(ofDatabase name: String) -> String {
        let base = url!
        return String(base[..<base.lastIndex(of: "/")!]) + "/" + name
    }

    /// Runs `sql` (one statement) on `state`'s connection, decoding nothing.
    static func execute(_ state: PostgresSharedState, _ sql: String) async throws {
        _ = try await state.context.database.client.query(PostgresQuery(unsafeSQL: sql)).collect()
    }

    /// Keys with recognisable secrets (the scan for key text looks for them).
    static func keys(_ count: Int, projects: [String?]? = nil) -> [APIKey] {
        (0..<count).map { index in
            APIKey(secret: "AQ.pg-test-secret-\(index + 1)-QWERTYUIOPASDFGH", id: KeyID(index), project: projects?[index])
        }
    }

    /// Every row of `sql`'s single text column.
    static func texts(_ state: PostgresSharedState, _ sql: String) async throws -> [String?] {
        var values: [String?] = []
        for try await value in try await state.context.database.client.query(PostgresQuery(unsafeSQL: sql)).decode(String?.self) {
            values.append(value)
        }
        return values
    }

    /// Runs the test cluster's control script with `command` (`stop`, `start`), and waits for it.
    static func control(_ command: String) throws {
        // system(3), not Foundation's Process: its waitUntilExit missed the child's exit here.
        guard system("'\(control!)' \(command)") == 0 else { throw ControlFailed(command: command) }
    }

    struct ControlFailed: Error { let command: String }

    /// Waits, in real time, until `condition` holds or `timeout` passes; answers whether it held.
    static func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while clock.now < end {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }
}

/// Every suite that needs the database: serialized, because one of them stops and restarts it.
@Suite("PostgreSQL shared state", .serialized, .enabled(if: TestDatabase.isAvailable, "needs LLMGATEWAY_TEST_POSTGRES_URL (scripts/with-postgres.sh)"))
struct PostgresSuites {}
#endif
