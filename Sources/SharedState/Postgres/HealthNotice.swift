#if PostgresSharedState
import Foundation

/// What a process announces on ``HealthListener/channel`` (by `pg_notify`, in the statement
/// that writes it, so at its commit): fields separated by tabs, kind first, never key text.
///
/// - `disabled⇥namespace⇥fingerprint⇥reason`
/// - `cooldown⇥namespace⇥fingerprint⇥reach⇥remaining ms⇥origin⇥reason` (`reach` is `*` or
///   `model:<name>`; the remaining time is from the server's now at the write)
/// - `ping⇥listener` (the watchdog's: proves the listener still hears the channel)
enum HealthNotice: Sendable, Equatable {
    case disabled(namespace: String, fingerprint: String, reason: String)
    case cooldown(namespace: String, fingerprint: String, reach: String, remaining: Duration, origin: UUID, reason: String)
    case ping

    /// The notice in `payload`; `nil` for a payload this version does not know.
    init?(payload: String) {
        let fields = payload.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        switch fields.first {
        case "disabled" where fields.count >= 4:
            self = .disabled(namespace: fields[1], fingerprint: fields[2], reason: fields[3...].joined(separator: "\t"))
        case "cooldown" where fields.count >= 7:
            guard let milliseconds = Int64(fields[4]), let origin = UUID(uuidString: fields[5]) else { return nil }
            self = .cooldown(
                namespace: fields[1], fingerprint: fields[2], reach: fields[3], remaining: .milliseconds(max(milliseconds, 0)),
                origin: origin, reason: fields[6...].joined(separator: "\t"))
        case "ping":
            self = .ping
        default:
            return nil
        }
    }

    /// The namespace the notice is about (`nil` for a ping, which is about the listener).
    var namespace: String? {
        switch self {
        case .disabled(let namespace, _, _), .cooldown(let namespace, _, _, _, _, _): namespace
        case .ping: nil
        }
    }
}
#endif
