/// An exponential backoff schedule with jitter; the cap applies before the jitter, so
/// `maximum` is a true upper bound.
public struct Backoff: Sendable, Hashable {
    /// How a computed delay is randomised.
    public enum Jitter: Sendable, Hashable {
        /// The exact delay.
        case none
        /// Uniform in `0...delay` (AWS "full jitter").
        case full
        /// Uniform in `lower·delay...delay`, e.g. `0.75` as the vendor SDKs do.
        case proportional(lower: Double)
    }

    /// The delay before the first retry.
    public var initial: Duration
    /// The factor by which each further retry's delay grows.
    public var multiplier: Double
    /// The longest delay, applied before the jitter.
    public var maximum: Duration
    /// How each delay is randomised.
    public var jitter: Jitter

    /// A schedule that starts at `initial` and grows by `multiplier` up to `maximum`, randomised by
    /// `jitter`.
    public init(initial: Duration, multiplier: Double = 2, maximum: Duration, jitter: Jitter = .proportional(lower: 0.75)) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    /// `initial · multiplierⁿ⁻¹`, capped at `maximum`, then jittered with `random` in `0..<1`.
    /// - Parameters:
    ///   - retry: The retry number, starting at 1; any value is safe.
    ///   - random: A value in `0..<1` that picks the jitter.
    public func delay(forRetry retry: Int, random: Double) -> Duration {
        let cap = maximum.secondsDouble
        var raw = initial.secondsDouble
        guard raw > 0 else { return .zero }
        var step = 1
        // Grow until the cap is reached: never more steps than that, whatever `retry` is.
        while step < retry, raw < cap, multiplier > 1 {
            raw *= multiplier
            step += 1
        }
        let capped = min(raw, cap)
        let unit = random.isFinite ? min(max(random, 0), 1) : 0
        let factor: Double = switch jitter {
        case .none: 1
        case .full: unit
        case .proportional(let lower): lower + (1 - lower) * unit
        }
        return .secondsClamped(capped * factor)
    }

    func validate(_ name: String) throws(ConfigurationError) {
        guard initial >= .zero, maximum >= initial else {
            throw .invalidPolicy("\(name): initial must be ≥ 0 and maximum ≥ initial")
        }
        guard multiplier.isFinite, multiplier >= 1 else { throw .invalidPolicy("\(name): multiplier must be a number ≥ 1") }
        if case .proportional(let lower) = jitter, !(lower >= 0 && lower <= 1) {
            throw .invalidPolicy("\(name): proportional jitter must lie in 0...1")
        }
    }
}
