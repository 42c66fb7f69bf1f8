/// Running totals of one gateway, independent of any metrics backend.
public struct GatewayStatistics: Sendable, Hashable, CustomStringConvertible {
    /// Calls that ended in a response.
    public var callsSucceeded = 0
    /// Calls that ended in a ``GatewayError``.
    public var callsFailed = 0
    /// HTTP attempts made (every call makes at least one, unless it fails before sending).
    public var attempts = 0
    /// Attempts repeated on the same key after a failure.
    public var retries = 0
    /// Times a call moved to another key.
    public var rotations = 0
    /// Attempts answered with a rate limit (HTTP 429 or the provider's equivalent).
    public var rateLimited = 0

    /// Totals that all start at zero.
    public init() {}

    /// Every total in one line.
    public var description: String {
        "calls ok \(callsSucceeded), failed \(callsFailed); attempts \(attempts), retries \(retries), rotations \(rotations), 429 \(rateLimited)"
    }
}

/// What one successful call took: its attempts, and the key that answered.
public struct CallReport: Sendable, Hashable {
    /// Attempts made, the successful one included.
    public var attempts: Int
    /// The failed attempts, in order (empty when the first attempt succeeded).
    public var failedAttempts: [AttemptRecord]
    /// The label of the key that answered (e.g. `#2`).
    public var keyLabel: String
    /// The masked form of that key (e.g. `…wxyz`).
    public var maskedKey: String
    /// How long the answering attempt took, from its admission to its answer: the server's
    /// latency, without the waits for pacing or retries.
    public var latency: Duration?

    /// A report of a call.
    public init(attempts: Int, failedAttempts: [AttemptRecord], keyLabel: String, maskedKey: String, latency: Duration? = nil) {
        self.attempts = attempts
        self.failedAttempts = failedAttempts
        self.keyLabel = keyLabel
        self.maskedKey = maskedKey
        self.latency = latency
    }
}
