# Sourced by the benchmark scripts: the PostgreSQL server they run on.
#   bench_postgres_start  uses $ASSAY_BENCH_POSTGRES_URL when set; otherwise starts a throwaway cluster on
#                         127.0.0.1 (durable settings: fsync on, as in production) and sets the variable
#   bench_postgres_db     makes a fresh database on it and prints its URL; with BENCH_POSTGRES_VIA=socket, a URL through
#                         the throwaway cluster's Unix socket instead of TCP (libpq's form, which psql, pgbench and
#                         assay all read)
#   bench_postgres_stop   stops and removes the throwaway cluster, if one was started
bench_postgres_start() {
  [ -n "${ASSAY_BENCH_POSTGRES_URL:-}" ] && return 0
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_DIR="$(mktemp -d /tmp/assay-bench-pg.XXXXXX)"; chown postgres "$PG_DIR"
  local port=$(( 57000 + RANDOM % 2000 ))
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DIR/data" -U assay --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-h 127.0.0.1 -p $port -k $PG_DIR -c max_connections=200 -c shared_buffers=512MB" start >/dev/null
  ASSAY_BENCH_POSTGRES_URL="postgres://assay@127.0.0.1:$port/postgres"
}

bench_postgres_db() {
  local name="bench_$(date +%s%N | tail -c 9)"
  psql -q "$ASSAY_BENCH_POSTGRES_URL" -c "CREATE DATABASE $name" >/dev/null
  if [ "${BENCH_POSTGRES_VIA:-tcp}" = socket ] && [ -n "${PG_DIR:-}" ]; then
    local port="${ASSAY_BENCH_POSTGRES_URL##*:}"
    echo "postgres://assay@/$name?host=$PG_DIR&port=${port%%/*}"
  else
    echo "${ASSAY_BENCH_POSTGRES_URL%/*}/$name"
  fi
}

bench_postgres_stop() {
  if [ -n "${PG_DIR:-}" ]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
