
/// A source of uniform numbers in `0..<1`, injected wherever a strategy needs randomness (jitter),
/// so that tests can pin it.
public struct RandomSource: Sendable {
    private let draw: @Sendable () -> Double

    /// Wraps a function returning values in `0..<1`.
    public init(_ draw: @escaping @Sendable () -> Double) { self.draw = draw }

    /// The next value, clamped into `0..<1`.
    public func next() -> Double {
        let value = draw()
        guard value.isFinite else { return 0 }
        return min(max(value, 0), 0.999_999_999)
    }

    /// The system's generator.
    public static let system = RandomSource { Double.random(in: 0..<1) }

    /// Always `value`: for tests at the boundaries.
    public static func constant(_ value: Double) -> RandomSource { RandomSource { value } }

    /// A reproducible sequence (SplitMix64) from `seed`.
    public static func seeded(_ seed: UInt64) -> RandomSource {
        let state = Locked(seed)
        return RandomSource {
            let bits = state.withLock { state -> UInt64 in
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return z ^ (z >> 31)
            }
            return Double(bits >> 11) / Double(1 << 53)
        }
    }
}
