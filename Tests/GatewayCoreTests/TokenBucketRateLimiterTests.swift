import GatewayCore
import Testing

@Suite("Token-bucket rate limiter")
struct TokenBucketRateLimiterTests {
    let clock = ManualClock()
    let group = QuotaGroup("p")

    func limiter(_ limit: RateLimit) throws -> TokenBucketRateLimiter {
        try TokenBucketRateLimiter(limit: limit, clock: GatewayClock(clock))
    }

    /// Acquires `count` permits one after another on the driven clock; returns grant offsets in seconds.
    func grants(_ limiter: TokenBucketRateLimiter, count: Int, cost: RateLimitCost = .oneRequest) async throws -> [Double] {
        let group = self.group
        return try await drive(clock) {
            var times: [Double] = []
            for _ in 0..<count {
                let permit = try await limiter.acquire(cost, in: group, maxWait: nil)
                times.append(permit.grantedAt.offset.secondsDouble)
            }
            return times
        }
    }

    @Test("15 per minute with burst 1 spaces requests 4 s apart, as the original did")
    func evenSpacing() async throws {
        #expect(try await grants(limiter(.perMinute(15)), count: 4) == [0, 4, 8, 12])
    }

    @Test("rates over any period: 15 per 3 s and 1,000 per 60 s")
    func anyPeriod() async throws {
        #expect(try await grants(limiter(RateLimit(requests: 15, per: .seconds(3))), count: 3) == [0, 0.2, 0.4])
        #expect(try await grants(limiter(RateLimit(requests: 1000, per: .seconds(60))), count: 3) == [0, 0.06, 0.12])
    }

    @Test("a burst of 4 goes at once, then the steady rate")
    func burst() async throws {
        #expect(try await grants(limiter(.perMinute(15, burst: 4)), count: 6) == [0, 0, 0, 0, 4, 8])
    }

    @Test("no window of 60 virtual seconds ever admits more than the rate", arguments: [1, 3, 15])
    func neverExceedsRate(burst: Int) async throws {
        let limiter = try limiter(.perMinute(15, burst: burst))
        let group = self.group
        let granted = try await drive(clock) {
            try await withThrowingTaskGroup(of: GatewayClock.Instant.self) { tasks in
                for _ in 0..<60 {
                    tasks.addTask { try await limiter.acquire(.oneRequest, in: group, maxWait: nil).grantedAt }
                }
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(granted.count == 60)
        // A token bucket admits at most burst + rate·window − 1 in a window; with burst 1, exactly the rate.
        #expect(maxInWindow(granted, window: .seconds(60)) <= 15 + burst - 1)
        #expect(maxInWindow(granted, window: .seconds(4)) <= burst)
    }

    @Test("waiters are served first in, first out")
    func fifo() async throws {
        let limiter = try limiter(.perMinute(15))
        let group = self.group
        _ = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
        var tasks: [Task<Double, any Error>] = []
        for _ in 0..<5 {
            tasks.append(Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil).grantedAt.offset.secondsDouble })
            // Each waiter is enqueued before the next starts.
            while limiter.queueLength(in: group) < tasks.count { await Task.yield() }
        }
        for _ in 0..<5 {
            await clock.waitForSleepers(count: 1)
            clock.advanceToNextDeadline()
        }
        var times: [Double] = []
        for task in tasks { times.append(try await task.value) }
        #expect(times == [4, 8, 12, 16, 20])
    }

