/// A request's blocking threshold for one harm category (`safetySettings[]`).
public struct SafetySetting: Codable, Sendable, Hashable {
    /// The harm category this setting is for.
    public var category: HarmCategory
    /// The level from which content in ``category`` is blocked.
    public var threshold: HarmBlockThreshold

    /// Sets the blocking threshold of `category`.
    public init(category: HarmCategory, threshold: HarmBlockThreshold) {
        self.category = category
        self.threshold = threshold
    }
}

/// The server's judgement of a prompt or candidate in one harm category.
public struct SafetyRating: Codable, Sendable, Hashable {
    /// The harm category rated.
    public var category: HarmCategory?
    /// How likely the content is harmful in that category.
    public var probability: HarmProbability?
    /// Whether this rating caused the block.
    public var blocked: Bool?

    /// Creates a rating, e.g. for a mock.
    public init(category: HarmCategory? = nil, probability: HarmProbability? = nil, blocked: Bool? = nil) {
        self.category = category
        self.probability = probability
        self.blocked = blocked
    }
}
