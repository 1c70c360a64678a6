#!/usr/bin/env bash
# Benchmarks for BENCHMARKS.md. Usage: bench/run.sh [loop|import|export|consensus|dashboard|all] (default all).
#
# Builds the release `assay` and the load generator, then for each backend (SQLite file; PostgreSQL from
# $ASSAY_BENCH_POSTGRES_URL, or a throwaway cluster started here) runs:
#   loop    16 annotators doing next + submit over HTTP on 127.0.0.1 for 20 s (after 3 s warm-up), on a queue of
#           200,000 items ($LOOP_ITEMS)
#   import  `assay import` of 1,000,000 generated items (elapsed, peak memory)
#   export  `assay export` of 1,000,000 final labels (made by importing one judgment per item)
#   consensus  `assay consensus` (Dawid–Skene re-estimate and re-decision) over 1,000,000 judgments: 333,334
#           items × 3 from a seeded crowd of 300 (median of 3 runs)
#   dashboard  the queue dashboard, its activity and key-figure APIs and the monthly business review over 1,000,002
#              judgments (50,001 of them on gold) spread over 28 days (5 requests
#           each, time at the client on 127.0.0.1)
# Everything targets 127.0.0.1, is bounded in time and count, and stops by itself.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHAT="${1:-all}"
case "$WHAT" in
  loop|import|export|consensus|dashboard|all) ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench/run.sh: unknown benchmark '$WHAT'; choose loop, import, export, consensus, dashboard or all" >&2; exit 2 ;;
esac
CLIENTS="${CLIENTS:-16}"
SECONDS_MEASURED="${SECONDS_MEASURED:-20}"
ITEMS="${ITEMS:-1000000}"        # BACKENDS="sqlite postgres" by default
LOOP_ITEMS="${LOOP_ITEMS:-200000}"  # the loop's queue; LOOP_ITEMS=10000000 for the loop on a 10M-item queue

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
# ASSAY_BINARY given (another build, to compare, or one made with --scratch-path), this tree's is not built.
[ -n "${ASSAY_BINARY:-}" ] || swift build -c release --package-path "$ROOT" --product assay >/dev/null
swift build -c release --package-path "$ROOT/bench" >/dev/null
ASSAY="${ASSAY_BINARY:-$ROOT/.build/release/assay}"  # ASSAY_BINARY: another build, to compare
BENCH="$ROOT/bench/.build/release/assay-bench"
WORK="$(mktemp -d /tmp/assay-bench.XXXXXX)"
source "$ROOT/bench/postgres/cluster.sh"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do kill "$pid" 2>/dev/null || true; done
  bench_postgres_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

# PostgreSQL: the given server, or a throwaway cluster.
bench_postgres_start

# run BACKEND ARGS…: assay on a fresh SQLite file or PostgreSQL database chosen by $DB_SPEC.
assay_on() { if [ "$BACKEND" = sqlite ]; then "$ASSAY" "$@" --db "$DB_SPEC"; else ASSAY_DATABASE_URL="$DB_SPEC" "$ASSAY" "$@"; fi; }
fresh_db() { if [ "$BACKEND" = sqlite ]; then DB_SPEC="$WORK/$1.sqlite"; rm -f "$DB_SPEC"*; else DB_SPEC="$(bench_postgres_db)"; fi; }

queue_file() {
  cat > "$WORK/queue-$1.json" <<JSON
{"name": "$1", "overlap": 1, "lease_seconds": 600, "schema": {"kind": "single_choice", "labels": [{"code": "spam"}, {"code": "none"}]}}
JSON
  echo "$WORK/queue-$1.json"
}

