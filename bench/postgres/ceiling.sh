#!/usr/bin/env bash
# What PostgreSQL itself does with Assay's annotator loop on this machine, with no HTTP and no Assay server:
# pgbench (a C client that costs next to nothing) sends the loop's statements (loop.sql, transcribed from what the
# server sends) from 16 clients, each one annotator, on a database Assay made (200k items, queue with overlap 1).
#   extended   each statement parsed and planned on every run, as PostgresNIO sends them (Assay today)
#   prepared   each statement prepared once per connection and run again with new values
#   functions  each request one call of a PL/pgSQL function (functions.sql): one round trip per request
# Each mode runs ROUNDS times (default 3), interleaved, SECONDS_MEASURED seconds each (default 10). pgbench's
# transactions are loops here. Prints loops/s and how busy the machine's cores were.
# Usage: bench/postgres/ceiling.sh   ($ASSAY_BENCH_POSTGRES_URL: a server to use instead of a throwaway cluster)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"
SECONDS_MEASURED="${SECONDS_MEASURED:-10}"
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(pgbench --version)"
swift build -c release --package-path "$ROOT" --product assay >/dev/null
swift build -c release --package-path "$ROOT/bench" >/dev/null
ASSAY="${ASSAY_BINARY:-$ROOT/.build/release/assay}"
WORK="$(mktemp -d /tmp/assay-ceiling.XXXXXX)"
source "$HERE/cluster.sh"
cleanup() { bench_postgres_stop; rm -rf "$WORK"; }
trap cleanup EXIT
bench_postgres_start

DB="$(bench_postgres_db)"
"$ROOT/bench/.build/release/assay-bench" items 400000 --out "$WORK/items.jsonl" >/dev/null
echo '{"name": "loop", "overlap": 1, "lease_seconds": 600, "schema": {"kind": "single_choice", "labels": [{"code": "spam"}, {"code": "none"}]}}' > "$WORK/queue.json"
ASSAY_DATABASE_URL="$DB" "$ASSAY" queues create "$WORK/queue.json" >/dev/null
ASSAY_DATABASE_URL="$DB" "$ASSAY" import "$WORK/items.jsonl" --queue loop >/dev/null 2>&1
for i in $(seq 1 16); do ASSAY_DATABASE_URL="$DB" "$ASSAY" users add "Bench Annotator $i" --role annotator >/dev/null; done
psql -q "$DB" -c "CREATE TABLE bench_annotators AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM people WHERE role = 'annotator'" \
  -c "VACUUM ANALYZE" -f "$HERE/functions.sql"
QUEUE="$(psql -At "$DB" -c "SELECT id FROM queues")"
NOW=$(( $(date +%s) * 1000 ))

busy() { awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat; }
for round in $(seq 1 "$ROUNDS"); do
  for mode in extended prepared functions; do
    script="$HERE/loop.sql"; protocol="$mode"
    if [ "$mode" = functions ]; then script="$HERE/loop-functions.sql"; protocol=prepared; fi
    read -r busy0 all0 < <(busy)
    tps="$(pgbench -n -M "$protocol" -c 16 -j 2 -T "$SECONDS_MEASURED" -D q="$QUEUE" -D now="$NOW" \
             -D day=$(( NOW / 86400000 )) -f "$script" "$DB" 2>&1 | awk '/^tps/ {printf "%d", $3}')"
    read -r busy1 all1 < <(busy)
    echo "round $round  $mode: $tps loops/s, cores busy $(( 100 * (busy1 - busy0) / (all1 - all0) ))%"
  done
done
