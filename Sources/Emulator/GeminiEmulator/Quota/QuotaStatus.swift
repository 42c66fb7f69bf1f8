/// Where one project's use of one model stands against its per-minute quotas at an instant:
/// what OpenAI-style rate-limit headers report.
struct QuotaStatus: Sendable, Equatable {
    /// One per-minute quota.
    struct Bucket: Sendable, Equatable {
        /// The quota (requests or tokens per quota minute).
        var limit: Int
        /// What is left of it in the current sliding window (never negative).
        var remaining: Int
        /// Real time until the window holds nothing, so the whole limit is available again.
        var reset: Duration
    }

    /// The rpm bucket, when the model has an rpm.
    var requests: Bucket?
    /// The tpm bucket, when the model has a tpm.
    var tokens: Bucket?
}

extension QuotaLedger {
    /// The per-minute buckets of `project` on `model` at `now`, without recording anything.
    func status(project: String, model: String, at now: Duration) -> QuotaStatus {
        let quota = table.quota(project: project, model: model)
        var window = usage[project]?[model]?.minute ?? TimeWindow()
        window.drop(atOrBefore: now - minute)
        // The window is full again once its newest entry has left it.
        let reset = window.count == 0 ? Duration.zero : max(.zero, window[window.count - 1].time + minute - now)
        return QuotaStatus(
            requests: quota.rpm.map { QuotaStatus.Bucket(limit: $0, remaining: max(0, $0 - window.count), reset: reset) },
            tokens: quota.tpm.map { QuotaStatus.Bucket(limit: $0, remaining: max(0, $0 - window.total), reset: reset) })
    }
}
