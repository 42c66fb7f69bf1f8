import GatewayCore
import HTTPTypes
import MockTransport
import Testing

/// Issue 15, item 4: a test that awaits on a `ManualClock` nobody moves fails within a bounded
/// real time, with a message that says so, instead of hanging for ever. The limits here are a
/// few hundred milliseconds of real time: the clock's own watchdog is what is under test.
@Suite("ManualClock: a clock nobody drives", .timeLimit(.minutes(1)))
struct ManualClockUndrivenTests {
    @Test("a sleeper on an undriven clock fails with UndrivenError, long before its virtual deadline would matter")
    func undrivenSleeperFails() async throws {
        let clock = ManualClock(undrivenTimeout: .milliseconds(100))
        let started = ContinuousClock.now
        let error = await #expect(throws: ManualClock.UndrivenError.self) {
            try await clock.sleep(until: clock.now.advanced(by: .seconds(60)))
        }
        let waited = started.duration(to: .now)
        #expect(waited >= .milliseconds(100))
        #expect(waited < .seconds(30))
        #expect(error?.deadline == clock.now.advanced(by: .seconds(60)))
        #expect(error?.description.contains("nobody advanced the clock") == true)
        #expect(error?.description.contains("drive") == true)
        #expect(clock.sleeperCount == 0)
    }

    @Test("every sleeper of the clock is woken with the error, not only the first")
    func allSleepersFail() async throws {
        let clock = ManualClock(undrivenTimeout: .milliseconds(100))
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for seconds in [5, 1, 3] {
                group.addTask {
                    do {
                        try await clock.sleep(until: clock.now.advanced(by: .seconds(seconds)))
                        return false
                    } catch is ManualClock.UndrivenError {
                        return true
                    }
                }
            }
            var failed = 0
            for try await sawError in group where sawError { failed += 1 }
            #expect(failed == 3)
        }
    }

    @Test("a sleeper woken by advance never sees the error, and the clock keeps working afterwards")
    func advancedSleeperIsUnaffected() async throws {
        // A generous limit: the test must not depend on how fast a loaded machine runs it.
        let clock = ManualClock(undrivenTimeout: .seconds(20))
        for _ in 0..<2 {
            async let slept: Void = clock.sleep(until: clock.now.advanced(by: .seconds(1)))
            await clock.waitForSleepers(count: 1)
            clock.advance(by: .seconds(1))
            try await slept
        }
        #expect(clock.now.offset == .seconds(2))
    }

    @Test("waitForSleepers gives up after the limit when nobody sleeps, and says so by returning false")
    func waitForSleepersIsBounded() async {
        let clock = ManualClock(undrivenTimeout: .milliseconds(100))
        let started = ContinuousClock.now
        let arrived = await clock.waitForSleepers(count: 1)
        #expect(!arrived)
        #expect(started.duration(to: .now) < .seconds(30))
    }

    @Test("waitForSleepers returns true as soon as the sleepers are there")
    func waitForSleepersSucceeds() async throws {
        let clock = ManualClock(undrivenTimeout: .seconds(10))
        async let slept: Void = clock.sleep(until: clock.now.advanced(by: .seconds(1)))
        #expect(await clock.waitForSleepers(count: 1))
        clock.advance(by: .seconds(1))
        try await slept
    }

    @Test("the default limit is bounded; nil turns it off")
    func defaults() {
        #expect(ManualClock().undrivenTimeout == .seconds(60))
        #expect(ManualClock(undrivenTimeout: nil).undrivenTimeout == nil)
    }

    @Test("a gateway call that waits on an undriven clock fails instead of hanging")
    func gatewayCallOnUndrivenClockFails() async throws {
        let clock = ManualClock(undrivenTimeout: .milliseconds(100))
        let mock = MockTransport(clock: clock)
        mock.setDefault(.text("ok"))
        let gateway = try Gateway.builder()
            .keys(["undriven-test-key-1"])
            .transport(mock)
            .provider(PlainTextProvider())
            .clock(clock)
            .build()
        // The first call is admitted at once; the second waits ~4 s of virtual time for the
        // limiter, and nobody moves the clock.
        let first = try await gateway.withClient(task: "t") { try await $0.send("one") }
        #expect(first == "ok")
        let error = await #expect(throws: (any Error).self) {
            try await gateway.withClient(task: "t") { try await $0.send("two") }
        }
        #expect(String(describing: error).contains("ManualClock"))
        #expect(mock.requestCount == 1)
    }
}

/// A provider whose request is the prompt and whose answer is the body as text.
private struct PlainTextProvider: Provider {
    func makeRequest(_ prompt: String, key: APIKey) throws -> TransportRequest {
        var fields = HTTPFields()
        fields[HTTPField.Name("x-api-key")!] = key.revealSecret()
        let head = HTTPRequest(method: .post, scheme: "https", authority: "plain.invalid", path: "/v1/plain", headerFields: fields)
        return TransportRequest(head: head, body: Array(prompt.utf8))
    }

    func parse(_ response: TransportResponse, for prompt: String) -> Result<String, Failure> {
        response.status == 200
            ? .success(String(decoding: response.body, as: UTF8.self))
            : .failure(Failure(.serverError(status: response.status), status: response.status))
    }
}
