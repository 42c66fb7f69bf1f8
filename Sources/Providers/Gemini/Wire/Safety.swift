/// A request's blocking threshold for one harm category (`safetySettings[]`).
public struct SafetySetting: Codable, Sendable, Hashable {
    public var category: HarmCategory
    public var threshold: HarmBlockThreshold

    public init(category: HarmCategory, threshold: HarmBlockThreshold) {
        self.category = category
        self.threshold = threshold
    }
}

/// The server's judgement of a prompt or candidate in one harm category.
public struct SafetyRating: Codable, Sendable, Hashable {
    public var category: HarmCategory?
    public var probability: HarmProbability?
    /// Whether this rating caused the block.
    public var blocked: Bool?

    public init(category: HarmCategory? = nil, probability: HarmProbability? = nil, blocked: Bool? = nil) {
        self.category = category
        self.probability = probability
        self.blocked = blocked
    }
}
