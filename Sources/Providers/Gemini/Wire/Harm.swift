/// A safety category (`HARM_CATEGORY_…`). Unknown values decode as themselves.
public struct HarmCategory: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let harassment: HarmCategory = "HARM_CATEGORY_HARASSMENT"
    public static let hateSpeech: HarmCategory = "HARM_CATEGORY_HATE_SPEECH"
    public static let sexuallyExplicit: HarmCategory = "HARM_CATEGORY_SEXUALLY_EXPLICIT"
    public static let dangerousContent: HarmCategory = "HARM_CATEGORY_DANGEROUS_CONTENT"
    /// Deprecated by Google.
    public static let civicIntegrity: HarmCategory = "HARM_CATEGORY_CIVIC_INTEGRITY"
}

/// The level at which a ``SafetySetting`` blocks. Unknown values decode as themselves.
public struct HarmBlockThreshold: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let unspecified: HarmBlockThreshold = "HARM_BLOCK_THRESHOLD_UNSPECIFIED"
    public static let blockLowAndAbove: HarmBlockThreshold = "BLOCK_LOW_AND_ABOVE"
    public static let blockMediumAndAbove: HarmBlockThreshold = "BLOCK_MEDIUM_AND_ABOVE"
    public static let blockOnlyHigh: HarmBlockThreshold = "BLOCK_ONLY_HIGH"
    public static let blockNone: HarmBlockThreshold = "BLOCK_NONE"
    public static let off: HarmBlockThreshold = "OFF"
}

/// How likely a ``SafetyRating`` judged the content harmful. Unknown values decode as themselves.
public struct HarmProbability: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let negligible: HarmProbability = "NEGLIGIBLE"
    public static let low: HarmProbability = "LOW"
    public static let medium: HarmProbability = "MEDIUM"
    public static let high: HarmProbability = "HIGH"
}
