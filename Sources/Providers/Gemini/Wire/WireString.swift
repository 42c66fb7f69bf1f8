/// A string-valued enum of the Gemini wire format that the server may extend.
///
/// Conforming types wrap the raw string and offer the known values as static members, so a value
/// this library has never heard of (Google adds finish and block reasons over time) decodes
/// instead of failing the whole response, and compares unequal to every known value.
public protocol GeminiWireString: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible where RawValue == String
{
    /// Wraps any raw value, known or not.
    init(rawValue: String)
}

extension GeminiWireString {
    /// Wraps a literal wire string, as in `let reason: FinishReason = "STOP"`.
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// Decodes from a JSON string, known value or not.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as the raw JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The raw wire string.
    public var description: String { rawValue }
}