case "$WHAT" in
  loop) "$BENCH" items "$LOOP_ITEMS" --out "$WORK/loop-items.jsonl" ;;
  consensus) "$BENCH" crowd 333334 --items "$WORK/crowd-items.jsonl" --judgments "$WORK/crowd-judgments.csv" ;;
  dashboard) "$BENCH" crowd 333334 --days 28 --items "$WORK/dash-items.jsonl" --judgments "$WORK/dash-judgments.csv" \
               --gold "$WORK/dash-gold.csv" --gold-every 20 ;;
  import|export) "$BENCH" items "$ITEMS" --out "$WORK/items.jsonl" --judgments "$WORK/judgments.csv" ;;
  *) "$BENCH" items "$ITEMS" --out "$WORK/items.jsonl" --judgments "$WORK/judgments.csv"
     "$BENCH" items "$LOOP_ITEMS" --out "$WORK/loop-items.jsonl"
     "$BENCH" crowd 333334 --items "$WORK/crowd-items.jsonl" --judgments "$WORK/crowd-judgments.csv"
     "$BENCH" crowd 333334 --days 28 --items "$WORK/dash-items.jsonl" --judgments "$WORK/dash-judgments.csv" ;;
esac

unset ASSAY_DATABASE_URL  # each command below names its database
for BACKEND in ${BACKENDS:-sqlite postgres}; do
  if [ "$WHAT" = loop ] || [ "$WHAT" = all ]; then
    fresh_db loop
    assay_on queues create "$(queue_file loop)" >/dev/null
    assay_on import "$WORK/loop-items.jsonl" --queue loop >/dev/null 2>&1
    : > "$WORK/tokens.txt"
    for i in $(seq 1 "$CLIENTS"); do
      assay_on users add "Bench Annotator $i" --role annotator | grep -o 'assay_[A-Za-z0-9]*' >> "$WORK/tokens.txt"
    done
    PORT=$(( 18000 + RANDOM % 1000 ))
    if [ "$BACKEND" = sqlite ]; then "$ASSAY" serve --db "$DB_SPEC" --port "$PORT" >"$WORK/serve.log" 2>&1 &
    else ASSAY_DATABASE_URL="$DB_SPEC" "$ASSAY" serve --port "$PORT" >"$WORK/serve.log" 2>&1 & fi
    PIDS+=($!)
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
    echo "== loop on $BACKEND ($CLIENTS clients, ${SECONDS_MEASURED}s):"
    "$BENCH" loop --url "http://127.0.0.1:$PORT" --queue loop --tokens "$WORK/tokens.txt" --seconds "$SECONDS_MEASURED"
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
    # The same loop on a queue that mixes gold in at 10% and scores every gold answer (threshold, auto-suspend),
    # and samples 5% of ordinary judgments for QA review (uniform; doubled for annotators new to the workspace).
    fresh_db loopgold
    cat > "$WORK/queue-loopgold.json" <<JSON
{"name": "loop", "overlap": 1, "lease_seconds": 600, "schema": {"kind": "single_choice", "labels": [{"code": "spam"}, {"code": "none"}]},
 "quality": {"gold_rate": 0.1, "min_gold_accuracy": 0.5, "min_gold_answers": 10, "gold_window": 50, "auto_suspend": true,
             "qa_rate": 0.05, "qa_sampling": "uniform"}}
