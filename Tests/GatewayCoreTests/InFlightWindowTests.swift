import GatewayCore
import HTTPTypes
import MockTransport
import Testing

@Suite("Calls of one task in flight follow the rate, not the latency")
struct InFlightWindowTests {
    /// One key, paced at `interval`; every answer takes `latency`.
    func harness(interval: Duration, latency: Duration) throws -> Harness {
        let h = try Harness(keyCount: 1, rate: .tokenBucket(RateLimit(requests: 1, per: interval)))
        h.mock.setDefault(MockResponse.geminiText("ok").delayed(by: latency))
        return h
    }

    /// The most requests the mock had in flight at any moment (each answer takes `latency`).
    func peakInFlight(_ h: Harness, latency: Duration) -> Int {
        let starts = h.mock.requests.map(\.at.offset)
        return starts.map { start in starts.filter { $0 <= start && start < $0 + latency }.count }.max() ?? 0
    }

    @Test("a paid tier: 0.2 s between requests, 2 s answers — ten in flight, paced every 0.2 s")
    func paidTier() async throws {
        let h = try harness(interval: .milliseconds(200), latency: .seconds(2))
        let gateway = h.gateway
        let results = try await h.run {
            try await gateway.withClient(task: "file") { client in
                await client.sendAll((0..<60).map { _ in TestProvider.Request("chunk") })
            }
        }
        #expect(results.count == 60 && results.allSatisfy { (try? $0.get()) == "ok" })
        // About rate × latency in flight: ten (the manual clock moves on while a task runs on the
        // other core now and then, which only ever lowers the figure; one at a time would be 1).
        #expect((3...12).contains(peakInFlight(h, latency: .seconds(2))))
        // Pacing binds: never faster than one request per 0.2 s after the first answer (2 s to learn
        // the latency), so 13.6 s at best; one call at a time would take 120 s. (A slot missed
        // when the manual clock moves on during a launch only adds time.)
        let last = try #require(h.mock.requests.last).at.offset
        #expect(last >= .seconds(2) + .milliseconds(200) * 58 && last <= .seconds(40))
    }

    @Test("a free tier: 4 s between requests, 2 s answers — one at a time, as before")
    func freeTier() async throws {
        let h = try harness(interval: .seconds(4), latency: .seconds(2))
        let gateway = h.gateway
        _ = try await h.run {
            try await gateway.withClient(task: "file") { await $0.sendAll((0..<5).map { _ in TestProvider.Request("c") }) }
        }
        #expect(peakInFlight(h, latency: .seconds(2)) == 1)
        #expect(h.requestTimes == [0, 4, 8, 12, 16])
    }

    @Test("a cap bounds the window; results come back in the order asked, failures included")
    func capAndOrder() async throws {
        let h = try harness(interval: .milliseconds(100), latency: .seconds(1))
        h.mock.enqueue(MockResponse.geminiBlocked().delayed(by: .seconds(1)), when: .custom { String(decoding: $0.body, as: UTF8.self).contains("bad") })
        let gateway = h.gateway
        let prompts = ["a", "b", "bad", "c", "d", "e", "f", "g"]
        let results = try await h.run {
            try await gateway.withClient(task: "file") { await $0.sendAll(prompts.map { TestProvider.Request($0) }, maxInFlight: 3) }
        }
        #expect(peakInFlight(h, latency: .seconds(1)) <= 3)
        #expect(results.map { (try? $0.get()) ?? "failed" } == ["ok", "ok", "failed", "ok", "ok", "ok", "ok", "ok"])
        guard case .failure(let error) = results[2] else {
            Issue.record("the blocked prompt's call fails")
            return
        }
        #expect((error as? GatewayError)?.kind == .failed)
    }

