#if PostgresSharedState
import Foundation
import GatewayCore
import PostgresNIO

/// What the database says about one key (or one of its cooldowns) as seen by one process.
struct RemoteKeyState: Sendable {
    var fingerprint: String
    var disabledReason: String?
    /// A cooldown set by another process: its reach (`*` or `model:<name>`), reason and what is left.
    var cooldown: (reach: String, reason: String, remaining: Duration)?
    /// Whether another live process leases the key now.
    var leasedElsewhere: Bool
    /// The quota group the key was learned to share, if any.
    var learnedGroup: String?
}

/// The key statements: every one names keys by fingerprint only, and computes time on the server.
enum KeyStatements {
    static func register(_ keys: [APIKey], namespace: String) -> PostgresQuery {
        let fingerprints = keys.map(\.sharedStateFingerprint)
        let labels = keys.map(\.label)
        let masked = keys.map(\.masked)
        let projects = keys.map { $0.project ?? "" }
        return """
            INSERT INTO llmgateway_key (namespace, key_fp, label, masked, project)
            SELECT \(namespace), fp, label, masked, NULLIF(project, '')
            FROM unnest(\(fingerprints)::text[], \(labels)::text[], \(masked)::text[], \(projects)::text[]) AS k(fp, label, masked, project)
            ON CONFLICT (namespace, key_fp) DO UPDATE SET label = excluded.label, project = excluded.project
            """
    }

    /// One row per key (and per live cooldown another process set), with one server "now", and
    /// the group the key was learned to share.
    static func view(namespace: String, holder: UUID) -> PostgresQuery {
        """
        WITH n AS (SELECT clock_timestamp() AS now)
        SELECT k.key_fp, k.disabled_reason, c.reach, c.reason,
               CASE WHEN c.until IS NULL THEN NULL ELSE ceil(extract(epoch FROM c.until - n.now) * 1000)::bigint END,
               EXISTS (SELECT 1 FROM llmgateway_lease l WHERE l.namespace = k.namespace AND l.key_fp = k.key_fp
                         AND l.expires_at > n.now AND l.holder_id <> \(holder)),
               k.learned_group
        FROM n
        JOIN llmgateway_key k ON k.namespace = \(namespace)
        LEFT JOIN llmgateway_key_cooldown c ON c.namespace = k.namespace AND c.key_fp = k.key_fp
             AND c.until > n.now AND c.origin <> \(holder)
        """
    }

    /// Takes the key's lease unless another live process holds it; answers a row when taken.
    static func claim(_ fingerprint: String, task: TaskID, namespace: String, holder: UUID, ttl: Duration) -> PostgresQuery {
        """
        INSERT INTO llmgateway_lease AS l (namespace, key_fp, task, holder_id, acquired_at, expires_at)
        VALUES (\(namespace), \(fingerprint), \(task.rawValue), \(holder), clock_timestamp(),
                clock_timestamp() + \(ttl.milliseconds)::bigint * interval '1 millisecond')
        ON CONFLICT (namespace, key_fp) DO UPDATE
          SET task = excluded.task, holder_id = excluded.holder_id, acquired_at = excluded.acquired_at,
              expires_at = excluded.expires_at,
              epoch = l.epoch + CASE WHEN l.holder_id = excluded.holder_id THEN 0 ELSE 1 END
          WHERE l.expires_at <= clock_timestamp() OR l.holder_id = excluded.holder_id
        RETURNING l.epoch
        """
    }

    static func release(_ fingerprint: String, namespace: String, holder: UUID) -> PostgresQuery {
        "DELETE FROM llmgateway_lease WHERE namespace = \(namespace) AND key_fp = \(fingerprint) AND holder_id = \(holder)"
    }

    /// Renews this process's leases on `held`, taking back any that expired meanwhile and that
    /// nobody took; answers the keys held. (Releases are written one by one, in order.)
    static func syncLeases(_ held: [String], namespace: String, holder: UUID, ttl: Duration) -> PostgresQuery {
        """
        INSERT INTO llmgateway_lease AS l (namespace, key_fp, task, holder_id, acquired_at, expires_at)
        SELECT \(namespace), fp, 'held', \(holder), clock_timestamp(),
               clock_timestamp() + \(ttl.milliseconds)::bigint * interval '1 millisecond'
        FROM unnest(\(held)::text[]) AS fp
        ON CONFLICT (namespace, key_fp) DO UPDATE SET expires_at = excluded.expires_at,
              holder_id = excluded.holder_id,
              epoch = l.epoch + CASE WHEN l.holder_id = excluded.holder_id THEN 0 ELSE 1 END
          WHERE l.expires_at <= clock_timestamp() OR l.holder_id = excluded.holder_id
        RETURNING l.key_fp
        """
    }

