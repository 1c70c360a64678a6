#!/usr/bin/env bash
# The classifier benchmarks for BENCHMARKS.md (`run.sh crossval`: macro-F1 over five folds beside scikit-learn; `run.sh label-errors`: label-error detection beside cleanlab; `run.sh speed [ROUNDS] [OTHER_ASSAY]`: training time beside fastText, interleaved): builds the release `assay`, installs scikit-learn and fastText from PyPI,
# and compares them on ../shared/data/davidson2017 (see compare.py). Runs locally, bounded, and stops by itself.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,3p' "$0" | sed 's/^# //'; exit 0 ;;
  -*) echo "bench/learning/run.sh: unknown option '$1'; see --help" >&2; exit 2 ;;
esac
swift build -c release --package-path "$ROOT" --product assay >/dev/null
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
if [ "${1:-}" = "label-errors" ]; then
  python3 -m pip install -q scikit-learn cleanlab 2>/dev/null
  exec python3 "$ROOT/bench/learning/label_errors.py" "$ROOT/.build/release/assay" "${2:-$ROOT/../shared/data/davidson2017/labeled_data.csv}"
fi
if [ "${1:-}" = "crossval" ]; then
  python3 -m pip install -q scikit-learn 2>/dev/null
  exec python3 "$ROOT/bench/learning/crossval.py" "$ROOT/.build/release/assay" "${2:-$ROOT/../shared/data/davidson2017/labeled_data.csv}"
fi
python3 -m pip install -q scikit-learn fasttext-wheel 2>/dev/null
if [ "${1:-}" = "speed" ]; then
  exec python3 "$ROOT/bench/learning/speed.py" "$ROOT/.build/release/assay" "${2:-15}" "${3:-}"
fi
exec python3 "$ROOT/bench/learning/compare.py" "$ROOT/.build/release/assay" "${1:-$ROOT/../shared/data/davidson2017/labeled_data.csv}"
