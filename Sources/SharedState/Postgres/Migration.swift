#if PostgresSharedState
import Logging
import PostgresNIO

extension Database {
    /// Creates or migrates the schema in one transaction under an advisory lock, so any number of
    /// processes may start at once: the first applies what is missing, the others find it done.
    func migrate() async throws(SharedStateError) {
        do {
            let logger = logger
            try await withDeadline(.seconds(30)) { [client] in
                try await client.withTransaction(logger: logger) { connection in
                    try await connection.query("SELECT pg_advisory_xact_lock(\(Schema.migrationLock))", logger: logger)
                    try await connection.query("SET LOCAL lock_timeout = '10s'", logger: logger)
                    try await connection.query(PostgresQuery(unsafeSQL: Schema.versionTable), logger: logger)
                    var current = 0
                    let rows = try await connection.query("SELECT COALESCE(max(version), 0)::bigint FROM llmgateway_schema_version", logger: logger)
                    for try await version in rows.decode(Int.self) { current = version }
                    for migration in Schema.migrations where migration.version > current {
                        for statement in migration.statements {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query("INSERT INTO llmgateway_schema_version (version) VALUES (\(migration.version))", logger: logger)
                    }
                }
            }
        } catch {
            throw .migrationFailed(Self.describe(error))
        }
    }

    /// The schema version the database holds.
    func schemaVersion() async throws(SharedStateError) -> Int {
        try await call("schema version") { client in
            var version = 0
            for try await value in try await client.query("SELECT COALESCE(max(version), 0)::bigint FROM llmgateway_schema_version").decode(Int.self) {
                version = value
            }
            return version
        }
    }
}
#endif
