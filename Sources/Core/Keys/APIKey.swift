/// The position of a key in its gateway's key list; stable for the gateway's lifetime.
public struct KeyID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Zero-based index into the gateway's key list.
    public let index: Int
    /// The key at position `index`.
    public init(_ index: Int) { self.index = index }
    /// Orders keys by position.
    public static func < (lhs: KeyID, rhs: KeyID) -> Bool { lhs.index < rhs.index }
    /// The one-based label used in logs, e.g. `#3`.
    public var description: String { "#\(index + 1)" }
}

/// A set of keys that share one quota: on Gemini, the keys of one Google Cloud project.
///
/// Keys that declare no project each form a group of their own.
public struct QuotaGroup: Hashable, Sendable, CustomStringConvertible {
    /// The group's name: the project, or `key#n` for a key without a declared project.
    public let name: String
    /// The model whose share of the group's quota a request draws from, when quotas are kept
    /// per model (as Gemini's are: per project *and* model); `nil` for the group as a whole.
    public let model: String?
    /// The group `name`, for calls to `model` (or as a whole).
    public init(_ name: String, model: String? = nil) {
        self.name = name
        self.model = model
    }
    /// The same group for calls to `model` (`nil` for the group as a whole).
    public func forModel(_ model: String?) -> QuotaGroup { QuotaGroup(name, model: model) }
    /// The group as a whole.
    public var whole: QuotaGroup { QuotaGroup(name) }
    /// The group's name, followed by `/model` when the group is for one model.
    public var description: String { model.map { "\(name)/\($0)" } ?? name }
}

/// An API key. Its secret never appears in `description`, `debugDescription`, string
/// interpolation, `dump` or `Mirror`: those show a label and the last four characters.
///
/// Keys are not validated by prefix (new Gemini keys start with `AQ.`, old ones with `AIza`).
public struct APIKey: Hashable, Sendable {
    /// The key's position in the gateway's list.
    public let id: KeyID
    /// The quota group (project) the key belongs to, if declared.
    public let project: String?
    /// A human label, `#1`, `#2`, … unless given.
    public let label: String
    private let secret: String

    /// Creates a key.
    /// - Parameters:
    ///   - secret: The key text, sent only in a request header.
    ///   - id: Its position in the gateway's list.
    ///   - project: The project (quota group) it belongs to, if known.
    ///   - label: A display label; defaults to `#<position>`.
    public init(secret: String, id: KeyID, project: String? = nil, label: String? = nil) {
        self.secret = secret
        self.id = id
        self.project = project
        self.label = label ?? id.description
    }

    /// The secret, for a provider to place in a request header. Never log it.
    public func revealSecret() -> String { secret }

    /// The quota group this key draws from: its project, or a group of its own named after its
    /// label (labels are unique within a ``KeySet``).
    public var quotaGroup: QuotaGroup { QuotaGroup(project ?? "key \(label)") }

    /// The key's masked form: `…wxyz` (or `…` alone for very short keys).
    public var masked: String {
        secret.count >= 12 ? "…" + secret.suffix(4) : "…"
    }

    /// Two keys are equal when they have the same position and the same secret.
    public static func == (lhs: APIKey, rhs: APIKey) -> Bool { lhs.id == rhs.id && lhs.secret == rhs.secret }
    /// Hashes the position only, which equal keys share.
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension APIKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key's label, masked form and project; never its secret.
    public var description: String {
        project.map { "\(label)(\(masked), project \($0))" } ?? "\(label)(\(masked))"
    }
    /// The `description`, wrapped as `APIKey(…)`.
    public var debugDescription: String { "APIKey(\(description))" }
    /// Shows `dump` and debuggers the label, masked form and project; never the secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["label": label, "masked": masked, "project": project as Any], displayStyle: .struct)
    }
}