    @Test("a cancelled waiter consumes nothing and the next moves up")
    func cancelledWaiterConsumesNothing() async throws {
        let limiter = try limiter(.perMinute(15))
        let group = self.group
        _ = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)  // t = 0
        let head = Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil).grantedAt.offset.secondsDouble }
        while limiter.queueLength(in: group) < 1 { await Task.yield() }
        let middle = Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil).grantedAt.offset.secondsDouble }
        while limiter.queueLength(in: group) < 2 { await Task.yield() }
        let last = Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil).grantedAt.offset.secondsDouble }
        while limiter.queueLength(in: group) < 3 { await Task.yield() }

        middle.cancel()
        await #expect(throws: CancellationError.self) { try await middle.value }
        #expect(limiter.queueLength(in: group) == 2)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(4))
        #expect(try await head.value == 4)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(4))
        #expect(try await last.value == 8)
    }

    @Test("cancelling the sleeping head hands its turn to the next waiter")
    func cancelledHead() async throws {
        let limiter = try limiter(.perMinute(15))
        let group = self.group
        _ = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
        let head = Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil) }
        await clock.waitForSleepers(count: 1)
        let next = Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil).grantedAt.offset.secondsDouble }
        while limiter.queueLength(in: group) < 2 { await Task.yield() }
        head.cancel()
        await #expect(throws: CancellationError.self) { try await head.value }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(4))
        #expect(try await next.value == 4)
        #expect(limiter.queueLength(in: group) == 0)
    }

    @Test("penalize holds the whole group until the server's time, then pacing resumes")
    func penalty() async throws {
        let limiter = try limiter(.perMinute(15))
        limiter.penalize(group, until: GatewayClock.Instant(offset: .seconds(26)))
        #expect(limiter.estimatedWait(.oneRequest, in: group) == .seconds(26))
        #expect(try await grants(limiter, count: 3) == [26, 30, 34])
    }

    @Test("a penalty that arrives while the head sleeps is respected when it wakes")
    func penaltyDuringSleep() async throws {
        let limiter = try limiter(.perMinute(15))
        let group = self.group
        _ = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
        let waiter = Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil).grantedAt.offset.secondsDouble }
        await clock.waitForSleepers(count: 1)
        limiter.penalize(group, until: GatewayClock.Instant(offset: .seconds(10)))
        clock.advance(by: .seconds(4))
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(6))
        #expect(try await waiter.value == 10)
    }

    @Test("maxWait: a wait that is too long fails at once and consumes nothing")
    func maxWait() async throws {
        let limiter = try limiter(.perMinute(15))
        _ = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
        await #expect(throws: RateLimiterError.waitTooLong(.seconds(4))) {
            try await limiter.acquire(.oneRequest, in: group, maxWait: .seconds(1))
        }
        #expect(limiter.queueLength(in: group) == 0)
        #expect(limiter.estimatedWait(.oneRequest, in: group) == .seconds(4))
    }

    @Test("groups are independent buckets")
    func groupsIndependent() async throws {
        let limiter = try limiter(.perMinute(15))
        let a = try await limiter.acquire(.oneRequest, in: QuotaGroup("a"), maxWait: nil)
        let b = try await limiter.acquire(.oneRequest, in: QuotaGroup("b"), maxWait: nil)
        #expect(a.grantedAt == b.grantedAt)
        #expect(limiter.estimatedWait(.oneRequest, in: QuotaGroup("a")) == .seconds(4))
    }

    @Test("per-group overrides")
    func overrides() async throws {
        let limiter = try TokenBucketRateLimiter(
            limit: .perMinute(15), overrides: [QuotaGroup("paid"): .perMinute(60)], clock: GatewayClock(clock))
        _ = try await limiter.acquire(.oneRequest, in: QuotaGroup("paid"), maxWait: nil)
        #expect(limiter.estimatedWait(.oneRequest, in: QuotaGroup("paid")) == .seconds(1))
    }

    @Test("tokens per minute: reserve the estimate, settle with the real usage")
    func tokensPerMinute() async throws {
        let limit = RateLimit(requests: 1000, per: .seconds(60), burst: 1000, tokensPerMinute: 1000)
        let limiter = try limiter(limit)
        let permit = try await limiter.acquire(RateLimitCost(tokens: 800), in: group, maxWait: nil)
        // 800 of 1,000 reserved: another 400 must wait until 200 more have refilled (12 s).
        #expect(limiter.estimatedWait(RateLimitCost(tokens: 400), in: group) == .seconds(12))
        // The answer used only 300: the 500 refunded make room at once.
        limiter.settle(permit, actualTokens: 300)
        #expect(limiter.estimatedWait(RateLimitCost(tokens: 400), in: group) == .zero)
        // A request that can never fit is refused, not queued forever.
        await #expect(throws: RateLimiterError.self) {
            try await limiter.acquire(RateLimitCost(tokens: 5000), in: group, maxWait: nil)
        }
    }

    @Test("requests per day: the day's last slot, then a wait until the reset")
    func requestsPerDay() async throws {
        let limit = RateLimit(requests: 100, per: .seconds(60), burst: 100, requestsPerDay: 3, firstDailyReset: .seconds(1000))
        let times = try await grants(limiter(limit), count: 5)
        #expect(times == [0, 0, 0, 1000, 1000])
    }
}
