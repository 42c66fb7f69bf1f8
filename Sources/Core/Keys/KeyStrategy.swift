/// A way of choosing keys: given the task and the keys it may use now, pick one.
///
/// A strategy only chooses. The ``KeyBook`` under it decides what the candidates are (active,
/// not excluded by the call, not cooling for the call's model), applies every verdict, keeps
/// leases and counters, and turns "no candidate" into waiting or exhaustion — so a strategy
/// cannot bring back a disabled key, shorten a cooldown or leak a lease. It is called under
/// the pool's lock, so it must be quick and must not block.
///
/// ```swift
/// /// Always the key with the fewest failures, ties to the lower number.
/// struct FewestFailures: KeyStrategy {
///     func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
///         candidates.min { ($0.failures, $0.id) < ($1.failures, $1.id) }!
///     }
/// }
/// ```
public protocol KeyStrategy: Sendable {
    /// Picks one of `candidates` (never empty) for `task`'s next attempt.
    func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate
}

/// The original design's strategy, with its flaws fixed: each task keeps a dedicated key.
///
/// - A task keeps the key it holds while that key is a candidate, unless it shares the key
///   with other tasks and a free key exists: then it moves to the free key; or it shares the
///   key's quota group (a project of several keys) and a group nobody uses exists: then it moves
///   there, so no project idles while another paces two tasks.
/// - Tasks whose quota group's pace is shared by more tasks take turns with tasks that have a
///   less crowded group: a task alone on its key, in a group of more tasks, trades keys
///   (``KeyCandidate/traded()``) with a task alone on its key in a group of fewer tasks once
///   that task has had ``turnLead`` more attempts. So when tasks outnumber quota groups — keys of one project,
///   declared or learned — every task advances at about the same pace and the last ones finish
///   together, instead of two tasks going at half pace to the end. Each key keeps one task.
/// - Otherwise it takes a free key (no leases) first, from the least-loaded quota group.
/// - When every key is leased, tasks share the least-loaded key (its project's load, then its
///   own leases), never a random one; equal keys take turns.
public struct DedicatedKeyStrategy: KeyStrategy {
    /// How many more attempts a task with a less crowded quota group must have had than a task
    /// in a more crowded one before the two trade keys; `nil`: tasks never trade keys (a task
    /// keeps its key while it is usable and nobody shares it).
    public var turnLead: Int?

    /// The dedicated-key strategy; tasks trade keys after `turnLead` attempts of difference
    /// (at least 1), or never with `nil`. The default, 2, keeps tasks within a few attempts of
    /// each other; the shared-project benchmark (10 files, 5 keys, BENCHMARKS.md §6) makes about
    /// ten trades a run.
    public init(turnLead: Int? = 2) {
        self.turnLead = turnLead.map { max($0, 1) }
    }

    /// Keeps the held key unless other tasks share it (or its group) and a free key (or an idle
    /// group) exists, or a task with a less crowded group is due to trade; otherwise takes the
    /// best free key, or shares the least-loaded one.
    public func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
        if let held = candidates.held {
            if held.otherLeases > 0, let free = candidates.filter({ $0.leases == 0 }).min(by: Self.isBetter) {
                return free
            }
            if held.groupLeases > 1, let idle = candidates.filter({ $0.groupLeases == 0 }).min(by: Self.isBetter) {
                return idle
            }
            if let turn = turn(from: held, in: candidates) { return turn }
            return held
        }
        return candidates.min(by: Self.isBetter)!
    }

    /// The key of the task most ahead, alone in a group less crowded than `held`'s, when it is
    /// at least ``turnLead`` attempts ahead of the asking task, which holds `held` alone.
    private func turn(from held: KeyCandidate, in candidates: KeyCandidates) -> KeyCandidate? {
        guard let turnLead, held.otherLeases == 0 else { return nil }
        let due = candidates.attempts + turnLead
        return candidates.filter { candidate in
            candidate.groupLeases < held.groupLeases && (candidate.holderAttempts ?? .min) >= due
        }.max { ($0.holderAttempts!, $1.id) < ($1.holderAttempts!, $0.id) }?.traded()
    }

    /// Free before leased, then the less-loaded project, fewer leases, chosen longer ago.
    static func isBetter(_ a: KeyCandidate, _ b: KeyCandidate) -> Bool {
        if (a.otherLeases == 0) != (b.otherLeases == 0) { return a.otherLeases == 0 }
        if a.groupLoad != b.groupLoad { return a.groupLoad < b.groupLoad }
        if a.otherLeases != b.otherLeases { return a.otherLeases < b.otherLeases }
        return (a.lastChoice, a.id) < (b.lastChoice, b.id)
    }
}

/// Every call takes the candidate chosen longest ago, with no dedication: suits short
/// independent requests where keeping a key buys nothing.
public struct RoundRobinKeyStrategy: KeyStrategy {
    /// The round-robin strategy.
    public init() {}

    /// Takes the candidate chosen longest ago, ties to the lower key.
    public func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
        candidates.min { ($0.lastChoice, $0.id) < ($1.lastChoice, $1.id) }!
    }
}

extension KeyStrategy where Self == DedicatedKeyStrategy {
    /// One dedicated key per task (the default).
    public static var dedicated: DedicatedKeyStrategy { DedicatedKeyStrategy() }
}

extension KeyStrategy where Self == RoundRobinKeyStrategy {
    /// The next key in turn for every call.
    public static var roundRobin: RoundRobinKeyStrategy { RoundRobinKeyStrategy() }
}