    /// Marks this process alive for `ttl` and counts the live processes of the namespace.
    static func heartbeat(namespace: String, holder: UUID, ttl: Duration) -> PostgresQuery {
        """
        WITH me AS (
          INSERT INTO llmgateway_process AS p (namespace, holder_id, started_at, expires_at)
          VALUES (\(namespace), \(holder), clock_timestamp(), clock_timestamp() + \(ttl.milliseconds)::bigint * interval '1 millisecond')
          ON CONFLICT (namespace, holder_id) DO UPDATE SET expires_at = excluded.expires_at
          RETURNING holder_id)
        SELECT 1 + count(*)::bigint FROM llmgateway_process
        WHERE namespace = \(namespace) AND expires_at > clock_timestamp() AND holder_id <> \(holder)
        """
    }

    static func leaveProcess(namespace: String, holder: UUID) -> [PostgresQuery] {
        [
            "DELETE FROM llmgateway_lease WHERE namespace = \(namespace) AND holder_id = \(holder)",
            "DELETE FROM llmgateway_process WHERE namespace = \(namespace) AND holder_id = \(holder)",
        ]
    }

    /// Disabled stays disabled, with its first reason; every listening process hears of it at
    /// commit (``HealthNotice/disabled(namespace:fingerprint:reason:)``).
    static func disable(_ fingerprint: String, reason: String, namespace: String) -> PostgresQuery {
        """
        WITH d AS (
          UPDATE llmgateway_key SET disabled_at = COALESCE(disabled_at, clock_timestamp()),
                                    disabled_reason = COALESCE(disabled_reason, \(reason))
          WHERE namespace = \(namespace) AND key_fp = \(fingerprint)
          RETURNING namespace, key_fp, disabled_reason)
        SELECT pg_notify('\(unescaped: HealthListener.channel)',
                         'disabled' || chr(9) || d.namespace || chr(9) || d.key_fp || chr(9) || left(d.disabled_reason, 200))::text
        FROM d
        """
    }

    /// A cooldown of `duration` from the server's now; never shortens one, and whoever extends
    /// it becomes its origin. When it changed anything, every listening process hears of it at
    /// commit (``HealthNotice/cooldown(namespace:fingerprint:reach:remaining:origin:reason:)``).
    static func coolDown(_ fingerprint: String, reach: String, duration: Duration, reason: String, namespace: String, holder: UUID) -> PostgresQuery {
        """
        WITH c AS (
          INSERT INTO llmgateway_key_cooldown AS c (namespace, key_fp, reach, until, reason, origin)
          VALUES (\(namespace), \(fingerprint), \(reach),
                  clock_timestamp() + \(duration.milliseconds)::bigint * interval '1 millisecond', \(reason), \(holder))
          ON CONFLICT (namespace, key_fp, reach) DO UPDATE
            SET until = excluded.until, reason = excluded.reason, origin = excluded.origin
            WHERE excluded.until > c.until
          RETURNING c.namespace, c.key_fp, c.reach, c.until, c.origin, c.reason)
        SELECT pg_notify('\(unescaped: HealthListener.channel)',
                         'cooldown' || chr(9) || c.namespace || chr(9) || c.key_fp || chr(9) || c.reach || chr(9)
                         || ceil(extract(epoch FROM c.until - clock_timestamp()) * 1000)::bigint || chr(9)
                         || c.origin || chr(9) || left(c.reason, 200))::text
        FROM c
        """
    }

    /// Records that `fingerprints` share one quota (merged with any group one of them already
    /// has; the group keeps its first name, else takes `name`); answers every key of the
    /// resulting group with the group's name.
    static func learn(_ fingerprints: [String], name: String, namespace: String) -> PostgresQuery {
        "SELECT fp, group_name FROM llmgateway_learn(\(namespace)::text, \(fingerprints)::text[], \(name)::text)"
    }
}

extension Duration {
    /// Whole milliseconds, rounded up (never zero for a positive duration).
    var milliseconds: Int64 {
        let parts = components
        let ms = parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
        return parts.attoseconds % 1_000_000_000_000_000 > 0 ? ms + 1 : ms
    }

    /// Whole microseconds, rounded up.
    var microseconds: Int64 {
        let parts = components
        let us = parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
        return parts.attoseconds % 1_000_000_000_000 > 0 ? us + 1 : us
    }
}
#endif
