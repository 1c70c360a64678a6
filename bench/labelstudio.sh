#!/usr/bin/env bash
# Label Studio doing the same work as bench/run.sh, for BENCHMARKS.md: import tasks, the annotator loop with
# 16 concurrent clients (maximum_annotations = 1), over-annotation count, and export.
# Needs `pip install label-studio` (LABEL_STUDIO=path/to/label-studio if not on PATH); stays offline, on 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LS="${LABEL_STUDIO:-label-studio}"
TASKS="${TASKS:-20000}"
CLIENTS="${CLIENTS:-16}"
SECONDS_MEASURED="${SECONDS_MEASURED:-20}"
PORT=$(( 19000 + RANDOM % 500 ))
WORK="$(mktemp -d /tmp/assay-ls.XXXXXX)"
TOKEN="benchtoken0123456789abcdef0123456789abcd"
BENCH="$ROOT/bench/.build/release/assay-bench"
swift build -c release --package-path "$ROOT/bench" >/dev/null
trap 'kill $LS_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

export COLLECT_ANALYTICS=false LATEST_VERSION_CHECK=false SENTRY_DSN= FRONTEND_SENTRY_DSN=
"$LS" start --data-dir "$WORK/data" --internal-host 127.0.0.1 -p "$PORT" --no-browser \
  --username bench@example.com --password benchpass123 --user-token "$TOKEN" --enable-legacy-api-token \
  >"$WORK/ls.log" 2>&1 &
LS_PID=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
API="http://127.0.0.1:$PORT/api"
AUTH="Authorization: Token $TOKEN"
# `label-studio --version` starts a server, so ask its Python for the version.
LS_VERSION=$("$(dirname "$(command -v "$LS")")/python" -c 'import label_studio; print(label_studio.__version__)' 2>/dev/null || echo "?")
echo "== Label Studio $LS_VERSION on 127.0.0.1:$PORT"
PROJECT=$(curl -sf -X POST "$API/projects" -H "$AUTH" -H 'Content-Type: application/json' -d '{
  "title": "bench", "maximum_annotations": 1,
  "label_config": "<View><Text name=\"text\" value=\"$text\"/><Choices name=\"label\" toName=\"text\"><Choice value=\"spam\"/><Choice value=\"none\"/></Choices></View>"
}' | python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])')

python3 - "$WORK/tasks" "$TASKS" <<'PY'
import json, random, sys
folder, total = sys.argv[1], int(sys.argv[2])
import os; os.makedirs(folder, exist_ok=True)
words = "great match earn cash free gift you are the worst people like this video today click here love".split()
rng = random.Random(7)
for chunk in range(0, total, 5000):
    tasks = [{"text": " ".join(rng.choice(words) for _ in range(12)), "external_id": f"it-{i}"} for i in range(chunk, min(total, chunk + 5000))]
    json.dump(tasks, open(f"{folder}/{chunk:08d}.json", "w"))
PY
echo "== import of $TASKS tasks (chunks of 5000 over the API):"
start=$(date +%s.%N)
for file in "$WORK"/tasks/*.json; do
  curl -sf -X POST "$API/projects/$PROJECT/import" -H "$AUTH" -H 'Content-Type: application/json' --data-binary @"$file" >/dev/null
done
end=$(date +%s.%N)
python3 -c "print(f'   {($TASKS)/($end-$start):.0f} tasks/s ({$end-$start:.1f} s)')"

for _ in $(seq 1 "$CLIENTS"); do echo "$TOKEN"; done > "$WORK/tokens.txt"
echo "== loop ($CLIENTS clients, one user, ${SECONDS_MEASURED}s):"
"$BENCH" loop --label-studio --url "http://127.0.0.1:$PORT" --queue "$PROJECT" --tokens "$WORK/tokens.txt" \
  --seconds "$SECONDS_MEASURED" --label spam

echo "== export of all tasks (JSON):"
start=$(date +%s.%N)
curl -sf "$API/projects/$PROJECT/export?exportType=JSON&download_all_tasks=true" -H "$AUTH" -o "$WORK/export.json"
end=$(date +%s.%N)
python3 - "$WORK/export.json" "$start" "$end" <<'PY'
import json, sys
tasks = json.load(open(sys.argv[1]))
over = sum(1 for t in tasks if len(t.get("annotations", [])) > 1)
done = sum(1 for t in tasks if t.get("annotations"))
print(f"   {len(tasks)} tasks in {float(sys.argv[3]) - float(sys.argv[2]):.1f} s; {done} annotated, {over} with more than one annotation (maximum_annotations = 1)")
PY