    @Test("a later batch (another file) starts with the latency the gateway saw last, not one call alone")
    func laterBatchStartsWide() async throws {
        let h = try harness(interval: .milliseconds(200), latency: .seconds(2))
        let gateway = h.gateway
        let firstBatchEnd = try await h.run { () -> GatewayClock.Instant in
            _ = try await gateway.withClient(task: "file-1") { await $0.sendAll((0..<3).map { _ in TestProvider.Request("a") }) }
            return gateway.clock.now
        }
        _ = try await h.run {
            try await gateway.withClient(task: "file-2") { await $0.sendAll((0..<5).map { _ in TestProvider.Request("b") }) }
        }
        let second = h.mock.requests.filter { String(decoding: $0.request.body, as: UTF8.self).contains("b") }.map(\.at)
        #expect(second.count == 5)
        // All five go within a second of the batch's start, 0.2 s apart; one alone would wait 2 s.
        #expect(second.allSatisfy { firstBatchEnd.duration(to: $0) < .seconds(2) })
    }

    @Test("a task that holds no key yet sends one call first, so a later file on a slow pace does not queue the cap at once")
    func oneCallBeforeTheKey() async throws {
        // One key paced every second, answers in 10 ms: one call at a time keeps the pace busy.
        let h = try harness(interval: .seconds(1), latency: .milliseconds(10))
        let gateway = h.gateway
        _ = try await h.run { try await gateway.withClient(task: "warm") { await $0.sendAll([.init("w")]) } }
        _ = try await h.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in ["a", "b"] {
                    group.addTask {
                        _ = try await gateway.withClient(task: TaskID(name)) { await $0.sendAll((0..<4).map { _ in TestProvider.Request(name) }) }
                    }
                }
                try await group.waitForAll()
            }
        }
        // The two tasks share the key's pace in turn; a window opened to the cap before either held
        // the key would have queued one task's four calls ahead of the other's.
        let order = h.mock.requests.dropFirst().map { String(decoding: $0.request.body, as: UTF8.self).contains("\"a\"") ? "a" : "b" }
        #expect(order.count == 8)
        #expect(order.prefix(4).filter { $0 == "a" }.count == 2, "\(order)")
    }

    @Test("allStarted says when the last request is out and how many are in flight then")
    func allStarted() async throws {
        for (interval, expected) in [(Duration.milliseconds(200), 2...12), (Duration.seconds(4), 1...1)] {
            let h = try harness(interval: interval, latency: .seconds(2))
            let gateway = h.gateway
            let seen = try await h.run {
                try await gateway.withClient(task: "file") { client -> [Int] in
                    var seen: [Int] = []
                    await client.sendEach((0..<20).map { _ in TestProvider.Request("c") }, allStarted: { seen.append($0) }) { _, _ in }
                    return seen
                }
            }
            #expect(seen.count == 1 && seen.allSatisfy { expected.contains($0) }, "\(interval): \(seen)")
        }
    }

    @Test("sendEach hands each result on as it arrives, not in the order asked")
    func eachAsItArrives() async throws {
        let h = try harness(interval: .milliseconds(100), latency: .seconds(1))
        h.mock.enqueue(MockResponse.geminiText("slow").delayed(by: .seconds(5)), when: .custom { String(decoding: $0.body, as: UTF8.self).contains("slow") })
        let gateway = h.gateway
        let order = try await h.run {
            try await gateway.withClient(task: "file") { client in
                var order: [Int] = []
                await client.sendEach(["a", "slow", "b", "c", "d"].map { TestProvider.Request($0) }) { index, result in
                    if case .success = result { order.append(index) }
                }
                return order
            }
        }
        // "a" goes alone (to measure the latency), then the rest at once; "slow" ends last.
        #expect(order.first == 0 && order.last == 1 && Set(order) == [0, 1, 2, 3, 4])
    }

    @Test("a body that throws stops the calls not yet started and the error comes back")
    func throwingBodyStops() async throws {
        struct DiskFull: Error {}
        let h = try harness(interval: .milliseconds(100), latency: .seconds(1))
        let gateway = h.gateway
        let caught = try await h.run {
            try await gateway.withClient(task: "file") { client -> Bool in
                do {
                    try await client.sendEach((0..<10).map { _ in TestProvider.Request("x") }) { (_, _) throws(DiskFull) in throw DiskFull() }
                    return false
                } catch {
                    return true
                }
            }
        }
        #expect(caught)
        #expect(h.mock.requests.count == 1)   // the first call went alone; nothing started after it
    }

    @Test("the window grows to latency ÷ spacing and shrinks when the latency drops")
    func adapts() {
        var window = InFlightWindow(cap: 16)
        #expect(window.size(interval: .milliseconds(200)) == 1)  // nothing measured yet
        window.observe(.seconds(2))
        #expect(window.size(interval: .milliseconds(200)) == 10)
        #expect(window.size(interval: .seconds(4)) == 1)
        #expect(window.size(interval: .milliseconds(10)) == 16)  // the cap
        #expect(window.size(interval: nil) == 16)                // not paced
        for _ in 0..<40 { window.observe(.milliseconds(380)) }
        #expect(window.size(interval: .milliseconds(200)) == 2)
        window.observe(.seconds(10))                              // one outlier widens it to the cap, not to 50
        #expect(window.size(interval: .milliseconds(200)) == 16)
        for _ in 0..<40 { window.observe(.milliseconds(380)) }    // and it comes back
        #expect(window.size(interval: .milliseconds(200)) == 2)
    }

    @Test("answers that vary widen the window past the average, so a slow answer does not leave the pace unused")
    func variance() {
        var steady = InFlightWindow(cap: 32)
        var varying = InFlightWindow(cap: 32)
        for i in 0..<40 {
            steady.observe(.seconds(2))
            varying.observe(.milliseconds(1500 + 250 * (i % 5)))   // 1.5, 1.75, … 2.5 s
        }
        #expect(steady.size(interval: .milliseconds(200)) == 10)        // the average over the spacing
        let wide = varying.size(interval: .milliseconds(200))
        #expect(wide > 10 && wide <= 25, "\(wide)")                     // room for answers up to 2.5 s and more
        #expect(varying.size(interval: .seconds(4)) == 1)               // a free tier stays one at a time
        let later = InFlightWindow(cap: 32, measured: varying)           // the next file starts from it
        #expect(later.size(interval: .milliseconds(200)) == wide)
    }
}

