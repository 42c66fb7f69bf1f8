/// What the emulator saw, for tests and benchmarks to check a client against. Served as JSON
/// at `GET /emulator/audit`. Keys appear only by label (or `…` and their last 4 characters).
public struct EmulatorAudit: Codable, Sendable, Equatable {
    /// One entry per configured key, in configuration order.
    public var keys: [KeyAudit]
    /// One entry per project that has keys, sorted by name.
    public var projects: [ProjectAudit]
    /// Every HTTP request to the API paths, including those with unknown or missing keys.
    public var totalRequests: Int

    /// An audit from its parts.
    public init(keys: [KeyAudit], projects: [ProjectAudit], totalRequests: Int) {
        self.keys = keys
        self.projects = projects
        self.totalRequests = totalRequests
    }

    /// The entry for a key label.
    public func key(_ label: String) -> KeyAudit? { keys.first { $0.label == label } }

    /// The entry for a project.
    public func project(_ name: String) -> ProjectAudit? { projects.first { $0.project == name } }
}

/// One key's requests and how they ended.
///
/// `requests` counts every request that carried the key; each one ends in exactly one of
/// `succeeded`, `rateLimited`, `rejected`, `faults`, or none of them when the request itself was
/// bad (unknown model, malformed body).
public struct KeyAudit: Codable, Sendable, Equatable {
    /// The key's label, or `…` and its last 4 characters; never the key.
    public var label: String
    /// The key's project.
    public var project: String
    /// Every request that carried the key.
    public var requests: Int
    /// Answered normally (including answers the `slow` fault only delayed).
    public var succeeded: Int
    /// Answered 429 by the quota ledger.
    public var rateLimited: Int
    /// Refused because of the key's state (auth failures: 400 key invalid, 401, 402, 403).
    public var rejected: Int
    /// Answered with an injected fault (other than `slow`).
    public var faults: Int
    /// The most requests on the key the server was answering at once (each counted from its
    /// arrival until its answer was sent, latency included).
    public var maxInFlight: Int

    /// An entry from its counts.
    public init(
        label: String, project: String, requests: Int = 0, succeeded: Int = 0, rateLimited: Int = 0, rejected: Int = 0, faults: Int = 0,
        maxInFlight: Int = 0
    ) {
        self.label = label
        self.project = project
        self.requests = requests
        self.succeeded = succeeded
        self.rateLimited = rateLimited
        self.rejected = rejected
        self.faults = faults
        self.maxInFlight = maxInFlight
    }
}

/// One project's quota use.
public struct ProjectAudit: Codable, Sendable, Equatable {
    /// The project's name.
    public var project: String
    /// Requests that reached quota admission (authenticated, well-formed, quota-drawing):
    /// `admitted + rateLimited`.
    public var requests: Int
    /// Requests the quota admitted (faulted ones included).
    public var admitted: Int
    /// Requests answered 429.
    public var rateLimited: Int
    /// The most requests admitted in any sliding quota minute, counting all models together.
    public var maxAdmittedInAnyWindow: Int
    /// The rpm that applied: the smallest over the models used, if any had one.
    public var windowLimit: Int?
    /// Model id → that model's use.
    public var perModel: [String: ModelAudit]

    /// An entry from its counts.
    public init(project: String, requests: Int = 0, admitted: Int = 0, rateLimited: Int = 0, maxAdmittedInAnyWindow: Int = 0, windowLimit: Int? = nil, perModel: [String: ModelAudit] = [:]) {
        self.project = project
        self.requests = requests
        self.admitted = admitted
        self.rateLimited = rateLimited
        self.maxAdmittedInAnyWindow = maxAdmittedInAnyWindow
        self.windowLimit = windowLimit
        self.perModel = perModel
    }
}

/// One project's use of one model.
public struct ModelAudit: Codable, Sendable, Equatable {
    /// Requests the quota admitted.
    public var admitted: Int
    /// Requests answered 429.
    public var rateLimited: Int
    /// The most requests admitted in any sliding quota minute on this model.
    public var maxAdmittedInAnyWindow: Int
    /// The rpm that applied, if any.
    public var rpm: Int?

    /// An entry from its counts.
    public init(admitted: Int = 0, rateLimited: Int = 0, maxAdmittedInAnyWindow: Int = 0, rpm: Int? = nil) {
        self.admitted = admitted
        self.rateLimited = rateLimited
        self.maxAdmittedInAnyWindow = maxAdmittedInAnyWindow
        self.rpm = rpm
    }
}
