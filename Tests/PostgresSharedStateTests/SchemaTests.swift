#if PostgresSharedState
import Foundation
import GatewayCore
import PostgresNIO
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Schema: created by the library, idempotent, safe from many processes at once")
    struct SchemaTests {
        @Test("four processes connecting at once, then a fifth, leave one schema at the latest version")
        func concurrentMigration() async throws {
            let states = try await withThrowingTaskGroup(of: PostgresSharedState.self) { group in
                for _ in 0..<4 { group.addTask { try await TestDatabase.connect(namespace: TestDatabase.unique("schema")) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let again = try await TestDatabase.connect(namespace: TestDatabase.unique("schema"))
            #expect(try await again.context.database.schemaVersion() == Schema.migrations.last!.version)
            try await again.context.database.migrate()
            let versions = try await TestDatabase.texts(again, "SELECT version::text FROM llmgateway_schema_version")
            #expect(versions == ["1", "2"])
            let tables = try await TestDatabase.texts(again, """
                SELECT table_name::text FROM information_schema.tables WHERE table_name LIKE 'llmgateway\\_%' ORDER BY 1
                """)
            #expect(tables.compactMap { $0 } == [
                "llmgateway_key", "llmgateway_key_cooldown", "llmgateway_lease", "llmgateway_process",
                "llmgateway_rate", "llmgateway_schema_version", "llmgateway_usage_daily",
            ])
            let cooldownColumns = try await TestDatabase.texts(again, """
                SELECT column_name::text FROM information_schema.columns WHERE table_name = 'llmgateway_key_cooldown' ORDER BY ordinal_position
                """)
            #expect(cooldownColumns == ["namespace", "key_fp", "reach", "until", "reason", "origin"])
            for state in states + [again] { await state.shutdown() }
        }

        @Test("a version-1 database (cooldowns under `scope`) migrates to version 2, from three processes at once, keeping its rows")
        func migratesVersion1() async throws {
            let name = "llmgateway_v1_" + TestDatabase.unique("m").replacingOccurrences(of: "-", with: "_")
            let admin = try await TestDatabase.connect(namespace: TestDatabase.unique("admin"))
            try await TestDatabase.execute(admin, "CREATE DATABASE \(name)")
            let url = TestDatabase.url(ofDatabase: name)

            // Version 1 as the previous release left it, with a key cooling for an hour.
            let old = Database(url: try PostgresURL(url), callTimeout: .seconds(5), listenerCheckInterval: .seconds(15), logger: .init(label: "test"))
            let keys = TestDatabase.keys(2)
            let fingerprint = keys[0].sharedStateFingerprint
            for statement in [Schema.versionTable] + Schema.version1 + [
                "INSERT INTO llmgateway_schema_version (version) VALUES (1)",
                "INSERT INTO llmgateway_key (namespace, key_fp, label, masked, project) VALUES ('v1', '\(fingerprint)', '#1', '…GH', NULL)",
                """
                INSERT INTO llmgateway_key_cooldown (namespace, key_fp, scope, until, reason, origin)
                VALUES ('v1', '\(fingerprint)', '*', clock_timestamp() + interval '1 hour', 'cooled in v1', gen_random_uuid())
                """,
            ] {
                _ = try await old.client.query(PostgresQuery(unsafeSQL: statement)).collect()
            }
            old.close()

            let states = try await withThrowingTaskGroup(of: PostgresSharedState.self) { group in
                for _ in 0..<3 { group.addTask { try await TestDatabase.connect(namespace: "v1", url: url) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let state = states[0]
            #expect(try await TestDatabase.texts(state, "SELECT version::text FROM llmgateway_schema_version ORDER BY 1") == ["1", "2"])
            let columns = try await TestDatabase.texts(state, """
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_name IN ('llmgateway_key_cooldown', 'llmgateway_key') AND column_name IN ('scope', 'reach', 'learned_group')
                ORDER BY 1
                """)
            #expect(columns == ["llmgateway_key.learned_group", "llmgateway_key_cooldown.reach"])
            #expect(try await TestDatabase.texts(state, "SELECT reach || ' ' || reason FROM llmgateway_key_cooldown") == ["* cooled in v1"])
            // The cooldown written by version 1 still holds for a process of this version.
            let provider = state.keyProvider(for: keys)
            let start = GatewayClock.Instant(offset: .zero)
            _ = try await provider.lease(for: "t", excluding: [], model: nil, at: start)
            #expect(!provider.isUsable(KeyID(0), model: nil, at: start))
            #expect(provider.isUsable(KeyID(1), model: nil, at: start))
            // Running version 2 again, statement by statement, changes nothing.
            for statement in Schema.version2 { try await TestDatabase.execute(state, statement) }
            try await state.context.database.migrate()
            #expect(try await TestDatabase.texts(state, "SELECT version::text FROM llmgateway_schema_version ORDER BY 1") == ["1", "2"])
            #expect(try await TestDatabase.texts(state, "SELECT reach FROM llmgateway_key_cooldown") == ["*"])

            for state in states { await state.shutdown() }
            try await TestDatabase.execute(admin, "DROP DATABASE \(name) WITH (FORCE)")
            await admin.shutdown()
        }
    }
}
#endif
