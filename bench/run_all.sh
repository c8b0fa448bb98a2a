#!/usr/bin/env bash
# Run every benchmark once, in turn (they share two cores: never in parallel).
set -uo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-python}"
status=0
for script in bench_startup.py bench_yaml.py bench_extract.py bench_keywords.py bench_diff.py bench_fuzz.py; do
    [ -f "bench/$script" ] || continue
    echo "== $script"
    "$py" "bench/$script" || status=1
    echo
done
exit $status
