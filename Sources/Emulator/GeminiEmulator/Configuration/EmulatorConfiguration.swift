/// The emulator's configuration, decodable from JSON (the `gemini-emulator --config` file).
///
/// Every field may be missing from the JSON; missing fields take the defaults of
/// ``init(keys:quotas:projectQuotas:timeScale:latencyMilliseconds:latencyJitterMilliseconds:faults:seed:openAIRateLimitHeaders:openAIErrorStyle:)``.
///
/// ```json
/// { "keys": [ { "key": "k1", "project": "p1" } ],
///   "quotas": { "*": { "rpm": 15 }, "gemini-2.5-pro": { "rpm": 5, "rpd": 100 } },
///   "timeScale": 0.05 }
/// ```
public struct EmulatorConfiguration: Codable, Sendable, Equatable {
    /// The keys the server knows; any other key is answered as invalid.
    public var keys: [EmulatorKey]
    /// Per-model quotas applied to every project: model id (`"gemini-2.5-flash-lite"`) → quota.
    /// The entry `"*"` applies to models not listed. Models named here are served even when the
    /// built-in catalogue does not know them.
    public var quotas: [String: ModelQuota]
    /// Per-project overrides, project → model (or `"*"`) → quota. For a request the emulator
    /// looks up, in order: the project's entry for the model, the project's `"*"`, the global
    /// entry for the model, the global `"*"`; with none, the model is unlimited.
    public var projectQuotas: [String: [String: ModelQuota]]
    /// Quota time scale: 1 is real time; 0.05 makes a quota minute last 3 s and a day 72 min.
    /// Retry delays in 429 answers are always real seconds.
    public var timeScale: Double
    /// Real milliseconds added before every API answer.
    public var latencyMilliseconds: Int
    /// Up to this many more real milliseconds, drawn evenly per answer from the seeded generator
    /// (1500 and 1000: answers take 1.5–2.5 s, as a paid model's do).
    public var latencyJitterMilliseconds: Int
    /// Seeded fault injection.
    public var faults: FaultPlan
    /// Seed of the fault generator: the same seed and request order give the same faults.
    public var seed: UInt64
    /// Whether answers of the OpenAI-compatible surface (`/v1beta/openai/`) carry OpenAI's
    /// rate-limit headers: `x-ratelimit-{limit,remaining,reset}-requests` when the model has an
    /// rpm, the same `-tokens` trio when it has a tpm, and `retry-after` (whole seconds) on 429s.
    /// Resets are Go durations (`"1s"`, `"6m0s"`, `"12ms"`) in real time, so they follow
    /// ``timeScale``. The native surface never sends them, as the real API does not.
    public var openAIRateLimitHeaders: Bool
    /// The error bodies of the OpenAI-compatible surface: Gemini's array of Google envelopes (as
    /// the real endpoint answers) or OpenAI's object.
    public var openAIErrorStyle: OpenAIErrorStyle

    /// The global quota used when none is given: 15 requests per minute for every model.
    public static let defaultQuotas: [String: ModelQuota] = ["*": ModelQuota(rpm: 15)]

    /// A configuration; only the keys are required.
    public init(
        keys: [EmulatorKey],
        quotas: [String: ModelQuota] = EmulatorConfiguration.defaultQuotas,
        projectQuotas: [String: [String: ModelQuota]] = [:],
        timeScale: Double = 1,
        latencyMilliseconds: Int = 0,
        latencyJitterMilliseconds: Int = 0,
        faults: FaultPlan = FaultPlan(),
        seed: UInt64 = 1,
        openAIRateLimitHeaders: Bool = true,
        openAIErrorStyle: OpenAIErrorStyle = .gemini
    ) {
        self.keys = keys
        self.quotas = quotas
        self.projectQuotas = projectQuotas
        self.timeScale = timeScale
        self.latencyMilliseconds = latencyMilliseconds
        self.latencyJitterMilliseconds = latencyJitterMilliseconds
        self.faults = faults
        self.seed = seed
        self.openAIRateLimitHeaders = openAIRateLimitHeaders
        self.openAIErrorStyle = openAIErrorStyle
    }

    private enum CodingKeys: String, CodingKey {
        case keys, quotas, projectQuotas, timeScale, latencyMilliseconds, latencyJitterMilliseconds, faults, seed
        case openAIRateLimitHeaders, openAIErrorStyle
    }

    /// Decodes a JSON configuration; every field may be left out and then takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            keys: try container.decodeIfPresent([EmulatorKey].self, forKey: .keys) ?? [],
            quotas: try container.decodeIfPresent([String: ModelQuota].self, forKey: .quotas) ?? Self.defaultQuotas,
            projectQuotas: try container.decodeIfPresent([String: [String: ModelQuota]].self, forKey: .projectQuotas) ?? [:],
            timeScale: try container.decodeIfPresent(Double.self, forKey: .timeScale) ?? 1,
            latencyMilliseconds: try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0,
            latencyJitterMilliseconds: try container.decodeIfPresent(Int.self, forKey: .latencyJitterMilliseconds) ?? 0,
            faults: try container.decodeIfPresent(FaultPlan.self, forKey: .faults) ?? FaultPlan(),
            seed: try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1,
            openAIRateLimitHeaders: try container.decodeIfPresent(Bool.self, forKey: .openAIRateLimitHeaders) ?? true,
            openAIErrorStyle: try container.decodeIfPresent(OpenAIErrorStyle.self, forKey: .openAIErrorStyle) ?? .gemini)
    }

    /// Checks the values the server cannot work with: a time scale that is not positive and
    /// finite, a negative latency, probabilities outside 0...1, empty or duplicate keys, negative quotas.
    public func validate() throws(EmulatorError) {
        guard timeScale.isFinite, timeScale > 0 else { throw .invalidConfiguration("timeScale must be positive, not \(timeScale)") }
        guard latencyMilliseconds >= 0 else { throw .invalidConfiguration("latencyMilliseconds must not be negative") }
        guard latencyJitterMilliseconds >= 0 else { throw .invalidConfiguration("latencyJitterMilliseconds must not be negative") }
        try faults.validate()
        var seen = Set<String>()
        for (index, key) in keys.enumerated() {
            guard !key.key.isEmpty else { throw .invalidConfiguration("key #\(index + 1) is empty") }
            guard seen.insert(key.key).inserted else { throw .invalidConfiguration("key #\(index + 1) (\(key.auditLabel)) appears twice") }
        }
        let tables = [quotas] + projectQuotas.values
        for quota in tables.flatMap(\.values) {
            for limit in [quota.rpm, quota.tpm, quota.rpd] {
                if let limit, limit < 0 { throw .invalidConfiguration("quota limits must not be negative") }
            }
        }
    }
}
