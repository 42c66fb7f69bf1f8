#if PostgresSharedState
import GatewayCore
import MockTransport
import PostgresSharedState
import Testing

/// Needs no database: what `connect` says when there is none, or when the URL is wrong.
@Suite("Startup: a clear typed error, without credentials")
struct StartupTests {
    @Test("an unreachable database fails connect with `unreachable`, naming the target, never the password")
    func unreachable() async throws {
        let started = ContinuousClock.now
        do {
            _ = try await PostgresSharedState.connect(.init(url: "postgres://gateway:hunter2-secret@127.0.0.1:1/gateway", callTimeout: .seconds(1)))
            Issue.record("connected to nothing")
        } catch {
            #expect(error.isUnreachable)
            #expect(error.description.contains("127.0.0.1:1/gateway"))
            #expect(!error.description.contains("hunter2"))
        }
        // It ends (a hang would not): about 5 s on an idle machine, 19 s under ThreadSanitizer.
        #expect(started.duration(to: ContinuousClock.now) < .seconds(90))
    }

    @Test("malformed URLs and settings are refused before any connection", arguments: [
        "mysql://u@h/db", "postgres://host/db", "postgres://u@h:99999/db", "postgres://u@/db",
    ])
    func invalidURL(_ url: String) async throws {
        await #expect(throws: SharedStateError.self) { _ = try await PostgresSharedState.connect(.init(url: url)) }
    }
}

@Suite("Fallback pace: a process's share while the database is away")
struct FallbackPaceTests {
    @Test("the share of N processes is the rate divided by N, never below one request")
    func arithmetic() {
        let limit = RateLimit(requests: 15, per: .seconds(60), burst: 4, tokensPerMinute: 1000, requestsPerDay: 10)
        let share = limit.sharedBy(3)
        #expect(share.requests == 15 && share.period == .seconds(180))
        #expect(share.emissionInterval == .seconds(12))
        #expect(share.burst == 1 && share.tokensPerMinute == 333 && share.requestsPerDay == 3)
        #expect(limit.sharedBy(1) == limit)
        #expect(limit.sharedBy(0) == limit)
        #expect(RateLimit(requests: 1, per: .seconds(1), requestsPerDay: 2).sharedBy(5).requestsPerDay == 1)
    }

    @Test("a limiter at the share of 3 processes spaces 15/min requests 12 s apart (manual clock)")
    func pacesAtTheShare() async throws {
        let clock = ManualClock()
        let limiter = try TokenBucketRateLimiter(limit: RateLimit.perMinute(15).sharedBy(3), clock: GatewayClock(clock))
        let times = try await clock.drive {
            var times: [Duration] = []
            for _ in 0..<4 {
                _ = try await limiter.acquire(.oneRequest, in: QuotaGroup("p"), maxWait: nil)
                times.append(clock.now.offset)
            }
            return times
        }
        #expect(times == [.zero, .seconds(12), .seconds(24), .seconds(36)])
    }
}
#endif
