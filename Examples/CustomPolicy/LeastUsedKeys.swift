import GatewayCore

/// A key strategy of its own: every call takes the candidate with the fewest attempts so far
/// (no dedication). The pool under it keeps health, cooldowns, leases and exhaustion; the
/// strategy only chooses, so it cannot revive a disabled key or shorten a cooldown.
public struct LeastUsedKeys: KeyStrategy {
    public init() {}

    public func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
        candidates.min { ($0.attempts, $0.id) < ($1.attempts, $1.id) }!
    }
}
