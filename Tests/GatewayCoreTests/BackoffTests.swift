import GatewayCore
import Testing

/// Exponential backoff with the cap applied before jitter, and the injectable random source.
@Suite("Backoff and RandomSource")
struct BackoffTests {
    /// Just below one: the largest value `RandomSource.next()` returns.
    static let nearlyOne = RandomSource.constant(1).next()

    // MARK: Growth and cap

    @Test(
        "delays grow exponentially from the initial delay",
        arguments: [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 16.0), (10, 512.0)])
    func exponentialGrowth(retry: Int, seconds: Double) {
        let backoff = Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(10_000), jitter: .none)
        #expect(backoff.delay(forRetry: retry, random: 0.5) == .seconds(seconds))
    }

    @Test("a fractional multiplier grows by that factor")
    func fractionalMultiplier() {
        let backoff = Backoff(initial: .milliseconds(100), multiplier: 1.5, maximum: .seconds(60), jitter: .none)
        #expect(backoff.delay(forRetry: 1, random: 0) == .milliseconds(100))
        #expect(backoff.delay(forRetry: 2, random: 0) == .milliseconds(150))
        #expect(backoff.delay(forRetry: 3, random: 0) == .milliseconds(225))
        #expect(backoff.delay(forRetry: 4, random: 0) == .microseconds(337_500))
    }

    @Test("a multiplier of 1 keeps the delay constant")
    func constantDelay() {
        let backoff = Backoff(initial: .seconds(3), multiplier: 1, maximum: .seconds(3), jitter: .none)
        for retry in [1, 2, 10, 500] { #expect(backoff.delay(forRetry: retry, random: 0.3) == .seconds(3)) }
    }

    @Test("retry numbers below 1 count as the first retry", arguments: [0, -1, -100])
    func retryBelowOne(retry: Int) {
        let backoff = Backoff(initial: .seconds(2), maximum: .seconds(60), jitter: .none)
        #expect(backoff.delay(forRetry: retry, random: 0.5) == .seconds(2))
    }

    @Test("the delay is capped at the maximum, however many retries", arguments: [6, 7, 20, 64, 1_000, 5_000])
    func capped(retry: Int) {
        let backoff = Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(30), jitter: .none)
        #expect(backoff.delay(forRetry: retry, random: 0.5) == .seconds(30))
    }

    @Test(
        "the cap applies before jitter: the maximum is never exceeded, even with random near 1",
        arguments: [Backoff.Jitter.none, .full, .proportional(lower: 0.75), .proportional(lower: 0), .proportional(lower: 1)])
    func capBeforeJitter(jitter: Backoff.Jitter) {
        let backoff = Backoff(initial: .seconds(1), multiplier: 3, maximum: .seconds(45), jitter: jitter)
        for retry in 1...60 {
            for random in [0, 0.5, 0.99, 0.999_999, Self.nearlyOne] {
                let delay = backoff.delay(forRetry: retry, random: random)
                #expect(delay <= .seconds(45), "retry \(retry), random \(random): \(delay)")
                #expect(delay >= .zero)
            }
        }
    }

    @Test("with proportional jitter a capped delay lies in 0.75·maximum…maximum")
    func cappedThenJittered() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(10), jitter: .proportional(lower: 0.75))
        #expect(backoff.delay(forRetry: 10, random: 0) == .milliseconds(7_500))
        let high = backoff.delay(forRetry: 10, random: Self.nearlyOne)
        #expect(high <= .seconds(10))
        #expect(high > .milliseconds(9_999))
    }

    // MARK: Jitter

    @Test("no jitter ignores the random value")
    func noJitter() {
        let backoff = Backoff(initial: .seconds(4), maximum: .seconds(60), jitter: .none)
        for random in [0, 0.25, Self.nearlyOne] {
            #expect(backoff.delay(forRetry: 2, random: random) == .seconds(8))
        }
    }

    @Test("full jitter spans 0…delay: random 0 gives no delay")
    func fullJitter() {
        let backoff = Backoff(initial: .seconds(4), maximum: .seconds(60), jitter: .full)
        #expect(backoff.delay(forRetry: 1, random: 0) == .zero)
        #expect(backoff.delay(forRetry: 3, random: 0) == .zero)
        #expect(backoff.delay(forRetry: 2, random: 0.5) == .seconds(4))
        #expect(backoff.delay(forRetry: 2, random: 0.25) == .seconds(2))
        #expect(backoff.delay(forRetry: 2, random: Self.nearlyOne) < .seconds(8))
    }

    @Test("proportional(lower: 0.75) spans 0.75·delay…delay")
    func proportionalJitter() {
        let backoff = Backoff(initial: .seconds(8), maximum: .seconds(60), jitter: .proportional(lower: 0.75))
        #expect(backoff.delay(forRetry: 1, random: 0) == .seconds(6))
        #expect(backoff.delay(forRetry: 1, random: 0.5) == .seconds(7))
        let top = backoff.delay(forRetry: 1, random: Self.nearlyOne)
        #expect(top < .seconds(8))
        #expect(top > .milliseconds(7_999))
        let random = RandomSource.seeded(2024)
        for _ in 0..<1_000 {
            let delay = backoff.delay(forRetry: 1, random: random.next())
            #expect(delay >= .seconds(6) && delay <= .seconds(8))
        }
    }

    @Test("the default jitter is proportional with lower bound 0.75, the default multiplier 2")
    func defaults() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(30))
        #expect(backoff.jitter == .proportional(lower: 0.75))
        #expect(backoff.multiplier == 2)
    }

    // MARK: Validation (through the policy that owns the backoff)

    static func validate(_ backoff: Backoff) throws(ConfigurationError) {
        try ClassifyingRetryPolicy(serverBackoff: backoff).validate()
    }

    @Test(
        "validate rejects a multiplier below 1 or not a finite number",
        arguments: [0.999, 0.5, 0, -2, .nan, .infinity, -.infinity])
    func rejectsMultiplier(multiplier: Double) {
        let backoff = Backoff(initial: .seconds(1), multiplier: multiplier, maximum: .seconds(30))
        #expect(throws: ConfigurationError.self) { try Self.validate(backoff) }
        #expect(throws: ConfigurationError.self) { try ClassifyingRetryPolicy(rateLimitBackoff: backoff).validate() }
    }

    @Test("validate rejects a maximum below the initial delay and a negative initial delay")
    func rejectsBounds() {
        #expect(throws: ConfigurationError.self) {
            try Self.validate(Backoff(initial: .seconds(10), maximum: .seconds(5)))
        }
        #expect(throws: ConfigurationError.self) {
            try Self.validate(Backoff(initial: .seconds(-1), maximum: .seconds(5)))
        }
    }

    @Test("validate rejects a proportional lower bound outside 0…1", arguments: [-0.01, 1.01, 2, -1, .nan, .infinity])
    func rejectsLowerBound(lower: Double) {
        #expect(throws: ConfigurationError.self) {
            try Self.validate(Backoff(initial: .seconds(1), maximum: .seconds(5), jitter: .proportional(lower: lower)))
        }
    }

    @Test(
        "validate accepts the edges",
        arguments: [
            Backoff(initial: .zero, multiplier: 1, maximum: .zero, jitter: .none),
            Backoff(initial: .seconds(5), maximum: .seconds(5), jitter: .full),
            Backoff(initial: .seconds(1), maximum: .seconds(5), jitter: .proportional(lower: 0)),
            Backoff(initial: .seconds(1), maximum: .seconds(5), jitter: .proportional(lower: 1)),
            Backoff(initial: .milliseconds(1), multiplier: 10, maximum: .seconds(3600)),
        ])
    func acceptsEdges(backoff: Backoff) throws {
        try Self.validate(backoff)
    }

    // MARK: RandomSource

    @Test("seeded sources are reproducible and differ by seed")
    func seededReproducible() {
        let first = RandomSource.seeded(42)
        let second = RandomSource.seeded(42)
        let other = RandomSource.seeded(43)
        let a = (0..<100).map { _ in first.next() }
        let b = (0..<100).map { _ in second.next() }
        let c = (0..<100).map { _ in other.next() }
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count > 90)
    }

    @Test("seeded values lie in 0..<1 and spread over it", arguments: [0, 1, 42, UInt64.max])
    func seededRange(seed: UInt64) {
        let random = RandomSource.seeded(seed)
        let values = (0..<2_000).map { _ in random.next() }
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(values.contains { $0 < 0.1 })
        #expect(values.contains { $0 > 0.9 })
    }

    @Test("a constant inside 0..<1 is returned as is", arguments: [0, 0.25, 0.5, 0.999])
    func constantInRange(value: Double) {
        #expect(RandomSource.constant(value).next() == value)
    }

    @Test(
        "values outside 0..<1 (and NaN) are clamped into it",
        arguments: [1, 2, 1e300, -0.5, -1e300, .nan, .infinity, -.infinity])
    func clamped(value: Double) {
        let next = RandomSource.constant(value).next()
        #expect(next >= 0 && next < 1)
    }

    @Test("above 1 clamps to just below 1, below 0 and NaN to 0")
    func clampDirections() {
        #expect(RandomSource.constant(2).next() > 0.999)
        #expect(RandomSource.constant(-3).next() == 0)
        #expect(RandomSource.constant(.nan).next() == 0)
        #expect(RandomSource { 2 }.next() < 1)
    }

    @Test("the system source lies in 0..<1")
    func systemRange() {
        for _ in 0..<1_000 {
            let value = RandomSource.system.next()
            #expect(value >= 0 && value < 1)
        }
    }
}
