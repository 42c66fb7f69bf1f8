/// What a transport's thrown error means for the retry policy; cancellation is rethrown.
func classifyTransportError(_ error: any Error) throws -> Failure {
    if let error = error as? TransportError { return error.failure }
    if Task.isCancelled || error is CancellationError { throw CancellationError() }
    return Failure(.other, message: "transport error \(type(of: error))")
}

/// A transport could not complete an exchange. The gateway classifies these as connection
/// failures, timeouts, unresolved hosts, server errors (a malformed answer) or `other` (a
/// response too large, a shut-down transport), never as key faults.
public struct TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Hashable, Sendable {
        case connectionRefused = "connection refused"
        case connectionReset = "connection reset"
        case dnsFailure = "DNS failure"
        case tlsFailure = "TLS failure"
        case timeout = "timed out"
        case responseTooLarge = "response too large"
        case malformedResponse = "malformed response"
        case shutdown = "transport shut down"
        case other = "transport failure"
    }

    private let code: Code
    /// Extra detail (never key material).
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The server refused the connection; a connection failure to the retry policy.
    public static func connectionRefused(_ detail: String = "") -> Self { Self(.connectionRefused, detail) }
    /// The connection was reset during the exchange; a connection failure.
    public static func connectionReset(_ detail: String = "") -> Self { Self(.connectionReset, detail) }
    /// The host name did not resolve; an unresolved host.
    public static func dnsFailure(_ detail: String = "") -> Self { Self(.dnsFailure, detail) }
    /// The TLS handshake or session failed; a connection failure.
    public static func tlsFailure(_ detail: String = "") -> Self { Self(.tlsFailure, detail) }
    /// The exchange took longer than allowed; a timeout.
    public static func timeout(_ detail: String = "") -> Self { Self(.timeout, detail) }
    /// The body was larger than `limit` bytes; a failure of kind `other`.
    public static func responseTooLarge(limit: Int) -> Self { Self(.responseTooLarge, "limit \(limit) bytes") }
    /// The response was not valid HTTP; a server error.
    public static func malformedResponse(_ detail: String = "") -> Self { Self(.malformedResponse, detail) }
    /// The transport was shut down; a failure of kind `other`.
    public static func shutdown(_ detail: String = "") -> Self { Self(.shutdown, detail) }
    /// Any other transport failure; a failure of kind `other`.
    public static func other(_ detail: String = "") -> Self { Self(.other, detail) }

    /// A payload-free name, for metric labels and matching.
    public var shortDescription: String { code.rawValue }

    /// Whether two errors are of the same kind, ignoring detail.
    public func isSameKind(as other: TransportError) -> Bool { code == other.code }

    /// How a retry policy should see this error.
    public var failure: Failure {
        switch code {
        case .timeout: Failure(.timeout, message: description)
        case .responseTooLarge, .shutdown, .other: Failure(.other, message: description)
        case .malformedResponse: Failure(.serverError(status: 0), message: description)
        case .dnsFailure: Failure(.unresolvedHost, message: description)
        case .connectionRefused, .connectionReset, .tlsFailure:
            Failure(.connectionFailure, message: description)
        }
    }

    /// The kind of error, followed by its detail when there is one.
    public var description: String { detail.isEmpty ? code.rawValue : "\(code.rawValue): \(detail)" }
}
