import CustomPolicy
import GatewayCore
import KeyStrategyConformance
import Testing

@Suite("The CustomPolicy example's strategy passes the key-strategy conformance suite")
struct LeastUsedKeysConformanceTests {
    @Test(arguments: KeyStrategyConformance.Check.allCases)
    func conforms(_ check: KeyStrategyConformance.Check) async throws {
        try await KeyStrategyConformance(LeastUsedKeys()).run(check)
    }

    @Test("it takes the candidate with the fewest attempts")
    func fewestAttempts() throws {
        let keys = (0..<3).map { APIKey(secret: "least-used-secret-000\($0)", id: KeyID($0)) }
        let pool = KeyPool(keys: keys, strategy: LeastUsedKeys())
        let t0 = GatewayClock.Instant(offset: .zero)
        pool.report(.success, verdict: .notAtFault, for: KeyID(0), at: t0)
        pool.report(.success, verdict: .notAtFault, for: KeyID(2), at: t0)
        #expect(try pool.lease(for: "t", excluding: [], model: nil, at: t0) == .use(keys[1]))
    }
}
