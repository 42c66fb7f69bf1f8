/// A safety category (`HARM_CATEGORY_…`). Unknown values decode as themselves.
public struct HarmCategory: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Harassment.
    public static let harassment: HarmCategory = "HARM_CATEGORY_HARASSMENT"
    /// Hate speech.
    public static let hateSpeech: HarmCategory = "HARM_CATEGORY_HATE_SPEECH"
    /// Sexually explicit content.
    public static let sexuallyExplicit: HarmCategory = "HARM_CATEGORY_SEXUALLY_EXPLICIT"
    /// Dangerous content.
    public static let dangerousContent: HarmCategory = "HARM_CATEGORY_DANGEROUS_CONTENT"
    /// Deprecated by Google.
    public static let civicIntegrity: HarmCategory = "HARM_CATEGORY_CIVIC_INTEGRITY"
}

/// The level at which a ``SafetySetting`` blocks. Unknown values decode as themselves.
public struct HarmBlockThreshold: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// No threshold given: the server's default applies.
    public static let unspecified: HarmBlockThreshold = "HARM_BLOCK_THRESHOLD_UNSPECIFIED"
    /// Blocks content of low, medium and high probability of harm.
    public static let blockLowAndAbove: HarmBlockThreshold = "BLOCK_LOW_AND_ABOVE"
    /// Blocks content of medium and high probability of harm.
    public static let blockMediumAndAbove: HarmBlockThreshold = "BLOCK_MEDIUM_AND_ABOVE"
    /// Blocks content of high probability of harm only.
    public static let blockOnlyHigh: HarmBlockThreshold = "BLOCK_ONLY_HIGH"
    /// Blocks nothing.
    public static let blockNone: HarmBlockThreshold = "BLOCK_NONE"
    /// Turns the safety filter off.
    public static let off: HarmBlockThreshold = "OFF"
}

/// How likely a ``SafetyRating`` judged the content harmful. Unknown values decode as themselves.
public struct HarmProbability: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A negligible chance of harm.
    public static let negligible: HarmProbability = "NEGLIGIBLE"
    /// A low chance of harm.
    public static let low: HarmProbability = "LOW"
    /// A medium chance of harm.
    public static let medium: HarmProbability = "MEDIUM"
    /// A high chance of harm.
    public static let high: HarmProbability = "HIGH"
}
