#if PostgresSharedState
/// The tables and functions the shared state keeps (all prefixed `llmgateway_`), as numbered
/// migrations of one statement each (postgres-nio sends one statement per query). Documented in
/// `docs/shared-state-postgres.md`; a new version appends a migration, never edits one.
enum Schema {
    /// The advisory lock every process takes (per transaction) before it migrates.
    static let migrationLock: Int64 = 7_411_001_120

    /// The version table, created before the others.
    static let versionTable = """
        CREATE TABLE IF NOT EXISTS llmgateway_schema_version (
          version    int PRIMARY KEY,
          applied_at timestamptz NOT NULL DEFAULT clock_timestamp())
        """

    /// Migrations by version, each a list of single statements.
    static let migrations: [(version: Int, statements: [String])] = [(1, version1), (2, version2)]

    static let version1: [String] = [
        """
        CREATE TABLE IF NOT EXISTS llmgateway_process (
          namespace    text        NOT NULL,
          holder_id    uuid        NOT NULL,
          started_at   timestamptz NOT NULL,
          expires_at   timestamptz NOT NULL,
          PRIMARY KEY (namespace, holder_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS llmgateway_rate (
          group_id    text        PRIMARY KEY,
          tat         timestamptz NOT NULL,
          not_before  timestamptz NOT NULL DEFAULT '-infinity',
          decided_at  timestamptz NOT NULL,
          admitted    boolean     NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS llmgateway_usage_daily (
          group_id text   NOT NULL,
          day      date   NOT NULL,
          requests bigint NOT NULL DEFAULT 0,
          PRIMARY KEY (group_id, day))
        """,
        """
        CREATE TABLE IF NOT EXISTS llmgateway_key (
          namespace       text NOT NULL,
          key_fp          text NOT NULL,
          label           text NOT NULL,
          masked          text NOT NULL,
          project         text,
          disabled_at     timestamptz,
          disabled_reason text,
          PRIMARY KEY (namespace, key_fp))
        """,
        """
        CREATE TABLE IF NOT EXISTS llmgateway_key_cooldown (
          namespace text        NOT NULL,
          key_fp    text        NOT NULL,
          scope     text        NOT NULL,
          until     timestamptz NOT NULL,
          reason    text        NOT NULL,
          origin    uuid        NOT NULL,
          PRIMARY KEY (namespace, key_fp, scope))
        """,
        """
        CREATE TABLE IF NOT EXISTS llmgateway_lease (
          namespace   text        NOT NULL,
          key_fp      text        NOT NULL,
          task        text        NOT NULL,
          holder_id   uuid        NOT NULL,
          acquired_at timestamptz NOT NULL,
          expires_at  timestamptz NOT NULL,
          epoch       bigint      NOT NULL DEFAULT 1,
          PRIMARY KEY (namespace, key_fp))
        """,
        "CREATE INDEX IF NOT EXISTS llmgateway_lease_holder ON llmgateway_lease (holder_id)",
        // GCRA with reservation (FIFO across processes) and the day's request count, on the
        // server's clock read after the row lock. Refuses when the wait would exceed p_max_wait_us
        // or the day's p_daily_limit (0: none) is spent; then delay_us says when to come back.
        """
        CREATE OR REPLACE FUNCTION llmgateway_reserve(p_group text, p_t_us bigint, p_burst bigint, p_cost bigint,
            p_max_wait_us bigint, p_daily_limit bigint,
            OUT granted boolean, OUT delay_us bigint, OUT requests_today bigint, OUT daily_spent boolean)
        LANGUAGE plpgsql AS $$
        DECLARE
          t    interval := p_t_us * interval '1 microsecond';
          r    llmgateway_rate;
          now_ timestamptz;
          slot timestamptz;
          day_ date;
          used bigint;
        BEGIN
          IF p_cost < 1 OR p_cost > p_burst THEN
            RAISE EXCEPTION 'llmgateway_reserve: cost % outside 1...%', p_cost, p_burst USING ERRCODE = '22023';
          END IF;
          INSERT INTO llmgateway_rate (group_id, tat, decided_at, admitted)
          VALUES (p_group, '-infinity', clock_timestamp(), false) ON CONFLICT (group_id) DO NOTHING;
          SELECT * INTO r FROM llmgateway_rate WHERE group_id = p_group FOR UPDATE;
          now_ := clock_timestamp();
          slot := GREATEST(GREATEST(r.tat, now_) + t * p_cost - t * p_burst, r.not_before, now_);
          delay_us := ceil(extract(epoch FROM slot - now_) * 1000000);
          day_ := (slot AT TIME ZONE 'America/Los_Angeles')::date;
          SELECT u.requests INTO used FROM llmgateway_usage_daily u WHERE u.group_id = p_group AND u.day = day_;
          used := COALESCE(used, 0);
          daily_spent := p_daily_limit > 0 AND used + p_cost > p_daily_limit;
          IF daily_spent THEN
            granted := false;
            delay_us := ceil(extract(epoch FROM (((now_ AT TIME ZONE 'America/Los_Angeles')::date + 1)::timestamp
                          AT TIME ZONE 'America/Los_Angeles') - now_) * 1000000);
            requests_today := used;
            RETURN;
          END IF;
          granted := delay_us <= p_max_wait_us;
          IF granted THEN
            UPDATE llmgateway_rate SET tat = GREATEST(r.tat, slot) + t * p_cost,
                                       decided_at = now_, admitted = true
            WHERE group_id = p_group;
            INSERT INTO llmgateway_usage_daily AS u (group_id, day, requests) VALUES (p_group, day_, p_cost)
            ON CONFLICT (group_id, day) DO UPDATE SET requests = u.requests + excluded.requests
            RETURNING u.requests INTO requests_today;
          ELSE
            requests_today := used;
          END IF;
        END $$
        """,
        // Gives back a reservation that was never sent (the waiting task was cancelled).
        """
        CREATE OR REPLACE FUNCTION llmgateway_refund(p_group text, p_t_us bigint, p_cost bigint) RETURNS void
        LANGUAGE sql AS $$
          UPDATE llmgateway_rate SET tat = tat - p_cost * p_t_us * interval '1 microsecond' WHERE group_id = p_group;
          UPDATE llmgateway_usage_daily SET requests = GREATEST(requests - p_cost, 0)
          WHERE group_id = p_group AND day = (clock_timestamp() AT TIME ZONE 'America/Los_Angeles')::date
        $$
        """,
    ]