JSON
    assay_on queues create "$WORK/queue-loopgold.json" >/dev/null
    assay_on import "$WORK/loop-items.jsonl" --queue loop >/dev/null 2>&1
    { echo "external_id,labels"; for i in $(seq 1 5000); do echo "it-$i,none"; done; } > "$WORK/gold.csv"
    assay_on users add "Bench Arbitrator" --role arbitrator --external-id bench-arbitrator >/dev/null
    assay_on gold import "$WORK/gold.csv" --queue loop --by bench-arbitrator >/dev/null
    : > "$WORK/tokens-gold.txt"
    for i in $(seq 1 "$CLIENTS"); do
      assay_on users add "Bench Gold Annotator $i" --role annotator | grep -o 'assay_[A-Za-z0-9]*' >> "$WORK/tokens-gold.txt"
    done
    if [ "$BACKEND" = sqlite ]; then "$ASSAY" serve --db "$DB_SPEC" --port "$PORT" >"$WORK/serve.log" 2>&1 &
    else ASSAY_DATABASE_URL="$DB_SPEC" "$ASSAY" serve --port "$PORT" >"$WORK/serve.log" 2>&1 & fi
    PIDS+=($!)
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
    echo "== loop on $BACKEND with gold at 10% and QA at 5% ($CLIENTS clients, ${SECONDS_MEASURED}s):"
    "$BENCH" loop --url "http://127.0.0.1:$PORT" --queue loop --tokens "$WORK/tokens-gold.txt" --seconds "$SECONDS_MEASURED"
    if [ "$BACKEND" = sqlite ]; then
      echo "== the harness alone on the same server: two GET /healthz per loop ($CLIENTS clients, 10s):"
      "$BENCH" loop --url "http://127.0.0.1:$PORT" --queue loop --tokens "$WORK/tokens.txt" --seconds 10 --ceiling
    fi
    if [ "$BACKEND" = sqlite ]; then echo "QA reviews filed: $(sqlite3 "$DB_SPEC" 'SELECT count(*) FROM qa_reviews' 2>/dev/null || echo '?')"
    else echo "QA reviews filed: $(psql -tAq "$DB_SPEC" -c 'SELECT count(*) FROM qa_reviews')"; fi
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
  fi
  if [ "$WHAT" = import ] || [ "$WHAT" = export ] || [ "$WHAT" = all ]; then
    fresh_db bulk
    assay_on queues create "$(queue_file bulk)" >/dev/null
    echo "== import of $ITEMS items on $BACKEND:"
    /usr/bin/time -f "   elapsed %e s, peak memory %M KiB" bash -c "$(declare -f assay_on); ASSAY='$ASSAY' BACKEND=$BACKEND DB_SPEC='$DB_SPEC' assay_on import '$WORK/items.jsonl' --queue bulk 2>/dev/null"
    if [ "$WHAT" != import ]; then
      echo "== import of $ITEMS judgments (one per item, so $ITEMS final labels) on $BACKEND:"
      /usr/bin/time -f "   elapsed %e s, peak memory %M KiB" bash -c "$(declare -f assay_on); ASSAY='$ASSAY' BACKEND=$BACKEND DB_SPEC='$DB_SPEC' assay_on import '$WORK/judgments.csv' --queue bulk --judgments 2>/dev/null"
      echo "== export of $ITEMS final labels on $BACKEND:"
      /usr/bin/time -f "   elapsed %e s, peak memory %M KiB" bash -c "$(declare -f assay_on); ASSAY='$ASSAY' BACKEND=$BACKEND DB_SPEC='$DB_SPEC' assay_on export --queue bulk --format jsonl --out '$WORK/export.jsonl'"
      wc -l < "$WORK/export.jsonl" | sed 's/^/   lines exported: /'
    fi
  fi
  if [ "$WHAT" = consensus ] || [ "$WHAT" = all ]; then
    fresh_db crowd
    cat > "$WORK/queue-crowd.json" <<JSON
{"name": "crowd", "overlap": 3, "consensus": {"kind": "dawid_skene"},
 "schema": {"kind": "single_choice", "labels": [{"code": "none"}, {"code": "spam"}, {"code": "hate"}, {"code": "harassment"}]}}
