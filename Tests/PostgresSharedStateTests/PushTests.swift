#if PostgresSharedState
import Foundation
import GatewayCore
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Pushed health: cooldowns and disables heard before the next lease")
    struct PushTests {
        static let start = GatewayClock.Instant(offset: .zero)

        /// Waits until `state`'s listener has listened `generation` times (and so read the tables
        /// after its `LISTEN`): from then on only a push can tell it news.
        static func listening(_ state: PostgresSharedState, generation: Int = 1) async -> Bool {
            await TestDatabase.eventually(within: .seconds(10)) {
                state.context.database.listener.generation >= generation && state.context.database.listener.backendPID != nil
            }
        }

        @Test("a cooldown set in one process takes a key held in another out of use before that process leases again")
        func cooldownPushed() async throws {
            let namespace = TestDatabase.unique("push-cool")
            let a = try await TestDatabase.connect(namespace: namespace)
            let b = try await TestDatabase.connect(namespace: namespace)
            let keys = TestDatabase.keys(3, projects: ["p", "p", nil])
            let inA = a.keyProvider(for: keys)
            let inB = b.keyProvider(for: keys)
            _ = try await inA.lease(for: "a", excluding: [], model: nil, at: Self.start)
            guard case .use(let held) = try await inB.lease(for: "b", excluding: [], model: nil, at: Self.start) else {
                Issue.record("no key for B")
                return
            }
            #expect(await Self.listening(b))
            inA.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(60), reach: .key, reason: "minute"), for: held.id, at: Self.start)
            await a.flush()
            let cooled = await TestDatabase.eventually(within: .seconds(3)) { !inB.isUsable(held.id, model: nil, at: Self.start) }
            #expect(cooled)
            // What is left of it, on B's clock: about the minute.
            if case .cooling(let until, let reason) = inB.snapshot(at: Self.start).keys[held.id.index].health {
                #expect(until > Self.start.advanced(by: .seconds(55)) && until <= Self.start.advanced(by: .seconds(60)))
                #expect(reason == "minute")
            } else {
                Issue.record("key \(held.label) is not cooling in B")
            }

            // A model's quota on project p: both of p's keys, for that model only.
            inA.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(60), reach: .model("pro"), reason: "daily"), for: KeyID(0), at: Self.start)
            await a.flush()
            let modelCooled = await TestDatabase.eventually(within: .seconds(3)) {
                !inB.isUsable(KeyID(0), model: "pro", at: Self.start) && !inB.isUsable(KeyID(1), model: "pro", at: Self.start)
            }
            #expect(modelCooled)
            #expect(inB.isUsable(KeyID(2), model: "pro", at: Self.start) == (held.id != KeyID(2)))
            #expect(inB.isUsable(KeyID(0), model: "flash", at: Self.start) == (held.id != KeyID(0)))
            await a.shutdown()
            await b.shutdown()
        }

    }
}
#endif
