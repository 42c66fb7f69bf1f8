import GatewayCore
import MockTransport
import Testing

/// Delayed answers on a manual clock, cancellation and scripted failures.
@Suite("MockTransport delays and failures", .timeLimit(.minutes(1)))
struct MockDelayTests {
    let clock = ManualClock()
    let mock: MockTransport

    init() { mock = MockTransport(clock: clock) }

    @Test("a response delayed 5 s answers only once the clock has advanced 5 s")
    func delayWaitsForClock() async throws {
        mock.enqueue(.text("late", status: 201).delayed(by: .seconds(5)))

        let task = Task { [mock] in try await mock.send(makeRequest()) }
        await clock.waitForSleepers(count: 1)
        #expect(clock.nextDeadline == ManualClock.Instant(offset: .seconds(5)))

        clock.advance(by: .seconds(4))
        // Still parked: advancing wakes due sleepers synchronously, so this is not a race.
        #expect(clock.sleeperCount == 1)
        #expect(mock.inFlight == 1)

        clock.advance(by: .seconds(1))
        let response = try await task.value
        #expect(response.status == 201)
        #expect(response.text == "late")
        #expect(clock.sleeperCount == 0)
        #expect(mock.inFlight == 0)
    }

    @Test("the delay is measured from the request's arrival")
    func delayStartsAtArrival() async throws {
        mock.enqueue(.status(200).delayed(by: .seconds(2)))
        clock.advance(by: .seconds(10))

        let task = Task { [mock] in try await mock.send(makeRequest()) }
        await clock.waitForSleepers(count: 1)
        #expect(clock.nextDeadline == ManualClock.Instant(offset: .seconds(12)))
        clock.advance(by: .seconds(2))
        #expect(try await task.value.status == 200)
    }

    @Test("cancelling a task waiting on a delayed response throws CancellationError")
    func cancelDuringDelay() async throws {
        mock.enqueue(.status(200).delayed(by: .seconds(5)))

        let task = Task { [mock] in try await mock.send(makeRequest()) }
        await clock.waitForSleepers(count: 1)
        task.cancel()

        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
        #expect(mock.inFlight == 0)
        #expect(mock.requestCount == 1)
    }

    @Test("a cancelled task gets CancellationError even without a delay")
    func cancelWithoutDelay() async throws {
        mock.enqueue(.status(200))
        let task = Task { [mock] in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await mock.send(makeRequest())
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test(".failure makes send throw that error")
    func failureThrows() async throws {
        mock.enqueue(.failure(TransportError.connectionReset()), .status(200))

        let error = try #require(await #expect(throws: TransportError.self) { try await mock.send(makeRequest()) })
        #expect(error == TransportError.connectionReset())
        #expect(!error.isSameKind(as: .timeout()))
        // One-shot: the next response in the queue follows.
        #expect(try await mock.status(of: makeRequest()) == 200)
        #expect(mock.inFlight == 0)
    }

    @Test(".failure makes stream throw that error too")
    func failureThrowsFromStream() async throws {
        mock.enqueue(.failure(TransportError.timeout("read")))

        await #expect(throws: TransportError.timeout("read")) { try await mock.stream(makeRequest()) }
    }

    @Test("a delayed failure throws only after the delay")
    func delayedFailure() async throws {
        mock.enqueue(.failure(TransportError.connectionReset()).delayed(by: .seconds(1)))

        let task = Task { [mock] in try await mock.send(makeRequest()) }
        await clock.waitForSleepers(count: 1)
        #expect(mock.inFlight == 1)
        clock.advance(by: .seconds(1))
        await #expect(throws: TransportError.connectionReset()) { try await task.value }
        #expect(mock.inFlight == 0)
    }
}
