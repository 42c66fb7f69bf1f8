/// A type-erased clock measured as an offset from the moment it was created.
///
/// Every component of a gateway (limiter, key pool, retry loop) shares one `GatewayClock`, so a
/// test can swap the whole time base for a ``ManualClock`` and nothing sleeps for real. Instants
/// are plain `Duration` offsets, which keeps limiter arithmetic simple and `Date`-free.
public struct GatewayClock: Clock {
    /// A point on a ``GatewayClock``: the time elapsed since the clock's origin.
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock's origin.
        public var offset: Duration

        /// Creates an instant `offset` after the clock's origin.
        public init(offset: Duration) { self.offset = offset }

        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The time from this instant to `other`.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Orders instants by offset.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        /// The offset from the clock's origin, as `t+` and seconds.
        public var description: String { "t+\(offset.formattedSeconds)" }
    }

    private let readNow: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration, Duration?) async throws -> Void
    /// The base clock's resolution.
    public let minimumResolution: Duration

    /// Wraps any clock that measures in `Duration`; the base clock's current instant becomes the origin.
    public init<Base: Clock>(_ base: Base) where Base.Duration == Duration {
        let origin = base.now
        self.readNow = { origin.duration(to: base.now) }
        self.sleepUntil = { offset, tolerance in
            try await base.sleep(until: origin.advanced(by: offset), tolerance: tolerance)
        }
        self.minimumResolution = base.minimumResolution
    }

    /// The production clock: `ContinuousClock`, which keeps counting while the machine sleeps, as
    /// provider quotas do.
    public static func continuous() -> GatewayClock { GatewayClock(ContinuousClock()) }

    /// The time elapsed since the clock was made.
    public var now: Instant { Instant(offset: readNow()) }

    /// Sleeps until `deadline` on the base clock.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await sleepUntil(deadline.offset, tolerance)
    }
}

extension Duration {
    /// Seconds as a `Double` (for logs, metrics and jitter maths).
    package var secondsDouble: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// Builds a duration from fractional seconds; non-finite or negative input gives zero.
    package static func secondsClamped(_ value: Double) -> Duration {
        guard value.isFinite, value > 0 else { return .zero }
        return .nanoseconds(Int64((min(value, 9e9) * 1e9).rounded()))
    }

    /// A short human form such as `4s` or `0.25s`.
    package var formattedSeconds: String {
        let s = secondsDouble
        if s == s.rounded() { return "\(Int64(s))s" }
        return "\((s * 1000).rounded() / 1000)s"
    }
}
