import GatewayCore
import Testing

@Suite("Learned quota groups: keys that rate limits show to share a quota are paced as one")
struct SharedQuotaLearningTests {
    static func keys(_ projects: [String?]) -> [APIKey] {
        projects.enumerated().map { APIKey(secret: "learning-secret-000\($0)-abcdef", id: KeyID($0), project: $1) }
    }

    let t0 = GatewayClock.Instant(offset: .seconds(100))

    /// A 429 for a quota of 15 requests a minute.
    let limited = Failure.Kind.rateLimited(RateLimitDetails(retryAfter: .seconds(5), window: .perMinute, quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", requestLimit: 15))

    func answer(_ pool: KeyPool, _ key: Int, times: Int, at now: GatewayClock.Instant) {
        for _ in 0..<times { pool.report(.success, verdict: .notAtFault, for: KeyID(key), at: now) }
    }

    @Test("consistent evidence merges two undeclared keys; the snapshot and the group say so")
    func merges() {
        let keys = Self.keys([nil, nil, nil])
        let pool = KeyPool(keys: keys, learning: SharedQuotaLearning())
        answer(pool, 0, times: 8, at: t0)
        answer(pool, 1, times: 8, at: t0)
        answer(pool, 2, times: 2, at: t0)
        pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0)
        #expect(pool.quotaGroup(of: keys[0]) != pool.quotaGroup(of: keys[1]))  // one 429 is never enough
        pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(1), at: t0.advanced(by: .seconds(1)))
        #expect(pool.quotaGroup(of: keys[0]) == pool.quotaGroup(of: keys[1]))
        #expect(pool.quotaGroup(of: keys[2]) == keys[2].quotaGroup)
        let snapshot = pool.snapshot(at: t0)
        #expect(snapshot.sharedQuotaNotes == ["keys #1 and #2 appear to share one project's quota; declare their project to pace them together from the start"])
        #expect(snapshot.keys[0].quotaGroup == snapshot.keys[1].quotaGroup)
        // A verdict on the learned group now reaches both keys.
        pool.report(.failure(.billing), verdict: .disable(reach: .quotaGroup, reason: "billing"), for: KeyID(0), at: t0)
        #expect(pool.snapshot(at: t0).keys.map(\.health.isDisabled) == [true, true, false])
    }

