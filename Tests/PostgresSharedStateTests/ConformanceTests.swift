#if PostgresSharedState
import GatewayCore
import KeyStrategyConformance
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("The shared key provider passes the key-provider conformance suite")
    struct ConformanceTests {
        @Test("every check, each in a namespace of its own", arguments: KeyStrategyConformance.Check.allCases)
        func conforms(_ check: KeyStrategyConformance.Check) async throws {
            let state = try await TestDatabase.connect(namespace: TestDatabase.unique("conformance"))
            try await KeyStrategyConformance(provider: { keys in
                state.keyProvider(for: keys, namespace: TestDatabase.unique("conformance-\(check)"))
            }).run(check)
            await state.shutdown()
        }
    }
}
#endif
