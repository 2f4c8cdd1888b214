# Sourced: start_postgres starts a private PostgreSQL cluster (own data and socket
# directory, private port, loopback only) and stops it when the calling shell exits,
# also on failure. Sets PG_URL. The server refuses to run as root, so as root it runs
# as the `postgres` system user.
start_postgres() {
    local bindir port
    bindir="$(dirname "$(command -v initdb || echo /usr/lib/postgresql/15/bin/initdb)")"
    port="${FAZHI_TEST_PG_PORT:-55432}"
    PG_BASE="$(mktemp -d /tmp/fazhi-pg.XXXXXX)"
    local as=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_BASE"
        as=(runuser -u postgres --)
    fi
    "${as[@]}" "$bindir/initdb" -D "$PG_BASE/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${as[@]}" "$bindir/pg_ctl" -D "$PG_BASE/data" -l "$PG_BASE/server.log" -w \
        -o "-p $port -k $PG_BASE -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
    PG_STOP="${as[*]} $bindir/pg_ctl -D $PG_BASE/data -m fast stop"
    trap 'eval "$PG_STOP" >/dev/null 2>&1 || true; rm -rf "$PG_BASE"' EXIT
    PG_URL="postgres://postgres@127.0.0.1:$port/fazhi"
    export PG_URL
}