JSON
    assay_on queues create "$WORK/queue-crowd.json" >/dev/null
    assay_on import "$WORK/crowd-items.jsonl" --queue crowd >/dev/null 2>&1
    assay_on import "$WORK/crowd-judgments.csv" --queue crowd --judgments >/dev/null 2>&1
    echo "== consensus re-estimate (Dawid–Skene) over 1,000,002 judgments on $BACKEND, three runs:"
    for _ in 1 2 3; do
      /usr/bin/time -f "   elapsed %e s, peak memory %M KiB" bash -c "$(declare -f assay_on); ASSAY='$ASSAY' BACKEND=$BACKEND DB_SPEC='$DB_SPEC' assay_on consensus --queue crowd"
    done
  fi
  if [ "$WHAT" = dashboard ] || [ "$WHAT" = all ]; then
    fresh_db dash
    cat > "$WORK/queue-dash.json" <<JSON
{"name": "dash", "overlap": 3, "schema": {"kind": "single_choice", "labels": [{"code": "none"}, {"code": "spam"}, {"code": "hate"}, {"code": "harassment"}]}}
JSON
    assay_on queues create "$WORK/queue-dash.json" >/dev/null
    assay_on import "$WORK/dash-items.jsonl" --queue dash >/dev/null 2>&1
    # One item in twenty is gold (16,667 items, 50,001 gold answers): the confusion heat map reads them all.
    assay_on users add "Bench Arbitrator" --role arbitrator --external-id bench-arbitrator >/dev/null
    assay_on gold import "$WORK/dash-gold.csv" --queue dash --by bench-arbitrator >/dev/null 2>&1
    assay_on import "$WORK/dash-judgments.csv" --queue dash --judgments >/dev/null 2>&1
    TOKEN="$(assay_on users add "Bench Analyst" --role analyst | grep -o 'assay_[A-Za-z0-9]*')"
    PORT=$(( 18000 + RANDOM % 1000 ))
    if [ "$BACKEND" = sqlite ]; then "$ASSAY" serve --db "$DB_SPEC" --port "$PORT" >"$WORK/serve.log" 2>&1 &
    else ASSAY_DATABASE_URL="$DB_SPEC" "$ASSAY" serve --port "$PORT" >"$WORK/serve.log" 2>&1 & fi
    PIDS+=($!)
    URL="http://127.0.0.1:$PORT"
    for _ in $(seq 1 100); do curl -sf "$URL/healthz" >/dev/null && break; sleep 0.1; done
    # Sign in as a browser does: the form's anti-forgery cookie and field, then the session cookie.
    JAR="$WORK/cookies.txt"
    CSRF="$(curl -s -c "$JAR" "$URL/sign-in" | grep -o 'name="csrf" value="[^"]*"' | sed 's/.*value="//; s/"$//')"
    curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "token=$TOKEN" --data-urlencode "csrf=$CSRF" "$URL/sign-in"
    PERIOD="from=2026-11-01&to=2026-11-28"
    echo "== dashboard over 1,000,002 judgments in 28 days on $BACKEND (seconds per request, 5 requests each):"
    curl -s -H "Authorization: Bearer $TOKEN" "$URL/api/v1/queues/dash/activity?$PERIOD" \
      | grep -o '"judgments":[0-9]*' | awk -F: '{ n += $2 } END { print "   judgments counted in the period: " n / 2 }'

    for what in "activity API|-H|Authorization: Bearer $TOKEN|$URL/api/v1/queues/dash/activity?$PERIOD" \
                "key figures by week API|-H|Authorization: Bearer $TOKEN|$URL/api/v1/kpis?by=week&$PERIOD" \
                "dashboard page|-b|$JAR|$URL/dashboard/dash?$PERIOD" \
                "dashboard page by annotator|-b|$JAR|$URL/dashboard/dash?$PERIOD&by=annotator" \
                "business review (month)|-b|$JAR|$URL/report?period=month&date=2026-11-15"; do
      IFS='|' read -r name flag value target <<<"$what"
      times=()
      for _ in 1 2 3 4 5; do times+=("$(curl -s -o "$WORK/page.out" -w '%{time_total}' "$flag" "$value" "$target")"); done
      median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)"
      echo "   $name: ${times[*]} (median $median s, $(wc -c <"$WORK/page.out") bytes)"
    done
    kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
  fi
done
