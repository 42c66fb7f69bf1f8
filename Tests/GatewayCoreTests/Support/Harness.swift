import GatewayCore
import MockTransport

/// A gateway wired to a mock transport and a manual clock, for unit tests.
struct Harness {
    let clock = ManualClock()
    let mock: MockTransport
    let gateway: Gateway<TestProvider>

    /// Secrets long enough to be masked as `…` + last 4.
    static func secrets(_ count: Int) -> [String] {
        (1...count).map { "test-secret-key-\(String(repeating: "x", count: 8))-\($0 < 10 ? "000" : "00")\($0)" }
    }

    init(
        keys: KeySource,
        rate: RateLimiterChoice = .tokenBucket(.geminiFreeTier),
        policy: some RetryPolicy = ClassifyingRetryPolicy(random: .constant(0.5)),
        keyProvider: KeyProviderChoice = .dedicated,
        options: GatewayOptions = GatewayOptions()
    ) throws {
        let clock = self.clock
        mock = MockTransport(clock: clock)
        gateway = try Gateway.builder()
            .keys(keys)
            .keyProvider(keyProvider)
            .rateLimit(rate)
            .retryPolicy(policy)
            .transport(mock)
            .provider(TestProvider())
            .clock(clock)
            .options(options)
            .build()
    }

    init(
        keyCount: Int, rate: RateLimiterChoice = .tokenBucket(.geminiFreeTier),
        policy: some RetryPolicy = ClassifyingRetryPolicy(random: .constant(0.5)),
        keyProvider: KeyProviderChoice = .dedicated, options: GatewayOptions = GatewayOptions()
    ) throws {
        try self.init(keys: .list(Self.secrets(keyCount)), rate: rate, policy: policy, keyProvider: keyProvider, options: options)
    }

    /// The secret of key `n` (1-based), as scripted in the mock.
    func secret(_ n: Int) -> String { gateway.keys[n - 1].revealSecret() }

    /// Seconds since the clock's start at which the mock saw each request.
    var requestTimes: [Double] { mock.requests.map { $0.at.offset.secondsDouble } }

    /// Runs `body` while moving the manual clock to each next deadline whenever nothing else can run.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await drive(clock, body)
    }
}

/// Runs `body` on `clock`, time jumping from event to event (``ManualClock/drive(_:)``).
func drive<T: Sendable>(_ clock: ManualClock, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await clock.drive(body)
}
