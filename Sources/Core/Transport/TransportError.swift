/// What a transport's thrown error means for the retry policy; cancellation is rethrown.
func classifyTransportError(_ error: any Error) throws -> Failure {
    if let error = error as? TransportError { return error.failure }
    if Task.isCancelled || error is CancellationError { throw CancellationError() }
    return Failure(.other, message: "transport error \(type(of: error))")
}

/// A transport could not complete an exchange. The gateway classifies these as connection or
/// timeout failures, never as key faults.
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

    public static func connectionRefused(_ detail: String = "") -> Self { Self(.connectionRefused, detail) }
    public static func connectionReset(_ detail: String = "") -> Self { Self(.connectionReset, detail) }
    public static func dnsFailure(_ detail: String = "") -> Self { Self(.dnsFailure, detail) }
    public static func tlsFailure(_ detail: String = "") -> Self { Self(.tlsFailure, detail) }
    public static func timeout(_ detail: String = "") -> Self { Self(.timeout, detail) }
    public static func responseTooLarge(limit: Int) -> Self { Self(.responseTooLarge, "limit \(limit) bytes") }
    public static func malformedResponse(_ detail: String = "") -> Self { Self(.malformedResponse, detail) }
    public static func shutdown(_ detail: String = "") -> Self { Self(.shutdown, detail) }
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

    public var description: String { detail.isEmpty ? code.rawValue : "\(code.rawValue): \(detail)" }
}
