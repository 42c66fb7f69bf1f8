import GatewayCore
import MockTransport
import Testing

@Suite("Tasks that share a quota group's pace take turns with tasks that have one alone")
struct KeyTradeTests {
    let t0 = GatewayClock.Instant(offset: .zero)

    /// Keys #1 and #2 in project "p", #3 alone in "q".
    static var keys: [APIKey] {
        let secrets = Harness.secrets(3)
        return [
            APIKey(secret: secrets[0], id: KeyID(0), project: "p"), APIKey(secret: secrets[1], id: KeyID(1), project: "p"),
            APIKey(secret: secrets[2], id: KeyID(2), project: "q"),
        ]
    }

    /// Leases `task` a key at `t0` and answers which (trading after 3 attempts of difference, unless told otherwise).
    func lease(_ task: TaskID, in book: inout KeyBook, strategy: some KeyStrategy = DedicatedKeyStrategy(turnLead: 3)) throws -> KeyID? {
        if case .use(let key) = try book.lease(for: task, excluding: [], model: nil, at: t0, choosing: strategy) { return key.id }
        return nil
    }

    @Test("a trade gives each task the other's key in one step; leases per key and per project stay as they were")
    func tradeSwaps() throws {
        var book = KeyBook(keys: Self.keys)
        book.lease(KeyID(0), to: "a")
        book.lease(KeyID(2), to: "c")
        do { let traded = book.trade(KeyID(2), to: "a"); #expect(traded) }
        #expect(book.heldKey(by: "a") == KeyID(2) && book.heldKey(by: "c") == KeyID(0))
        #expect(book.snapshot(at: t0).keys.map(\.leases) == [1, 0, 1])
        #expect(book.heldKeys == [KeyID(0), KeyID(2)])
        book.release("c")
        #expect(book.snapshot(at: t0).keys.map(\.leases) == [0, 0, 1] && !book.isLeased(KeyID(0)))
    }

    @Test("no trade for a key with two holders, a free key, or a task that shares its own key")
    func noTrade() throws {
        var book = KeyBook(keys: Self.keys)
        do { let traded = book.trade(KeyID(2), to: "a"); #expect(!traded, "a holds no key") }
        book.lease(KeyID(0), to: "a")
        do { let traded = book.trade(KeyID(1), to: "a"); #expect(!traded, "nobody holds #2") }
        book.lease(KeyID(2), to: "c")
        book.lease(KeyID(2), to: "d")
        do { let traded = book.trade(KeyID(2), to: "a"); #expect(!traded, "#3 has two holders") }
        book.lease(KeyID(0), to: "e")
        book.release("d")
        do { let traded = book.trade(KeyID(2), to: "a"); #expect(!traded, "a shares #1 with e") }
        #expect(book.snapshot(at: t0).keys.map(\.leases) == [2, 0, 1])
    }

    @Test("a trade the book cannot make is a plain choice, and whatever a strategy asks, each task holds one key")
    func tradeAlwaysStrategy() throws {
        /// Asks to trade for the last candidate, always.
        struct AlwaysTrade: KeyStrategy {
            func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
                Array(candidates).last!.traded()
            }
        }
        var book = KeyBook(keys: Self.keys)
        let tasks: [TaskID] = ["a", "b", "c", "d"]
        for round in 0..<5 {
            for task in tasks { _ = try lease(task, in: &book, strategy: AlwaysTrade()) }
            let leases = book.snapshot(at: t0).keys.map(\.leases)
            #expect(leases.reduce(0, +) == tasks.count, "round \(round): \(leases)")
            #expect(tasks.allSatisfy { book.heldKey(by: $0) != nil })
        }
        for task in tasks { book.release(task) }
        #expect(book.snapshot(at: t0).keys.map(\.leases) == [0, 0, 0] && book.heldKeys.isEmpty)
    }

    @Test("a task in the shared project trades with the task alone in its project once that one is turnLead attempts ahead")
    func turns() throws {
        var book = KeyBook(keys: Self.keys)
        let a = try #require(try lease("a", in: &book))
        do { let got = try lease("c", in: &book); #expect(got == KeyID(2)) }   // the least-loaded project: "q"
        let b = try #require(try lease("b", in: &book))
        #expect(Set([a, b]) == [KeyID(0), KeyID(1)])
        // c has had 3 attempts, a 1: two ahead, not three — a keeps its key.
        _ = try lease("c", in: &book)
        _ = try lease("c", in: &book)
        do { let got = try lease("a", in: &book); #expect(got == a) }   // a: 2 attempts
        _ = try lease("c", in: &book)
        _ = try lease("c", in: &book)              // c: 5, a: 2 — three ahead
        do { let got = try lease("a", in: &book); #expect(got == KeyID(2), "a takes c's key") }
        #expect(book.heldKey(by: "c") == a, "c takes a's key in the same step")
        #expect(book.snapshot(at: t0).keys.map(\.leases) == [1, 1, 1])
        // c, now in the shared project, is ahead: it keeps its key until a is three ahead.
        do { let got = try lease("c", in: &book); #expect(got == a) }
        for _ in 0..<3 { let got = try lease("a", in: &book); #expect(got == KeyID(2)) }   // a: 6, c: 6
        for _ in 0..<3 { let got = try lease("a", in: &book); #expect(got == KeyID(2)) }   // a: 9
        do { let got = try lease("c", in: &book); #expect(got == KeyID(2), "c's turn on the project of its own again") }
        #expect(book.heldKey(by: "a") == a)
    }

    @Test("without turnLead, or alone in their projects, tasks never trade")
    func noTurns() throws {
        var book = KeyBook(keys: Self.keys)
        let pinned = DedicatedKeyStrategy(turnLead: nil)
        let a = try #require(try lease("a", in: &book, strategy: pinned))
        _ = try lease("c", in: &book, strategy: pinned)
        _ = try lease("b", in: &book, strategy: pinned)
        for _ in 0..<10 { _ = try lease("c", in: &book, strategy: pinned) }
        do { let got = try lease("a", in: &book, strategy: pinned); #expect(got == a) }
        // One task per project: nobody's pace is shared, nobody trades.
        var alone = KeyBook(keys: Self.keys)
        let onP = try #require(try lease("a", in: &alone))
        do { let got = try lease("c", in: &alone); #expect(got == KeyID(2)) }
        for _ in 0..<10 { _ = try lease("c", in: &alone) }
        do { let got = try lease("a", in: &alone); #expect(got == onP) }
    }

    @Test("four tasks on three projects (two keys in one) finish together at the projects' combined pace")
    func finishTogether() async throws {
        func run(_ strategy: DedicatedKeyStrategy) async throws -> [Double] {
            let secrets = Harness.secrets(4)
            let h = try Harness(
                keys: .entries(zip(secrets, ["p", "p", "q", "r"]).map { .init(secret: $0, project: $1) }),
                rate: .tokenBucket(RateLimit(requests: 1, per: .seconds(1))), keyProvider: .strategy(strategy))
            h.mock.setDefault(MockResponse.geminiText("ok"))
            let gateway = h.gateway
            let clock = h.clock
            return try await h.run {
                try await withThrowingTaskGroup(of: Double.self) { group in
                    for task in 0..<4 {
                        group.addTask {
                            try await gateway.withClient(task: TaskID("t\(task)")) { client in
                                for _ in 0..<12 { _ = try await client.send(.init("p")) }
                            }
                            return clock.now.offset.secondsDouble
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }.sorted()
                }
            }
        }
        // 48 calls on three projects paced at 1 a second: 16 s at best.
        let turns = try await run(DedicatedKeyStrategy())
        #expect(turns.last! <= 17, "\(turns)")
        // Pinned, the two tasks in "p" go at half pace until "q" and "r" are done (12 s), then move
        // there with half their calls left: 18 s.
        let pinned = try await run(DedicatedKeyStrategy(turnLead: nil))
        #expect(pinned.last! >= 17.5, "\(pinned)")
    }
}
