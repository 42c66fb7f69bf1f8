/// One message of a conversation.
public struct ChatMessage: Sendable, Hashable {
    /// Who speaks.
    public struct Role: RawRepresentable, Sendable, Hashable {
        /// The wire name (`system`, `user`, `assistant`, `tool`, …).
        public let rawValue: String
        /// A role by its wire name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Instructions for the model.
        public static let system = Role(rawValue: "system")
        /// The user's turn.
        public static let user = Role(rawValue: "user")
        /// The model's earlier turn.
        public static let assistant = Role(rawValue: "assistant")
        /// A tool's answer (with ``ChatMessage/toolCallID``).
        public static let tool = Role(rawValue: "tool")
    }

    /// Who speaks.
    public var role: Role
    /// What is said.
    public var content: String
    /// An optional participant name.
    public var name: String?
    /// For a ``Role/tool`` message: the call it answers.
    public var toolCallID: String?

    /// A message of `role` saying `content`.
    public init(role: Role, content: String, name: String? = nil, toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.name = name
        self.toolCallID = toolCallID
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }

    var wire: [String: Any] {
        var object: [String: Any] = ["role": role.rawValue, "content": content]
        if let name { object["name"] = name }
        if let toolCallID { object["tool_call_id"] = toolCallID }
        return object
    }
}
