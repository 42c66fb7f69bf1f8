/// Per-(project, model) quota bookkeeping over an injected time: a pure value, so it is tested
/// without real time. The server feeds it `ContinuousClock` readings taken as durations since start.
///
/// Requests per minute are a strict sliding window of length `minute`, half-open
/// (t − minute, t]: a request is admitted iff fewer than `rpm` requests were admitted in it.
/// Tokens per minute use the same window over estimated tokens, requests per day a window of
/// length `day`. Only admitted requests are recorded; a refused one leaves no trace but a counter.
struct QuotaLedger: Sendable {
    /// One project's use of one model.
    struct Usage: Sendable, Equatable {
        /// Admitted requests in the minute window, weighted by their tokens.
        var minute = TimeWindow()
        /// Admitted requests in the day window (kept only when the quota has an rpd).
        var day = TimeWindow()
        var admitted = 0
        var rateLimited = 0
        /// The most admitted requests any minute window held.
        var maxInWindow = 0
        /// The rpm that applies.
        var rpm: Int?
    }

    /// A project's admissions over all its models.
    struct ProjectUsage: Sendable, Equatable {
        var minute = TimeWindow()
        var maxInWindow = 0
    }

    let table: QuotaTable
    /// The length of a quota minute in real time.
    let minute: Duration
    /// The length of a quota day in real time.
    let day: Duration
    private(set) var usage: [String: [String: Usage]] = [:]
    private(set) var projects: [String: ProjectUsage] = [:]

    init(table: QuotaTable, timeScale: Double = 1) {
        self.table = table
        self.minute = .seconds(60 * timeScale)
        self.day = .seconds(86_400 * timeScale)
    }

    /// Admits or refuses one request of `project` on `model` costing `tokens`, at `now`
    /// (a duration since an arbitrary origin; it must not go backwards).
    mutating func admit(project: String, model: String, tokens: Int = 0, at now: Duration) -> QuotaDecision {
        let quota = table.quota(project: project, model: model)
        var entry = usage[project, default: [:]][model] ?? Usage()
        entry.rpm = quota.rpm
        entry.minute.drop(atOrBefore: now - minute)
        entry.day.drop(atOrBefore: now - day)

        var violations: [QuotaViolation] = []
        if let rpm = quota.rpm, entry.minute.count >= rpm {
            violations.append(QuotaViolation(kind: .requestsPerMinute, limit: rpm, retryAfter: requestDelay(entry.minute, limit: rpm, window: minute, now: now)))
        }
        if let tpm = quota.tpm, entry.minute.total + tokens > tpm {
            violations.append(QuotaViolation(kind: .tokensPerMinute, limit: tpm, retryAfter: tokenDelay(entry.minute, tokens: tokens, limit: tpm, now: now)))
        }
        if let rpd = quota.rpd, entry.day.count >= rpd {
            // Like the real API: the advertised delay (47 quota seconds) has nothing to do with the daily reset.
            violations.append(QuotaViolation(kind: .requestsPerDay, limit: rpd, retryAfter: minute * 47 / 60))
        }

        let decision: QuotaDecision
        if violations.isEmpty {
            entry.minute.append(now, weight: tokens)
            if quota.rpd != nil { entry.day.append(now) }
            entry.admitted += 1
            entry.maxInWindow = max(entry.maxInWindow, entry.minute.count)
            var combined = projects[project] ?? ProjectUsage()
            combined.minute.drop(atOrBefore: now - minute)
            combined.minute.append(now)
            combined.maxInWindow = max(combined.maxInWindow, combined.minute.count)
            projects[project] = combined
            decision = .admitted(inWindow: entry.minute.count)
        } else {
            entry.rateLimited += 1
            decision = .rateLimited(QuotaRejection(violations: violations, retryAfter: violations.map(\.retryAfter).max() ?? .zero))
        }
        usage[project, default: [:]][model] = entry
        return decision
    }

    /// Time until the window holds fewer than `limit` requests.
    private func requestDelay(_ window: TimeWindow, limit: Int, window length: Duration, now: Duration) -> Duration {
        let leaving = window.count - limit  // this many must leave, plus one
        guard leaving >= 0, leaving < window.count else { return length }
        return window[leaving].time + length - now
    }

    /// Time until the window's tokens plus `tokens` fit in `limit`; a whole window when they never can.
    private func tokenDelay(_ window: TimeWindow, tokens: Int, limit: Int, now: Duration) -> Duration {
        guard tokens <= limit else { return minute }
        var remaining = window.total
        for index in 0..<window.count {
            remaining -= window[index].weight
            if remaining + tokens <= limit { return window[index].time + minute - now }
        }
        return minute
    }

    /// Forgets every admission and counter.
    mutating func reset() {
        usage = [:]
        projects = [:]
    }
}
