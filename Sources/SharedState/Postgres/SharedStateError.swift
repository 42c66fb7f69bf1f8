#if PostgresSharedState
/// Why the shared state on PostgreSQL could not start or answer. Never carries key text: the
/// database only ever sees fingerprints, and a URL's password is left out of every message.
public struct SharedStateError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidURL(String)
        case unreachable(String, String)
        case migrationFailed(String)
        case unavailable(String)
        case invalidConfiguration(String)
    }
    private let code: Code

    /// The connection URL is not of the form `postgres://user[:password]@host[:port]/database`.
    public static func invalidURL(_ detail: String) -> Self { Self(code: .invalidURL(detail)) }
    /// The database did not answer at start (`target` is `host:port/database`, without credentials).
    public static func unreachable(_ target: String, reason: String) -> Self { Self(code: .unreachable(target, reason)) }
    /// The library could not create or migrate its tables.
    public static func migrationFailed(_ detail: String) -> Self { Self(code: .migrationFailed(detail)) }
    /// The database did not answer in time, or refused the statement, after start.
    public static func unavailable(_ detail: String) -> Self { Self(code: .unavailable(detail)) }
    /// A setting is out of range (zero TTL, empty namespace, …).
    public static func invalidConfiguration(_ detail: String) -> Self { Self(code: .invalidConfiguration(detail)) }

    /// Whether the database could not be reached at start.
    public var isUnreachable: Bool { if case .unreachable = code { true } else { false } }

    /// What went wrong, in one line.
    public var description: String {
        switch code {
        case .invalidURL(let detail): "invalid shared-state URL: \(detail)"
        case .unreachable(let target, let reason): "shared-state database at \(target) is unreachable: \(reason)"
        case .migrationFailed(let detail): "shared-state schema migration failed: \(detail)"
        case .unavailable(let detail): "shared-state database unavailable: \(detail)"
        case .invalidConfiguration(let detail): "invalid shared-state configuration: \(detail)"
        }
    }
}
#endif