    /// Version 2: the cooldown's `scope` is called `reach`, as the library calls it
    /// (``GatewayCore/VerdictReach``); keys remember the quota group they were learned to share
    /// (`learned_group`, a name, never key text); `llmgateway_learn` merges learned groups.
    /// Each statement is safe to run again.
    static let version2: [String] = [
        """
        DO $$ BEGIN
          IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                       AND table_name = 'llmgateway_key_cooldown' AND column_name = 'scope') THEN
            ALTER TABLE llmgateway_key_cooldown RENAME COLUMN scope TO reach;
          END IF;
        END $$
        """,
        "ALTER TABLE llmgateway_key ADD COLUMN IF NOT EXISTS learned_group text",
        "ALTER TABLE llmgateway_key ADD COLUMN IF NOT EXISTS learned_at timestamptz",
        // Keys learned to share a quota, with every key already learned with any of them, become
        // one group: the smallest name the groups had, else the proposed one. One learner at a
        // time per namespace (a transaction lock), so two processes merging overlapping groups
        // at once end in one group; groups only grow.
        """
        CREATE OR REPLACE FUNCTION llmgateway_learn(p_namespace text, p_fps text[], p_name text)
        RETURNS TABLE (fp text, group_name text)
        LANGUAGE plpgsql AS $$
        DECLARE
          groups text[];
          chosen text;
        BEGIN
          PERFORM pg_advisory_xact_lock(hashtextextended('llmgateway_learn|' || p_namespace, 0));
          SELECT array_agg(DISTINCT k.learned_group) INTO groups FROM llmgateway_key k
          WHERE k.namespace = p_namespace AND k.key_fp = ANY (p_fps) AND k.learned_group IS NOT NULL;
          chosen := COALESCE((SELECT min(g) FROM unnest(groups) AS g), p_name);
          RETURN QUERY
          UPDATE llmgateway_key k SET learned_group = chosen, learned_at = COALESCE(k.learned_at, clock_timestamp())
          WHERE k.namespace = p_namespace
            AND (k.key_fp = ANY (p_fps) OR k.learned_group = ANY (COALESCE(groups, '{}')))
          RETURNING k.key_fp, k.learned_group;
        END $$
        """,
    ]
}
#endif
