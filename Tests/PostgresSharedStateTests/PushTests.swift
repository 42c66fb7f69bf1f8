#if PostgresSharedState
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GatewayCore
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Pushed health: cooldowns and disables heard before the next lease; a listener that dies is replaced")
    struct PushTests {
        static let start = GatewayClock.Instant(offset: .zero)

        /// Waits until `state`'s listener has listened `generation` times (and so read the tables
        /// after its `LISTEN`): from then on only a push can tell it news.
        static func listening(_ state: PostgresSharedState, generation: Int = 1) async -> Bool {
            await TestDatabase.eventually(within: .seconds(60)) {
                state.context.database.listener.generation >= generation && state.context.database.listener.backendPID != nil
            }
        }

        /// A disable written by `writer` reaches `reader`'s book without a lease.
        static func disableArrives(from writer: any KeyProvider, flushing state: PostgresSharedState, to reader: any KeyProvider, key: Int) async -> Bool {
            writer.report(.failure(.invalidKey), verdict: .disable(reach: .key, reason: "invalid"), for: KeyID(key), at: start)
            await state.flush()
            return await TestDatabase.eventually(within: .seconds(3)) { reader.snapshot(at: start).keys[key].health.isDisabled }
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

        @Test("the listener's backend terminated: it listens again, and a later disable still arrives by push")
        func listenerTerminated() async throws {
            let namespace = TestDatabase.unique("push-kill")
            let a = try await TestDatabase.connect(namespace: namespace)
            let b = try await TestDatabase.connect(namespace: namespace, listenerCheck: .milliseconds(300))
            let keys = TestDatabase.keys(3)
            let inA = a.keyProvider(for: keys)
            let inB = b.keyProvider(for: keys)
            _ = try await inA.lease(for: "a", excluding: [], model: nil, at: Self.start)
            #expect(await Self.listening(b))
            let first = try #require(b.context.database.listener.backendPID)
            #expect(try await TestDatabase.texts(a, "SELECT pg_terminate_backend(\(first))::text") == ["true"])
            // Bounded by a hang, not by the machine (ThreadSanitizer on a loaded machine is slow).
            let again = await TestDatabase.eventually(within: .seconds(60)) {
                let pid = b.context.database.listener.backendPID
                return b.context.database.listener.generation >= 2 && pid != nil && pid != first
            }
            #expect(again)
            #expect(await Self.disableArrives(from: inA, flushing: a, to: inB, key: 1))
            await a.shutdown()
            await b.shutdown()
        }

        @Test(
            "the listener's backend stopped (a connection dead without a reset): the watchdog's ping goes unheard, it listens again, pushes arrive",
            .enabled(if: getuid() == 0, "stopping the server's process needs root"))
        func listenerSilent() async throws {
            let namespace = TestDatabase.unique("push-silent")
            let a = try await TestDatabase.connect(namespace: namespace)
            let check = Duration.milliseconds(300), callTimeout = Duration.seconds(1)
            let b = try await TestDatabase.connect(namespace: namespace, callTimeout: callTimeout, listenerCheck: check)
            let keys = TestDatabase.keys(3)
            let inA = a.keyProvider(for: keys)
            let inB = b.keyProvider(for: keys)
            _ = try await inA.lease(for: "a", excluding: [], model: nil, at: Self.start)
            #expect(await Self.listening(b))
            let first = try #require(b.context.database.listener.backendPID)
            #expect(kill(pid_t(first), SIGSTOP) == 0)
            defer { kill(pid_t(first), SIGCONT) }  // it then finds its client gone and exits
            // A disable while nobody hears: the new listener reads it from the tables.
            inA.report(.failure(.invalidKey), verdict: .disable(reach: .key, reason: "invalid"), for: KeyID(0), at: Self.start)
            await a.flush()
            // Bounded by a hang, not by the machine (ThreadSanitizer on a loaded machine is slow).
            let again = await TestDatabase.eventually(within: .seconds(60)) {
                let pid = b.context.database.listener.backendPID
                return b.context.database.listener.generation >= 2 && pid != nil && pid != first
            }
            #expect(again)
            let readBack = await TestDatabase.eventually(within: .seconds(60)) { inB.snapshot(at: Self.start).keys[0].health.isDisabled }
            #expect(readBack, "what was announced while nobody listened is read back")
            #expect(await Self.disableArrives(from: inA, flushing: a, to: inB, key: 2))
            #expect(b.isConnected, "a silent listener is not a lost database")
            await a.shutdown()
            await b.shutdown()
        }
    }
}
#endif
