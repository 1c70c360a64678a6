#!/usr/bin/env bash
# Quality benchmarks and cross-checks for BENCHMARKS.md. Usage: bench/quality/run.sh [check|speed|all] (default all).
#
#   check  crosscheck.py: assay agree / aggregate against krippendorff, scikit-learn, statsmodels and crowd-kit
#          on seeded data with missing values (5 seeds)
#   speed  speed.py at 1M items x 2,000 workers x 5 labels x 3 judgments (3M judgments) beside crowd-kit
#          (MV, Dawid-Skene, one-coin DS) and krippendorff; GLAD and MACE beside crowd-kit at 100k items
#          (crowd-kit needs hours for them at 1M); assay alone at 10M items (30M judgments)
#
# Python packages go into a virtual environment under bench/.venv-quality (PyPI only); data into a temporary
# folder that is removed at the end. Set FULL=1 to also run crowd-kit's GLAD and MACE at 1M (hours).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/bench/quality"
WHAT="${1:-all}"
case "$WHAT" in
  check|speed|all) ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench/quality/run.sh: unknown benchmark '$WHAT'; choose check, speed or all" >&2; exit 2 ;;
esac
VENV="$ROOT/bench/.venv-quality"

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q crowd-kit==1.4.2 krippendorff==0.9.0 scikit-learn statsmodels pandas numpy
fi
PY="$VENV/bin/python"
"$PY" -c "from importlib.metadata import version as v; print('== ' + ', '.join(p + ' ' + v(p) for p in ('crowd-kit', 'krippendorff', 'scikit-learn', 'statsmodels', 'numpy', 'pandas')))"
swift build -c release --package-path "$ROOT" --product assay >/dev/null
ASSAY="$ROOT/.build/release/assay"
WORK="$(mktemp -d /tmp/assay-quality-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

if [ "$WHAT" = check ] || [ "$WHAT" = all ]; then
  echo "== cross-checks"
  "$PY" "$HERE/crosscheck.py" "$ASSAY" --seeds 5
fi

if [ "$WHAT" = speed ] || [ "$WHAT" = all ]; then
  echo "== 1M items, 2,000 workers, 3M judgments"
  "$PY" "$HERE/make_data.py" "$WORK/1m" --items 1000000 --workers 2000 --labels 5 --overlap 3 --seed 1
  REFERENCE_METHODS="mv,ds,ods"
  [ "${FULL:-0}" = 1 ] && REFERENCE_METHODS="mv,ds,ods,glad,mace"
  "$PY" "$HERE/speed.py" "$ASSAY" "$WORK/1m" --reference --reference-methods "$REFERENCE_METHODS"
  echo "== 100k items, 1,000 workers, 300k judgments (GLAD and MACE beside crowd-kit)"
  "$PY" "$HERE/make_data.py" "$WORK/100k" --items 100000 --workers 1000 --labels 5 --overlap 3 --seed 2
  "$PY" "$HERE/speed.py" "$ASSAY" "$WORK/100k" --reference
  rm -rf "$WORK/1m" "$WORK/100k"
  echo "== 10M items, 2,000 workers, 30M judgments (assay only)"
  "$PY" "$HERE/make_data.py" "$WORK/10m" --items 10000000 --workers 2000 --labels 5 --overlap 3 --seed 3
  "$PY" "$HERE/speed.py" "$ASSAY" "$WORK/10m" --repeats 1
fi
