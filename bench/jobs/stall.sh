#!/usr/bin/env bash
# How long the API waits while a background import runs: usage: bench/jobs/stall.sh [ASSAY_BINARY] [ROWS]
#
# Serves a fresh SQLite workspace on 127.0.0.1, asks for GET /openapi.yaml (no database) every 50 ms for 30 s, and
# 1 s in submits a ROWS-item (default 200,000) JSON Lines import job; prints the slow requests, p50, p90 and max, and
# the job's end. Bounded in time, targets 127.0.0.1 only, and stops everything it started.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ASSAY="$(realpath "${1:-$ROOT/.build/debug/assay}")"
ROWS="${2:-200000}"
PORT="${PORT:-18490}"
WORK="$(mktemp -d /tmp/assay-stall.XXXXXX)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cd "$WORK"
python3 - "$ROWS" > items.jsonl <<'PY'
import sys
for i in range(int(sys.argv[1])):
    print('{"external_id": "a-%d", "text": "hello world number %d", "language": "en", "market": "US", "priority": %d}' % (i, i, i % 5))
PY
echo '{"name": "q1", "overlap": 1, "schema": {"kind": "single_choice", "labels": [{"code": "spam"}, {"code": "none"}]}}' > q.json
"$ASSAY" queues create q.json --db w.sqlite > /dev/null
TOKEN=$("$ASSAY" users add "Ana" --role analyst --db w.sqlite | grep -o 'assay_[A-Za-z0-9_-]*')
"$ASSAY" serve --db w.sqlite --hostname 127.0.0.1 --port "$PORT" > serve.log 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break; sleep 0.1; done
python3 - "$PORT" <<'PY' &
import sys, time, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/openapi.yaml"
latencies, end = [], time.time() + 30
while time.time() < end:
    start = time.time(); urllib.request.urlopen(url).read(); latencies.append(time.time() - start); time.sleep(0.05)
latencies.sort(); n = len(latencies)
print("slow (> 200 ms):", sum(1 for x in latencies if x > 0.2), "worst:", [round(x, 2) for x in latencies[-5:]])
print(f"requests {n}: p50 {latencies[n // 2] * 1000:.1f} ms, p90 {latencies[int(n * .9)] * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
PY
CLIENT=$!
sleep 1
curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' --data-binary @items.jsonl \
  "http://127.0.0.1:$PORT/api/v1/queues/q1/imports" > job.json
wait "$CLIENT"
JOB=$(python3 -c 'import json; print(json.load(open("job.json"))["job"]["id"])')
curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/jobs/$JOB" \
  | python3 -c 'import json, sys; j = json.load(sys.stdin)["job"]; print("job:", j["state"], j.get("report", {}).get("inserted"), "items,", j["created_at"], "->", j.get("finished_at"))'
