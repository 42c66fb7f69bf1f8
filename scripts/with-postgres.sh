#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL beside it, then removes the cluster (also on failure):
#   scripts/with-postgres.sh swift test --traits Emulator,PostgresSharedState
# Installs Debian's `postgresql` when no initdb is found (under /usr/lib/postgresql/*/bin),
# makes a cluster in a temp folder owned by `postgres`, starts it as that user (initdb and pg_ctl
# refuse root) on a free 127.0.0.1 port with `trust` auth, and exports to the command:
#   LLMGATEWAY_TEST_POSTGRES_URL   postgres://gateway@127.0.0.1:<port>/gateway
#   LLMGATEWAY_TEST_POSTGRES_CTL   a script taking stop|start|restart (tests stop the database mid-run)
# With LLMGATEWAY_TEST_POSTGRES_URL already set, runs the command against that database instead.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 <command…>" >&2
    exit 2
fi
if [ -n "${LLMGATEWAY_TEST_POSTGRES_URL:-}" ]; then
    exec "$@"
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "installing: postgresql (Debian's, for the shared-state tests)"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql tzdata >/dev/null
    bin="$(find_bin)"
fi

# Runs as the postgres user with every descriptor above stderr closed: the server outlives the
# command that starts it and must not inherit, say, the descriptor of a `flock` lock.
as_postgres() {
    (
        for fd in $(ls /proc/$BASHPID/fd); do if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi; done
        if [ "$(id -un)" = postgres ]; then exec "$@"; else exec runuser -u postgres -- "$@"; fi
    )
}

dir="$(mktemp -d -t llmgateway-pg.XXXXXX)"
chmod 755 "$dir"
chown postgres "$dir"
cleanup() {
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_postgres "$bin/initdb" -D "$dir/data" -A trust -U gateway --locale=C.UTF-8 -E UTF8 >"$dir/initdb.log"
started=""
for _ in 1 2 3 4 5; do
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200"
    if as_postgres "$bin/pg_ctl" -D "$dir/data" -o "$options" -l "$dir/log" -w start >/dev/null; then
        started=yes
        break
    fi
done
if [ -z "$started" ]; then
    echo "error: PostgreSQL did not start; its log:" >&2
    cat "$dir/log" >&2 || true
    exit 1
fi
as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U gateway gateway

# stop|start|restart for tests that take the database away mid-run (same port, same data). The
# server starts with descriptors above stderr closed: it must not hold a test's locks.
cat >"$dir/ctl" <<SH
#!/usr/bin/env bash
set -euo pipefail
# Descriptors above stderr closed: a server started from a test must not hold the test's locks.
run() {
  (
    for fd in \$(ls /proc/\$BASHPID/fd); do if [ "\$fd" -gt 2 ]; then eval "exec \$fd>&-" 2>/dev/null || true; fi; done
    if [ "\$(id -un)" = postgres ]; then exec "\$@"; else exec runuser -u postgres -- "\$@"; fi
  )
}
case "\${1:-}" in
  stop) run "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null ;;
  start) run "$bin/pg_ctl" -D "$dir/data" -o "$options" -l "$dir/log" -w start >/dev/null ;;
  restart) run "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; run "$bin/pg_ctl" -D "$dir/data" -o "$options" -l "$dir/log" -w start >/dev/null ;;
  *) echo "usage: \$0 stop|start|restart" >&2; exit 2 ;;
esac
SH
chmod 755 "$dir/ctl"

export LLMGATEWAY_TEST_POSTGRES_URL="postgres://gateway@127.0.0.1:$port/gateway"
export LLMGATEWAY_TEST_POSTGRES_CTL="$dir/ctl"
export LLMGATEWAY_TEST_POSTGRES_BIN="$bin"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $LLMGATEWAY_TEST_POSTGRES_URL (data in $dir)"
status=0
"$@" || status=$?
exit "$status"
