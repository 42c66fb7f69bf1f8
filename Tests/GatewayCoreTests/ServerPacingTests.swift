import GatewayCore
import MockTransport
import Testing

@Suite("A limiter that follows the server's announced limits")
struct ServerPacingTests {
    let group = QuotaGroup("p", model: "m")

    func limiter(_ pacing: ServerPacing, initial: RateLimit = .perMinute(6)) throws -> (TokenBucketRateLimiter, ManualClock) {
        let clock = ManualClock()
        return (try TokenBucketRateLimiter(limit: initial, clock: GatewayClock(clock), serverPacing: pacing), clock)
    }

    @Test("an announced limit replaces the initial pace, with the headroom")
    func adopts() throws {
        let (limiter, _) = try limiter(.follow(headroom: 0))
        limiter.observe(ServerRateLimits(requestLimit: 120, requestsRemaining: 100, requestsReset: .seconds(1)), in: group)
        #expect(limiter.currentLimit(in: group).emissionInterval == .milliseconds(500))
        limiter.observe(ServerRateLimits(requestLimit: 60, tokenLimit: 30_000), in: group)
        #expect(limiter.currentLimit(in: group).emissionInterval == .seconds(1))
        #expect(limiter.currentLimit(in: group).tokensPerMinute == 30_000)
    }

    @Test("never faster than the ceiling")
    func ceiling() throws {
        let (limiter, _) = try limiter(.follow(ceiling: .perMinute(30), headroom: 0))
        limiter.observe(ServerRateLimits(requestLimit: 6_000), in: group)
        #expect(limiter.currentLimit(in: group).emissionInterval == .seconds(2))
    }

    @Test("remaining 0 holds the group until the budget has refilled one request: the reset's share of one")
    func spentBudget() async throws {
        let (limiter, clock) = try limiter(.follow(headroom: 0), initial: .perMinute(600))
        // 60 a minute, none left, whole again in 30 s: one request back every 0.5 s.
        limiter.observe(ServerRateLimits(requestLimit: 60, requestsRemaining: 0, requestsReset: .seconds(30)), in: group)
        let permit = try await clock.drive { try await limiter.acquire(.oneRequest, in: self.group, maxWait: nil) }
        // Not the whole 30 s: the hold (0.5 s) or the adopted pace (one a second), whichever is later.
        #expect(permit.grantedAt.offset >= .milliseconds(500) && permit.grantedAt.offset <= .seconds(1))
    }

    @Test("remaining 0 without a limit, or a spent token budget, holds the group until the whole reset")
    func spentWithoutLimit() async throws {
        for limits in [ServerRateLimits(requestsRemaining: 0, requestsReset: .seconds(7)),
                       ServerRateLimits(tokenLimit: 10_000, tokensRemaining: 0, tokensReset: .seconds(7))] {
            let (limiter, clock) = try limiter(.follow(headroom: 0), initial: .perMinute(600))
            limiter.observe(limits, in: group)
            let permit = try await clock.drive { try await limiter.acquire(.oneRequest, in: self.group, maxWait: nil) }
            #expect(permit.grantedAt.offset == .seconds(7), "\(limits)")
        }
    }

    @Test("a limiter that ignores the server keeps its pace", arguments: [ServerPacing.ignore])
    func ignoring(_ pacing: ServerPacing) throws {
        let (limiter, _) = try limiter(pacing)
        limiter.observe(ServerRateLimits(requestLimit: 6_000, requestsRemaining: 0, requestsReset: .seconds(60)), in: group)
        #expect(limiter.currentLimit(in: group) == .perMinute(6))
        #expect(limiter.estimatedWait(.oneRequest, in: group) == .zero)
    }
}

@Suite("Adopting an announced rate re-prices what was spent")
struct AdoptionTests {
    @Test("a faster announced rate lets the next request go one new interval after the last, not one old one")
    func faster() async throws {
        let clock = ManualClock()
        let limiter = try TokenBucketRateLimiter(limit: .perMinute(60), clock: GatewayClock(clock), serverPacing: .follow(headroom: 0))
        let group = QuotaGroup("p")
        let permits = try await clock.drive {
            let first = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
            limiter.observe(ServerRateLimits(requestLimit: 600), in: group)   // 0.1 s apart now
            let second = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
            let third = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
            return [first, second, third].map(\.grantedAt.offset)
        }
        #expect(permits == [.zero, .milliseconds(100), .milliseconds(200)])
    }
}
