#if PostgresSharedState
import GatewayCore
import PostgresNIO

/// The pacing statements: the bucket's state and the day's usage per quota group, on the
/// server's clock.
enum RateStatements {
    /// A group's row: the namespace, then the group (and model), e.g. `default|proj-a/gemini-2.5-flash`.
    static func groupID(_ group: QuotaGroup, namespace: String) -> String { namespace + "|" + group.description }

    static func reserve(group: String, intervalMicros: Int64, burst: Int, cost: Int, maxWaitMicros: Int64, dailyLimit: Int) -> PostgresQuery {
        """
        SELECT granted, delay_us, requests_today, daily_spent
        FROM llmgateway_reserve(\(group)::text, \(intervalMicros)::bigint, \(Int64(burst))::bigint, \(Int64(cost))::bigint,
                                \(maxWaitMicros)::bigint, \(Int64(dailyLimit))::bigint)
        """
    }

    static func refund(group: String, intervalMicros: Int64, cost: Int) -> PostgresQuery {
        "SELECT llmgateway_refund(\(group)::text, \(intervalMicros)::bigint, \(Int64(cost))::bigint)"
    }

    /// Nothing admitted in `group` for `delayMicros` from the server's now; never shortens a penalty.
    static func penalize(group: String, delayMicros: Int64) -> PostgresQuery {
        """
        INSERT INTO llmgateway_rate AS r (group_id, tat, not_before, decided_at, admitted)
        SELECT \(group)::text, '-infinity', now_ + \(delayMicros)::bigint * interval '1 microsecond', now_, false
        FROM (SELECT clock_timestamp() AS now_) n
        ON CONFLICT (group_id) DO UPDATE SET not_before = GREATEST(r.not_before, excluded.not_before)
        """
    }

    static func requestsToday(group: String) -> PostgresQuery {
        """
        SELECT COALESCE(sum(requests), 0)::bigint FROM llmgateway_usage_daily
        WHERE group_id = \(group) AND day = (clock_timestamp() AT TIME ZONE 'America/Los_Angeles')::date
        """
    }
}
#endif
