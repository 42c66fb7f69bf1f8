/// An API key the emulator knows, the project it belongs to and how the server treats it.
public struct EmulatorKey: Codable, Sendable, Equatable {
    /// The key text clients send in the `x-goog-api-key` header.
    public var key: String
    /// The Google Cloud project the key belongs to: quotas are shared by all keys of a project.
    public var project: String
    /// How the server answers this key.
    public var state: KeyState
    /// The name the audit uses for this key; without one, the audit shows `…` and the last 4 characters.
    public var label: String?

    /// A key; valid unless a state is given.
    public init(key: String, project: String, state: KeyState = .valid, label: String? = nil) {
        self.key = key
        self.project = project
        self.state = state
        self.label = label
    }

    private enum CodingKeys: String, CodingKey { case key, project, state, label }

    /// Decodes from JSON: `key` is required; `project` defaults to `default-project` and `state`
    /// to valid.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: try container.decode(String.self, forKey: .key),
            project: try container.decodeIfPresent(String.self, forKey: .project) ?? "default-project",
            state: try container.decodeIfPresent(KeyState.self, forKey: .state) ?? .valid,
            label: try container.decodeIfPresent(String.self, forKey: .label))
    }

    /// The name the audit shows: the label, or `…` and the last 4 characters (never the whole key;
    /// keys of 8 characters or fewer show only `…` and their length).
    public var auditLabel: String {
        if let label { return label }
        return key.count > 8 ? "…" + key.suffix(4) : "…(\(key.count) chars)"
    }
}

/// How the emulator answers a key, reproducing the real API's bodies.
public enum KeyState: String, Codable, Sendable, CaseIterable {
    /// Accepted.
    case valid
    /// 400 INVALID_ARGUMENT, ErrorInfo reason `API_KEY_INVALID`, "API key not valid. Please pass a valid API key."
    case invalid
    /// 400 INVALID_ARGUMENT, reason `API_KEY_INVALID`, "API key expired. Please renew the API key."
    case expired
    /// 401 UNAUTHENTICATED, reason `ACCESS_TOKEN_TYPE_UNSUPPORTED`.
    case unauthenticated
    /// 403 PERMISSION_DENIED, reason `CONSUMER_SUSPENDED`; the message and `containerInfo` echo the key.
    case suspended
    /// 403 PERMISSION_DENIED "Your API key was reported as leaked. Please use another API key." (no details).
    case leaked
    /// 403 PERMISSION_DENIED, reason `SERVICE_DISABLED`, consumer `projects/<number>`.
    case serviceDisabled
    /// 402 RESOURCE_EXHAUSTED "Your prepayment credits are depleted. …" (the billing account is empty).
    /// The OpenAI-compatible surface in the OpenAI error style answers it as OpenAI does a depleted
    /// balance: 429 `insufficient_quota`, which no wait cures.
    case prepayDepleted
}