@Suite("Proportional time for compressed-time servers")
struct TimeScaleTests {
    @Test("the policy's every own duration scales; the server's delays do not")
    func policy() {
        let scaled = ClassifyingRetryPolicy(random: .constant(0.5)).scaled(by: 0.05)
        #expect(scaled.serverBackoff.initial == .milliseconds(50) && scaled.serverBackoff.maximum == .milliseconds(1500))
        #expect(scaled.rateLimitBackoff.initial == .milliseconds(250) && scaled.rateLimitBackoff.maximum == .seconds(3))
        #expect(scaled.maxServerDelay == .seconds(6) && scaled.dailyCooldown == .seconds(180))
        let limited = Failure(.rateLimited(RateLimitDetails(retryAfter: .seconds(2), window: .perMinute)))
        #expect(scaled.decide(after: limited, context: RetryContext(attemptOnKey: 1, attempt: 1)) == .retry(after: .seconds(2)))
        #expect(scaled.decide(after: Failure(.serverError(status: 503)), context: RetryContext(attemptOnKey: 1, attempt: 1))
            == .retry(after: .milliseconds(43.75)))
    }

    @Test("a rate's period and first daily reset scale")
    func rate() {
        let limit = RateLimit(requests: 15, per: .seconds(60), requestsPerDay: 100, firstDailyReset: .seconds(3600)).scaled(by: 0.05)
        #expect(limit.period == .seconds(3) && limit.requests == 15 && limit.firstDailyReset == .seconds(180))
    }
}
