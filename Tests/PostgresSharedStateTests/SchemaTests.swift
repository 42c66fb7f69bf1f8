#if PostgresSharedState
import GatewayCore
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Schema: created by the library, idempotent, safe from many processes at once")
    struct SchemaTests {
        @Test("four processes connecting at once, then a fifth, leave one schema at version 1")
        func concurrentMigration() async throws {
            let states = try await withThrowingTaskGroup(of: PostgresSharedState.self) { group in
                for _ in 0..<4 { group.addTask { try await TestDatabase.connect(namespace: TestDatabase.unique("schema")) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let again = try await TestDatabase.connect(namespace: TestDatabase.unique("schema"))
            #expect(try await again.context.database.schemaVersion() == Schema.migrations.last!.version)
            try await again.context.database.migrate()
            let versions = try await TestDatabase.texts(again, "SELECT version::text FROM llmgateway_schema_version")
            #expect(versions == ["1"])
            let tables = try await TestDatabase.texts(again, """
                SELECT table_name::text FROM information_schema.tables WHERE table_name LIKE 'llmgateway\\_%' ORDER BY 1
                """)
            #expect(tables.compactMap { $0 } == [
                "llmgateway_key", "llmgateway_key_cooldown", "llmgateway_lease", "llmgateway_process",
                "llmgateway_rate", "llmgateway_schema_version", "llmgateway_usage_daily",
            ])
            for state in states + [again] { await state.shutdown() }
        }
    }
}
#endif