    @Test("an ambiguous 429 (two keys could be the partner) is no evidence")
    func ambiguous() {
        let keys = Self.keys([nil, nil, nil])
        let pool = KeyPool(keys: keys, learning: SharedQuotaLearning())
        for key in 0..<3 { answer(pool, key, times: 8, at: t0) }
        for _ in 0..<4 { pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0) }
        #expect(Set(keys.map { pool.quotaGroup(of: $0) }).count == 3)
        #expect(pool.snapshot(at: t0).sharedQuotaNotes.isEmpty)
    }

    @Test("of several keys that could be the partner, the one refused in the same window is — for its own 429 and the earlier one")
    func refusedTogether() {
        let keys = Self.keys([nil, nil, nil])
        let pool = KeyPool(keys: keys, learning: SharedQuotaLearning())
        for key in 0..<3 { answer(pool, key, times: 8, at: t0) }
        // #1 is refused first: #2 and #3 could both make up the difference, neither was refused yet.
        pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0)
        #expect(Set(keys.map { pool.quotaGroup(of: $0) }).count == 3, "one 429 is never enough")
        // #3 is refused too: of #1 and #2, only #1 was refused in the window. That singles out the
        // pair for #3's 429 and, by the same rule, for #1's: two pieces of evidence.
        pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(2), at: t0.advanced(by: .seconds(1)))
        #expect(pool.quotaGroup(of: keys[0]) == pool.quotaGroup(of: keys[2]))
        #expect(pool.quotaGroup(of: keys[1]) == keys[1].quotaGroup)
        // Refusals older than the window are no evidence, weighed again or not.
        let other = KeyPool(keys: keys, learning: SharedQuotaLearning())
        for key in 0..<3 { answer(other, key, times: 8, at: t0) }
        other.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0)
        let later = t0.advanced(by: .seconds(61))
        for key in 0..<3 { answer(other, key, times: 8, at: later) }
        // #3's refusal finds #1's too old: it singles out nobody; nor does #1's a window later.
        other.report(.failure(limited), verdict: .notAtFault, for: KeyID(2), at: later)
        let muchLater = later.advanced(by: .seconds(61))
        for key in 0..<3 { answer(other, key, times: 8, at: muchLater) }
        other.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: muchLater)
        #expect(Set(keys.map { other.quotaGroup(of: $0) }).count == 3)
        // An earlier refusal counts again only for a partner it could have had: #1's, when #2 had
        // answered nothing yet, could not be #2's doing.
        let four = Self.keys([nil, nil, nil, nil])
        let third = KeyPool(keys: four, learning: SharedQuotaLearning())
        for key in [0, 2, 3] { answer(third, key, times: 8, at: t0) }
        third.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0)   // #3 or #4
        answer(third, 1, times: 8, at: t0.advanced(by: .milliseconds(500)))
        third.report(.failure(limited), verdict: .notAtFault, for: KeyID(1), at: t0.advanced(by: .seconds(1)))  // #1, refused
        #expect(Set(four.map { third.quotaGroup(of: $0) }).count == 4, "one piece of evidence is never enough")
    }

    @Test("a key whose own traffic reaches the limit, a token quota, an old answer: no evidence")
    func noEvidence() {
        let keys = Self.keys([nil, nil])
        let pool = KeyPool(keys: keys, learning: SharedQuotaLearning())
        answer(pool, 0, times: 15, at: t0)
        answer(pool, 1, times: 8, at: t0)
        for _ in 0..<3 { pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0) }
        let tokens = Failure.Kind.rateLimited(RateLimitDetails(window: .perMinute, quotaID: "GenerateContentInputTokensPerModelPerMinute"))
        for _ in 0..<3 { pool.report(.failure(tokens), verdict: .notAtFault, for: KeyID(1), at: t0) }
        // Outside the window the partner's answers no longer count.
        let later = t0.advanced(by: .seconds(61))
        for _ in 0..<3 { pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(1), at: later) }
        #expect(pool.quotaGroup(of: keys[0]) != pool.quotaGroup(of: keys[1]))
    }

    @Test("declared projects are never merged, split or overridden; without learning nothing is learned")
    func declaredAndOff() {
        let declared = Self.keys(["p", nil])
        let pool = KeyPool(keys: declared, learning: SharedQuotaLearning())
        answer(pool, 0, times: 8, at: t0)
        answer(pool, 1, times: 8, at: t0)
        for key in [0, 1, 0, 1] { pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(key), at: t0) }
        #expect(pool.quotaGroup(of: declared[0]) == QuotaGroup("p"))
        #expect(pool.quotaGroup(of: declared[1]) == declared[1].quotaGroup)

        let undeclared = Self.keys([nil, nil])
        let off = KeyPool(keys: undeclared)
        answer(off, 0, times: 8, at: t0)
        answer(off, 1, times: 8, at: t0)
        for key in [0, 1, 0, 1] { off.report(.failure(limited), verdict: .notAtFault, for: KeyID(key), at: t0) }
        #expect(off.quotaGroup(of: undeclared[0]) != off.quotaGroup(of: undeclared[1]))
    }

    @Test("the dedicated strategy spreads new tasks across learned groups")
    func spreads() throws {
        let keys = Self.keys([nil, nil, nil])
        let pool = KeyPool(keys: keys, learning: SharedQuotaLearning())
        answer(pool, 0, times: 8, at: t0)
        answer(pool, 1, times: 8, at: t0)
        pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0)
        pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(1), at: t0)
        func lease(_ task: TaskID) throws -> Int? {
            if case .use(let key) = try pool.lease(for: task, excluding: [], model: nil, at: t0) { return key.id.index }
            return nil
        }
        let first = try lease("a"), second = try lease("b"), third = try lease("c"), fourth = try lease("d")
        // #3 is a project of its own; #1 and #2 share one: the third task goes to #3's project
        // again only once the shared project carries as many tasks per key.
        #expect([first, second, third].contains(2))
        #expect(Set([first, second, third, fourth].compactMap { $0 }) == [0, 1, 2])
    }

    // MARK: Adopting what another process learned

    @Test("adopting a shared quota merges undeclared keys under the given name; verdicts, notes and the snapshot follow")
    func adopts() {
        let keys = Self.keys([nil, nil, nil])
        var changed = false
        var book = KeyBook(keys: keys)   // adopting needs no learning of its own
        changed = book.adoptSharedQuota([KeyID(0), KeyID(2)], named: "shared quota abc")
        #expect(changed)
        #expect(book.quotaGroup(of: KeyID(0)) == QuotaGroup("shared quota abc"))
        #expect(book.quotaGroup(of: KeyID(2)) == QuotaGroup("shared quota abc"))
        #expect(book.quotaGroup(of: KeyID(1)) == keys[1].quotaGroup)
        #expect(book.learnedGroups == [LearnedQuotaGroup(name: QuotaGroup("shared quota abc"), keys: [KeyID(0), KeyID(2)])])
        #expect(book.snapshot(at: t0).sharedQuotaNotes == ["keys #1 and #3 appear to share one project's quota; declare their project to pace them together from the start"])
        book.apply(.coolDown(for: .seconds(30), reach: .quotaGroup, reason: "429"), to: KeyID(2), at: t0)
        #expect(book.snapshot(at: t0).keys.map { $0.health == .active } == [false, true, false])
    }

    @Test("adopting twice, or a group already known under that name, changes nothing")
    func adoptingTwiceIsHarmless() {
        var changed = false
        var book = KeyBook(keys: Self.keys([nil, nil, nil]))
        changed = book.adoptSharedQuota([KeyID(0), KeyID(1)], named: "g")
        #expect(changed)
        let once = book.learnedGroups
        changed = book.adoptSharedQuota([KeyID(1), KeyID(0)], named: "g")
        #expect(!changed)
        changed = book.adoptSharedQuota([KeyID(0)], named: "g")
        #expect(!changed)
        #expect(book.learnedGroups == once)
        // A single key, or unknown IDs, make no group.
        changed = book.adoptSharedQuota([KeyID(2)], named: "h")
        #expect(!changed)
        changed = book.adoptSharedQuota([KeyID(2), KeyID(9)], named: "h")
        #expect(!changed)
        #expect(book.learnedGroups == once)
    }

    @Test("a declared project is never merged or overridden by an adopted group")
    func adoptingKeepsDeclaredProjects() {
        let keys = Self.keys(["p", nil, nil, "p"])
        var changed = false
        var book = KeyBook(keys: keys)
        changed = book.adoptSharedQuota([KeyID(0), KeyID(1)], named: "g")
        #expect(!changed)
        #expect(book.quotaGroup(of: KeyID(0)) == QuotaGroup("p"))
        #expect(book.quotaGroup(of: KeyID(1)) == keys[1].quotaGroup)
        // Of a group that names a declared key too, the undeclared ones are adopted.
        changed = book.adoptSharedQuota([KeyID(0), KeyID(1), KeyID(2)], named: "g")
        #expect(changed)
        #expect(book.quotaGroup(of: KeyID(0)) == QuotaGroup("p"))
        #expect(book.quotaGroup(of: KeyID(3)) == QuotaGroup("p"))
        #expect(book.learnedGroups == [LearnedQuotaGroup(name: QuotaGroup("g"), keys: [KeyID(1), KeyID(2)])])
    }

    @Test("a group learned here takes the agreed name, and grows (never splits) with what is adopted")
    func adoptingRenamesAndGrows() {
        let keys = Self.keys([nil, nil, nil, nil])
        var changed = false
        var book = KeyBook(keys: keys, learning: SharedQuotaLearning())
        for key in [0, 1] { for _ in 0..<8 { book.record(.success, for: KeyID(key), at: t0) } }
        book.record(.failure(limited), for: KeyID(0), at: t0)
        book.record(.failure(limited), for: KeyID(1), at: t0.advanced(by: .seconds(1)))
        #expect(book.learnedGroups.map(\.keys) == [[KeyID(0), KeyID(1)]])
        #expect(book.quotaGroup(of: KeyID(0)) == QuotaGroup("shared by #1+#2"))
        changed = book.adoptSharedQuota([KeyID(0), KeyID(1)], named: "agreed")
        #expect(changed)
        #expect(book.quotaGroup(of: KeyID(1)) == QuotaGroup("agreed"))
        // Another process learned #2 with #4: the groups merge under the name given.
        changed = book.adoptSharedQuota([KeyID(1), KeyID(3)], named: "agreed")
        #expect(changed)
        #expect(book.learnedGroups == [LearnedQuotaGroup(name: QuotaGroup("agreed"), keys: [KeyID(0), KeyID(1), KeyID(3)])])
        // A later, smaller view of the group splits nothing.
        changed = book.adoptSharedQuota([KeyID(0), KeyID(1)], named: "agreed")
        #expect(!changed)
        #expect(book.quotaGroup(of: KeyID(3)) == QuotaGroup("agreed"))
        #expect(book.quotaGroup(of: KeyID(2)) == keys[2].quotaGroup)
    }
}
