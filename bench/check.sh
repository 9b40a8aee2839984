#!/usr/bin/env bash
# Quick checks of the benchmark scripts, no Docker needed: shellcheck (when it
# is installed: apt-get install shellcheck) and the analysis self-test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if command -v shellcheck >/dev/null 2>&1; then
  shellcheck -x ./*.sh run-all
  echo "shellcheck: ok"
else
  echo "shellcheck: not installed, skipped (apt-get install shellcheck)"
fi
python3 lib/rollout_bench.py --self-test
python3 lib/restart_bench.py --self-test
python3 lib/figures.py --self-test
