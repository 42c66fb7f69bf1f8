/// Hands keys to tasks and learns their health: the protocol the gateway talks to.
///
/// The default, ``KeyPool``, combines the public bookkeeping (``KeyBook``) with a
/// ``KeyStrategy`` that only chooses; write a strategy for a new way of choosing, and conform
/// to this protocol only for a new home of the state (another process, a database). `lease`
/// and `release` may suspend — a shared backend talks to its store there — while the per-attempt
/// requirements are synchronous and answer from what the provider knows locally.
public protocol KeyProvider: Sendable {
    /// A key for `task`'s next attempt, leased to the task until it is released or replaced.
    /// - Parameters:
    ///   - task: The task asking.
    ///   - excluded: Keys this task has rotated away from during the current call.
    ///   - model: The call's model, when quotas are kept per model: keys cooling for that model
    ///     count as cooling.
    ///   - now: The current instant on the gateway's clock.
    /// - Returns: A key to use now, or when the first eligible key comes back.
    /// - Throws: ``KeysExhaustedError`` when every key is disabled or excluded.
    func lease(for task: TaskID, excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant) async throws(KeysExhaustedError) -> KeySelection

    /// Whether `key` may still be used for a call to `model` now. The gateway asks after a
    /// pacing wait, since another task may have condemned the key meanwhile.
    func isUsable(_ key: KeyID, model: String?, at now: GatewayClock.Instant) -> Bool

    /// Records an attempt's outcome on `key` and applies the policy's verdict to it (and to the
    /// keys the verdict reaches), for every task.
    func report(_ outcome: AttemptOutcome, verdict: KeyVerdict, for key: KeyID, at now: GatewayClock.Instant)

    /// The key `task` holds now, if any; no side effects.
    func heldKey(by task: TaskID) -> KeyID?

    /// Releases whatever `task` holds. Called when the task's last `withClient` scope ends, also
    /// on throw and cancellation.
    func release(task: TaskID) async

    /// Every key's state, leases and counters.
    func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot

    /// The quota group `key` draws from now: where the limiter paces it. A provider that learns
    /// shared quotas answers the learned group.
    func quotaGroup(of key: APIKey) -> QuotaGroup
}

extension KeyProvider {
    /// The key's declared group.
    public func quotaGroup(of key: APIKey) -> QuotaGroup { key.quotaGroup }
}
