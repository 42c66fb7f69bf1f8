/// One turn of a conversation: a role and its parts.
public struct Content: Codable, Sendable, Hashable {
    /// `user` or `model`; may be omitted for a single turn and in `systemInstruction`.
    public var role: Role?
    /// The turn's parts. Empty when the server sends `"content": {}` or a role without parts.
    public var parts: [Part]

    /// Creates a turn from a role and its parts.
    public init(role: Role? = nil, parts: [Part]) {
        self.role = role
        self.parts = parts
    }

    /// A user turn with one text part.
    public static func user(_ text: String) -> Content { Content(role: .user, parts: [.text(text)]) }

    /// A model turn with one text part.
    public static func model(_ text: String) -> Content { Content(role: .model, parts: [.text(text)]) }

    /// The answer text: every non-thought text part, joined.
    public var text: String {
        parts.lazy.filter { $0.thought != true }.compactMap(\.text).joined()
    }

    private enum CodingKeys: String, CodingKey { case role, parts }

    /// Decodes from the wire JSON, reading an absent `parts` as no parts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decodeIfPresent(Role.self, forKey: .role)
        parts = try container.decodeIfPresent([Part].self, forKey: .parts) ?? []
    }
}
